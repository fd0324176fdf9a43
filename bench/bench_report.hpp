// One benchmark figure per line, as JSON, so scripts and docs/performance.md can collect them.
#pragma once

#include <QJsonObject>
#include <QString>

#include <optional>
#include <vector>

namespace slt::bench {

struct Figure {
    QString bench;                  // sub-command, e.g. "plugins"
    QString metric;                 // what was measured, e.g. "discover_load_median"
    double value = 0;
    QString unit;                   // "ms", "points/s", "MiB", ...
    std::optional<double> baseline; // the same work done the plain way, in the same process
    QJsonObject extra;              // context: sizes, repetitions, ...
};

// Prints the figure as one compact JSON line on stdout; adds "ratio" = value / baseline.
void print(const Figure& figure);

// Median of the samples (sorted copy); 0 for none.
double median(std::vector<double> samples);

} // namespace slt::bench
