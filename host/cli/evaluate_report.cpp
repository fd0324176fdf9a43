#include "evaluate_report.hpp"

#include <slt/report/charts.hpp>
#include <slt/report/html_report.hpp>

#include <QDir>

namespace slt::cli {
namespace {

using core::eval::EvaluationReport;
using core::eval::Reliability;
using core::eval::ScoreEvaluation;

QString fixed(double value, int decimals = 4) { return QString::number(value, 'f', decimals); }

QString optionalFixed(const std::optional<double>& value) { return value ? fixed(*value) : QStringLiteral("n/a"); }

QString direction(const ScoreEvaluation& s)
{
    return s.column.higherIsMoreUncertain ? QStringLiteral("higher = more uncertain")
                                          : QStringLiteral("lower = more uncertain");
}

std::vector<report::ReliabilityBin> reliabilityBins(const Reliability& r)
{
    std::vector<report::ReliabilityBin> bins;
    for (const core::eval::ConfidenceBin& b : r.bins)
        bins.push_back({b.lower, b.upper, b.meanConfidence, b.accuracy, static_cast<long long>(b.count)});
    return bins;
}

core::Status reliabilityChart(const QString& name, const QString& before, const Reliability& r0, const QString& after,
                              const Reliability& r1, const QString& path)
{
    return report::renderReliabilityPanels({{QStringLiteral("%1, %2").arg(name, before), reliabilityBins(r0), r0.ece},
                                            {QStringLiteral("%1, %2").arg(name, after), reliabilityBins(r1), r1.ece}},
                                           path);
}

core::Status riskCoverageChart(const EvaluationReport& report, const QString& path)
{
    report::LineChart chart;
    chart.title = QStringLiteral("Risk-coverage, most confident points first (lower is better)");
    chart.xLabel = QStringLiteral("Coverage (share of points kept)");
    chart.yLabel = QStringLiteral("Selective risk (error rate of the kept points)");
    chart.xRange = report::AxisRange{0, 1};
    for (const ScoreEvaluation& s : report.scores) {
        report::Series series{QStringLiteral("%1 (AURC %2)").arg(s.column.name, fixed(s.selective.aurc)), {}};
        for (const core::eval::RiskCoveragePoint& p : s.selective.curve)
            series.points.emplace_back(p.coverage, p.risk);
        chart.series.push_back(std::move(series));
    }
    if (!report.scores.empty()) {
        const double e = report.scores.front().selective.errorRate;
        chart.series.push_back({QStringLiteral("no ranking (error rate %1)").arg(fixed(e)), {{0, e}, {1, e}}});
    }
    return report::renderLineChart(chart, path);
}

core::Status histogramChart(const ScoreEvaluation& s, const std::vector<uint8_t>& wrong, const QString& path)
{
    report::HistogramChart chart;
    chart.title = QStringLiteral("%1: scores of correct and misclassified points (%2)").arg(s.column.name, direction(s));
    chart.xLabel = s.column.name;
    report::HistogramChart::Group right{QStringLiteral("correct"), {}}, errors{QStringLiteral("misclassified"), {}};
    for (size_t i = 0; i < wrong.size(); ++i)
        (wrong[i] ? errors : right).values.push_back(static_cast<double>(s.column.values[static_cast<int64_t>(i) * s.column.stride]));
    chart.groups = {std::move(right), std::move(errors)};
    chart.bins = 40;
    return report::renderHistogram(chart, path);
}

QString stem(const ScoreEvaluation& s) { return core::eval::fileSafeScoreName(s.column.name); }

report::HtmlTable classificationTable(const EvaluationReport& report)
{
    const core::eval::ClassificationSummary& c = report.classification;
    return {QStringLiteral("Classification (all %1 points)").arg(c.points),
            {QStringLiteral("accuracy"), QStringLiteral("macro F1"), QStringLiteral("weighted F1"), QStringLiteral("Cohen's kappa"),
             QStringLiteral("balanced accuracy")},
            {{fixed(c.accuracy), fixed(c.macroF1), fixed(c.weightedF1), optionalFixed(c.kappa), fixed(c.balancedAccuracy)}}};
}

report::HtmlTable scoreTable(const EvaluationReport& report)
{
    report::HtmlTable table{QStringLiteral("Uncertainty scores: error detection on all points, calibration on the evaluation split"),
                            {QStringLiteral("score"), QStringLiteral("direction"), QStringLiteral("AUROC (error detection)"),
                             QStringLiteral("AURC"), QStringLiteral("E-AURC"), QStringLiteral("ECE before"), QStringLiteral("ECE after")},
                            {}};
    for (const ScoreEvaluation& s : report.scores)
        table.rows.push_back({s.column.name, direction(s), optionalFixed(s.auroc), fixed(s.selective.aurc),
                              fixed(s.selective.eaurc), fixed(s.before.ece), fixed(s.after.ece)});
    return table;
}

report::HtmlTable temperatureTable(const EvaluationReport& report)
{
    const core::eval::TemperatureEvaluation& t = report.temperature;
    return {QStringLiteral("Temperature scaling of the probabilities (fitted on the calibration split)"),
            {QStringLiteral("temperature"), QStringLiteral("NLL before"), QStringLiteral("NLL after"), QStringLiteral("ECE before"),
             QStringLiteral("ECE after")},
            {{fixed(t.fit.temperature, 3), fixed(t.nllEvaluationBefore), fixed(t.nllEvaluationAfter), fixed(t.before.ece),
              fixed(t.after.ece)}}};
}

report::HtmlTable perClassTable(const EvaluationReport& report, const core::eval::EvaluationContext& context)
{
    report::HtmlTable table{QStringLiteral("Per class"),
                            {QStringLiteral("id"), QStringLiteral("class"), QStringLiteral("precision"), QStringLiteral("recall"),
                             QStringLiteral("F1"), QStringLiteral("support"), QStringLiteral("predicted")},
                            {}};
    const core::eval::ClassificationSummary& c = report.classification;
    for (int32_t k = 0; k < c.classes; ++k) {
        const core::eval::ClassScores& s = c.perClass[k];
        table.rows.push_back({QString::number(context.classIds.at(k)), context.classNames.at(k), fixed(s.precision),
                              fixed(s.recall), fixed(s.f1), QString::number(s.support), QString::number(s.predicted)});
    }
    return table;
}

report::HtmlTable confusionTable(const EvaluationReport& report, const core::eval::EvaluationContext& context)
{
    const core::eval::ClassificationSummary& c = report.classification;
    report::HtmlTable table{QStringLiteral("Confusion matrix (rows: true class, columns: predicted class)"), {QStringLiteral("true \\ predicted")}, {}};
    for (int32_t p = 0; p < c.classes; ++p)
        table.header << context.classNames.at(p);
    for (int32_t t = 0; t < c.classes; ++t) {
        QStringList row{context.classNames.at(t)};
        for (int32_t p = 0; p < c.classes; ++p)
            row << QString::number(c.count(t, p));
        table.rows.push_back(row);
    }
    return table;
}

} // namespace

core::Result<QStringList> writeEvaluationCharts(const EvaluationReport& report, const std::vector<uint8_t>& wrong,
                                                const QString& dir)
{
    const QDir out(dir);
    QStringList written;
    auto record = [&](const core::Status& status, const QString& name) {
        if (status)
            written << name;
        return status;
    };
    if (auto s = record(riskCoverageChart(report, out.filePath(QStringLiteral("risk_coverage.png"))), QStringLiteral("risk_coverage.png")); !s)
        return core::Result<QStringList>::failure(s.error());
    const core::eval::TemperatureEvaluation& t = report.temperature;
    if (auto s = record(reliabilityChart(QStringLiteral("MSP"), QStringLiteral("before"), t.before,
                                         QStringLiteral("temperature %1").arg(fixed(t.fit.temperature, 2)), t.after,
                                         out.filePath(QStringLiteral("reliability_temperature.png"))),
                        QStringLiteral("reliability_temperature.png"));
        !s)
        return core::Result<QStringList>::failure(s.error());
    for (const ScoreEvaluation& score : report.scores) {
        const QString reliabilityName = QStringLiteral("reliability_%1.png").arg(stem(score));
        const QString histogramName = QStringLiteral("histogram_%1.png").arg(stem(score));
        if (auto s = record(reliabilityChart(score.column.name, QStringLiteral("raw"), score.before,
                                             QStringLiteral("calibrated"), score.after, out.filePath(reliabilityName)),
                            reliabilityName);
            !s)
            return core::Result<QStringList>::failure(s.error());
        if (auto s = record(histogramChart(score, wrong, out.filePath(histogramName)), histogramName); !s)
            return core::Result<QStringList>::failure(s.error());
    }
    return written;
}

core::Status writeEvaluationPage(const EvaluationReport& report, const core::eval::EvaluationContext& context, const QString& dir)
{
    report::HtmlPage page;
    page.title = QStringLiteral("SLT evaluation");
    const core::eval::EvaluationOptions& o = report.options;
    page.sections.push_back(
        {QStringLiteral("Summary"),
         {QStringLiteral("Bank: %1. Truth: %2.").arg(context.bankPath, context.truthPath),
          QStringLiteral("%1 points. Calibration maps are fitted on %2 points (split %3, seed %4) and measured on the other %5; "
                         "ECE uses %6 equal-width bins.")
              .arg(report.classification.points)
              .arg(report.calibrationPoints)
              .arg(o.calibrationFraction)
              .arg(o.seed)
              .arg(report.evaluationPoints)
              .arg(o.bins)},
         {classificationTable(report)},
         {}});
    page.sections.push_back(
        {QStringLiteral("Uncertainty scores"),
         {QStringLiteral("AUROC: probability that a misclassified point has a more uncertain score than a correct one (0.5 = no "
                         "better than chance). AURC: mean error rate of the k most confident points over every k; E-AURC: AURC "
                         "minus the best possible for the same error rate. ECE before: the score's raw confidence (1 - score for "
                         "1 - MSP, otherwise 1 - its percentile); ECE after: 1 - the calibrated probability of error.")},
         {scoreTable(report)},
         {{QStringLiteral("risk_coverage.png"), QStringLiteral("Risk-coverage curves of every score")}}});
    page.sections.push_back({QStringLiteral("Temperature scaling"),
                             {QStringLiteral("Logits are the logarithms of the mean probabilities; the temperature does not change "
                                             "the predicted class.")},
                             {temperatureTable(report)},
                             {{QStringLiteral("reliability_temperature.png"),
                               QStringLiteral("Reliability of the predicted class's probability before and after temperature scaling")}}});
    for (const ScoreEvaluation& s : report.scores)
        page.sections.push_back(
            {QStringLiteral("Score: %1").arg(s.column.name),
             s.notes,
             {},
             {{QStringLiteral("reliability_%1.png").arg(stem(s)), QStringLiteral("%1: reliability before and after calibration").arg(s.column.name)},
              {QStringLiteral("histogram_%1.png").arg(stem(s)), QStringLiteral("%1: scores of correct and misclassified points").arg(s.column.name)}}});
    page.sections.push_back({QStringLiteral("Classes"), {}, {perClassTable(report, context), confusionTable(report, context)}, {}});
    return report::writeHtmlReport(page, QDir(dir).filePath(QStringLiteral("report.html")));
}

} // namespace slt::cli
