#include "fixture_support.hpp"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QJsonValue>
#include <QRegularExpression>

namespace slt::test {

QString scenarioDir(const QString& scenario)
{
    return QDir::cleanPath(QStringLiteral(SLT_FIXTURE_PLUGIN_DIR) + QLatin1Char('/') + scenario);
}

QString pluginDir(const QString& scenario, const QString& plugin)
{
    return scenarioDir(scenario) + QLatin1Char('/') + plugin;
}

QStringList allScenarios()
{
    return {QStringLiteral("good"),         QStringLiteral("bad_toml"),    QStringLiteral("schema_error"),
            QStringLiteral("missing_id"),   QStringLiteral("abi_major"),   QStringLiteral("abi_minor"),
            QStringLiteral("no_entry"),     QStringLiteral("unresolved"),  QStringLiteral("id_mismatch"),
            QStringLiteral("version_mismatch"),
            QStringLiteral("init_error"),   QStringLiteral("init_throws"), QStringLiteral("init_crash"),
            QStringLiteral("missing_dep"),  QStringLiteral("dep_too_old"), QStringLiteral("dep_ok"),
            QStringLiteral("cycle"),        QStringLiteral("dup_first"),   QStringLiteral("dup_second")};
}

QStringList scenarioDirs(const QStringList& scenarios)
{
    QStringList dirs;
    for (const QString& scenario : scenarios)
        dirs << scenarioDir(scenario);
    return dirs;
}

IsolatedHome::IsolatedHome()
{
    dir_.setAutoRemove(true);
}

QString IsolatedHome::stateDirectory() const
{
    return dir_.filePath(QStringLiteral("state"));
}

QProcessEnvironment IsolatedHome::environment() const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_DATA_HOME"), dir_.filePath(QStringLiteral("data")));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), dir_.filePath(QStringLiteral("config")));
    env.insert(QStringLiteral("XDG_CACHE_HOME"), dir_.filePath(QStringLiteral("cache")));
    env.insert(QStringLiteral("XDG_STATE_HOME"), dir_.filePath(QStringLiteral("xdg-state")));
    env.remove(QStringLiteral("SLT_PLUGIN_PATH"));
    return env;
}

QString CliRun::describe() const
{
    return QStringLiteral("started=%1 exitStatus=%2 exitCode=%3\n--- stdout ---\n%4\n--- stderr ---\n%5")
        .arg(started)
        .arg(exitStatus == QProcess::NormalExit ? QStringLiteral("normal") : QStringLiteral("crash"))
        .arg(exitCode)
        .arg(out, err);
}

CliRun runCli(const QStringList& args, const IsolatedHome& home, const QProcessEnvironment& extraEnvironment)
{
    QProcessEnvironment environment = home.environment();
    environment.insert(extraEnvironment);
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(SLT_CLI_PATH), args);
    CliRun run;
    run.started = process.waitForStarted(10000);
    if (!run.started)
        return run;
    if (!process.waitForFinished(60000)) {
        process.kill(); // a hung host is a failure too; exitStatus says "crash"
        process.waitForFinished(5000);
    }
    run.exitStatus = process.exitStatus();
    run.exitCode = process.exitCode();
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

QStringList listArgs(const QStringList& searchFolders)
{
    QStringList args;
    for (const QString& folder : searchFolders)
        args << QStringLiteral("--plugin-path") << folder;
    args << QStringLiteral("plugins") << QStringLiteral("list") << QStringLiteral("--json");
    return args;
}

std::optional<QJsonArray> parseListing(const QString& out, QString* error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(out.toUtf8(), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = QStringLiteral("not JSON: %1 at offset %2").arg(parseError.errorString()).arg(parseError.offset);
        return std::nullopt;
    }
    if (!document.isArray()) {
        *error = QStringLiteral("JSON, but not an array");
        return std::nullopt;
    }
    return document.array();
}

bool samePath(const QString& a, const QString& b)
{
    const QString canonicalA = QFileInfo(a).canonicalFilePath();
    return !canonicalA.isEmpty() && canonicalA == QFileInfo(b).canonicalFilePath();
}

bool namesPluginFolder(const QString& reported, const QString& pluginFolder)
{
    return samePath(reported, pluginFolder) ||
           samePath(reported, pluginFolder + QStringLiteral("/plugin.toml"));
}

QJsonObject findByFolder(const QJsonArray& listing, const QString& pluginFolder)
{
    for (const QJsonValue& value : listing) {
        const QJsonObject record = value.toObject();
        if (namesPluginFolder(record.value(QStringLiteral("path")).toString(), pluginFolder))
            return record;
    }
    return {};
}

bool containsPattern(const QString& text, const QString& pattern)
{
    const QRegularExpression expression(pattern, QRegularExpression::CaseInsensitiveOption);
    return expression.match(text).hasMatch();
}

QString literal(const QString& text)
{
    return QRegularExpression::escape(text);
}

} // namespace slt::test
