#include "plugin_commands.hpp"

#include "bank_cli_support.hpp"

#include "plugin_report.hpp"
#include "smoke_test.hpp"

#include <slt/core/plugin_manager.hpp>

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QTemporaryDir>

#include <functional>
#include <map>

namespace slt::cli {
namespace {

constexpr int kValidateTimeoutMs = 120000;

// For the child processes: a throw-away state directory (a crash there must not quarantine anything in the
// user's state), no probe of their own, and no regard for the user's disabled list.
core::PluginManagerOptions childOptions(const Context& context, const QTemporaryDir& state)
{
    core::PluginManagerOptions options;
    options.searchPath = context.pluginPaths;
    options.hostName = QStringLiteral("slt-cli");
    options.stateDirectory = state.path();
    options.applyDisabledList = false;
    return options;
}

QStringList pluginPathArguments(const Context& context)
{
    QStringList arguments;
    for (const QString& folder : context.pluginPaths)
        arguments << QStringLiteral("--plugin-path") << folder;
    return arguments;
}

QString searchPathText(const QStringList& searchPath)
{
    return searchPath.isEmpty() ? QStringLiteral("(empty)") : searchPath.join(QStringLiteral(", "));
}

int listCommand(const QStringList& arguments, Context& context)
{
    CommandLevel level(QStringLiteral("plugins list"), QString(),
                       QStringLiteral("List every plugin found in the search path with its state and message."));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print one JSON array of objects."));
    level.parser().addOption(json);
    if (int code = level.parse(arguments, context); code >= 0)
        return code;
    if (!level.expectPositional(0, 0))
        return ExitUsage;
    core::PluginManager manager(frontEndPluginOptions(context));
    manager.discover();
    if (level.parser().isSet(json)) {
        QJsonArray array;
        for (const core::PluginRecord& record : manager.plugins())
            array.append(recordToJson(record));
        printOut(QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Indented)));
    } else if (manager.plugins().empty()) {
        printOut(QStringLiteral("No plugins found. Search path: %1\n").arg(searchPathText(manager.searchPath())));
    } else {
        printOut(recordsTable(manager.plugins()));
    }
    return ExitSuccess;
}

int infoCommand(const QStringList& arguments, Context& context)
{
    CommandLevel level(QStringLiteral("plugins info"), QStringLiteral("ID"),
                       QStringLiteral("Show everything about one plugin: manifest, settings schema and current values, "
                                      "state and message."));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print one JSON object."));
    level.parser().addOption(json);
    level.parser().addPositionalArgument(QStringLiteral("ID"), QStringLiteral("The plugin id, e.g. org.slt.sampler.random."));
    if (int code = level.parse(arguments, context); code >= 0)
        return code;
    if (!level.expectPositional(1, 1))
        return ExitUsage;
    const QString id = level.parser().positionalArguments().constFirst();
    core::PluginManager manager(frontEndPluginOptions(context));
    manager.discover();
    const core::PluginRecord* record = manager.find(id);
    if (!record) {
        printErr(QStringLiteral("slt-cli plugins info: no plugin with id '%1' in the search path (%2); run 'slt-cli "
                                "plugins list' to see what was found\n")
                     .arg(id, searchPathText(manager.searchPath())));
        return ExitFailure;
    }
    const QVariantMap values = manager.settings(id);
    if (level.parser().isSet(json))
        printOut(QString::fromUtf8(QJsonDocument(recordToJson(*record, values)).toJson(QJsonDocument::Indented)));
    else
        printOut(recordDetails(*record, values));
    return ExitSuccess;
}

