// The plugin pipeline: discover -> manifest -> compatibility -> dependencies -> disabled -> crash guard
// (quarantine, probe) -> load -> entry checks -> init. Each failure is a state plus a message; nothing here
// may throw out of the manager or crash the host on a broken plugin.
#include "slt/core/plugin_manager.hpp"

#include "library_dependencies.hpp"
#include "plugin_runtime.hpp"
#include "plugin_state_store.hpp"
#include "slt/core/dependency_resolver.hpp"
#include "slt/core/plugin_checks.hpp"
#include "slt/core/plugin_settings.hpp"

#include <slt/sdk/abi.h>

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStandardPaths>

#include <boost/dll/shared_library.hpp>

#include <cstddef>
#include <cstring>
#include <map>
#include <set>

// Info lines (one per plugin) are off by default; QT_LOGGING_RULES="slt.plugins.info=true" shows them.
Q_LOGGING_CATEGORY(sltPlugins, "slt.plugins", QtWarningMsg)

namespace slt::core {

const char* stateName(PluginState state)
{
    switch (state) {
    case PluginState::Active: return "active";
    case PluginState::ManifestInvalid: return "manifest-invalid";
    case PluginState::Incompatible: return "incompatible";
    case PluginState::DependencyMissing: return "dependency-missing";
    case PluginState::LoadFailed: return "load-failed";
    case PluginState::InitFailed: return "init-failed";
    case PluginState::Quarantined: return "quarantined";
    case PluginState::Shadowed: return "shadowed";
    case PluginState::Disabled: return "disabled";
    }
    return "unknown";
}

QString describeSignal(int signalNumber)
{
    const char* name = strsignal(signalNumber);
    return QStringLiteral("signal %1 (%2)").arg(signalNumber).arg(QString::fromLocal8Bit(name ? name : "unknown"));
}

namespace {

const QString kManifestName = QStringLiteral("plugin.toml");
const QString kDisabledKey = QStringLiteral("plugins/disabled");

QString defaultStateDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + QStringLiteral("/slt/plugin-state");
}

// A search-path folder holds plugin folders; a folder with its own plugin.toml is one plugin itself.
QStringList pluginFoldersIn(const QString& folder)
{
    const QDir dir(folder);
    if (folder.isEmpty() || !dir.exists())
        return {};
    if (dir.exists(kManifestName))
        return {dir.absolutePath()};
    QStringList found;
    for (const QString& name : dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        if (QFileInfo::exists(dir.filePath(name) + QLatin1Char('/') + kManifestName))
            found << QDir(dir.filePath(name)).absolutePath();
    }
    return found;
}

PluginRecord readRecord(const QString& directory)
{
    PluginRecord record;
    record.directory = QDir(directory).absolutePath();
    ManifestResult result = readManifest(record.directory + QLatin1Char('/') + kManifestName);
    if (!result.manifest) {
        record.state = PluginState::ManifestInvalid;
        record.message = result.error;
        return record;
    }
    record.manifest = *result.manifest;
    record.libraryPath = record.directory + QLatin1Char('/') + record.manifest.library;
    record.state = PluginState::Active; // provisional until the load step decides
    return record;
}

bool isPending(const PluginRecord& record)
{
    return record.state == PluginState::Active && !record.entry;
}

void setState(PluginRecord& record, PluginState state, const QString& message)
{
    record.state = state;
    record.message = message;
}

// Checks the entry table the library returned against the host and the manifest; empty when it fits.
QString entryProblem(const PluginManifest& manifest, const slt_plugin_entry* entry)
{
    const size_t needed = offsetof(slt_plugin_entry, get_factory) + sizeof(entry->get_factory);
    if (entry->struct_size < needed)
        return QStringLiteral("the library's entry table is %1 bytes, smaller than the %2 of SDK ABI 1.0: rebuild it "
                              "against the current SDK")
            .arg(entry->struct_size)
            .arg(needed);
    if (entry->abi_major != manifest.sdkAbiMajor || entry->abi_minor != manifest.sdkAbiMinor)
        return QStringLiteral("the library was built for SDK ABI %1.%2 but plugin.toml says sdk_abi = \"%3.%4\": "
                              "make them agree and rebuild")
            .arg(entry->abi_major)
            .arg(entry->abi_minor)
            .arg(manifest.sdkAbiMajor)
            .arg(manifest.sdkAbiMinor);
    const QString id = QString::fromUtf8(entry->id ? entry->id : "");
    if (id != manifest.id)
        return QStringLiteral("the library reports id '%1' but plugin.toml says id = \"%2\": make them agree")
            .arg(id, manifest.id);
    const QString version = QString::fromUtf8(entry->version ? entry->version : "");
    if (version != manifest.version)
        return QStringLiteral("the library reports version '%1' but plugin.toml says version = \"%2\": make them agree")
            .arg(version, manifest.version);
    // get_factory and deinit may be NULL (a plugin without factories, or nothing to clean up); init may not.
    if (!entry->init)
        return QStringLiteral("the library's entry table has no init function: set it (it may just return SLT_OK)");
    return {};
}

// Boost.DLL wraps dlerror() as "...load() failed (dlerror system message: <text>): <errno text>"; the
// dlerror text (e.g. "undefined symbol: foo") is what a person can act on.
QString loaderMessage(const char* what)
{
    const QString text = QString::fromLocal8Bit(what);
    const QString marker = QStringLiteral("dlerror system message: ");
    const auto start = text.indexOf(marker);
    const auto end = text.lastIndexOf(QStringLiteral("):"));
    if (start < 0 || end <= start)
        return text;
    return text.mid(start + marker.size(), end - start - marker.size());
}

} // namespace

