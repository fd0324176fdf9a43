#include "slt/core/eval/evaluation.hpp"

#include "slt/core/eval/data_split.hpp"

namespace slt::core::eval {
namespace {

QString inputProblem(const EvaluationInput& in, const EvaluationOptions& options)
{
    if (in.points < 1)
        return QStringLiteral("no points to evaluate");
    if (in.classes < 1 || !in.truth || !in.predicted || !in.probabilities.probs ||
        in.probabilities.points != in.points || in.probabilities.classes != in.classes)
        return QStringLiteral("inconsistent evaluation input (classes, truth, predictions or probabilities)");
    if (!(options.calibrationFraction > 0 && options.calibrationFraction < 1))
        return QStringLiteral("the calibration split must lie strictly between 0 and 1 (got %1)").arg(options.calibrationFraction);
    if (options.bins < 1)
        return QStringLiteral("the number of bins must be at least 1 (got %1)").arg(options.bins);
    for (const ScoreColumn& s : in.scores)
        if (!s.values || s.stride < 1)
            return QStringLiteral("score '%1' has no values").arg(s.name);
    return {};
}

template <class T, class F>
std::vector<T> gather(const std::vector<int64_t>& rows, F value)
{
    std::vector<T> out;
    out.reserve(rows.size());
    for (int64_t r : rows)
        out.push_back(value(r));
    return out;
}

// Everything a score's measures share: the per-point outcome and the split.
struct Shared {
    const EvaluationInput& in;
    const EvaluationOptions& options;
    std::vector<uint8_t> wrong;
    DataSplit split;
};

Result<TemperatureEvaluation> evaluateTemperature(const Shared& s, const std::vector<int32_t>& truth)
{
    auto fit = fitTemperature(s.in.probabilities, truth, s.split.calibration);
    if (!fit)
        return Result<TemperatureEvaluation>::failure(fit.error());
    TemperatureEvaluation t;
    t.fit = *fit;
    const auto correct = gather<uint8_t>(s.split.evaluation, [&](int64_t r) { return uint8_t(!s.wrong[r]); });
    auto confidence = [&](double temperature) {
        return gather<double>(s.split.evaluation, [&](int64_t r) {
            return scaledProbability(s.in.probabilities, r, s.in.predicted[r], temperature);
        });
    };
    auto before = reliability(confidence(1.0), correct, s.options.bins);
    auto after = reliability(confidence(t.fit.temperature), correct, s.options.bins);
    if (!before || !after)
        return Result<TemperatureEvaluation>::failure(before ? after.error() : before.error());
    t.before = *before;
    t.after = *after;
    t.nllEvaluationBefore = temperatureNll(s.in.probabilities, truth, s.split.evaluation, 1.0);
    t.nllEvaluationAfter = temperatureNll(s.in.probabilities, truth, s.split.evaluation, t.fit.temperature);
    return t;
}

// ece_before / ece_after of one score on the evaluation split, the map fitted on the calibration split.
Status calibrateScore(const Shared& s, const std::vector<double>& values, ScoreEvaluation& e)
{
    const ScoreColumn& column = e.column;
    auto fit = fitScoreCalibration(column.name, column.higherIsMoreUncertain,
                                   gather<double>(s.split.calibration, [&](int64_t r) { return values[r]; }),
                                   gather<uint8_t>(s.split.calibration, [&](int64_t r) { return s.wrong[r]; }));
    if (!fit)
        return Status::failure(fit.error());
    e.calibration = std::move(*fit);
    const EcdfReference reference(gather<double>(s.split.calibration, [&](int64_t r) { return e.calibration.orient(values[r]); }));
    const auto correct = gather<uint8_t>(s.split.evaluation, [&](int64_t r) { return uint8_t(!s.wrong[r]); });
    const auto before = gather<double>(s.split.evaluation, [&](int64_t r) {
        return column.confidenceBefore == ConfidenceBefore::OneMinusScore
                   ? 1.0 - values[r]
                   : 1.0 - reference.percentile(e.calibration.orient(values[r]));
    });
    const auto after = gather<double>(s.split.evaluation, [&](int64_t r) { return 1.0 - e.calibration.probabilityOfError(values[r]); });
    auto b = reliability(before, correct, s.options.bins);
    auto a = reliability(after, correct, s.options.bins);
    if (!b || !a)
        return Status::failure(b ? a.error() : b.error());
    e.before = *b;
    e.after = *a;
    return {};
}

Result<ScoreEvaluation> evaluateScore(const Shared& s, const ScoreColumn& column)
{
    using R = Result<ScoreEvaluation>;
    ScoreEvaluation e;
    e.column = column;
    std::vector<double> values(static_cast<size_t>(s.in.points));
    for (int64_t i = 0; i < s.in.points; ++i)
        values[i] = column.values[i * column.stride];
    std::vector<double> oriented(values.size());
    for (size_t i = 0; i < values.size(); ++i)
        oriented[i] = column.higherIsMoreUncertain ? values[i] : -values[i];
    auto ranked = rankOutcomes(oriented, s.wrong);
    if (!ranked)
        return R::failure(QStringLiteral("score '%1': %2").arg(column.name, ranked.error()));
    if (auto auroc = errorDetectionAuroc(*ranked))
        e.auroc = *auroc;
    else
        e.notes << auroc.error();
    e.selective = selectiveRisk(*ranked, s.options.maxCurvePoints);
    if (const Status calibrated = calibrateScore(s, values, e); !calibrated)
        return R::failure(QStringLiteral("score '%1': %2").arg(column.name, calibrated.error()));
    return e;
}

} // namespace

Result<EvaluationReport> evaluate(const EvaluationInput& in, const EvaluationOptions& options)
{
    using R = Result<EvaluationReport>;
    if (const QString problem = inputProblem(in, options); !problem.isEmpty())
        return R::failure(problem);
    const std::vector<int32_t> truth(in.truth, in.truth + in.points), predicted(in.predicted, in.predicted + in.points);
    EvaluationReport report;
    report.options = options;
    auto classification = summariseClassification(truth, predicted, in.classes);
    if (!classification)
        return R::failure(classification.error());
    report.classification = std::move(*classification);

    Shared shared{in, options, std::vector<uint8_t>(truth.size()), splitPoints(in.points, options.calibrationFraction, options.seed)};
    for (size_t i = 0; i < truth.size(); ++i)
        shared.wrong[i] = truth[i] != predicted[i] ? 1 : 0;
    report.calibrationPoints = static_cast<int64_t>(shared.split.calibration.size());
    report.evaluationPoints = static_cast<int64_t>(shared.split.evaluation.size());
    if (report.calibrationPoints == 0 || report.evaluationPoints == 0)
        return R::failure(QStringLiteral("the calibration split %1 of %2 points leaves the %3 side empty; use more points or a split nearer 0.5")
                              .arg(options.calibrationFraction)
                              .arg(in.points)
                              .arg(report.calibrationPoints == 0 ? QStringLiteral("calibration") : QStringLiteral("evaluation")));
    auto temperature = evaluateTemperature(shared, truth);
    if (!temperature)
        return R::failure(temperature.error());
    report.temperature = *temperature;
    for (const ScoreColumn& column : in.scores) {
        auto score = evaluateScore(shared, column);
        if (!score)
            return R::failure(score.error());
        report.scores.push_back(std::move(*score));
    }
    return report;
}

} // namespace slt::core::eval
