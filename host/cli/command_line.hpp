// Sub-command parsing for slt-cli on top of QCommandLineParser: every level ("slt-cli", "slt-cli plugins",
// "slt-cli plugins list") has its own parser with --help, and --plugin-path is accepted at every level.
#pragma once

#include <QCommandLineParser>
#include <QString>
#include <QStringList>

namespace slt::cli {

enum ExitCode { ExitSuccess = 0, ExitFailure = 1, ExitUsage = 2 };

// What the levels above a command collected.
struct Context {
    QStringList pluginPaths; // --plugin-path, in order; replaces the search path when non-empty
};

void printOut(const QString& text);
void printErr(const QString& text);

// A path given on the command line, made absolute and clean (configs written by a command stay valid elsewhere).
QString absolutePath(const QString& path);
QStringList absolutePaths(const QStringList& paths);

class CommandLevel {
public:
    // `path` is the command as typed ("plugins list"), `syntax` its arguments ("ID").
    CommandLevel(QString path, QString syntax, const QString& description);

    QCommandLineParser& parser() { return parser_; }

    // A level that dispatches to sub-commands stops option parsing at its first positional argument, so
    // the sub-command's options reach the sub-command's parser.
    void stopAtFirstPositional();

    // Parses `arguments` (arguments[0] is ignored). Returns -1 to go on, or the exit code: 0 after
    // --help, 2 after a usage error (message on stderr). Adds --plugin-path values to `context`.
    int parse(const QStringList& arguments, Context& context);

    // Checks the number of positional arguments; prints a usage error and returns false when wrong.
    bool expectPositional(int minimum, int maximum);

    int usageError(const QString& message) const;
    QString helpText() const;
    QString commandName() const; // "slt-cli plugins list"

private:
    QString path_;
    QString syntax_;
    QCommandLineParser parser_;
    QCommandLineOption pluginPathOption_;
};

} // namespace slt::cli
