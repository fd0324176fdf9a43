#include "slt/core/eval/evaluation_output.hpp"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

namespace slt::core::eval {
namespace {

const char* const kFormat = "slt.evaluation/1";
const char* const kAurcEstimator = "mean selective risk over the k most confident points, k = 1..n, ties averaged over their orders";

QJsonValue optionalNumber(const std::optional<double>& value) { return value ? QJsonValue(*value) : QJsonValue(); }

QString number(double value) { return QString::number(value, 'g', 12); }


QJsonObject reliabilityJson(const Reliability& r)
{
    QJsonArray bins;
    for (const ConfidenceBin& b : r.bins)
        bins.append(QJsonObject{{QStringLiteral("lower"), b.lower}, {QStringLiteral("upper"), b.upper},
                                {QStringLiteral("mean_confidence"), b.meanConfidence}, {QStringLiteral("accuracy"), b.accuracy},
                                {QStringLiteral("count"), static_cast<qint64>(b.count)}});
    return QJsonObject{{QStringLiteral("ece"), r.ece}, {QStringLiteral("mce"), r.mce}, {QStringLiteral("bins"), bins}};
}

QString confidenceRule(ConfidenceBefore rule)
{
    return rule == ConfidenceBefore::OneMinusScore ? QStringLiteral("1 - score (the score is 1 - MSP)")
                                                   : QStringLiteral("1 - ECDF percentile of the score on the calibration split");
}

QJsonObject scoreJson(const ScoreEvaluation& s)
{
    QJsonArray notes;
    for (const QString& note : s.notes)
        notes.append(note);
    return QJsonObject{
        {QStringLiteral("higher_is_more_uncertain"), s.column.higherIsMoreUncertain},
        {QStringLiteral("direction_source"), s.column.directionSource},
        {QStringLiteral("auroc"), optionalNumber(s.auroc)},
        {QStringLiteral("aurc"), s.selective.aurc},
        {QStringLiteral("aurc_optimal"), s.selective.aurcOptimal},
        {QStringLiteral("eaurc"), s.selective.eaurc},
        {QStringLiteral("error_rate"), s.selective.errorRate},
        {QStringLiteral("ece_before"), s.before.ece},
        {QStringLiteral("ece_after"), s.after.ece},
        {QStringLiteral("mce_before"), s.before.mce},
        {QStringLiteral("mce_after"), s.after.mce},
        {QStringLiteral("confidence_before"), confidenceRule(s.column.confidenceBefore)},
        {QStringLiteral("confidence_after"), QStringLiteral("1 - calibrated probability of error (ECDF + isotonic)")},
        {QStringLiteral("calibration_steps"), static_cast<qint64>(s.calibration.pError.size())},
        {QStringLiteral("reliability_before"), reliabilityJson(s.before)},
        {QStringLiteral("reliability_after"), reliabilityJson(s.after)},
        {QStringLiteral("notes"), notes},
    };
}

QJsonObject temperatureJson(const TemperatureEvaluation& t)
{
    return QJsonObject{
        {QStringLiteral("temperature"), t.fit.temperature},
        {QStringLiteral("at_search_bound"), t.fit.atBound},
        {QStringLiteral("logits"), QStringLiteral("ln of the mean probabilities")},
        {QStringLiteral("nll_fit_before"), t.fit.nllBefore},
        {QStringLiteral("nll_fit_after"), t.fit.nllAfter},
        {QStringLiteral("nll_before"), t.nllEvaluationBefore},
        {QStringLiteral("nll_after"), t.nllEvaluationAfter},
        {QStringLiteral("ece_before"), t.before.ece},
        {QStringLiteral("ece_after"), t.after.ece},
        {QStringLiteral("reliability_before"), reliabilityJson(t.before)},
        {QStringLiteral("reliability_after"), reliabilityJson(t.after)},
    };
}

QJsonArray perClassJson(const ClassificationSummary& c, const EvaluationContext& context)
{
    QJsonArray rows;
    for (int32_t k = 0; k < c.classes; ++k) {
        const ClassScores& s = c.perClass[k];
        rows.append(QJsonObject{{QStringLiteral("class_id"), context.classIds.at(k)},
                                {QStringLiteral("name"), context.classNames.at(k)},
                                {QStringLiteral("precision"), s.precision}, {QStringLiteral("recall"), s.recall},
                                {QStringLiteral("f1"), s.f1}, {QStringLiteral("support"), static_cast<qint64>(s.support)},
                                {QStringLiteral("predicted"), static_cast<qint64>(s.predicted)}});
    }
    return rows;
}

QJsonArray confusionJson(const ClassificationSummary& c)
{
    QJsonArray matrix;
    for (int32_t t = 0; t < c.classes; ++t) {
        QJsonArray row;
        for (int32_t p = 0; p < c.classes; ++p)
            row.append(static_cast<qint64>(c.count(t, p)));
        matrix.append(row);
    }
    return matrix;
}

Status writeText(const QString& path, const QByteArray& text)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size() || !file.commit())
        return Status::failure(QStringLiteral("cannot write '%1': %2").arg(path, file.errorString()));
    return {};
}

