#include "engine/attenuation_lambda.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace slt::core::attenuation_detail {
namespace {

// The positions whose k-th neighbour distance enters the median: all, or a seeded sample of point ids drawn
// without replacement (chosen by point id, so the sample does not depend on the cell layout).
std::vector<int64_t> queryPositions(const CellPartition& partition, int64_t samplePoints, uint64_t seed)
{
    const int64_t n = partition.size();
    std::vector<int64_t> points(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) points[static_cast<size_t>(i)] = i;
    if (samplePoints < n) {
        std::mt19937_64 random(seed ^ 0x9e3779b97f4a7c15ULL);
        for (int64_t i = 0; i < samplePoints; ++i) { // partial Fisher–Yates
            std::uniform_int_distribution<int64_t> pick(i, n - 1);
            std::swap(points[static_cast<size_t>(i)], points[static_cast<size_t>(pick(random))]);
        }
        points.resize(static_cast<size_t>(samplePoints));
    }
    for (int64_t& p : points) p = partition.positionOf[static_cast<size_t>(p)];
    return points;
}

// numpy's median: the mean of the two middle values for an even count.
double median(std::vector<double> values)
{
    const size_t middle = values.size() / 2;
    std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(middle), values.end());
    if (values.size() % 2 == 1) return values[middle];
    const double upper = values[middle];
    const double lower = *std::max_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(middle));
    return (lower + upper) / 2;
}

// Each query's exact k-th neighbour costs up to one pass over all N points when the cells prune badly (as
// they do on overlapping clusters in 64 dimensions), so the number of queries is capped by a work budget of
// about 2·10^8 point distances (a few seconds on two cores), but never below 256 queries: the median of 256
// k-th-neighbour distances is within a few per cent of the full median, which is plenty for a heuristic λ.
constexpr int64_t kLambdaDistanceBudget = 200000000;
constexpr int64_t kMinimumLambdaQueries = 256;

int64_t affordableQueries(int64_t numPoints, int64_t samplePoints)
{
    const int64_t affordable = std::max(kMinimumLambdaQueries, kLambdaDistanceBudget / std::max<int64_t>(1, numPoints));
    return std::min(samplePoints, affordable);
}

} // namespace

int neighbourRank(int64_t numPoints)
{
    int k = 0;
    while ((int64_t{1} << k) < numPoints) ++k;
    return static_cast<int>(std::max<int64_t>(1, std::min<int64_t>(k, numPoints - 1)));
}

Result<double> automaticLambda(const CellPartition& partition, int k, int64_t samplePoints, uint64_t seed)
{
    if (partition.size() < 2)
        return Result<double>::failure("automatic lambda needs at least 2 points (set lambda explicitly)");
    if (samplePoints < 1)
        return Result<double>::failure("automatic lambda needs lambdaSamplePoints >= 1");
    k = std::max(1, static_cast<int>(std::min<int64_t>(k, partition.size() - 1)));
    const std::vector<int64_t> queries = queryPositions(partition, affordableQueries(partition.size(), samplePoints), seed);
    std::vector<double> distances(queries.size());
    parallelChunks(static_cast<int64_t>(queries.size()), [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i)
            distances[static_cast<size_t>(i)] = kthNeighbourDistance(partition, queries[static_cast<size_t>(i)], k);
    });
    const double sigma = median(std::move(distances));
    if (!(sigma > 0) || !std::isfinite(1.0 / (sigma * sigma)))
        return Result<double>::failure(
            QString("automatic lambda is undefined: the median distance to the %1-th nearest neighbour is %2 "
                    "(too many identical points); set lambda explicitly").arg(k).arg(sigma));
    return 1.0 / (sigma * sigma);
}

} // namespace slt::core::attenuation_detail
