#include "engine/attenuation_cells.hpp"

#include "engine/attenuation_distance.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <queue>
#include <random>
#include <thread>

namespace slt::core::attenuation_detail {
namespace {

constexpr int kMaxChildren = 32;      // k of each k-means split
constexpr int kLloydIterations = 10;
constexpr int64_t kSamplePerCentre = 48; // k-means runs on a sample; the assignment covers every point
constexpr int64_t kParallelMinimum = 4096;

int32_t nearestCentre(const float* row, const std::vector<float>& centres, int k, int32_t dim)
{
    int32_t best = 0;
    float bestDistance = std::numeric_limits<float>::infinity();
    for (int c = 0; c < k; ++c) {
        const float distance = squaredDistance(row, centres.data() + static_cast<int64_t>(c) * dim, dim);
        if (distance < bestDistance) {
            bestDistance = distance;
            best = c;
        }
    }
    return best;
}

// Lloyd's k-means on a seeded sample of `indices`, then every index assigned to its nearest centre.
std::vector<int32_t> kmeansSplit(const float* embeddings, const int64_t* indices, int64_t count, int32_t dim, int k,
                                 std::mt19937_64& random)
{
    const int64_t sampleSize = std::min<int64_t>(count, kSamplePerCentre * k);
    std::vector<int64_t> sample(static_cast<size_t>(sampleSize));
    std::uniform_int_distribution<int64_t> pick(0, count - 1);
    for (int64_t& s : sample) s = indices[pick(random)];
    std::vector<float> centres(static_cast<size_t>(k) * dim);
    for (int c = 0; c < k; ++c)
        std::copy_n(embeddings + sample[static_cast<size_t>(c) % sample.size()] * dim, dim, centres.begin() + c * dim);

    std::vector<double> sums(centres.size());
    std::vector<int64_t> counts(static_cast<size_t>(k));
    for (int iteration = 0; iteration < kLloydIterations; ++iteration) {
        std::fill(sums.begin(), sums.end(), 0.0);
        std::fill(counts.begin(), counts.end(), 0);
        for (int64_t s : sample) {
            const float* row = embeddings + s * dim;
            const int32_t c = nearestCentre(row, centres, k, dim);
            ++counts[static_cast<size_t>(c)];
            for (int32_t j = 0; j < dim; ++j) sums[static_cast<size_t>(c) * dim + j] += row[j];
        }
        for (int c = 0; c < k; ++c) // an empty centre keeps its place
            if (counts[static_cast<size_t>(c)] > 0)
                for (int32_t j = 0; j < dim; ++j)
                    centres[static_cast<size_t>(c) * dim + j] =
                        static_cast<float>(sums[static_cast<size_t>(c) * dim + j] / counts[static_cast<size_t>(c)]);
    }
    std::vector<int32_t> group(static_cast<size_t>(count));
    parallelChunks(count, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i)
            group[static_cast<size_t>(i)] = nearestCentre(embeddings + indices[i] * dim, centres, k, dim);
    });
    return group;
}

struct Range {
    int64_t begin;
    int64_t end;
};

// Splits `range` of `order` by k-means, reordering it group by group; returns the non-empty child ranges
// (a single child means the points could not be separated, e.g. all identical).
std::vector<Range> splitRange(const float* embeddings, std::vector<int64_t>& order, Range range, int32_t dim, int k,
                              std::mt19937_64& random)
{
    const int64_t count = range.end - range.begin;
    const std::vector<int32_t> group = kmeansSplit(embeddings, order.data() + range.begin, count, dim, k, random);
    std::vector<int64_t> start(static_cast<size_t>(k) + 1, 0);
    for (int32_t g : group) ++start[static_cast<size_t>(g) + 1];
    for (int c = 0; c < k; ++c) start[static_cast<size_t>(c) + 1] += start[static_cast<size_t>(c)];
    std::vector<int64_t> reordered(static_cast<size_t>(count));
    std::vector<int64_t> next(start.begin(), start.end() - 1);
    for (int64_t i = 0; i < count; ++i)
        reordered[static_cast<size_t>(next[static_cast<size_t>(group[static_cast<size_t>(i)])]++)] = order[static_cast<size_t>(range.begin + i)];
    std::copy(reordered.begin(), reordered.end(), order.begin() + range.begin);
    std::vector<Range> children;
    for (int c = 0; c < k; ++c)
        if (start[static_cast<size_t>(c) + 1] > start[static_cast<size_t>(c)])
            children.push_back({range.begin + start[static_cast<size_t>(c)], range.begin + start[static_cast<size_t>(c) + 1]});
    return children;
}