struct PluginManager::Impl {
    explicit Impl(PluginManagerOptions opts)
        : options(std::move(opts)),
          searchPath(options.searchPath.isEmpty() ? PluginManager::defaultSearchPath() : options.searchPath),
          store(options.stateDirectory.isEmpty() ? defaultStateDirectory() : options.stateDirectory),
          processTempDirectory(QDir::tempPath() + QStringLiteral("/slt-%1").arg(QCoreApplication::applicationPid()))
    {
    }

    ~Impl() { shutDown(); }

    PluginManagerOptions options;
    QStringList searchPath;
    PluginStateStore store;
    QString processTempDirectory;
    std::vector<PluginRecord> records;
    std::map<QString, std::unique_ptr<PluginRuntime>> runtimes; // by id: every library that was opened
    std::vector<QString> initialised;                           // ids in init order
    std::vector<QString> loadSequence;                          // from the resolver, dependencies first
    bool discovered = false;

    void run(const QStringList& pluginDirectories, const QString& singleDirectory);
    void markShadowed();
    void keepClosureOf(const QString& directory);
    void checkCompatibility();
    void applyUserChoices();
    void resolve();
    void applyQuarantine();
    void probe(const std::vector<PluginRecord*>& order);
    void load(PluginRecord& record);
    bool dependenciesActive(PluginRecord& record);
    void loadLibrary(PluginRecord& record, PluginRuntime& runtime);
    void initialise(PluginRecord& record, PluginRuntime& runtime);
    void logOutcome() const;
    void shutDown();

    PluginRecord* winner(const QString& id)
    {
        for (PluginRecord& record : records) {
            if (record.state != PluginState::Shadowed && record.state != PluginState::ManifestInvalid
                && record.manifest.id == id)
                return &record;
        }
        return nullptr;
    }
};

void PluginManager::Impl::run(const QStringList& pluginDirectories, const QString& singleDirectory)
{
    for (const QString& id : store.quarantineLeftoverMarks())
        qCWarning(sltPlugins).noquote() << QStringLiteral("'%1' took the process down at the last start: quarantined").arg(id);
    for (const QString& directory : pluginDirectories)
        records.push_back(readRecord(directory));
    markShadowed();
    if (!singleDirectory.isEmpty())
        keepClosureOf(singleDirectory);
    checkCompatibility();
    applyUserChoices();
    resolve();
    applyQuarantine();

    // The listing keeps discovery order; loading follows the resolver's order (dependencies first).
    std::vector<PluginRecord*> order;
    for (const QString& id : loadSequence) {
        PluginRecord* record = winner(id);
        if (record && isPending(*record))
            order.push_back(record);
    }
    probe(order);
    for (PluginRecord* record : order)
        load(*record);
    logOutcome();
}

void PluginManager::Impl::markShadowed()
{
    std::map<QString, const PluginRecord*> first;
    for (PluginRecord& record : records) {
        if (record.state == PluginState::ManifestInvalid)
            continue;
        auto [it, inserted] = first.emplace(record.manifest.id, &record);
        if (!inserted)
            setState(record, PluginState::Shadowed,
                     QStringLiteral("'%1' %2 is shadowed by '%1' %3 in %4, which comes earlier in the search path; "
                                    "remove one of them to silence this")
                         .arg(record.manifest.id, record.manifest.version, it->second->manifest.version,
                              it->second->directory));
    }
}

