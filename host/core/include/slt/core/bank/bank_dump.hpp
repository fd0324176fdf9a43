// `bank dump --csv`: one row per point: point_id, image (name), x, y, predicted_class, p0..p{C-1}, then one
// column per metric named by the metric. Floats with %.9g (round-trips every f32 exactly).
#pragma once

#include "slt/core/bank/bank_backend.hpp"
#include "slt/core/bank/bank_progress.hpp"
#include "slt/core/result.hpp"

namespace slt::core {

Status dumpBankCsv(const BankBackend& backend, const QString& bankPath, const QString& csvPath,
                   const BankProgress& progress = {});

} // namespace slt::core
