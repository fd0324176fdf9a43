// org.slt.sampler.typicality: TypiClust-style cold start (SPEC S1; Hacohen, Dekel & Weinshall 2022;
// al-methods §2.7). At the first few hundred labels, typical points of distinct regions teach a model
// more than uncertain ones.
//
//   1. pool  = the eligible points (neither labelled nor chosen); above max_pool_points, a seeded
//              random subsample of that many (the picks then come from the subsample);
//   2. K     = k, or, with prefer_unlabelled_clusters, k + (labelled + chosen points) capped at
//              max(k, 500) as TypiClust does, so that clusters already holding a labelled point can be
//              passed over and k clusters are still left;
//   3. k-means on the pool: k-means++ start (D^2 sampling), then Lloyd iterations until no assignment
//      changes, the centroids move less than tolerance x the pool's mean per-dimension variance, or
//      max_iterations. k-means++ stops early when every point already sits on a centre (duplicates);
//   4. typicality(x) = 1 / mean Euclidean distance from x to its `neighbours` (20) nearest neighbours in
//      its cluster (fewer when the cluster is smaller); the most typical point has the smallest mean;
//   5. order the clusters: without labelled/chosen points first (when preferred), then larger first,
//      then lower cluster number; emit each cluster's most typical point; when that gives fewer than k
//      points (small pools, duplicates), go round again with each cluster's next most typical point.
//
// Determinism: one std::mt19937_64 stream (fixed by the standard) with our own bounded and unit draws;
// sums in a fixed order; ties in distance go to the lower centroid number or point index; thread parts
// write disjoint results, so the thread count never changes the picks.
#include <slt_samplers/embedding_math.hpp>
#include <slt/sdk/cpp/sampler.hpp>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

namespace {

using slt::sdk::Matrix;
using slt::samplers::check_embeddings;
using slt::samplers::kLanes;
using slt::samplers::squared_distance;
using slt::samplers::uniform_below;
using slt::samplers::uniform_unit;

constexpr int64_t kTypiClustMaxClusters = 500;

// Runs body(begin, end) over [0, n) split into at most `threads` contiguous parts. Parts must write
// disjoint outputs. Without a thread to spare, a part runs on the calling thread instead.
template <class Body>
void parallel_for(int64_t n, int threads, int64_t min_per_part, const Body& body)
{
    const int parts = static_cast<int>(std::max<int64_t>(1, std::min<int64_t>(threads, n / std::max<int64_t>(1, min_per_part))));
    std::vector<std::thread> workers;
    for (int p = 1; p < parts; ++p) {
        try {
            workers.emplace_back([&body, n, p, parts] { body(n * p / parts, n * (p + 1) / parts); });
        } catch (const std::system_error&) {
            body(n * p / parts, n * (p + 1) / parts);
        }
    }
    body(0, n / parts);
    for (std::thread& worker : workers) worker.join();
}

// The points being clustered, as a contiguous copy: row r is point index[r] of the input.
struct Pool {
    std::vector<int64_t> index;
    std::vector<float> rows;
    int64_t dim = 0;
    int64_t size() const { return static_cast<int64_t>(index.size()); }
    const float* row(int64_t r) const { return rows.data() + r * dim; }
};

// Copies `indices` (increasing) of the input into a Pool.
Pool gather(const Matrix<const float>& embeddings, std::vector<int64_t> indices)
{
    Pool pool;
    pool.dim = embeddings.cols();
    pool.index = std::move(indices);
    pool.rows.reserve(pool.index.size() * static_cast<size_t>(pool.dim));
    for (int64_t i : pool.index) {
        const auto row = embeddings.row(i);
        pool.rows.insert(pool.rows.end(), row.begin(), row.end());
    }
    return pool;
}

// The eligible indices, or a seeded random subsample of `limit` of them (limit 0 = no limit), sorted.
std::vector<int64_t> pool_indices(const slt::sdk::SamplerInput& input, int64_t limit, std::mt19937_64& generator)
{
    std::vector<int64_t> eligible = input.eligible_indices();
    if (limit <= 0 || static_cast<int64_t>(eligible.size()) <= limit) return eligible;
    for (size_t i = 0; i < static_cast<size_t>(limit); ++i) // partial Fisher-Yates
        std::swap(eligible[i], eligible[i + uniform_below(generator, eligible.size() - i)]);
    eligible.resize(static_cast<size_t>(limit));
    std::sort(eligible.begin(), eligible.end());
    return eligible;
}

// AVX2 and baseline versions of the hot loops, chosen at load time; both give the same bits (no FMA,
// same order of operations).
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define SLT_TYPICALITY_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define SLT_TYPICALITY_CLONES
#endif

// Number of the centroid nearest to `row` (ties: the lower number).
SLT_TYPICALITY_CLONES int64_t nearest_centroid(const float* row, const std::vector<float>& centroids, int64_t dim)
{
    const int64_t count = static_cast<int64_t>(centroids.size()) / dim;
    int64_t best = 0;
    float best_distance = std::numeric_limits<float>::infinity();
    for (int64_t c = 0; c < count; ++c) {
        const float d = squared_distance(row, centroids.data() + c * dim, dim);
        if (d < best_distance) best_distance = d, best = c;
    }
    return best;
}

struct KMeansSettings {
    int64_t max_iterations = 100;
    double tolerance = 1e-4;
    int threads = 1;
};

class KMeans {
public:
    KMeans(const Pool& pool, const KMeansSettings& settings, const slt::sdk::Job& job)
        : pool_(pool), settings_(settings), job_(job) {}