// Keeps the plugin in `directory` and the plugins it needs (transitively), nothing else.
void PluginManager::Impl::keepClosureOf(const QString& directory)
{
    const QString target = QDir(directory).absolutePath();
    std::set<QString> wanted;
    std::vector<QString> queue;
    for (const PluginRecord& record : records) {
        if (record.directory == target && record.state != PluginState::ManifestInvalid)
            queue.push_back(record.manifest.id);
    }
    while (!queue.empty()) {
        const QString id = queue.back();
        queue.pop_back();
        if (!wanted.insert(id).second)
            continue;
        if (const PluginRecord* record = winner(id)) {
            for (const PluginDependency& dependency : record->manifest.dependencies)
                queue.push_back(dependency.id);
        }
    }
    std::vector<PluginRecord> kept;
    for (PluginRecord& record : records) {
        const bool isTarget = record.directory == target;
        const bool isNeeded = record.state != PluginState::ManifestInvalid && record.state != PluginState::Shadowed
                              && wanted.count(record.manifest.id);
        if (isTarget || isNeeded)
            kept.push_back(std::move(record));
    }
    records = std::move(kept);
}

void PluginManager::Impl::checkCompatibility()
{
    const AbiRange range = hostAbiRange();
    const QStringList services = hostServiceIds();
    for (PluginRecord& record : records) {
        if (!isPending(record))
            continue;
        QString problem = abiIncompatibility(record.manifest, range);
        if (problem.isEmpty())
            problem = missingServices(record.manifest, services);
        if (!problem.isEmpty())
            setState(record, PluginState::Incompatible, problem);
    }
}

void PluginManager::Impl::applyUserChoices()
{
    if (!options.applyDisabledList)
        return;
    const QStringList disabled = openUserSettings()->value(kDisabledKey).toStringList();
    for (PluginRecord& record : records) {
        if (record.state != PluginState::ManifestInvalid)
            record.enabled = !disabled.contains(record.manifest.id);
    }
}

void PluginManager::Impl::resolve()
{
    std::vector<DependencyNode> nodes;
    for (const PluginRecord& record : records) {
        if (record.state == PluginState::ManifestInvalid || record.state == PluginState::Shadowed)
            continue;
        DependencyNode node{record.manifest.id, record.manifest.version, record.manifest.dependencies, {}};
        if (!isPending(record))
            node.unavailableReason = QStringLiteral("it is %1").arg(QLatin1String(stateName(record.state)));
        else if (!record.enabled)
            node.unavailableReason = QStringLiteral("it is disabled");
        nodes.push_back(node);
    }
    const DependencyResolution resolution = resolveDependencies(nodes);
    for (const auto& [id, message] : resolution.failures)
        setState(*winner(id), PluginState::DependencyMissing, message);

    for (PluginRecord& record : records) {
        if (isPending(record) && !record.enabled)
            setState(record, PluginState::Disabled,
                     QStringLiteral("disabled by the user; enable it with `slt-cli plugins enable %1` or in the "
                                    "Plugins dialog")
                         .arg(record.manifest.id));
    }
    loadSequence = resolution.loadOrder;
}

void PluginManager::Impl::applyQuarantine()
{
    for (PluginRecord& record : records) {
        if (!isPending(record))
            continue;
        if (auto reason = store.quarantineReason(record.manifest.id, record.libraryPath))
            setState(record, PluginState::Quarantined, *reason);
    }
}