int validateCommand(const QStringList& arguments, Context& context)
{
    CommandLevel level(QStringLiteral("plugins validate"), QStringLiteral("DIR"),
                       QStringLiteral("Run the whole plugin pipeline and a smoke call of its interface on the plugin in "
                                      "DIR, in a child process. Exit 0 only when the plugin is active and the smoke "
                                      "call succeeds."));
    level.parser().addPositionalArgument(QStringLiteral("DIR"), QStringLiteral("The plugin folder (holding plugin.toml)."));
    if (int code = level.parse(arguments, context); code >= 0)
        return code;
    if (!level.expectPositional(1, 1))
        return ExitUsage;
    const QString directory = QDir(level.parser().positionalArguments().constFirst()).absolutePath();
    if (!QFileInfo(directory).isDir()) {
        printErr(QStringLiteral("slt-cli plugins validate: '%1' is not a folder: give the plugin folder that holds "
                                "plugin.toml\n")
                     .arg(directory));
        return ExitFailure;
    }

    QProcess child;
    child.setProcessChannelMode(QProcess::ForwardedChannels);
    child.start(QCoreApplication::applicationFilePath(),
                pluginPathArguments(context) << QStringLiteral("plugins") << QStringLiteral("validate-child") << directory);
    if (!child.waitForStarted()) {
        printErr(QStringLiteral("slt-cli plugins validate: cannot start the validation process: %1\n").arg(child.errorString()));
        return ExitFailure;
    }
    if (!child.waitForFinished(kValidateTimeoutMs)) {
        child.kill();
        child.waitForFinished();
        printOut(QStringLiteral("result:  FAILED: the validation process did not finish within %1 s\n").arg(kValidateTimeoutMs / 1000));
        return ExitFailure;
    }
    if (child.exitStatus() == QProcess::CrashExit) {
        printOut(QStringLiteral("result:  FAILED: the validation process died with %1 while validating %2\n")
                     .arg(core::describeSignal(child.exitCode()), directory));
        return ExitFailure;
    }
    return child.exitCode() == 0 ? ExitSuccess : ExitFailure;
}

// Runs in the child of `plugins validate`.
int validateChildCommand(const QStringList& arguments, Context& context)
{
    CommandLevel level(QStringLiteral("plugins validate-child"), QStringLiteral("DIR"),
                       QStringLiteral("Internal: the child process of 'plugins validate'."));
    level.parser().addPositionalArgument(QStringLiteral("DIR"), QStringLiteral("The plugin folder."));
    if (int code = level.parse(arguments, context); code >= 0)
        return code;
    if (!level.expectPositional(1, 1))
        return ExitUsage;
    const QString directory = QDir(level.parser().positionalArguments().constFirst()).absolutePath();
    QTemporaryDir state;
    core::PluginManager manager(childOptions(context, state));
    manager.discoverSingle(directory);
    const core::PluginRecord& record = manager.plugins().front();
    const core::PluginManifest& m = record.manifest;
    printOut(QStringLiteral("plugin:  %1\n").arg(m.id.isEmpty() ? directory
                                                                 : QStringLiteral("%1 %2 (%3) in %4").arg(m.id, m.version, m.kind, directory)));
    printOut(QStringLiteral("state:   %1\n").arg(QLatin1String(core::stateName(record.state))));
    printOut(QStringLiteral("message: %1\n").arg(record.message.isEmpty() ? QStringLiteral("-") : record.message));
    const SmokeResult smoke = smokeTest(manager, record);
    printOut(QStringLiteral("smoke:   %1%2\n").arg(smoke.passed ? QStringLiteral("ok: ") : QStringLiteral("FAILED: "), smoke.summary));
    printOut(QStringLiteral("result:  %1\n").arg(smoke.passed ? QStringLiteral("valid") : QStringLiteral("FAILED")));
    return smoke.passed ? ExitSuccess : ExitFailure;
}

// Runs in the crash-probe child: load and init only. A crash here is what the parent looks for.
int probeCommand(const QStringList& arguments, Context& context)
{
    CommandLevel level(QStringLiteral("plugins probe"), QStringLiteral("DIR"),
                       QStringLiteral("Internal: load and initialise one plugin (the crash probe's child process)."));
    level.parser().addPositionalArgument(QStringLiteral("DIR"), QStringLiteral("The plugin folder."));
    if (int code = level.parse(arguments, context); code >= 0)
        return code;
    if (!level.expectPositional(1, 1))
        return ExitUsage;
    QTemporaryDir state;
    core::PluginManager manager(childOptions(context, state));
    manager.discoverSingle(level.parser().positionalArguments().constFirst());
    return ExitSuccess;
}

