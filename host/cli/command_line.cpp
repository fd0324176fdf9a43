#include "command_line.hpp"

#include <QDir>
#include <QFileInfo>

#include <cstdio>

namespace slt::cli {

void printOut(const QString& text)
{
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, static_cast<size_t>(bytes.size()), stdout);
    std::fflush(stdout);
}

void printErr(const QString& text)
{
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, static_cast<size_t>(bytes.size()), stderr);
    std::fflush(stderr);
}

CommandLevel::CommandLevel(QString path, QString syntax, const QString& description)
    : path_(std::move(path)),
      syntax_(std::move(syntax)),
      pluginPathOption_(QStringLiteral("plugin-path"),
                        QStringLiteral("Search plugins only in <dir> (repeatable; replaces SLT_PLUGIN_PATH, the user "
                                       "folder, settings and the bundled folder)."),
                        QStringLiteral("dir"))
{
    parser_.setApplicationDescription(description);
    parser_.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    parser_.addHelpOption();
    parser_.addOption(pluginPathOption_);
}

void CommandLevel::stopAtFirstPositional()
{
    parser_.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsPositionalArguments);
}

int CommandLevel::parse(const QStringList& arguments, Context& context)
{
    if (!parser_.parse(arguments))
        return usageError(parser_.errorText());
    if (parser_.isSet(QStringLiteral("help")) || parser_.isSet(QStringLiteral("help-all"))) {
        printOut(helpText());
        return ExitSuccess;
    }
    context.pluginPaths << parser_.values(pluginPathOption_);
    return -1;
}

bool CommandLevel::expectPositional(int minimum, int maximum)
{
    const auto count = parser_.positionalArguments().size();
    if (count < minimum) {
        usageError(QStringLiteral("missing argument: expected %1").arg(syntax_));
        return false;
    }
    if (count > maximum) {
        usageError(QStringLiteral("unexpected argument '%1'").arg(parser_.positionalArguments().at(maximum)));
        return false;
    }
    return true;
}

QString CommandLevel::commandName() const
{
    return path_.isEmpty() ? QStringLiteral("slt-cli") : QStringLiteral("slt-cli ") + path_;
}

int CommandLevel::usageError(const QString& message) const
{
    printErr(QStringLiteral("%1: %2\nRun '%1 --help' for usage.\n").arg(commandName(), message));
    return ExitUsage;
}

QString CommandLevel::helpText() const
{
    // QCommandLineParser's own usage line names the executable only; name the whole command instead.
    QString text = parser_.helpText();
    const auto firstLineEnd = text.indexOf(QLatin1Char('\n'));
    return QStringLiteral("Usage: %1 [options]%2%3").arg(commandName(), syntax_.isEmpty() ? QString() : QStringLiteral(" ") + syntax_, text.mid(firstLineEnd));
}

QString absolutePath(const QString& path)
{
    return QDir::cleanPath(QFileInfo(path).absoluteFilePath());
}

QStringList absolutePaths(const QStringList& paths)
{
    QStringList out;
    for (const QString& path : paths)
        out << absolutePath(path);
    return out;
}

} // namespace slt::cli