// Loads and initialises every plugin whose library has not survived a probe yet in a child process first,
// all children in parallel. A child that dies by a signal or hangs gets its plugin quarantined here, so
// this process never maps the library.
void PluginManager::Impl::probe(const std::vector<PluginRecord*>& order)
{
    if (options.probeExecutable.isEmpty() || !QFileInfo(options.probeExecutable).isExecutable())
        return;
    QStringList pathArguments;
    for (const QString& folder : searchPath)
        pathArguments << QStringLiteral("--plugin-path") << folder;

    struct Probe {
        PluginRecord* record;
        std::unique_ptr<QProcess> process;
    };
    std::vector<Probe> probes;
    for (PluginRecord* record : order) {
        if (!QFileInfo::exists(record->libraryPath) || store.wasProbed(record->manifest.id, record->libraryPath))
            continue;
        auto process = std::make_unique<QProcess>();
        // The child's output is of no interest: only how it ended (a signal, a hang or a clean exit).
        process->setStandardOutputFile(QProcess::nullDevice());
        process->setStandardErrorFile(QProcess::nullDevice());
        process->start(options.probeExecutable,
                       QStringList(pathArguments) << QStringLiteral("plugins") << QStringLiteral("probe") << record->directory);
        probes.push_back(Probe{record, std::move(process)});
    }
    const QDeadlineTimer deadline(options.probeTimeoutMs);
    for (Probe& probe : probes) {
        PluginRecord& record = *probe.record;
        QProcess& process = *probe.process;
        if (!process.waitForStarted(5000)) {
            qCWarning(sltPlugins).noquote() << QStringLiteral("cannot start the probe process %1 for '%2': %3; loading it without a probe")
                                                   .arg(options.probeExecutable, record.manifest.id, process.errorString());
            continue;
        }
        const QString fingerprint = libraryFingerprint(record.libraryPath);
        const QString lifted = QStringLiteral("; it stays quarantined until it is re-enabled or its library changes");
        if (!process.waitForFinished(std::max<qint64>(1, deadline.remainingTime()))) {
            process.kill();
            process.waitForFinished(5000);
            const QString reason = QStringLiteral("did not finish loading within %1 s in a probe process (it hangs in "
                                                  "load or init)")
                                       .arg(options.probeTimeoutMs / 1000)
                                   + lifted;
            store.quarantine(record.manifest.id, fingerprint, reason);
            setState(record, PluginState::Quarantined, reason);
        } else if (process.exitStatus() == QProcess::CrashExit) {
            const QString reason = QStringLiteral("crashed with %1 while loading in a probe process")
                                       .arg(describeSignal(process.exitCode()))
                                   + lifted;
            store.quarantine(record.manifest.id, fingerprint, reason);
            setState(record, PluginState::Quarantined, reason);
        } else {
            // A clean exit, whatever the code: load failures are reported by the normal pipeline below.
            store.rememberProbed(record.manifest.id, record.libraryPath);
        }
    }
}

bool PluginManager::Impl::dependenciesActive(PluginRecord& record)
{
    for (const PluginDependency& dependency : record.manifest.dependencies) {
        const PluginRecord* needed = winner(dependency.id);
        if (needed && needed->state == PluginState::Active && needed->entry)
            continue;
        setState(record, PluginState::DependencyMissing,
                 QStringLiteral("requires '%1', which is %2: %3")
                     .arg(dependency.id, QLatin1String(needed ? stateName(needed->state) : "missing"),
                          needed ? needed->message : QString()));
        return false;
    }
    return true;
}

void PluginManager::Impl::load(PluginRecord& record)
{
    if (!isPending(record) || !dependenciesActive(record))
        return;
    if (!QFileInfo::exists(record.libraryPath)) {
        setState(record, PluginState::LoadFailed,
                 QStringLiteral("the library '%1' named in plugin.toml does not exist in %2: build the plugin or fix "
                                "'library'")
                     .arg(record.manifest.library, record.directory));
        return;
    }
    auto owned = std::make_unique<PluginRuntime>();
    PluginRuntime& runtime = *owned;
    runtime.manifest = record.manifest;
    runtime.libraryPath = record.libraryPath;
    setUpHost(runtime, options.hostName, record.directory, processTempDirectory);
    runtime.settings = effectiveSettings(record.manifest, *openUserSettings());
    runtimes[record.manifest.id] = std::move(owned);

    // The crash guard: if the process dies between here and removeLoadingMark(), the mark survives and
    // the next start quarantines this plugin.
    store.writeLoadingMark(record.manifest.id, record.libraryPath);
    loadLibrary(record, runtime);
    if (isPending(record))
        initialise(record, runtime);
    store.removeLoadingMark(record.manifest.id);
}

