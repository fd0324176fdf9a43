// The ground truth of a bank's points: a CSV with the header "point_id,true_class" and one row per point
// (point_id = row number in the bank, true_class = a class id of the bank's schema). Every bank point needs
// exactly one row. Streams the file once; the errors name the file, the line and what is wrong.
#pragma once

#include "slt/core/result.hpp"

#include <QString>

#include <cstdint>
#include <vector>

namespace slt::core::eval {

// The true probability column of every point (classIds[column] == true_class), or a message for: an
// unreadable file, a wrong header, a malformed line, a point id outside [0, points), a repeated point id, a
// class id that is not in `classIds`, or points without a row (counted, the first few named).
Result<std::vector<int32_t>> readTruthCsv(const QString& path, int64_t points, const std::vector<int32_t>& classIds);

} // namespace slt::core::eval
