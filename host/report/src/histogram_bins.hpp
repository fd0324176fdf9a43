// Common histogram bins over pooled values, and per-group heights (counts or densities).
#pragma once

#include <vector>

namespace slt::report::detail {

struct Binning {
    double min = 0;
    double max = 0; // min < max when there was a finite value
    int bins = 1;
    double width() const { return (max - min) / bins; }
    // The last bin is closed on the right, so the maximum falls into it.
    int binOf(double value) const;
};

struct GroupHeights {
    std::vector<double> heights; // per bin: count, or density (integrates to 1) when normalised
    long long finiteCount = 0;
};

// Bins over [smallest, largest] finite value of all groups (at least a unit-wide range around a single
// distinct value). Without any finite value the result has min == max, i.e. nothing to draw.
Binning pooledBinning(const std::vector<const std::vector<double>*>& groups, int bins);

// One pass over `values`; NaN and infinite values are skipped (and not counted).
GroupHeights binHeights(const std::vector<double>& values, const Binning& binning, bool normalise);

} // namespace slt::report::detail
