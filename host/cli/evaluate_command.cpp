#include "evaluate_command.hpp"

#include "bank_cli_support.hpp"
#include "evaluate_report.hpp"

#include <slt/core/bank/loaded_bank.hpp>
#include <slt/core/eval/evaluation_output.hpp>
#include <slt/core/eval/truth_table.hpp>

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QTemporaryFile>

#include <algorithm>
#include <cstring>
#include <limits>

namespace slt::cli {
namespace {

using core::eval::ConfidenceBefore;
using core::eval::ScoreColumn;

int failure(const QString& message)
{
    printErr(QStringLiteral("slt-cli evaluate: %1\n").arg(message));
    return ExitFailure;
}

struct EvaluateOptions {
    QString bank, truth, out;
    QStringList metrics; // empty: every score of the bank
    core::eval::EvaluationOptions evaluation;
    bool storeCalibration = false;
};

// A score's direction as its metric plugin declares it (slt_metric_info::higher_is_more_uncertain). The bank
// stores only names; a name no active metric plugin declares is taken as "higher = more uncertain", and the
// report says so. The standard plugin wins when several declare the name.
struct ScoreDirection {
    bool higherIsMoreUncertain = true;
    QString source = QStringLiteral("assumed (no active metric plugin declares this name)");
    bool isOneMinusMsp = false;
};

ScoreDirection scoreDirection(const std::vector<core::MetricPlugin>& plugins, const std::string& name)
{
    std::vector<core::MetricPlugin> ordered = plugins;
    std::stable_partition(ordered.begin(), ordered.end(), [](const core::MetricPlugin& p) {
        return p.pluginId == QLatin1String(core::kStandardMetricPlugin);
    });
    for (const core::MetricPlugin& plugin : ordered) {
        auto all = sdk::host::MetricSet::list(plugin.factory);
        if (!all)
            continue;
        for (const sdk::host::MetricDescription& d : *all)
            if (d.name == name)
                // The standard "msp" is 1 - MSP: the only score that is itself a probability (of being wrong).
                return {d.higher_is_more_uncertain, plugin.pluginId,
                        plugin.pluginId == QLatin1String(core::kStandardMetricPlugin) && name == "msp"};
    }
    return {};
}

// The chosen score columns of the bank (all, or --metrics in that order), or a message naming a missing one.
core::Result<std::vector<ScoreColumn>> chooseScores(const core::LoadedBank& bank, const QStringList& wanted,
                                                    const std::vector<core::MetricPlugin>& plugins)
{
    const core::BankMetadata& m = bank.metadata();
    QStringList available;
    for (const std::string& name : m.metricNames)
        available << QString::fromStdString(name);
    const QStringList names = wanted.isEmpty() ? available : wanted;
    std::vector<ScoreColumn> columns;
    for (const QString& name : names) {
        const int index = available.indexOf(name);
        if (index < 0)
            return core::Result<std::vector<ScoreColumn>>::failure(
                QStringLiteral("the bank has no score '%1' (it has: %2)")
                    .arg(name, available.isEmpty() ? QStringLiteral("none") : available.join(QStringLiteral(", "))));
        const ScoreDirection direction = scoreDirection(plugins, name.toStdString());
        columns.push_back({name, direction.higherIsMoreUncertain, direction.source,
                           direction.isOneMinusMsp ? ConfidenceBefore::OneMinusScore : ConfidenceBefore::OneMinusPercentile,
                           bank.scores().data() + index, m.metrics()});
    }
    if (columns.empty())
        return core::Result<std::vector<ScoreColumn>>::failure(QStringLiteral("the bank holds no uncertainty scores to evaluate"));
    return columns;
}

// Creates --out when missing and checks that a file can be written in it, before any long work.
QString outputFolderProblem(const QString& dir)
{
    const QFileInfo info(dir);
    if (info.exists() && !info.isDir())
        return QStringLiteral("the output '%1' exists and is not a folder").arg(dir);
    if (!QDir().mkpath(dir))
        return QStringLiteral("cannot create the output folder '%1'").arg(dir);
    QTemporaryFile probe(QDir(dir).filePath(QStringLiteral(".write-test-XXXXXX")));
    if (!probe.open())
        return QStringLiteral("cannot write into the output folder '%1': %2").arg(dir, probe.errorString());
    return {};
}

core::Status storeCalibrations(const core::BankBackend& backend, const QString& path, const std::vector<std::pair<QString, QByteArray>>& maps)
{
    auto bank = core::openBank(backend, path, SLT_BANK_APPEND);
    if (!bank)
        return core::Status::failure(bank.error());
    for (const auto& [key, json] : maps)
        if (const auto s = bank->set_attribute(key.toStdString(), json.toStdString()); !s)
            return core::Status::failure(QStringLiteral("'%1': storing %2: %3").arg(path, key, core::toQString(s)));
    if (const auto s = bank->close(); !s)
        return core::Status::failure(QStringLiteral("'%1': %2").arg(path, core::toQString(s)));
    return {};
}

void printSummary(const core::eval::EvaluationReport& report, const QString& out)
{
    const core::eval::ClassificationSummary& c = report.classification;
    QString text = QStringLiteral("%1 points: accuracy %2, macro F1 %3, weighted F1 %4, kappa %5, balanced accuracy %6\n")
                       .arg(c.points)
                       .arg(c.accuracy, 0, 'f', 4)
                       .arg(c.macroF1, 0, 'f', 4)
                       .arg(c.weightedF1, 0, 'f', 4)
                       .arg(c.kappa ? QString::number(*c.kappa, 'f', 4) : QStringLiteral("n/a"))
                       .arg(c.balancedAccuracy, 0, 'f', 4);
    text += QStringLiteral("temperature %1: ECE %2 -> %3\n")
                .arg(report.temperature.fit.temperature, 0, 'f', 3)
                .arg(report.temperature.before.ece, 0, 'f', 4)
                .arg(report.temperature.after.ece, 0, 'f', 4);
    text += QStringLiteral("%1 %2 %3 %4 %5 %6\n").arg(QStringLiteral("score"), -16).arg(QStringLiteral("auroc"), 8)
                .arg(QStringLiteral("aurc"), 8).arg(QStringLiteral("eaurc"), 8).arg(QStringLiteral("ece_bef"), 8).arg(QStringLiteral("ece_aft"), 8);
    for (const core::eval::ScoreEvaluation& s : report.scores)
        text += QStringLiteral("%1 %2 %3 %4 %5 %6\n")
                    .arg(s.column.name, -16)
                    .arg(s.auroc ? QString::number(*s.auroc, 'f', 4) : QStringLiteral("n/a"), 8)
                    .arg(s.selective.aurc, 8, 'f', 4)
                    .arg(s.selective.eaurc, 8, 'f', 4)
                    .arg(s.before.ece, 8, 'f', 4)
                    .arg(s.after.ece, 8, 'f', 4);
    text += QStringLiteral("report: %1\n").arg(QDir(out).filePath(QStringLiteral("report.html")));
    printOut(text);
}

// Everything after parsing: load, evaluate, write; the bank is open read-only until the report is written.
int evaluateBank(const EvaluateOptions& o, const Context& context)
{
    BankPlugins plugins(context);
    auto backend = plugins.readerFor(o.bank);
    if (!backend)
        return failure(backend.error());
    if (o.storeCalibration && !backend->canWrite())
        return failure(QStringLiteral("--store-calibration: the %1 backend cannot write, so '%2' cannot hold calibration maps; "
                                      "convert it first (slt-cli bank convert)")
                           .arg(backend->formatName(), o.bank));
    if (const QString problem = outputFolderProblem(o.out); !problem.isEmpty())
        return failure(problem);
    std::vector<std::pair<QString, QByteArray>> maps;
    {
        auto bank = core::LoadedBank::load(*backend, o.bank, core::ColumnPredictedClass | core::ColumnMeanProbs | core::ColumnScores);
        if (!bank)
            return failure(bank.error());
        const core::BankMetadata& m = bank->metadata();
        auto scores = chooseScores(*bank, o.metrics, plugins.metrics());
        if (!scores)
            return failure(scores.error());
        auto truth = core::eval::readTruthCsv(o.truth, m.numPoints, m.classIds);
        if (!truth)
            return failure(truth.error());
        for (int64_t i = 0; i < m.numPoints; ++i)
            if (bank->predictedClass()[i] < 0 || bank->predictedClass()[i] >= m.classes())
                return failure(QStringLiteral("'%1': point %2 has the predicted class column %3, outside [0, %4)")
                                   .arg(o.bank).arg(i).arg(bank->predictedClass()[i]).arg(m.classes()));
        core::eval::EvaluationInput input{m.numPoints, m.classes(), truth->data(), bank->predictedClass().data(),
                                          {bank->meanProbs().data(), m.numPoints, m.classes()}, std::move(*scores)};
        auto report = core::eval::evaluate(input, o.evaluation);
        if (!report)
            return failure(report.error());
        core::eval::EvaluationContext ctx{o.bank, o.truth, m.classIds, {}};
        for (const std::string& name : m.classNames)
            ctx.classNames.push_back(QString::fromStdString(name));
        if (auto files = core::eval::writeEvaluationFiles(*report, ctx, o.out); !files)
            return failure(files.error());
        std::vector<uint8_t> wrong(static_cast<size_t>(m.numPoints));
        for (int64_t i = 0; i < m.numPoints; ++i)
            wrong[i] = (*truth)[i] != bank->predictedClass()[i] ? 1 : 0;
        if (auto charts = writeEvaluationCharts(*report, wrong, o.out); !charts)
            return failure(charts.error());
        if (const core::Status page = writeEvaluationPage(*report, ctx, o.out); !page)
            return failure(page.error());
        for (const core::eval::ScoreEvaluation& s : report->scores)
            maps.emplace_back(core::eval::calibrationAttributeKey(s.column.name),
                              QJsonDocument(core::eval::calibrationToJson(s.calibration)).toJson(QJsonDocument::Compact));
        printSummary(*report, o.out);
    } // the bank is closed here: storing opens it for writing
    if (o.storeCalibration) {
        if (const core::Status stored = storeCalibrations(*backend, o.bank, maps); !stored)
            return failure(stored.error());
        printOut(QStringLiteral("stored %1 calibration map(s) in '%2'\n").arg(maps.size()).arg(o.bank));
    }
    return ExitSuccess;
}

// Reads --calibration-split: a number strictly between 0 and 1.
std::optional<double> fractionOption(CommandLevel& level, const QCommandLineOption& option)
{
    if (!level.parser().isSet(option))
        return 0.5;
    bool ok = false;
    const double value = level.parser().value(option).toDouble(&ok);
    if (!ok || !(value > 0 && value < 1)) {
        level.usageError(QStringLiteral("--%1 must be a number strictly between 0 and 1, got '%2'")
                             .arg(option.names().constFirst(), level.parser().value(option)));
        return std::nullopt;
    }
    return value;
}

} // namespace

bool isEvaluateCommand(int argc, char** argv)
{
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--plugin-path") == 0) {
            ++i; // its value
            continue;
        }
        if (argv[i][0] == '-')
            continue;
        return std::strcmp(argv[i], "evaluate") == 0;
    }
    return false;
}