    // Centroids ([count, dim], count <= clusters) and each pool row's centroid number.
    void run(int64_t clusters, std::mt19937_64& generator)
    {
        seed_plus_plus(clusters, generator);
        assignment_.assign(static_cast<size_t>(pool_.size()), -1);
        const double threshold = settings_.tolerance * mean_variance();
        for (int64_t iteration = 0; iteration < settings_.max_iterations; ++iteration) {
            job_.throw_if_cancelled();
            job_.progress(static_cast<uint64_t>(iteration), static_cast<uint64_t>(settings_.max_iterations), "k-means");
            const bool changed = assign();
            const double moved = update_centroids();
            if (!changed || moved <= threshold) break;
        }
        assign(); // the assignment matching the final centroids
    }

    const std::vector<float>& centroids() const { return centroids_; }
    const std::vector<int64_t>& assignment() const { return assignment_; }
    int64_t count() const { return static_cast<int64_t>(centroids_.size()) / pool_.dim; }

private:
    // k-means++: the first centre uniformly, each next one with probability proportional to the squared
    // distance to the nearest centre so far. Stops early once every point sits on a centre.
    void seed_plus_plus(int64_t clusters, std::mt19937_64& generator)
    {
        const int64_t n = pool_.size(), dim = pool_.dim;
        centroids_.clear();
        std::vector<float> nearest(static_cast<size_t>(n), std::numeric_limits<float>::infinity());
        int64_t next = static_cast<int64_t>(uniform_below(generator, static_cast<uint64_t>(n)));
        while (true) {
            centroids_.insert(centroids_.end(), pool_.row(next), pool_.row(next) + dim);
            if (count() == clusters) return;
            job_.throw_if_cancelled();
            const float* centre = pool_.row(next);
            parallel_for(n, settings_.threads, 16384, [&](int64_t begin, int64_t end) {
                for (int64_t i = begin; i < end; ++i)
                    nearest[static_cast<size_t>(i)] = std::min(nearest[static_cast<size_t>(i)], squared_distance(pool_.row(i), centre, dim));
            });
            double total = 0;
            for (float d : nearest) total += d;
            if (total == 0) return;
            const double target = uniform_unit(generator) * total;
            double cumulative = 0;
            next = -1;
            for (int64_t i = 0; i < n && next < 0; ++i) {
                cumulative += nearest[static_cast<size_t>(i)];
                if (cumulative > target && nearest[static_cast<size_t>(i)] > 0) next = i;
            }
            if (next < 0) // rounding left the target past the end: the last point off every centre
                for (int64_t i = n - 1; next < 0; --i)
                    if (nearest[static_cast<size_t>(i)] > 0) next = i;
        }
    }

    // Each row to its nearest centroid; true when any assignment changed.
    bool assign()
    {
        std::atomic<bool> changed{false};
        parallel_for(pool_.size(), settings_.threads, 4096, [&](int64_t begin, int64_t end) {
            bool any = false;
            for (int64_t i = begin; i < end; ++i) {
                const int64_t c = nearest_centroid(pool_.row(i), centroids_, pool_.dim);
                any |= assignment_[static_cast<size_t>(i)] != c;
                assignment_[static_cast<size_t>(i)] = c;
            }
            if (any) changed = true;
        });
        return changed;
    }

