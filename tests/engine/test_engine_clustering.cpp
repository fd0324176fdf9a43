// Clusters of at most M crops: every candidate exactly once, the size bound, determinism given the seed,
// and the order (cluster 0 holds the sampler's first pick).
#include <slt/core/engine/clustering.hpp>
#include <slt/core/engine/navigation.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <set>

using namespace slt::core;

namespace {

std::vector<float> gaussianBlobs(int64_t points, int32_t dim, uint64_t seed)
{
    std::mt19937_64 generator(seed);
    std::normal_distribution<float> noise(0.0f, 1.0f);
    std::vector<float> data(static_cast<size_t>(points * dim));
    for (int64_t i = 0; i < points; ++i)
        for (int32_t d = 0; d < dim; ++d) data[i * dim + d] = static_cast<float>(i % 7) * 3.0f + noise(generator);
    return data;
}

std::vector<int64_t> everyThird(int64_t points)
{
    std::vector<int64_t> ids;
    for (int64_t i = points - 1; i >= 0; i -= 3) ids.push_back(i); // not in row order on purpose
    return ids;
}

} // namespace

TEST_CASE("clusters cover every candidate once, hold at most M crops and follow the sampler's order")
{
    const int32_t dim = 8;
    const auto data = gaussianBlobs(900, dim, 5);
    const auto candidates = everyThird(900);
    for (int32_t m : {1, 4, 6, 50}) {
        ClusteringOptions options;
        options.maxClusterSize = m;
        options.seed = 11;
        const auto clusters = clusterCandidates(data.data(), dim, candidates, options);
        std::multiset<int64_t> seen;
        for (const Cluster& cluster : clusters) {
            REQUIRE(!cluster.empty());
            REQUIRE(static_cast<int32_t>(cluster.size()) <= m);
            seen.insert(cluster.begin(), cluster.end());
        }
        REQUIRE(seen == std::multiset<int64_t>(candidates.begin(), candidates.end()));
        REQUIRE(static_cast<int64_t>(clusters.size()) >= (static_cast<int64_t>(candidates.size()) + m - 1) / m);
        REQUIRE(clusters.front().front() == candidates.front());
    }
}

TEST_CASE("clustering is deterministic given the seed")
{
    const int32_t dim = 8;
    const auto data = gaussianBlobs(600, dim, 9);
    const auto candidates = everyThird(600);
    ClusteringOptions options;
    options.seed = 3;
    const auto first = clusterCandidates(data.data(), dim, candidates, options);
    REQUIRE(clusterCandidates(data.data(), dim, candidates, options) == first);
    options.seed = 4;
    const auto other = clusterCandidates(data.data(), dim, candidates, options);
    std::multiset<int64_t> all;
    for (const Cluster& c : other) all.insert(c.begin(), c.end());
    REQUIRE(all.size() == candidates.size());
}

TEST_CASE("a split cluster becomes parts that differ in size by at most one")
{
    const int32_t dim = 2;
    std::vector<float> data;
    for (int i = 0; i < 7; ++i) data.insert(data.end(), {static_cast<float>(i), 0.0f});
    const auto parts = splitByKCenter(data.data(), dim, Cluster{0, 1, 2, 3, 4, 5, 6}, 6);
    REQUIRE(parts.size() == 2);
    REQUIRE(std::abs(static_cast<long>(parts[0].size()) - static_cast<long>(parts[1].size())) <= 1);
}

TEST_CASE("greedy scores are sums of population z-scores; a constant term adds nothing")
{
    std::vector<GreedyTerms> terms{{0, 1.0, 0.5, 0.0, 0}, {1, 3.0, 0.5, 0.0, 0}, {2, 2.0, 0.5, 0.0, 0}};
    scoreGreedy(terms);
    // U: mean 2, population std sqrt(2/3); R and C constant (std 0 → 1, z = 0)
    const double std = std::sqrt(2.0 / 3.0);
    REQUIRE(terms[0].score == Approx(-1.0 / std));
    REQUIRE(terms[1].score == Approx(1.0 / std));
    REQUIRE(terms[2].score == Approx(0.0).margin(1e-12));
    REQUIRE(greedyChoice(terms) == 1);
    REQUIRE(!greedyChoice({}).has_value());
}

TEST_CASE("sequential and random choices skip the current and ineligible clusters")
{
    const std::vector<bool> eligible{true, false, false, true};
    REQUIRE(sequentialChoice(eligible, 0) == 3);
    REQUIRE(sequentialChoice(eligible, 3) == 0);
    REQUIRE(sequentialChoice({false, false}, 0) == std::nullopt);
    for (uint64_t step = 0; step < 20; ++step) {
        const auto pick = randomChoice(eligible, 3, 42, step);
        REQUIRE(pick == 0);
        REQUIRE(randomChoice(eligible, -1, 42, step) == randomChoice(eligible, -1, 42, step));
    }
}
