#include "label_command.hpp"

#include "bank_cli_support.hpp"
#include "label_report.hpp"
#include "label_script.hpp"

#include <slt/core/engine/labelling_session.hpp>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QTextStream>

#include <limits>

namespace slt::cli {
namespace {

struct LabelOptions {
    QCommandLineOption project{QStringLiteral("project"), QStringLiteral("The project file (.sltp)."), QStringLiteral("FILE")};
    QCommandLineOption bank{QStringLiteral("bank"), QStringLiteral("The bank; default: the one the project names."), QStringLiteral("FILE")};
    QCommandLineOption create{QStringLiteral("create"), QStringLiteral("Create the project on --bank and start a session.")};
    QCommandLineOption sampler{QStringLiteral("sampler"), QStringLiteral("With --create: sampler plugin id (default org.slt.sampler.uncertainty)."), QStringLiteral("ID")};
    QCommandLineOption budget{QStringLiteral("budget"), QStringLiteral("With --create: candidates to pick (default 3000)."), QStringLiteral("N")};
    QCommandLineOption seed{QStringLiteral("seed"), QStringLiteral("With --create: seed (default 0)."), QStringLiteral("S")};
    QCommandLineOption clusterSize{QStringLiteral("cluster-size"), QStringLiteral("With --create: crops per cluster at most (default 6)."), QStringLiteral("M")};
    QCommandLineOption metric{QStringLiteral("metric"), QStringLiteral("With --create: score column used as uncertainty (default: the first)."), QStringLiteral("NAME")};
    QCommandLineOption navigation{QStringLiteral("navigation"), QStringLiteral("With --create: greedy, sequential or random (default greedy)."), QStringLiteral("POLICY")};
    QCommandLineOption coverage{QStringLiteral("coverage"), QStringLiteral("With --create: clusters:SHARE or labels:COUNT (default clusters:1)."), QStringLiteral("TARGET")};
    QCommandLineOption precision{QStringLiteral("attenuation-precision"), QStringLiteral("With --create: auto, exact or coded distances for the attenuation (default auto: coded from 2^24 embedding coordinates; docs/labelling.md)."), QStringLiteral("MODE")};
    QCommandLineOption actions{QStringLiteral("actions"), QStringLiteral("Action lines from FILE, or '-' for stdin."), QStringLiteral("FILE")};
    QCommandLineOption json{QStringLiteral("json"), QStringLiteral("Print one JSON object.")};
};

int failLabel(const QString& message)
{
    printErr(QStringLiteral("slt-cli label: %1\n").arg(message));
    return ExitFailure;
}

// The settings of a new session from the options; nullopt after a usage error.
std::optional<core::SessionSettings> sessionSettings(CommandLevel& level, const LabelOptions& o)
{
    core::SessionSettings s;
    QCommandLineParser& p = level.parser();
    if (p.isSet(o.sampler)) s.samplerId = p.value(o.sampler);
    const auto budget = integerOption(level, o.budget, 3000, 1, std::numeric_limits<int32_t>::max());
    const auto seed = integerOption(level, o.seed, 0, 0, std::numeric_limits<qint64>::max());
    const auto size = integerOption(level, o.clusterSize, 6, 1, 1000);
    if (!budget || !seed || !size) return std::nullopt;
    s.budget = *budget;
    s.seed = static_cast<uint64_t>(*seed);
    s.clusterSize = static_cast<int32_t>(*size);
    s.metric = p.value(o.metric);
    if (p.isSet(o.navigation)) {
        const auto policy = core::navigationPolicyFromName(p.value(o.navigation));
        if (!policy) {
            level.usageError(QStringLiteral("--navigation must be greedy, sequential or random"));
            return std::nullopt;
        }
        s.navigation = *policy;
    }
    if (p.isSet(o.precision) && !core::parsePrecision(p.value(o.precision), &s.precision)) {
        level.usageError(QStringLiteral("--attenuation-precision must be auto, exact or coded"));
        return std::nullopt;
    }
    if (p.isSet(o.coverage)) {
        QString problem;
        const auto target = core::parseCoverageTarget(p.value(o.coverage), &problem);
        if (!target) {
            level.usageError(problem);
            return std::nullopt;
        }
        s.coverage = *target;
    }
    return s;
}

// A relative bank path kept in the project is tried from the working folder, then from the project's folder.
QString bankPathOf(const QString& project, const core::BankRef& ref)
{
    if (QFileInfo(ref.path).isAbsolute() || QFileInfo::exists(ref.path)) return ref.path;
    return QFileInfo(project).absoluteDir().filePath(ref.path);
}

struct OpenSession {
    std::optional<core::LoadedBank> bank;
    std::optional<core::LabellingSession> session;
};

core::Status createSession(const BankPlugins& plugins, const QString& projectPath, const QString& bankPath,
                           const core::SessionSettings& settings, OpenSession& out)
{
    auto sampler = core::samplerPluginById(plugins.manager(), settings.samplerId);
    if (!sampler) return core::Status::failure(sampler.error());
    const core::LoadedBank& bank = *out.bank;
    const core::BankRef ref{QString::fromStdString(bank.metadata().uuid), bankPath, bank.size()};
    auto store = core::ProjectStore::create(projectPath, ref, core::ClassSchema::withTissueClasses(bank.metadata().classes()),
                                            qEnvironmentVariable("USER", QStringLiteral("slt-cli")));
    if (!store) return core::Status::failure(store.error());
    auto session = core::LabellingSession::start(bank, std::move(*store), *sampler, settings);
    if (!session) {
        QFile::remove(projectPath); // created by this call a moment ago; a project without a session is no use
        return core::Status::failure(session.error());
    }
    out.session.emplace(std::move(*session));
    return core::Status();
}

core::Status openSession(const BankPlugins& plugins, const QString& projectPath, QString bankPath, bool create,
                         const core::SessionSettings& settings, OpenSession& out)
{
    if (!create && bankPath.isEmpty()) {
        auto ref = core::ProjectStore::bankOf(projectPath);
        if (!ref) return core::Status::failure(ref.error());
        bankPath = bankPathOf(projectPath, *ref);
    }
    auto backend = plugins.readerFor(bankPath);
    if (!backend) return core::Status::failure(backend.error());
    auto bank = core::LoadedBank::load(*backend, bankPath, core::kSessionColumns);
    if (!bank) return core::Status::failure(bank.error());
    out.bank.emplace(std::move(*bank));
    if (create) return createSession(plugins, projectPath, bankPath, settings, out);
    auto store = core::ProjectStore::open(projectPath, QString::fromStdString(out.bank->metadata().uuid));
    if (!store) return core::Status::failure(store.error());
    auto session = core::LabellingSession::resume(*out.bank, std::move(*store));
    if (!session) return core::Status::failure(session.error());
    out.session.emplace(std::move(*session));
    return core::Status();
}

// Reads all action lines first (so a missing file changes nothing), then applies them in order up to the
// first bad one. Returns how many actions were applied, or a "line N: ..." failure.
core::Result<int> applyScript(core::LabellingSession& session, const QString& source)
{
    using R = core::Result<int>;
    QFile file;
    const bool fromStdin = source == QLatin1String("-");
    const bool opened = fromStdin ? file.open(stdin, QIODevice::ReadOnly) : (file.setFileName(source), file.open(QIODevice::ReadOnly));
    if (!opened || (!fromStdin && QFileInfo(source).isDir()))
        return R::failure(QStringLiteral("cannot read actions from '%1': %2").arg(source, file.errorString()));
    const QStringList lines = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'));
    int applied = 0;
    for (int i = 0; i < lines.size(); ++i) {
        QString problem;
        const auto action = parseActionLine(lines[i], session.store().classSchema(), &problem);
        if (!problem.isEmpty()) return R::failure(QStringLiteral("line %1: %2").arg(i + 1).arg(problem));
        if (!action) continue;
        if (core::Status done = applyAction(session, *action); !done)
            return R::failure(QStringLiteral("line %1: %2").arg(i + 1).arg(done.error()));
        ++applied;
    }
    return applied;
}

} // namespace

int runLabelCommand(const QStringList& arguments, Context& context)
{
    CommandLevel level(QStringLiteral("label"), QString(),
                       QStringLiteral("Open (or, with --create, create) a labelling project on a bank, apply action "
                                      "lines (label C, label-one I C, agree, force-agree, unlabel, unsure, artefact, "
                                      "next, back, undo, redo, goto CLUSTER; see docs/labelling.md), then print the "
                                      "current cluster, statistics and coverage."));
    const LabelOptions o;
    level.parser().addOptions({o.project, o.bank, o.create, o.sampler, o.budget, o.seed, o.clusterSize, o.metric,
                               o.navigation, o.coverage, o.precision, o.actions, o.json});
    if (int code = level.parse(arguments, context); code >= 0) return code;
    if (!level.expectPositional(0, 0)) return ExitUsage;
    QCommandLineParser& p = level.parser();
    if (!p.isSet(o.project)) return level.usageError(QStringLiteral("--project is required"));
    const bool create = p.isSet(o.create);
    if (create && !p.isSet(o.bank)) return level.usageError(QStringLiteral("--create needs --bank"));
    for (const auto* only : {&o.sampler, &o.budget, &o.seed, &o.clusterSize, &o.metric, &o.navigation, &o.coverage, &o.precision})
        if (!create && p.isSet(*only))
            return level.usageError(QStringLiteral("--%1 applies with --create only").arg(only->names().constFirst()));
    const auto settings = sessionSettings(level, o);
    if (!settings) return ExitUsage;
    BankPlugins plugins(context);
    OpenSession opened;
    if (core::Status ok = openSession(plugins, p.value(o.project), p.value(o.bank), create, *settings, opened); !ok)
        return failLabel(ok.error());
    int applied = 0;
    if (p.isSet(o.actions)) {
        const auto result = applyScript(*opened.session, p.value(o.actions));
        if (!result) return failLabel(result.error());
        applied = *result;
    }
    const QJsonObject report = sessionReport(*opened.session, applied);
    printOut(p.isSet(o.json) ? QString::fromUtf8(QJsonDocument(report).toJson(QJsonDocument::Indented)) : sessionText(report));
    return ExitSuccess;
}

} // namespace slt::cli
