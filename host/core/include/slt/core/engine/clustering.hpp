// Clusters of at most M crops over the candidates a sampler chose (SPEC S2, issue 4 item 3): k-means in
// embedding space with k = ⌈n/M⌉, then every cluster larger than M is split by k-center greedy inside it.
// Deterministic given the seed: the same candidates, embeddings and options give the same clusters.
#pragma once

#include <cstdint>
#include <vector>

namespace slt::core {

struct ClusteringOptions {
    int32_t maxClusterSize = 6; // M
    uint64_t seed = 0;
    int32_t maxIterations = 25; // Lloyd iterations; stops earlier once no assignment changes
};

// A cluster is a list of point ids (rows of the bank), in the order the sampler ranked them.
using Cluster = std::vector<int64_t>;

// `embeddings`: the bank's N × dim row-major matrix; `candidates`: distinct row ids in sampler order.
// Returns non-empty clusters of at most maxClusterSize points covering every candidate exactly once,
// ordered by their best-ranked candidate (cluster 0 holds the sampler's first pick).
std::vector<Cluster> clusterCandidates(const float* embeddings, int32_t dim, const std::vector<int64_t>& candidates,
                                       const ClusteringOptions& options);

// Splits `points` (more than maxSize) into ⌈n/maxSize⌉ groups of at most maxSize: centres by farthest-first
// traversal from the point nearest the mean, then each point joins its nearest centre that still has room
// (⌈n/groups⌉ each, so the parts differ in size by at most one), points closest to a centre first.
std::vector<Cluster> splitByKCenter(const float* embeddings, int32_t dim, const Cluster& points, int32_t maxSize);

} // namespace slt::core