std::vector<Range> leafRanges(const float* embeddings, std::vector<int64_t>& order, int32_t dim, int64_t leafSize,
                              uint64_t seed)
{
    std::mt19937_64 random(seed);
    std::vector<Range> pending{{0, static_cast<int64_t>(order.size())}}, leaves;
    while (!pending.empty()) {
        const Range range = pending.back();
        pending.pop_back();
        const int64_t count = range.end - range.begin;
        const int k = static_cast<int>(std::min<int64_t>(kMaxChildren, (count + leafSize - 1) / leafSize));
        std::vector<Range> children = k >= 2 ? splitRange(embeddings, order, range, dim, k, random) : std::vector<Range>{};
        if (children.size() < 2)
            leaves.push_back(range);
        else
            pending.insert(pending.end(), children.rbegin(), children.rend());
    }
    std::sort(leaves.begin(), leaves.end(), [](Range a, Range b) { return a.begin < b.begin; });
    return leaves;
}

// Mean of the members as centre, the farthest member as radius. The margin covers the f32 rounding of the
// distances the bounds are compared with (relative error of a few 1e-7 per coordinate in the sums).
void describeCell(CellPartition& partition, int64_t index)
{
    Cell& cell = partition.cells[static_cast<size_t>(index)];
    const int32_t dim = partition.dim;
    std::vector<double> sum(static_cast<size_t>(dim), 0.0);
    for (int64_t p = cell.begin; p < cell.end; ++p)
        for (int32_t j = 0; j < dim; ++j) sum[static_cast<size_t>(j)] += partition.row(p)[j];
    float* centre = partition.centres.data() + index * dim;
    double centreNorm = 0;
    for (int32_t j = 0; j < dim; ++j) {
        centre[j] = static_cast<float>(sum[static_cast<size_t>(j)] / static_cast<double>(cell.end - cell.begin));
        centreNorm += static_cast<double>(centre[j]) * centre[j];
    }
    double radius = 0;
    for (int64_t p = cell.begin; p < cell.end; ++p)
        radius = std::max(radius, std::sqrt(static_cast<double>(squaredDistance(partition.row(p), centre, dim))));
    cell.radius = static_cast<float>(radius + 1e-4 * (radius + std::sqrt(centreNorm)) + 1e-30);
}

} // namespace

void parallelChunks(int64_t count, const std::function<void(int64_t, int64_t)>& work)
{
    if (count < kParallelMinimum) {
        work(0, count);
        return;
    }
    const int64_t half = count / 2;
    std::thread second([&] { work(half, count); });
    work(0, half);
    second.join();
}

float CellPartition::lowerBound(const float* q, int64_t cell) const
{
    const float distance = std::sqrt(squaredDistance(q, centre(cell), dim));
    return std::max(0.0f, distance - cells[static_cast<size_t>(cell)].radius);
}

CellPartition buildCellPartition(const float* embeddings, int64_t numPoints, int32_t dim, int64_t leafSize,
                                 uint64_t seed)
{
    CellPartition partition;
    partition.dim = dim;
    partition.pointAt.resize(static_cast<size_t>(numPoints));
    for (int64_t i = 0; i < numPoints; ++i) partition.pointAt[static_cast<size_t>(i)] = i;
    const std::vector<Range> leaves = leafRanges(embeddings, partition.pointAt, dim, std::max<int64_t>(1, leafSize), seed);

    partition.positionOf.resize(static_cast<size_t>(numPoints));
    partition.rows.resize(static_cast<size_t>(numPoints) * dim);
    for (int64_t p = 0; p < numPoints; ++p) {
        const int64_t point = partition.pointAt[static_cast<size_t>(p)];
        partition.positionOf[static_cast<size_t>(point)] = p;
        std::copy_n(embeddings + point * dim, dim, partition.rows.begin() + p * dim);
    }
    partition.cellAt.resize(static_cast<size_t>(numPoints));
    partition.centres.resize(leaves.size() * static_cast<size_t>(dim));
    for (size_t c = 0; c < leaves.size(); ++c) {
        partition.cells.push_back({leaves[c].begin, leaves[c].end, 0.0f});
        std::fill(partition.cellAt.begin() + leaves[c].begin, partition.cellAt.begin() + leaves[c].end, static_cast<int32_t>(c));
        describeCell(partition, static_cast<int64_t>(c));
    }
    return partition;
}

double kthNeighbourDistance(const CellPartition& partition, int64_t position, int k)
{
    const float* q = partition.row(position);
    std::vector<std::pair<float, int64_t>> order;
    order.reserve(partition.cells.size());
    for (int64_t c = 0; c < static_cast<int64_t>(partition.cells.size()); ++c)
        order.emplace_back(partition.lowerBound(q, c), c);
    std::sort(order.begin(), order.end());
    std::priority_queue<float> nearest; // the k smallest squared distances so far, largest on top
    for (const auto& [bound, c] : order) {
        if (static_cast<int>(nearest.size()) == k && bound * bound > nearest.top()) break;
        const Cell& cell = partition.cells[static_cast<size_t>(c)];
        for (int64_t p = cell.begin; p < cell.end; ++p) {
            if (p == position) continue;
            const float distance = squaredDistance(q, partition.row(p), partition.dim);
            if (static_cast<int>(nearest.size()) < k) {
                nearest.push(distance);
            } else if (distance < nearest.top()) {
                nearest.pop();
                nearest.push(distance);
            }
        }
    }
    return std::sqrt(static_cast<double>(nearest.top()));
}

} // namespace slt::core::attenuation_detail
