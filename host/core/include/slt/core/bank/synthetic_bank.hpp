// Synthetic but realistic banks for tests, benchmarks and demos (issue: banks, item 5).
//
// The "model" (drawn from the seed): a Gaussian mixture in D dimensions with 1-3 clusters per class,
// unequal weights and spreads, class centres close enough that classes overlap. Per point: an embedding
// drawn from the mixture; a logit per class from the squared distance to the class's nearest cluster
// centre; T Monte-Carlo passes that add Gaussian noise to the logits and sharpen them (over-confident, as
// real networks are), so points near cluster borders disagree across passes; mean probabilities, the
// predicted class (argmax of the mean) and every metric of the standard metric plugin. Crops are small
// tissue-like RGB images coloured by class with noise and a few dark "nuclei". The truth (optional CSV
// point_id,true_class) is sampled from the tempered mean probabilities, so the model is right most of
// the time and wrong more often where it is uncertain.
//
// Deterministic: every random draw comes from a counter-based generator keyed by (seed, point index), so
// the same options give identical content (batch size does not matter) except the bank's uuid and
// creation time, which the backend generates. A shard (firstPoint > 0) holds exactly the points of the
// full stream from firstPoint on; shards of one seed form one run ("build/run_id").
#pragma once

#include "slt/core/bank/bank_backend.hpp"
#include "slt/core/bank/bank_progress.hpp"
#include "slt/core/bank/metric_plugins.hpp"
#include "slt/core/result.hpp"

namespace slt::core {

struct SyntheticBankOptions {
    int64_t points = 10000;
    int32_t dim = 64;
    int32_t classes = 9;
    uint64_t seed = 1;
    int32_t mcSamples = 20;
    int32_t cropSize = 32;    // 0: no crops
    int64_t firstPoint = 0;   // index of the first point in the seed's point stream (shards)
    int64_t pointsPerImage = 1000;
    int64_t batchRows = kBankBatchRows;
};

// A message for impossible options, or empty.
QString syntheticOptionsProblem(const SyntheticBankOptions& options);

// Writes the bank to `path` with `backend`, scores from `metrics`; with `truthCsvPath` non-empty also
// writes point_id,true_class (point ids are row numbers of this bank). An existing `path` is refused
// unless `replaceExisting`.
Status synthesizeBank(const SyntheticBankOptions& options, const BankBackend& backend, const MetricPlugin& metrics,
                      const QString& path, const QString& truthCsvPath = QString(),
                      const BankProgress& progress = {}, bool replaceExisting = false);

} // namespace slt::core
