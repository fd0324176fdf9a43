#pragma once
#include <QStringList>

namespace slt::bench {
// `slt-bench attenuation [--points N] [--dim D] [--bank FILE] [--labels L] [--unlabels U] [--seed S]`: create() time, per-label
// update p50/p99 with labels chosen in uncertainty order (the highest attenuated value next, as a user would),
// unlabel p50/p99, the largest error against an exact double computation on a sample of points, and one
// streaming read of the embedding matrix in the same run as baseline. --bank: the bank's embeddings and first
// score column (as prior) instead of the synthetic clusters.
int runAttenuation(const QStringList& args);
} // namespace slt::bench