    // Centroids = means of their rows (summed in row order, in double); an empty cluster keeps its
    // centroid. Returns the summed squared movement.
    double update_centroids()
    {
        const int64_t dim = pool_.dim, k = count();
        std::vector<double> sums(static_cast<size_t>(k * dim), 0.0);
        std::vector<int64_t> sizes(static_cast<size_t>(k), 0);
        for (int64_t i = 0; i < pool_.size(); ++i) {
            const int64_t c = assignment_[static_cast<size_t>(i)];
            ++sizes[static_cast<size_t>(c)];
            for (int64_t d = 0; d < dim; ++d) sums[static_cast<size_t>(c * dim + d)] += pool_.row(i)[d];
        }
        double moved = 0;
        for (int64_t c = 0; c < k; ++c) {
            if (sizes[static_cast<size_t>(c)] == 0) continue;
            for (int64_t d = 0; d < dim; ++d) {
                const size_t at = static_cast<size_t>(c * dim + d);
                const float mean = static_cast<float>(sums[at] / static_cast<double>(sizes[static_cast<size_t>(c)]));
                moved += (double(mean) - centroids_[at]) * (double(mean) - centroids_[at]);
                centroids_[at] = mean;
            }
        }
        return moved;
    }

    // Mean over dimensions of the pool's variance: the scale of the tolerance (as scikit-learn).
    double mean_variance() const
    {
        const int64_t n = pool_.size(), dim = pool_.dim;
        std::vector<double> sum(static_cast<size_t>(dim), 0.0), sum_sq(static_cast<size_t>(dim), 0.0);
        for (int64_t i = 0; i < n; ++i)
            for (int64_t d = 0; d < dim; ++d) {
                const double x = pool_.row(i)[d];
                sum[static_cast<size_t>(d)] += x;
                sum_sq[static_cast<size_t>(d)] += x * x;
            }
        double total = 0;
        for (int64_t d = 0; d < dim; ++d) {
            const double mean = sum[static_cast<size_t>(d)] / static_cast<double>(n);
            total += std::max(0.0, sum_sq[static_cast<size_t>(d)] / static_cast<double>(n) - mean * mean);
        }
        return total / static_cast<double>(dim);
    }

    const Pool& pool_;
    KMeansSettings settings_;
    slt::sdk::Job job_;
    std::vector<float> centroids_;
    std::vector<int64_t> assignment_;
};

// Squared distances from member `a` to every other member, in member order, into `out` (m - 1 values).
SLT_TYPICALITY_CLONES void distances_to_members(const Pool& pool, const std::vector<int64_t>& members, int64_t a, float* out)
{
    const float* row = pool.row(members[static_cast<size_t>(a)]);
    const int64_t m = static_cast<int64_t>(members.size());
    for (int64_t b = 0; b < m; ++b)
        if (b != a) *out++ = squared_distance(row, pool.row(members[static_cast<size_t>(b)]), pool.dim);
}

// The members (pool rows, increasing) sorted from most to least typical: by the mean distance to their
// min(neighbours, m - 1) nearest fellow members, smallest first; ties by lower row. The distances are
// sorted before summing, so equal neighbour sets give equal means.
std::vector<int64_t> by_typicality(const Pool& pool, const std::vector<int64_t>& members, int64_t neighbours, int threads)
{
    const int64_t m = static_cast<int64_t>(members.size());
    const int64_t nn = std::min<int64_t>(neighbours, m - 1);
    std::vector<double> mean_distance(static_cast<size_t>(m), 0.0);
    if (nn > 0) {
        parallel_for(m, threads, 64, [&](int64_t begin, int64_t end) {
            std::vector<float> others(static_cast<size_t>(m - 1));
            for (int64_t a = begin; a < end; ++a) {
                distances_to_members(pool, members, a, others.data());
                std::nth_element(others.begin(), others.begin() + (nn - 1), others.end());
                std::sort(others.begin(), others.begin() + nn);
                double sum = 0;
                for (int64_t j = 0; j < nn; ++j) sum += std::sqrt(static_cast<double>(others[static_cast<size_t>(j)]));
                mean_distance[static_cast<size_t>(a)] = sum / static_cast<double>(nn);
            }
        });
    }
    std::vector<int64_t> order(static_cast<size_t>(m));
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
        return mean_distance[static_cast<size_t>(a)] < mean_distance[static_cast<size_t>(b)];
    });
    std::vector<int64_t> rows;
    rows.reserve(order.size());
    for (int64_t o : order) rows.push_back(members[static_cast<size_t>(o)]);
    return rows;
}

class TypicalitySampler : public slt::sdk::Sampler {
public:
    static constexpr uint32_t needs = SLT_SAMPLER_NEEDS_EMBEDDINGS;