void PluginManager::Impl::loadLibrary(PluginRecord& record, PluginRuntime& runtime)
{
    namespace dll = boost::dll;
    try {
        // The throwing overload: its message carries dlerror(), e.g. the unresolved symbol's name.
        runtime.library = std::make_unique<dll::shared_library>(
            record.libraryPath.toStdString(), dll::load_mode::rtld_now | dll::load_mode::rtld_local);
    } catch (const std::exception& error) {
        setState(record, PluginState::LoadFailed,
                 QStringLiteral("cannot load the library: %1").arg(loaderMessage(error.what())));
        return;
    }
    if (!runtime.library->has(SLT_PLUGIN_ENTRY_SYMBOL)) {
        setState(record, PluginState::LoadFailed,
                 QStringLiteral("%1 does not export %2: export it with the SDK's SLT_PLUGIN macro (or SLT_EXPORT) and "
                                "build it with slt_add_plugin()")
                     .arg(record.libraryPath, QLatin1String(SLT_PLUGIN_ENTRY_SYMBOL)));
        return;
    }
    runtime.neverUnload = record.manifest.heavyRuntime || needsHeavyRuntime(neededLibraries(runtime.library->native()));
    const slt_plugin_entry* entry = nullptr;
    try {
        entry = runtime.library->get<const slt_plugin_entry*()>(SLT_PLUGIN_ENTRY_SYMBOL)();
    } catch (...) {
        entry = nullptr;
    }
    if (!entry) {
        setState(record, PluginState::LoadFailed,
                 QStringLiteral("%1() returned no entry table").arg(QLatin1String(SLT_PLUGIN_ENTRY_SYMBOL)));
        return;
    }
    const QString problem = entryProblem(record.manifest, entry);
    if (!problem.isEmpty()) {
        setState(record, PluginState::Incompatible, problem);
        return;
    }
    runtime.entry = entry;
}

void PluginManager::Impl::initialise(PluginRecord& record, PluginRuntime& runtime)
{
    char buffer[2048] = {0};
    slt_error error{buffer, sizeof(buffer)};
    slt_status status = SLT_ERR_INTERNAL;
    try {
        status = runtime.entry->init(&runtime.host, &error);
    } catch (const std::exception& exception) {
        // The SDK's C++ helpers catch exceptions inside the plugin; these are the last guards for plugins
        // that fill the C tables by hand.
        setState(record, PluginState::InitFailed,
                 QStringLiteral("init threw an exception: %1").arg(QString::fromUtf8(exception.what())));
        return;
    } catch (...) {
        setState(record, PluginState::InitFailed, QStringLiteral("init threw an exception"));
        return;
    }
    if (status != SLT_OK) {
        const QString text = QString::fromUtf8(buffer).trimmed();
        setState(record, PluginState::InitFailed,
                 QStringLiteral("init failed (%1): %2")
                     .arg(QLatin1String(slt_status_name(status)), text.isEmpty() ? QStringLiteral("no message") : text));
        return;
    }
    runtime.initialised = true;
    record.entry = runtime.entry;
    record.message.clear();
    initialised.push_back(record.manifest.id);
}

void PluginManager::Impl::logOutcome() const
{
    for (const PluginRecord& record : records) {
        const QString name = record.manifest.id.isEmpty() ? record.directory : record.manifest.id;
        const QString line = QStringLiteral("%1: %2%3").arg(name, QLatin1String(stateName(record.state)),
                                                            record.message.isEmpty() ? QString() : QStringLiteral(": ") + record.message);
        if (record.state == PluginState::Active || record.state == PluginState::Disabled || record.state == PluginState::Shadowed)
            qCInfo(sltPlugins).noquote() << line;
        else
            qCWarning(sltPlugins).noquote() << line;
    }
}

void PluginManager::Impl::shutDown()
{
    for (auto it = initialised.rbegin(); it != initialised.rend(); ++it) {
        PluginRuntime& runtime = *runtimes.at(*it);
        try {
            if (runtime.entry->deinit)
                runtime.entry->deinit();
        } catch (...) {
            qCWarning(sltPlugins).noquote() << QStringLiteral("'%1' threw from deinit").arg(*it);
        }
        runtime.initialised = false;
    }
    initialised.clear();
    for (PluginRecord& record : records)
        record.entry = nullptr;
    for (auto& [id, runtime] : runtimes) {
        // LibTorch and Qt do not survive dlclose (static destructors, threads, atexit handlers): a plugin
        // that links them (declared in its manifest or found among its DT_NEEDED entries) is never
        // unloaded. Leaking the handle on purpose keeps the library mapped until the process exits.
        if (runtime->neverUnload && runtime->library)
            static_cast<void>(runtime->library.release());
    }
    runtimes.clear(); // unloads the other libraries
    QDir(processTempDirectory).removeRecursively();
}

// ---- PluginManager ----------------------------------------------------------------------------------

