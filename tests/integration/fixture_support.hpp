// Shared helpers for the fixture plugin tests: where the fixtures are, an isolated per-test home
// (state, settings, data), running slt-cli, and finding one plugin's record in a listing.
#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <optional>

namespace slt::test {

// <fixture root>/<scenario>: one search folder holding the plugins of one scenario.
QString scenarioDir(const QString& scenario);
// <fixture root>/<scenario>/<plugin>: the folder holding one fixture's plugin.toml.
QString pluginDir(const QString& scenario, const QString& plugin);
// Every scenario folder, in the order the all-fixtures tests search them (dup_first before dup_second).
QStringList allScenarios();
QStringList scenarioDirs(const QStringList& scenarios);

// A fresh temporary home: the plugin manager's state folder and the XDG folders of any child process
// live under it, so tests share no crash marks, quarantine lists or settings.
class IsolatedHome {
public:
    IsolatedHome();
    QString stateDirectory() const; // for PluginManagerOptions::stateDirectory
    QProcessEnvironment environment() const; // XDG_* pointing inside, SLT_PLUGIN_PATH removed

private:
    QTemporaryDir dir_;
};

struct CliRun {
    bool started = false;
    QProcess::ExitStatus exitStatus = QProcess::CrashExit;
    int exitCode = -1;
    QString out;
    QString err;
    QString describe() const; // for failure messages
};

// Runs slt-cli with `args` in `home`'s environment plus `extraEnvironment` and waits (at most 60 s).
CliRun runCli(const QStringList& args, const IsolatedHome& home,
              const QProcessEnvironment& extraEnvironment = QProcessEnvironment());

// `--plugin-path D` for each folder, then `plugins list --json`.
QStringList listArgs(const QStringList& searchFolders);

// Parses the JSON array printed by `plugins list --json`; nullopt (and `error` set) if it is not one.
std::optional<QJsonArray> parseListing(const QString& out, QString* error);

// The record whose path names `pluginFolder` (the folder itself or its plugin.toml), or an empty object.
QJsonObject findByFolder(const QJsonArray& listing, const QString& pluginFolder);

// True when two paths name the same folder or file (both made canonical).
bool samePath(const QString& a, const QString& b);
// True when `reported` is `pluginFolder` or `pluginFolder`/plugin.toml.
bool namesPluginFolder(const QString& reported, const QString& pluginFolder);

// True when `text` matches the regular expression `pattern`, ignoring case.
bool containsPattern(const QString& text, const QString& pattern);
// A pattern matching `literal` exactly (for file paths, ids and versions).
QString literal(const QString& text);

} // namespace slt::test
