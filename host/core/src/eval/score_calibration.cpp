#include "slt/core/eval/score_calibration.hpp"

#include "slt/core/eval/isotonic.hpp"

#include <QJsonArray>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>

namespace slt::core::eval {
namespace {

constexpr int kPercentileKnots = 101;
const char* const kFormat = "slt.calibration/1";

QJsonArray toJsonArray(const std::vector<double>& values)
{
    QJsonArray array;
    for (double v : values)
        array.append(v);
    return array;
}

std::optional<std::vector<double>> fromJsonArray(const QJsonValue& value)
{
    if (!value.isArray())
        return std::nullopt;
    std::vector<double> out;
    for (const QJsonValue& v : value.toArray()) {
        if (!v.isDouble())
            return std::nullopt;
        out.push_back(v.toDouble());
    }
    return out;
}

QString mapProblem(const ScoreCalibration& c)
{
    if (c.stepStart.empty() || c.stepStart.size() != c.pError.size())
        return QStringLiteral("'step_start' and 'p_error' must be non-empty arrays of equal length");
    for (size_t i = 0; i < c.pError.size(); ++i) {
        if (!(c.pError[i] >= 0 && c.pError[i] <= 1))
            return QStringLiteral("'p_error' values must lie in [0, 1]");
        if (i > 0 && !(c.stepStart[i] > c.stepStart[i - 1] && c.pError[i] >= c.pError[i - 1]))
            return QStringLiteral("'step_start' must increase and 'p_error' must not decrease");
    }
    return {};
}

} // namespace

EcdfReference::EcdfReference(std::vector<double> orientedScores) : sorted_(std::move(orientedScores))
{
    std::sort(sorted_.begin(), sorted_.end());
}

double EcdfReference::percentile(double oriented) const
{
    if (sorted_.empty())
        return 0.5;
    const auto below = std::lower_bound(sorted_.begin(), sorted_.end(), oriented);
    const auto above = std::upper_bound(below, sorted_.end(), oriented);
    const double less = static_cast<double>(below - sorted_.begin()), equal = static_cast<double>(above - below);
    return (less + 0.5 * equal) / static_cast<double>(sorted_.size());
}

std::vector<double> EcdfReference::knots(int count) const
{
    std::vector<double> out;
    if (sorted_.empty() || count < 2)
        return out;
    const double last = static_cast<double>(sorted_.size() - 1);
    for (int k = 0; k < count; ++k)
        out.push_back(sorted_[static_cast<size_t>(std::llround(last * k / (count - 1)))]);
    return out;
}

double ScoreCalibration::probabilityOfError(double score) const
{
    if (pError.empty())
        return 0;
    const double u = orient(score);
    const auto after = std::upper_bound(stepStart.begin(), stepStart.end(), u); // first step starting above u
    const size_t step = after == stepStart.begin() ? 0 : static_cast<size_t>(after - stepStart.begin()) - 1;
    return pError[step];
}

Result<ScoreCalibration> fitScoreCalibration(const QString& metric, bool higherIsMoreUncertain,
                                             const std::vector<double>& scores, const std::vector<uint8_t>& wrong)
{
    if (scores.empty())
        return Result<ScoreCalibration>::failure(QStringLiteral("no points to fit the calibration of '%1' on").arg(metric));
    if (scores.size() != wrong.size())
        return Result<ScoreCalibration>::failure(QStringLiteral("%1 scores but %2 flags").arg(scores.size()).arg(wrong.size()));
    ScoreCalibration c;
    c.metric = metric;
    c.higherIsMoreUncertain = higherIsMoreUncertain;
    c.fitPoints = static_cast<int64_t>(scores.size());
    std::vector<double> oriented(scores.size());
    for (size_t i = 0; i < scores.size(); ++i) {
        if (std::isnan(scores[i]))
            return Result<ScoreCalibration>::failure(QStringLiteral("the score '%1' of point %2 is NaN").arg(metric).arg(i));
        oriented[i] = c.orient(scores[i]);
    }
    std::vector<size_t> order(scores.size());
    std::iota(order.begin(), order.end(), size_t{0});
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return oriented[a] < oriented[b]; });
    // One pooled point per distinct score (equal scores have equal percentiles), in percentile order.
    std::vector<double> groupStart, groupRate, groupWeight;
    int64_t errors = 0;
    for (size_t i = 0; i < order.size();) {
        size_t end = i;
        double groupErrors = 0;
        while (end < order.size() && oriented[order[end]] == oriented[order[i]])
            groupErrors += wrong[order[end++]] ? 1.0 : 0.0;
        groupStart.push_back(oriented[order[i]]);
        groupRate.push_back(groupErrors / static_cast<double>(end - i));
        groupWeight.push_back(static_cast<double>(end - i));
        errors += static_cast<int64_t>(groupErrors);
        i = end;
    }
    for (const IsotonicBlock& block : isotonicBlocks(groupRate, groupWeight)) {
        c.stepStart.push_back(groupStart[block.first]);
        c.pError.push_back(std::clamp(block.value, 0.0, 1.0));
    }
    c.fitErrorRate = static_cast<double>(errors) / static_cast<double>(scores.size());
    const EcdfReference reference(std::move(oriented));
    for (double u : reference.knots(kPercentileKnots))
        c.percentileKnots.push_back(c.orient(u)); // orient() is its own inverse
    return c;
}

QJsonObject calibrationToJson(const ScoreCalibration& c)
{
    return QJsonObject{
        {QStringLiteral("format"), QLatin1String(kFormat)},
        {QStringLiteral("method"), QStringLiteral("ecdf-isotonic")},
        {QStringLiteral("metric"), c.metric},
        {QStringLiteral("higher_is_more_uncertain"), c.higherIsMoreUncertain},
        {QStringLiteral("fit_points"), static_cast<qint64>(c.fitPoints)},
        {QStringLiteral("fit_error_rate"), c.fitErrorRate},
        {QStringLiteral("step_start"), toJsonArray(c.stepStart)},
        {QStringLiteral("p_error"), toJsonArray(c.pError)},
        {QStringLiteral("percentile_scores"), toJsonArray(c.percentileKnots)},
    };
}

Result<ScoreCalibration> calibrationFromJson(const QJsonObject& o)
{
    using R = Result<ScoreCalibration>;
    if (o.value(QStringLiteral("format")).toString() != QLatin1String(kFormat))
        return R::failure(QStringLiteral("not a calibration map: 'format' is not \"%1\"").arg(QLatin1String(kFormat)));
    ScoreCalibration c;
    c.metric = o.value(QStringLiteral("metric")).toString();
    c.higherIsMoreUncertain = o.value(QStringLiteral("higher_is_more_uncertain")).toBool(true);
    c.fitPoints = o.value(QStringLiteral("fit_points")).toInteger();
    c.fitErrorRate = o.value(QStringLiteral("fit_error_rate")).toDouble();
    const auto starts = fromJsonArray(o.value(QStringLiteral("step_start")));
    const auto values = fromJsonArray(o.value(QStringLiteral("p_error")));
    const auto knots = fromJsonArray(o.value(QStringLiteral("percentile_scores")));
    if (!starts || !values || !knots)
        return R::failure(QStringLiteral("calibration map of '%1': 'step_start', 'p_error' and 'percentile_scores' must be arrays of numbers").arg(c.metric));
    c.stepStart = *starts;
    c.pError = *values;
    c.percentileKnots = *knots;
    if (const QString problem = mapProblem(c); !problem.isEmpty())
        return R::failure(QStringLiteral("calibration map of '%1': %2").arg(c.metric, problem));
    return c;
}

} // namespace slt::core::eval
