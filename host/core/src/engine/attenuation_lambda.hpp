// Automatic λ of the attenuation (SPEC S3, as the original): λ = 1/σ², σ = the median over points of the
// distance to the k-th nearest neighbour (excluding the point itself), k = ⌈log2 N⌉ (at least 1).
// For N above the sample size, σ is the median over a seeded sample of query points, each with its EXACT
// k-th neighbour among ALL N points (only the set of points the median runs over is sampled).
#pragma once

#include "engine/attenuation_cells.hpp"
#include "slt/core/result.hpp"

#include <cstdint>

namespace slt::core::attenuation_detail {

// ⌈log2 N⌉, at least 1 and at most N − 1 (for N >= 2).
int neighbourRank(int64_t numPoints);

// λ with an explicit k (the public path uses neighbourRank(N)); fails with a message when N < 2 or σ = 0.
Result<double> automaticLambda(const CellPartition& partition, int k, int64_t samplePoints, uint64_t seed);

} // namespace slt::core::attenuation_detail
