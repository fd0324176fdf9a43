// `bank verify`: re-reads every column (batch by batch, one column per call, so a failing read names its
// column) and every crop, recomputes the CRC32 checksums and compares them with the stored ones.
#pragma once

#include "slt/core/bank/bank_backend.hpp"
#include "slt/core/bank/bank_progress.hpp"
#include "slt/core/result.hpp"

#include <QStringList>

namespace slt::core {

struct VerifyReport {
    int64_t points = 0;
    QStringList checked;  // "embeddings: crc32 0a1b2c3d ok"
    QStringList problems; // "column 'embeddings' is corrupt: crc32 ... stored ..."; empty = verified
    bool hasChecksums = false;
    bool ok() const { return problems.isEmpty(); }
};

// Fails (Result error) only when the bank cannot be opened at all; read errors and mismatches are
// problems of the report.
Result<VerifyReport> verifyBank(const BankBackend& backend, const QString& path, const BankProgress& progress = {});

} // namespace slt::core
