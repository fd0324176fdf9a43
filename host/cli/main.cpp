// slt-cli: the headless front end (Qt Core only, runs on cluster nodes).
#include "bank_commands.hpp"
#include "baseline_command.hpp"
#include "command_line.hpp"
#include "evaluate_command.hpp"
#include "label_command.hpp"
#include "plugin_commands.hpp"
#include "train_command.hpp"

#include <slt/core/version.hpp>
#include <slt/report/charts.hpp>

#include <QCoreApplication>

#include <memory>

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
                                      "  evaluate  accuracy, error detection and calibration of a bank against ground truth\n"
                                      "  train     train a model plugin on point labels (tiles, side-by-side PNGs, slides)\n"
                                      "  baseline  a colour-histogram nearest-centroid classifier to compare models against\n"
                                      "Run 'slt-cli <command> --help' for a command's options."));
    level.stopAtFirstPositional();
    const QCommandLineOption version(QStringLiteral("version"), QStringLiteral("Print the version and the SDK ABI and exit."));
    level.parser().addOption(version);
    level.parser().addPositionalArgument(QStringLiteral("command"), QStringLiteral("plugins, bank, label, evaluate, train or baseline"));
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
    if (rest.constFirst() == QLatin1String("evaluate"))
        return runEvaluateCommand(rest, context);
    if (rest.constFirst() == QLatin1String("train"))
        return runTrainCommand(rest, context);
    if (rest.constFirst() == QLatin1String("baseline"))
        return runBaselineCommand(rest, context);
    return level.usageError(QStringLiteral("unknown command '%1'").arg(rest.constFirst()));
}

} // namespace

int main(int argc, char** argv)
{
    // `evaluate` draws charts, which need fonts: a QGuiApplication on the offscreen platform. Every other command
    // keeps the plain QCoreApplication (no Gui start-up on cluster nodes).
    std::unique_ptr<QCoreApplication> app;
    if (!(slt::cli::isEvaluateCommand(argc, argv) && slt::report::ensureGuiApplication(argc, argv)))
        app = std::make_unique<QCoreApplication>(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("slt-cli"));
    QCoreApplication::setOrganizationName(QStringLiteral("slt"));
    QCoreApplication::setApplicationVersion(QLatin1String(slt::core::kAppVersion));
    return run(QCoreApplication::arguments());
}
