// "Nice" axis ticks: steps of 1, 2 or 5 times a power of ten, and labels with just enough decimals.
#pragma once

#include <QString>

#include <vector>

namespace slt::report::detail {

struct Ticks {
    std::vector<double> values; // ascending, all inside [min, max] (up to rounding)
    double step = 0;
    std::vector<QString> labels; // empty: formatTick(value, step); else one label per value
    QString label(size_t index) const;
};

// The 1-2-5 step that gives about `targetCount` intervals over `span` (> 0).
double niceStep(double span, int targetCount);

// Ticks at multiples of a nice step inside [min, max]; min < max, both finite.
Ticks niceTicks(double min, double max, int targetCount);

// [min, max] widened outwards to the nearest multiples of a nice step, so the axis ends on ticks.
void expandToNiceBounds(double& min, double& max, int targetCount);

// A tick label with the decimals the step needs: formatTick(0.4, 0.2) is "0.4", formatTick(0.25, 0.05) "0.25".
QString formatTick(double value, double step);

// A count with a thousands suffix when large: 950, 1.5k, 20k, 3M.
QString formatCount(double count);

} // namespace slt::report::detail
