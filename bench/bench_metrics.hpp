#pragma once
#include <QStringList>

namespace slt::bench {
// `slt-bench metrics [--points N] [--samples T] [--classes C] [--runs R]`: the standard metrics plugin
// (all seven metrics in one pass, through the host's MetricSet proxy, in host-sized chunks) over a
// synthetic f32 [T, N, C] array, against one streaming read of the same array.
int runMetrics(const QStringList& args);
} // namespace slt::bench