PluginManager::PluginManager(PluginManagerOptions options) : d(std::make_unique<Impl>(std::move(options))) {}

PluginManager::~PluginManager() = default;

QStringList PluginManager::defaultSearchPath()
{
    QStringList path;
    const QString fromEnvironment = qEnvironmentVariable("SLT_PLUGIN_PATH");
    for (const QString& folder : fromEnvironment.split(QLatin1Char(':'), Qt::SkipEmptyParts))
        path << QDir(folder).absolutePath();
    path << QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + QStringLiteral("/slt/plugins");
    for (const QString& folder : openUserSettings()->value(QStringLiteral("plugins/extraPaths")).toStringList())
        path << QDir(folder).absolutePath();
    // Bundled plugins sit at ../lib/slt/plugins from the executable, in the build tree and in an install.
    if (QCoreApplication::instance())
        path << QDir::cleanPath(QCoreApplication::applicationDirPath() + QStringLiteral("/../lib/slt/plugins"));
    path.removeDuplicates();
    return path;
}

QStringList PluginManager::pluginFolders(const QStringList& searchPath)
{
    QStringList folders;
    for (const QString& folder : searchPath)
        folders << pluginFoldersIn(folder);
    folders.removeDuplicates();
    return folders;
}

void PluginManager::discover()
{
    if (d->discovered)
        return;
    d->discovered = true;
    d->run(pluginFolders(d->searchPath), QString());
}

void PluginManager::discoverSingle(const QString& pluginDirectory)
{
    if (d->discovered)
        return;
    d->discovered = true;
    // The plugin itself first (so it wins over an installed copy), then the search path for its dependencies.
    QStringList folders{QDir(pluginDirectory).absolutePath()};
    folders << pluginFolders(d->searchPath);
    folders.removeDuplicates();
    d->run(folders, pluginDirectory);
}

const std::vector<PluginRecord>& PluginManager::plugins() const
{
    return d->records;
}

const PluginRecord* PluginManager::find(const QString& id) const
{
    return d->winner(id);
}

const void* PluginManager::factory(const QString& id, const char* factoryId) const
{
    const PluginRecord* record = find(id);
    if (!record || !record->entry || !record->entry->get_factory || !factoryId)
        return nullptr;
    try {
        return record->entry->get_factory(factoryId);
    } catch (...) {
        return nullptr;
    }
}

const slt_host* PluginManager::host(const QString& id) const
{
    const PluginRecord* record = find(id);
    if (!record || !record->entry)
        return nullptr;
    return &d->runtimes.at(id)->host;
}

QStringList PluginManager::searchPath() const
{
    return d->searchPath;
}

QString PluginManager::stateDirectory() const
{
    return d->store.directory();
}

void PluginManager::setEnabled(const QString& id, bool enabled)
{
    auto settings = openUserSettings();
    QStringList disabled = settings->value(kDisabledKey).toStringList();
    disabled.removeAll(id);
    if (!enabled)
        disabled << id;
    disabled.sort();
    if (disabled.isEmpty())
        settings->remove(kDisabledKey);
    else
        settings->setValue(kDisabledKey, disabled);
    settings->sync();
    // Re-enabling is how a user says "try it again" after a crash.
    if (enabled)
        d->store.liftQuarantine(id);
    for (PluginRecord& record : d->records) {
        if (record.manifest.id == id)
            record.enabled = enabled;
    }
}

QVariantMap PluginManager::settings(const QString& id) const
{
    const PluginRecord* record = find(id);
    if (!record)
        return {};
    return effectiveSettings(record->manifest, *openUserSettings());
}

QString PluginManager::setSetting(const QString& id, const QString& key, const QVariant& value)
{
    const PluginRecord* record = find(id);
    if (!record)
        return QStringLiteral("no plugin with id '%1'").arg(id);
    const SettingSpec* spec = findSetting(record->manifest, key);
    if (!spec)
        return QStringLiteral("'%1' has no setting '%2'").arg(id, key);
    QString error;
    const auto valid = validateSettingValue(*spec, value, &error);
    if (!valid)
        return error;
    auto store = openUserSettings();
    store->setValue(settingStoreKey(id, key), *valid);
    store->sync();
    auto runtime = d->runtimes.find(id);
    if (runtime != d->runtimes.end()) {
        std::lock_guard<std::mutex> lock(runtime->second->mutex);
        runtime->second->settings.insert(key, *valid);
    }
    return {};
}

} // namespace slt::core
