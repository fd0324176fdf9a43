#include "histogram_bins.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace slt::report::detail {

int Binning::binOf(double value) const
{
    return std::clamp(static_cast<int>((value - min) / (max - min) * bins), 0, bins - 1);
}

Binning pooledBinning(const std::vector<const std::vector<double>*>& groups, int bins)
{
    double low = std::numeric_limits<double>::infinity();
    double high = -std::numeric_limits<double>::infinity();
    for (const std::vector<double>* values : groups)
        for (double value : *values)
            if (std::isfinite(value)) {
                low = std::min(low, value);
                high = std::max(high, value);
            }
    Binning binning;
    binning.bins = bins;
    if (low > high)
        return binning; // no finite value
    binning.min = low;
    binning.max = high;
    if (low == high) { // one distinct value: a range around it that is wide enough to be representable
        const double half = std::max(0.5, std::abs(low) * 0.05);
        binning.min -= half;
        binning.max += half;
    }
    return binning;
}

GroupHeights binHeights(const std::vector<double>& values, const Binning& binning, bool normalise)
{
    GroupHeights result;
    result.heights.assign(static_cast<size_t>(binning.bins), 0.0);
    for (double value : values)
        if (std::isfinite(value)) {
            result.heights[static_cast<size_t>(binning.binOf(value))] += 1;
            ++result.finiteCount;
        }
    if (normalise && result.finiteCount > 0)
        for (double& height : result.heights)
            height /= static_cast<double>(result.finiteCount) * binning.width();
    return result;
}

} // namespace slt::report::detail
