#pragma once
#include <QStringList>

namespace slt::bench {
// `slt-bench clusters`: candidate selection (uncertainty sampler) + clustering + session start on a synthetic
// bank of --points (default 1,000,000) × --dim 64 with --budget 3000; baseline: one streaming read of the
// embedding matrix.
int runClusters(const QStringList& args);
// `slt-bench next`: per-step latency of a pathologist's loop (agree with the model, then next cluster, greedy
// navigation) on the same bank: p50/p99 of the action (journal commit + attenuation) and of next().
int runNext(const QStringList& args);
} // namespace slt::bench