    explicit TypicalitySampler(const slt::sdk::Host& host)
        : max_pool_points_(host.setting_int("max_pool_points").value_or(100000)),
          neighbours_(std::max<int64_t>(1, host.setting_int("neighbours").value_or(20))),
          prefer_unlabelled_(host.setting_bool("prefer_unlabelled_clusters").value_or(true))
    {
        kmeans_.max_iterations = std::max<int64_t>(1, host.setting_int("max_iterations").value_or(100));
        kmeans_.tolerance = std::max(0.0, host.setting_double("tolerance").value_or(1e-4));
        const int64_t threads = host.setting_int("threads").value_or(0);
        kmeans_.threads = threads > 0 ? static_cast<int>(std::min<int64_t>(threads, 64))
                                      : static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 2u));
    }

    std::vector<int64_t> select(const slt::sdk::SamplerInput& input, int64_t k,
                                const slt::sdk::Job& job) override
    {
        check_embeddings(input.embeddings);
        std::mt19937_64 generator(input.seed);
        const Pool pool = gather(input.embeddings, pool_indices(input, max_pool_points_, generator));
        if (k == 0 || pool.size() == 0) return {};

        const std::vector<int64_t> covered = prefer_unlabelled_ ? covered_points(input) : std::vector<int64_t>{};
        const int64_t extra = std::min<int64_t>(static_cast<int64_t>(covered.size()),
                                                std::max<int64_t>(0, kTypiClustMaxClusters - k));
        KMeans kmeans(pool, kmeans_, job);
        kmeans.run(std::min(pool.size(), k + extra), generator);

        std::vector<std::vector<int64_t>> members(static_cast<size_t>(kmeans.count()));
        for (int64_t r = 0; r < pool.size(); ++r)
            members[static_cast<size_t>(kmeans.assignment()[static_cast<size_t>(r)])].push_back(r);
        std::vector<int64_t> holds_covered(members.size(), 0);
        for (int64_t i : covered)
            ++holds_covered[static_cast<size_t>(nearest_centroid(input.embeddings.row(i).data(), kmeans.centroids(), pool.dim))];

        std::vector<std::vector<int64_t>> ranked;
        for (int64_t c : cluster_order(members, holds_covered)) {
            job.throw_if_cancelled();
            ranked.push_back(by_typicality(pool, members[static_cast<size_t>(c)], neighbours_, kmeans_.threads));
        }
        return round_robin(ranked, pool, k);
    }

private:
    // Labelled and chosen points: the clusters they fall in count as already covered.
    static std::vector<int64_t> covered_points(const slt::sdk::SamplerInput& input)
    {
        std::vector<int64_t> covered;
        for (int64_t i = 0; i < input.num_points; ++i)
            if (input.is_labelled(i)) covered.push_back(i);
        for (int64_t i : input.chosen)
            if (!input.is_labelled(i)) covered.push_back(i);
        return covered;
    }

    // Non-empty clusters: uncovered first, then larger first, then lower number.
    static std::vector<int64_t> cluster_order(const std::vector<std::vector<int64_t>>& members,
                                              const std::vector<int64_t>& holds_covered)
    {
        std::vector<int64_t> order;
        for (size_t c = 0; c < members.size(); ++c)
            if (!members[c].empty()) order.push_back(static_cast<int64_t>(c));
        std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
            const bool covered_a = holds_covered[static_cast<size_t>(a)] > 0;
            const bool covered_b = holds_covered[static_cast<size_t>(b)] > 0;
            if (covered_a != covered_b) return !covered_a;
            return members[static_cast<size_t>(a)].size() > members[static_cast<size_t>(b)].size();
        });
        return order;
    }

    // Round r takes the r-th most typical member of every cluster, in cluster order, until k.
    static std::vector<int64_t> round_robin(const std::vector<std::vector<int64_t>>& ranked, const Pool& pool, int64_t k)
    {
        std::vector<int64_t> picked;
        for (size_t round = 0; static_cast<int64_t>(picked.size()) < k; ++round) {
            bool any = false;
            for (const auto& cluster : ranked) {
                if (round >= cluster.size() || static_cast<int64_t>(picked.size()) == k) continue;
                picked.push_back(pool.index[static_cast<size_t>(cluster[round])]);
                any = true;
            }
            if (!any) break;
        }
        return picked;
    }

    int64_t max_pool_points_;
    int64_t neighbours_;
    bool prefer_unlabelled_;
    KMeansSettings kmeans_;
};

} // namespace

SLT_PLUGIN("org.slt.sampler.typicality", "1.0.0", TypicalitySampler)
