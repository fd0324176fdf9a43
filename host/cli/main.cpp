// slt-cli: the headless front end (Qt Core only, runs on cluster nodes).
#include "bank_commands.hpp"
#include "command_line.hpp"
#include "label_command.hpp"
#include "plugin_commands.hpp"

#include <slt/core/version.hpp>

#include <QCoreApplication>

namespace {

int run(const QStringList& arguments)
{
    using namespace slt::cli;
    Context context;
    CommandLevel level(QString(), QStringLiteral("<command>"),
                       QStringLiteral("SLT, the Smart Labelling Tool: command-line front end.\n\nCommands:\n"
                                      "  plugins   list, inspect, validate, enable and disable plugins\n"
                                      "  bank      synthesize, inspect, verify, convert, merge and dump memory banks\n"
                                      "  label     scripted labelling sessions on a project (no GUI)\n"
                                      "Run 'slt-cli <command> --help' for a command's options."));
    level.stopAtFirstPositional();
    const QCommandLineOption version(QStringLiteral("version"), QStringLiteral("Print the version and the SDK ABI and exit."));
    level.parser().addOption(version);
    level.parser().addPositionalArgument(QStringLiteral("command"), QStringLiteral("plugins, bank or label"));
    if (int code = level.parse(arguments, context); code >= 0)
        return code;
    if (level.parser().isSet(version)) {
        printOut(QStringLiteral("slt-cli %1 (plugin SDK ABI %2.%3)\n")
                     .arg(QLatin1String(slt::core::kAppVersion))
                     .arg(slt::core::kAbiMajor)
                     .arg(slt::core::kAbiMaxMinor));
        return ExitSuccess;
    }
    const QStringList rest = level.parser().positionalArguments();
    if (rest.isEmpty())
        return level.usageError(QStringLiteral("missing command"));
    if (rest.constFirst() == QLatin1String("plugins"))
        return runPluginsCommand(rest, context);
    if (rest.constFirst() == QLatin1String("bank"))
        return runBankCommand(rest, context);
    if (rest.constFirst() == QLatin1String("label"))
        return runLabelCommand(rest, context);
    return level.usageError(QStringLiteral("unknown command '%1'").arg(rest.constFirst()));
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("slt-cli"));
    QCoreApplication::setOrganizationName(QStringLiteral("slt"));
    QCoreApplication::setApplicationVersion(QLatin1String(slt::core::kAppVersion));
    return run(QCoreApplication::arguments());
}
