#include "slt/core/engine/clustering.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <unordered_map>

namespace slt::core {
namespace {

// The candidates' rows copied into one contiguous n × dim block, so every k-means pass streams it once.
struct PointBlock {
    std::vector<float> rows;
    int64_t count = 0;
    int32_t dim = 0;
    const float* row(int64_t i) const { return rows.data() + i * dim; }
};

PointBlock gather(const float* embeddings, int32_t dim, const std::vector<int64_t>& points)
{
    PointBlock block;
    block.count = static_cast<int64_t>(points.size());
    block.dim = dim;
    block.rows.resize(points.size() * static_cast<size_t>(dim));
    for (size_t i = 0; i < points.size(); ++i)
        std::copy_n(embeddings + points[i] * dim, dim, block.rows.data() + i * static_cast<size_t>(dim));
    return block;
}

// Four independent partial sums: the additions of one lane do not wait for the others.
double squaredDistance(const float* a, const float* b, int32_t dim)
{
    double lane[4] = {0, 0, 0, 0};
    int32_t d = 0;
    for (; d + 4 <= dim; d += 4)
        for (int l = 0; l < 4; ++l) {
            const double diff = static_cast<double>(a[d + l]) - static_cast<double>(b[d + l]);
            lane[l] += diff * diff;
        }
    for (; d < dim; ++d) {
        const double diff = static_cast<double>(a[d]) - static_cast<double>(b[d]);
        lane[0] += diff * diff;
    }
    return (lane[0] + lane[1]) + (lane[2] + lane[3]);
}

// A uniform double in [0, 1) from the raw generator (std distributions differ between standard libraries;
// this does not).
double unitDraw(std::mt19937_64& generator) { return static_cast<double>(generator() >> 11) * 0x1.0p-53; }

// k-means++ seeding: the first centre uniformly, each next one with probability proportional to the squared
// distance to the nearest centre so far.
std::vector<float> seedCentres(const PointBlock& block, int64_t k, std::mt19937_64& generator)
{
    std::vector<float> centres(static_cast<size_t>(k * block.dim));
    std::vector<double> nearest(static_cast<size_t>(block.count), std::numeric_limits<double>::infinity());
    int64_t pick = static_cast<int64_t>(generator() % static_cast<uint64_t>(block.count));
    for (int64_t c = 0; c < k; ++c) {
        std::copy_n(block.row(pick), block.dim, centres.data() + c * block.dim);
        double total = 0;
        for (int64_t i = 0; i < block.count; ++i) {
            nearest[i] = std::min(nearest[i], squaredDistance(block.row(i), centres.data() + c * block.dim, block.dim));
            total += nearest[i];
        }
        if (total <= 0) break; // every point coincides with a centre: the rest stay copies, k-means empties them
        double target = unitDraw(generator) * total;
        pick = block.count - 1;
        for (int64_t i = 0; i < block.count; ++i) {
            target -= nearest[i];
            if (target < 0) {
                pick = i;
                break;
            }
        }
    }
    return centres;
}

int64_t nearestCentre(const float* point, const std::vector<float>& centres, int64_t k, int32_t dim)
{
    int64_t best = 0;
    double bestDistance = std::numeric_limits<double>::infinity();
    for (int64_t c = 0; c < k; ++c) {
        const double distance = squaredDistance(point, centres.data() + c * dim, dim);
        if (distance < bestDistance) { // strict: ties go to the lower centre index, deterministically
            bestDistance = distance;
            best = c;
        }
    }
    return best;
}

// Moves each centre to the mean of its points; a centre without points keeps its place.
void updateCentres(const PointBlock& block, const std::vector<int64_t>& assignment, int64_t k, std::vector<float>& centres)
{
    std::vector<double> sums(static_cast<size_t>(k * block.dim), 0.0);
    std::vector<int64_t> counts(static_cast<size_t>(k), 0);
    for (int64_t i = 0; i < block.count; ++i) {
        const int64_t c = assignment[i];
        ++counts[c];
        for (int32_t d = 0; d < block.dim; ++d) sums[c * block.dim + d] += block.row(i)[d];
    }
    for (int64_t c = 0; c < k; ++c)
        if (counts[c] > 0)
            for (int32_t d = 0; d < block.dim; ++d)
                centres[c * block.dim + d] = static_cast<float>(sums[c * block.dim + d] / static_cast<double>(counts[c]));
}

std::vector<int64_t> kMeansAssignment(const PointBlock& block, int64_t k, const ClusteringOptions& options)
{
    std::mt19937_64 generator(options.seed);
    std::vector<float> centres = seedCentres(block, k, generator);
    std::vector<int64_t> assignment(static_cast<size_t>(block.count), -1);
    for (int32_t iteration = 0; iteration < std::max(1, options.maxIterations); ++iteration) {
        bool changed = false;
        for (int64_t i = 0; i < block.count; ++i) {
            const int64_t c = nearestCentre(block.row(i), centres, k, block.dim);
            changed |= c != assignment[i];
            assignment[i] = c;
        }
        if (!changed) break;
        updateCentres(block, assignment, k, centres);
    }
    return assignment;
}

} // namespace

std::vector<Cluster> splitByKCenter(const float* embeddings, int32_t dim, const Cluster& points, int32_t maxSize)
{
    const PointBlock block = gather(embeddings, dim, points);
    const int64_t groups = (block.count + maxSize - 1) / maxSize;
    std::vector<double> mean(static_cast<size_t>(dim), 0.0);
    for (int64_t i = 0; i < block.count; ++i)
        for (int32_t d = 0; d < dim; ++d) mean[d] += block.row(i)[d] / static_cast<double>(block.count);
    std::vector<float> meanRow(mean.begin(), mean.end());
    std::vector<int64_t> centres{nearestCentre(meanRow.data(), block.rows, block.count, dim)};
    std::vector<double> minDistance(static_cast<size_t>(block.count), std::numeric_limits<double>::infinity());
    while (static_cast<int64_t>(centres.size()) < groups) {
        int64_t farthest = 0;
        for (int64_t i = 0; i < block.count; ++i) {
            minDistance[i] = std::min(minDistance[i], squaredDistance(block.row(i), block.row(centres.back()), dim));
            if (minDistance[i] > minDistance[farthest]) farthest = i;
        }
        centres.push_back(farthest);
    }
    // Capacity-bounded assignment: all (point, centre) pairs by distance; a point takes the first pair
    // whose centre still has room. Total room groups·⌈n/groups⌉ ≥ n, so every point finds one.
    struct Pair {
        double distance;
        int64_t point, group;
    };
    std::vector<Pair> pairs;
    pairs.reserve(static_cast<size_t>(block.count * groups));
    for (int64_t i = 0; i < block.count; ++i)
        for (int64_t g = 0; g < groups; ++g)
            pairs.push_back({squaredDistance(block.row(i), block.row(centres[g]), dim), i, g});
    std::stable_sort(pairs.begin(), pairs.end(), [](const Pair& a, const Pair& b) { return a.distance < b.distance; });
    std::vector<int64_t> groupOf(static_cast<size_t>(block.count), -1);
    // ⌈n/groups⌉ ≤ maxSize per group: 7 points with M = 6 become 4 + 3, not 6 + 1.
    std::vector<int64_t> room(static_cast<size_t>(groups), (block.count + groups - 1) / groups);
    for (const Pair& pair : pairs)
        if (groupOf[pair.point] < 0 && room[pair.group] > 0) {
            groupOf[pair.point] = pair.group;
            --room[pair.group];
        }
    std::vector<Cluster> result(static_cast<size_t>(groups));
    for (int64_t i = 0; i < block.count; ++i) result[groupOf[i]].push_back(points[i]); // keeps sampler order
    return result;
}

std::vector<Cluster> clusterCandidates(const float* embeddings, int32_t dim, const std::vector<int64_t>& candidates,
                                       const ClusteringOptions& options)
{
    if (candidates.empty() || dim < 1) return {};
    const int32_t maxSize = std::max(1, options.maxClusterSize);
    const PointBlock block = gather(embeddings, dim, candidates);
    const int64_t k = (block.count + maxSize - 1) / maxSize;
    const std::vector<int64_t> assignment = kMeansAssignment(block, k, options);
    // Groups in the order of their best-ranked member: walking the candidates in sampler order meets them so.
    std::vector<int64_t> order(static_cast<size_t>(k), -1);
    std::vector<Cluster> groups;
    for (int64_t i = 0; i < block.count; ++i) {
        int64_t& slot = order[assignment[i]];
        if (slot < 0) {
            slot = static_cast<int64_t>(groups.size());
            groups.emplace_back();
        }
        groups[slot].push_back(candidates[i]);
    }
    std::vector<Cluster> clusters;
    for (Cluster& group : groups) {
        if (static_cast<int64_t>(group.size()) <= maxSize) {
            clusters.push_back(std::move(group));
            continue;
        }
        for (Cluster& part : splitByKCenter(embeddings, dim, group, maxSize)) clusters.push_back(std::move(part));
    }
    // Parts of a split group: order them too by their best-ranked member (each lists members in rank order).
    std::unordered_map<int64_t, int64_t> rank;
    for (size_t i = 0; i < candidates.size(); ++i) rank.emplace(candidates[i], static_cast<int64_t>(i));
    std::stable_sort(clusters.begin(), clusters.end(),
                     [&rank](const Cluster& a, const Cluster& b) { return rank.at(a.front()) < rank.at(b.front()); });
    return clusters;
}

} // namespace slt::core
