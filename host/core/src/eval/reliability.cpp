#include "slt/core/eval/reliability.hpp"

#include <algorithm>
#include <cmath>

namespace slt::core::eval {

Result<Reliability> reliability(const std::vector<double>& confidence, const std::vector<uint8_t>& correct, int bins)
{
    if (confidence.empty())
        return Result<Reliability>::failure(QStringLiteral("no points for the calibration error"));
    if (confidence.size() != correct.size())
        return Result<Reliability>::failure(
            QStringLiteral("%1 confidences but %2 correctness flags").arg(confidence.size()).arg(correct.size()));
    if (bins < 1)
        return Result<Reliability>::failure(QStringLiteral("the number of bins must be at least 1 (got %1)").arg(bins));
    std::vector<double> confidenceSum(static_cast<size_t>(bins), 0.0), correctSum(static_cast<size_t>(bins), 0.0);
    Reliability result;
    result.bins.resize(static_cast<size_t>(bins));
    for (size_t i = 0; i < confidence.size(); ++i) {
        if (std::isnan(confidence[i]))
            return Result<Reliability>::failure(QStringLiteral("the confidence of point %1 is NaN").arg(i));
        const double c = std::clamp(confidence[i], 0.0, 1.0);
        const int b = std::min(bins - 1, static_cast<int>(c * bins));
        confidenceSum[b] += c;
        correctSum[b] += correct[i] ? 1.0 : 0.0;
        ++result.bins[b].count;
    }
    const double n = static_cast<double>(confidence.size());
    for (int b = 0; b < bins; ++b) {
        ConfidenceBin& bin = result.bins[b];
        bin.lower = static_cast<double>(b) / bins;
        bin.upper = static_cast<double>(b + 1) / bins;
        if (bin.count == 0)
            continue;
        bin.meanConfidence = confidenceSum[b] / static_cast<double>(bin.count);
        bin.accuracy = correctSum[b] / static_cast<double>(bin.count);
        const double gap = std::abs(bin.accuracy - bin.meanConfidence);
        result.ece += static_cast<double>(bin.count) / n * gap;
        result.mce = std::max(result.mce, gap);
    }
    return result;
}

} // namespace slt::core::eval