int enableCommand(const QStringList& arguments, Context& context, bool enable)
{
    const QString name = enable ? QStringLiteral("enable") : QStringLiteral("disable");
    CommandLevel level(QStringLiteral("plugins ") + name, QStringLiteral("ID"),
                       enable ? QStringLiteral("Enable a plugin (also lifts a crash quarantine); takes effect at the next start.")
                              : QStringLiteral("Disable a plugin; takes effect at the next start."));
    level.parser().addPositionalArgument(QStringLiteral("ID"), QStringLiteral("The plugin id."));
    if (int code = level.parse(arguments, context); code >= 0)
        return code;
    if (!level.expectPositional(1, 1))
        return ExitUsage;
    const QString id = level.parser().positionalArguments().constFirst();
    // Only manifests are read: a plugin that crashes must be disable-able without loading it.
    core::PluginManagerOptions options = frontEndPluginOptions(context);
    const QStringList searchPath = options.searchPath.isEmpty() ? core::PluginManager::defaultSearchPath() : options.searchPath;
    bool known = false;
    for (const QString& folder : core::PluginManager::pluginFolders(searchPath)) {
        const core::ManifestResult result = core::readManifest(folder + QStringLiteral("/plugin.toml"));
        known = known || (result.manifest && result.manifest->id == id);
    }
    if (!known) {
        printErr(QStringLiteral("slt-cli plugins %1: no plugin with id '%2' in the search path (%3)\n")
                     .arg(name, id, searchPathText(searchPath)));
        return ExitFailure;
    }
    core::PluginManager manager(options);
    manager.setEnabled(id, enable);
    printOut(QStringLiteral("'%1' %2; this takes effect at the next start\n").arg(id, enable ? QStringLiteral("enabled") : QStringLiteral("disabled")));
    return ExitSuccess;
}

} // namespace

int runPluginsCommand(const QStringList& arguments, Context& context)
{
    CommandLevel level(QStringLiteral("plugins"), QStringLiteral("<command>"),
                       QStringLiteral("Manage plugins.\n\nCommands:\n"
                                      "  list [--json]      every plugin found, with state and message\n"
                                      "  info ID [--json]   manifest, settings, state and message of one plugin\n"
                                      "  validate DIR       run the pipeline and a smoke call on one plugin folder\n"
                                      "  enable ID          enable a plugin (and lift its crash quarantine)\n"
                                      "  disable ID         disable a plugin\n"
                                      "Run 'slt-cli plugins <command> --help' for a command's options."));
    level.stopAtFirstPositional();
    level.parser().addPositionalArgument(QStringLiteral("command"), QStringLiteral("list, info, validate, enable or disable."));
    if (int code = level.parse(arguments, context); code >= 0)
        return code;
    const QStringList rest = level.parser().positionalArguments();
    if (rest.isEmpty())
        return level.usageError(QStringLiteral("missing command: expected list, info, validate, enable or disable"));

    const std::map<QString, std::function<int(const QStringList&, Context&)>> commands{
        {QStringLiteral("list"), listCommand},
        {QStringLiteral("info"), infoCommand},
        {QStringLiteral("validate"), validateCommand},
        {QStringLiteral("validate-child"), validateChildCommand},
        {QStringLiteral("probe"), probeCommand},
        {QStringLiteral("enable"), [](const QStringList& a, Context& c) { return enableCommand(a, c, true); }},
        {QStringLiteral("disable"), [](const QStringList& a, Context& c) { return enableCommand(a, c, false); }},
    };
    auto command = commands.find(rest.constFirst());
    if (command == commands.end())
        return level.usageError(QStringLiteral("unknown command '%1'").arg(rest.constFirst()));
    return command->second(rest, context);
}

} // namespace slt::cli
