#include "slt/core/eval/temperature_scaling.hpp"

#include <algorithm>
#include <cmath>

namespace slt::core::eval {
namespace {

constexpr double kSmallestProbability = 1e-30;

double logit(float p) { return std::log(std::max(static_cast<double>(p), kSmallestProbability)); }

// ln sum_c exp(z_c / T) of one row of logits, shifted by its maximum for stability.
double logSumExp(const double* z, int32_t classes, double inverseT)
{
    double top = -INFINITY;
    for (int32_t c = 0; c < classes; ++c)
        top = std::max(top, z[c] * inverseT);
    double sum = 0;
    for (int32_t c = 0; c < classes; ++c)
        sum += std::exp(z[c] * inverseT - top);
    return top + std::log(sum);
}

// The logits of the fitting rows, computed once: the search evaluates the NLL some 35 times.
struct FitLogits {
    std::vector<double> z;    // [rows, classes]
    std::vector<double> zTrue; // [rows]
    int32_t classes = 0;

    FitLogits(const ProbabilityTable& table, const std::vector<int32_t>& truth, const std::vector<int64_t>& rows)
        : z(rows.size() * static_cast<size_t>(table.classes)), zTrue(rows.size()), classes(table.classes)
    {
        for (size_t i = 0; i < rows.size(); ++i) {
            const float* p = table.probs + rows[i] * table.classes;
            for (int32_t c = 0; c < classes; ++c)
                z[i * classes + c] = logit(p[c]);
            zTrue[i] = logit(p[truth[rows[i]]]);
        }
    }

    double nll(double temperature) const
    {
        const double inverseT = 1.0 / temperature;
        double sum = 0;
        for (size_t i = 0; i < zTrue.size(); ++i)
            sum += logSumExp(z.data() + i * classes, classes, inverseT) - zTrue[i] * inverseT;
        return sum / static_cast<double>(zTrue.size());
    }
};

QString tableProblem(const ProbabilityTable& table, const std::vector<int32_t>& truth, const std::vector<int64_t>& rows)
{
    if (!table.probs || table.points < 1 || table.classes < 1)
        return QStringLiteral("no probabilities to scale");
    if (rows.empty())
        return QStringLiteral("no points to fit the temperature on");
    if (static_cast<int64_t>(truth.size()) != table.points)
        return QStringLiteral("%1 true classes for %2 points").arg(truth.size()).arg(table.points);
    for (int64_t r : rows) {
        if (r < 0 || r >= table.points)
            return QStringLiteral("row %1 outside the table").arg(r);
        if (truth[r] < 0 || truth[r] >= table.classes)
            return QStringLiteral("point %1: true class outside [0, %2)").arg(r).arg(table.classes);
    }
    return {};
}

} // namespace

double temperatureNll(const ProbabilityTable& table, const std::vector<int32_t>& truth, const std::vector<int64_t>& rows,
                      double temperature)
{
    if (rows.empty())
        return 0.0;
    return FitLogits(table, truth, rows).nll(temperature);
}

Result<TemperatureFit> fitTemperature(const ProbabilityTable& table, const std::vector<int32_t>& truth,
                                      const std::vector<int64_t>& rows)
{
    if (const QString problem = tableProblem(table, truth, rows); !problem.isEmpty())
        return Result<TemperatureFit>::failure(problem);
    const FitLogits logits(table, truth, rows);
    auto nll = [&](double logT) { return logits.nll(std::exp(logT)); };
    // Golden-section search on ln T: the NLL is convex in 1/T, so unimodal in ln T.
    const double ratio = (std::sqrt(5.0) - 1.0) / 2.0;
    double low = std::log(kMinTemperature), high = std::log(kMaxTemperature);
    double a = high - ratio * (high - low), b = low + ratio * (high - low);
    double fa = nll(a), fb = nll(b);
    while (high - low > 1e-6) {
        if (fa <= fb) {
            high = b;
            b = a;
            fb = fa;
            a = high - ratio * (high - low);
            fa = nll(a);
        } else {
            low = a;
            a = b;
            fa = fb;
            b = low + ratio * (high - low);
            fb = nll(b);
        }
    }
    TemperatureFit fit;
    fit.temperature = std::exp((low + high) / 2.0);
    fit.nllBefore = logits.nll(1.0);
    fit.nllAfter = logits.nll(fit.temperature);
    fit.atBound = fit.temperature < kMinTemperature * 1.001 || fit.temperature > kMaxTemperature * 0.999;
    return fit;
}

double scaledProbability(const ProbabilityTable& table, int64_t row, int32_t column, double temperature)
{
    const float* p = table.probs + row * table.classes;
    std::vector<double> z(static_cast<size_t>(table.classes));
    for (int32_t c = 0; c < table.classes; ++c)
        z[c] = logit(p[c]);
    const double inverseT = 1.0 / temperature;
    return std::exp(z[column] * inverseT - logSumExp(z.data(), table.classes, inverseT));
}

} // namespace slt::core::eval