int runEvaluateCommand(const QStringList& arguments, Context& context)
{
    CommandLevel level(QStringLiteral("evaluate"), QString(),
                       QStringLiteral("Evaluate a bank's predictions and uncertainty scores against ground truth: accuracy, F1, "
                                      "kappa; per score AUROC of error detection, risk-coverage, AURC, E-AURC; calibration "
                                      "(temperature scaling, ECDF + isotonic per score) fitted on one split and measured on the "
                                      "other. Writes metrics.json, CSV tables, PNG charts and report.html into --out "
                                      "(docs/evaluation.md)."));
    const QCommandLineOption bank(QStringLiteral("bank"), QStringLiteral("The bank file (required)."), QStringLiteral("file"));
    const QCommandLineOption truth(QStringLiteral("truth"), QStringLiteral("CSV point_id,true_class with one row per bank point (required)."), QStringLiteral("csv"));
    const QCommandLineOption out(QStringLiteral("out"), QStringLiteral("Output folder, created when missing (required)."), QStringLiteral("dir"));
    const QCommandLineOption split(QStringLiteral("calibration-split"), QStringLiteral("Share of the points the calibration is fitted on (default 0.5)."), QStringLiteral("fraction"));
    const QCommandLineOption seed(QStringLiteral("seed"), QStringLiteral("Seed of the calibration split (default 1)."), QStringLiteral("S"));
    const QCommandLineOption metrics(QStringLiteral("metrics"), QStringLiteral("Comma-separated scores to evaluate (default: every score of the bank)."), QStringLiteral("a,b"));
    const QCommandLineOption bins(QStringLiteral("bins"), QStringLiteral("Equal-width bins of the ECE and reliability diagrams (default 15)."), QStringLiteral("M"));
    const QCommandLineOption store(QStringLiteral("store-calibration"),
                                   QStringLiteral("Store each score's fitted map in the bank as the attribute calibration/<score> (the bank is modified)."));
    level.parser().addOptions({bank, truth, out, split, seed, metrics, bins, store});
    if (int code = level.parse(arguments, context); code >= 0)
        return code;
    if (!level.expectPositional(0, 0))
        return ExitUsage;
    if (!level.parser().isSet(bank) || !level.parser().isSet(truth) || !level.parser().isSet(out))
        return level.usageError(QStringLiteral("--bank, --truth and --out are required"));
    const auto fraction = fractionOption(level, split);
    const auto s = integerOption(level, seed, 1, 0, std::numeric_limits<qint64>::max());
    const auto m = integerOption(level, bins, core::eval::kDefaultEceBins, 1, 1000);
    if (!fraction || !s || !m)
        return ExitUsage;
    EvaluateOptions o;
    o.bank = level.parser().value(bank);
    o.truth = level.parser().value(truth);
    o.out = level.parser().value(out);
    if (level.parser().isSet(metrics)) {
        o.metrics = level.parser().value(metrics).split(QLatin1Char(','), Qt::SkipEmptyParts);
        for (QString& name : o.metrics)
            name = name.trimmed();
        if (o.metrics.isEmpty())
            return level.usageError(QStringLiteral("--metrics names no score"));
        if (o.metrics.removeDuplicates() > 0)
            return level.usageError(QStringLiteral("--metrics names a score twice"));
    }
    o.evaluation.calibrationFraction = *fraction;
    o.evaluation.seed = static_cast<uint64_t>(*s);
    o.evaluation.bins = static_cast<int>(*m);
    o.storeCalibration = level.parser().isSet(store);
    return evaluateBank(o, context);
}

} // namespace slt::cli