QByteArray perClassCsv(const ClassificationSummary& c, const EvaluationContext& context)
{
    QString csv = QStringLiteral("class_id,name,precision,recall,f1,support,predicted\n");
    for (int32_t k = 0; k < c.classes; ++k) {
        const ClassScores& s = c.perClass[k];
        QString name = context.classNames.at(k);
        name.replace(QLatin1Char('"'), QStringLiteral("\"\""));
        csv += QStringLiteral("%1,\"%2\",%3,%4,%5,%6,%7\n")
                   .arg(context.classIds.at(k))
                   .arg(name, number(s.precision), number(s.recall), number(s.f1))
                   .arg(s.support)
                   .arg(s.predicted);
    }
    return csv.toUtf8();
}

QByteArray confusionCsv(const ClassificationSummary& c, const EvaluationContext& context)
{
    QString csv = QStringLiteral("true_class_id");
    for (int32_t p = 0; p < c.classes; ++p)
        csv += QStringLiteral(",predicted_%1").arg(context.classIds.at(p));
    csv += QLatin1Char('\n');
    for (int32_t t = 0; t < c.classes; ++t) {
        csv += QString::number(context.classIds.at(t));
        for (int32_t p = 0; p < c.classes; ++p)
            csv += QLatin1Char(',') + QString::number(c.count(t, p));
        csv += QLatin1Char('\n');
    }
    return csv.toUtf8();
}

QByteArray riskCoverageCsv(const SelectiveRisk& s, bool higherIsMoreUncertain)
{
    QString csv = QStringLiteral("coverage,selective_risk,score_threshold\n");
    for (const RiskCoveragePoint& p : s.curve)
        csv += QStringLiteral("%1,%2,%3\n").arg(number(p.coverage), number(p.risk),
                                                 number(higherIsMoreUncertain ? p.threshold : -p.threshold));
    return csv.toUtf8();
}

QByteArray reliabilityCsv(const Reliability& before, const Reliability& after)
{
    QString csv = QStringLiteral("stage,bin,lower,upper,mean_confidence,accuracy,count\n");
    auto rows = [&csv](const char* stage, const Reliability& r) {
        for (size_t b = 0; b < r.bins.size(); ++b) {
            const ConfidenceBin& bin = r.bins[b];
            csv += QStringLiteral("%1,%2,%3,%4,%5,%6,%7\n")
                       .arg(QLatin1String(stage))
                       .arg(b)
                       .arg(number(bin.lower), number(bin.upper), number(bin.meanConfidence), number(bin.accuracy))
                       .arg(bin.count);
        }
    };
    rows("before", before);
    rows("after", after);
    return csv.toUtf8();
}

} // namespace

QString fileSafeScoreName(QString name)
{
    for (QChar& c : name)
        if (!(c.isLetterOrNumber() && c.unicode() < 128) && c != QLatin1Char('_') && c != QLatin1Char('-'))
            c = QLatin1Char('_');
    return name;
}

