// The seeded split of points into a calibration part (fit) and an evaluation part (apply): point i goes to
// calibration when a hash of (seed, i) mapped to [0, 1) is below `fraction`. Deterministic, independent of
// the order points are visited in, and the same on every machine.
#pragma once

#include <cstdint>
#include <vector>

namespace slt::core::eval {

struct DataSplit {
    std::vector<int64_t> calibration; // point indices, ascending
    std::vector<int64_t> evaluation;
};

DataSplit splitPoints(int64_t points, double fraction, uint64_t seed);

} // namespace slt::core::eval
