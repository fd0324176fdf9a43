#pragma once
#include <QStringList>

namespace slt::bench {
// `slt-bench kcenter [--points N] [--dim D] [--centres K] [--threads T] [--seed S]`: time per centre of
// the k-center sampler plugin on synthetic clustered embeddings, against one streaming read of the
// same matrix (the sum of all floats) timed in the same run.
int runKCenter(const QStringList& args);
// `slt-bench typicality [--points N] [--dim D] [--budget K] [--seed S]`: total select time of the
// typicality sampler plugin on the same kind of synthetic embeddings.
int runTypicality(const QStringList& args);
} // namespace slt::bench