QJsonObject evaluationJson(const EvaluationReport& report, const EvaluationContext& context)
{
    const ClassificationSummary& c = report.classification;
    QJsonObject scores;
    for (const ScoreEvaluation& s : report.scores)
        scores.insert(s.column.name, scoreJson(s));
    QJsonArray notes;
    if (!c.kappa)
        notes.append(c.kappaNote);
    for (const ScoreEvaluation& s : report.scores)
        for (const QString& note : s.notes)
            notes.append(QStringLiteral("%1: %2").arg(s.column.name, note));
    QJsonObject json{
        {QStringLiteral("format"), QLatin1String(kFormat)},
        {QStringLiteral("bank"), context.bankPath},
        {QStringLiteral("truth"), context.truthPath},
        {QStringLiteral("points"), static_cast<qint64>(c.points)},
        {QStringLiteral("classes"), c.classes},
        {QStringLiteral("calibration_split"), report.options.calibrationFraction},
        {QStringLiteral("seed"), QString::number(report.options.seed)},
        {QStringLiteral("calibration_points"), static_cast<qint64>(report.calibrationPoints)},
        {QStringLiteral("evaluation_points"), static_cast<qint64>(report.evaluationPoints)},
        {QStringLiteral("bins"), report.options.bins},
        {QStringLiteral("aurc_estimator"), QLatin1String(kAurcEstimator)},
        {QStringLiteral("temperature_scaling"), temperatureJson(report.temperature)},
        {QStringLiteral("metrics"), scores},
        {QStringLiteral("notes"), notes},
    };
    const QJsonObject classification = classificationJson(c, context);
    for (auto entry = classification.begin(); entry != classification.end(); ++entry)
        json.insert(entry.key(), entry.value());
    return json;
}

QJsonObject classificationJson(const ClassificationSummary& c, const EvaluationContext& context)
{
    return QJsonObject{
        {QStringLiteral("accuracy"), c.accuracy},
        {QStringLiteral("macro_f1"), c.macroF1},
        {QStringLiteral("weighted_f1"), c.weightedF1},
        {QStringLiteral("kappa"), optionalNumber(c.kappa)},
        {QStringLiteral("balanced_accuracy"), c.balancedAccuracy},
        {QStringLiteral("per_class"), perClassJson(c, context)},
        {QStringLiteral("confusion_matrix"), confusionJson(c)},
    };
}

Result<QStringList> writeEvaluationFiles(const EvaluationReport& report, const EvaluationContext& context, const QString& dir)
{
    std::vector<std::pair<QString, QByteArray>> files{
        {QStringLiteral("metrics.json"), QJsonDocument(evaluationJson(report, context)).toJson(QJsonDocument::Indented)},
        {QStringLiteral("per_class.csv"), perClassCsv(report.classification, context)},
        {QStringLiteral("confusion_matrix.csv"), confusionCsv(report.classification, context)},
        {QStringLiteral("reliability_temperature.csv"), reliabilityCsv(report.temperature.before, report.temperature.after)},
    };
    for (const ScoreEvaluation& s : report.scores) {
        files.emplace_back(QStringLiteral("risk_coverage_%1.csv").arg(fileSafeScoreName(s.column.name)),
                           riskCoverageCsv(s.selective, s.column.higherIsMoreUncertain));
        files.emplace_back(QStringLiteral("reliability_%1.csv").arg(fileSafeScoreName(s.column.name)), reliabilityCsv(s.before, s.after));
    }
    return writeOutputFiles(dir, files);
}

Result<QStringList> writeOutputFiles(const QString& dir, const std::vector<std::pair<QString, QByteArray>>& files)
{
    const QDir out(dir);
    QStringList written;
    for (const auto& [name, bytes] : files) {
        if (const Status s = writeText(out.filePath(name), bytes); !s)
            return Result<QStringList>::failure(s.error());
        written << name;
    }
    return written;
}

} // namespace slt::core::eval
