#include "nice_ticks.hpp"

#include <QLocale>

#include <algorithm>
#include <cmath>

namespace slt::report::detail {

double niceStep(double span, int targetCount)
{
    const double raw = span / std::max(1, targetCount);
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    const double fraction = raw / magnitude; // in [1, 10)
    // Pick the 1-2-5 step closest to the raw step on a log scale (thresholds are geometric means).
    double nice = 10;
    if (fraction < std::sqrt(2.0))
        nice = 1;
    else if (fraction < std::sqrt(10.0))
        nice = 2;
    else if (fraction < std::sqrt(50.0))
        nice = 5;
    return nice * magnitude;
}

Ticks niceTicks(double min, double max, int targetCount)
{
    Ticks ticks;
    ticks.step = niceStep(max - min, targetCount);
    // A tolerance of a millionth of a step keeps ticks that sit on the bounds up to rounding.
    const double tolerance = ticks.step * 1e-6;
    const double first = std::ceil((min - tolerance) / ticks.step);
    const double last = std::floor((max + tolerance) / ticks.step);
    // Guard against spans the step cannot resolve (e.g. 1e17 + [0, 1], where first + 1 == first): no ticks
    // rather than a wrong or endless loop.
    if (!std::isfinite(first) || !std::isfinite(last) || last - first > 1000 || first + 1 == first)
        return ticks;
    const int count = static_cast<int>(last - first) + 1;
    for (int i = 0; i < count; ++i) {
        const double value = (first + i) * ticks.step;
        ticks.values.push_back(std::abs(value) < tolerance ? 0.0 : value); // no "-0"
    }
    return ticks;
}

void expandToNiceBounds(double& min, double& max, int targetCount)
{
    const double step = niceStep(max - min, targetCount);
    const double tolerance = step * 1e-6;
    min = std::floor((min + tolerance) / step) * step;
    max = std::ceil((max - tolerance) / step) * step;
}

QString formatTick(double value, double step)
{
    const int decimals = std::clamp(static_cast<int>(-std::floor(std::log10(step) + 1e-9)), 0, 12);
    return QLocale::c().toString(value, 'f', decimals);
}

QString Ticks::label(size_t index) const
{
    return labels.empty() ? formatTick(values[index], step) : labels[index];
}

QString formatCount(double count)
{
    const QLocale c = QLocale::c();
    const auto compact = [&](double value, QChar suffix) {
        const int decimals = value < 10 && value != std::floor(value) ? 1 : 0;
        return c.toString(value, 'f', decimals) + suffix;
    };
    if (std::abs(count) >= 1e6)
        return compact(count / 1e6, QLatin1Char('M'));
    if (std::abs(count) >= 1e3)
        return compact(count / 1e3, QLatin1Char('k'));
    return c.toString(count, 'f', 0);
}

} // namespace slt::report::detail
