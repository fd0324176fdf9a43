// Streaming copies between banks: convert (any readable backend to a writable one) and merge (shards of
// one run into one bank). Both read and write in batches, never the whole bank at once.
#pragma once

#include "slt/core/bank/bank_backend.hpp"
#include "slt/core/bank/bank_progress.hpp"
#include "slt/core/result.hpp"

#include <QStringList>

namespace slt::core {

class BankWriter;

// The attribute naming the build run of a shard; shards with different values are not merged.
inline constexpr const char* kRunIdAttribute = "build/run_id";

// Copies `input` (read with `from`) to `output` (written with `to`), keeping uuid and creation time (the
// content is the same bank) and the run id attribute. An existing `output` is refused unless
// `replaceExisting`; it is then replaced only once the new bank is complete.
Status convertBank(const BankBackend& from, const QString& input, const BankBackend& to, const QString& output,
                   const BankProgress& progress = {}, bool replaceExisting = false);

struct MergeInput {
    BankBackend backend;
    QString path;
};

// Concatenates the shards in order (points and images; image indices re-based). The shards must come
// from one run: same model id, checkpoint hash, MC samples, metric names, class schema, embedding dim,
// crop size and run id (when present). Otherwise fails naming the first difference and the two files.
// The output gets a new uuid. An existing `output` is refused unless `replaceExisting`.
Status mergeBanks(const std::vector<MergeInput>& inputs, const BankBackend& to, const QString& output,
                  const BankProgress& progress = {}, bool replaceExisting = false);

// Appends every image and point of `input` (read with `from`) to `writer`, image indices shifted by the
// images the writer already holds; attributes are not copied. A resumed bank build starts its new file so.
Status appendBank(const BankBackend& from, const QString& input, BankWriter& writer, const BankProgress& progress = {});

} // namespace slt::core
