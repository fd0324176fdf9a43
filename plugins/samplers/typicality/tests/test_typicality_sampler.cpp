// The typicality sampler plugin (org.slt.sampler.typicality), loaded from its built library.
//
// The pools are blobs far apart (centres 1000 apart, integer jitter of a few units), so any sensible
// k-means with one cluster per blob finds the blobs exactly, whatever its random start; the test then
// knows the clusters and computes each blob's most typical point by brute force: the smallest mean
// distance to its min(20, m - 1) nearest blob-mates (in double; integer coordinates make the squared
// distances exact, so ties are exact too and go to the lowest index).
#include <slt/sdk/cpp/host/sampler_proxy.hpp>
#include <slt_sampler_test/sampler_input.hpp>

#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
#include <slt_test/plugin_under_test.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace {

using slt::samplers::test::present;
using slt::samplers::test::with_array;
using slt::sdk::host::SamplerPool;
using slt::sdk::host::SamplerProxy;

const slt_plugin_entry* entry()
{
    static const slt_plugin_entry* loaded = slt::test::loadPluginEntry(SLT_TYPICALITY_PLUGIN_PATH);
    return loaded;
}

// A sampler whose settings have these values (others: the manifest's defaults).
SamplerProxy make_sampler(std::map<std::string, int64_t> ints = {}, std::map<std::string, bool> bools = {})
{
    static slt::test::SettingsHost settings; // outlives every sampler made here
    settings.values.clear();
    for (const auto& [key, value] : ints) settings.values[key] = std::to_string(value);
    for (const auto& [key, value] : bools) settings.values[key] = value ? "true" : "false";
    auto proxy = SamplerProxy::create(entry()->get_factory(SLT_SAMPLER_FACTORY_ID), settings.host());
    REQUIRE(proxy.ok());
    return std::move(*proxy);
}

struct Pool {
    int64_t dim = 2;
    std::vector<float> embeddings;
    std::vector<int> blob; // the blob each point was drawn from
    std::vector<uint8_t> labelled;
    std::vector<int64_t> chosen;

    int64_t size() const { return static_cast<int64_t>(blob.size()); }

    // The C input the sampler reads.
    SamplerPool c_pool(uint64_t seed) const
    {
        return SamplerPool(size(), nullptr, present(embeddings), dim,
                           labelled.empty() ? nullptr : labelled.data(), chosen.data(),
                           static_cast<int64_t>(chosen.size()), seed);
    }
};

// Blobs of the given sizes; blob b is centred at 1000 * (b + 1) on axis b % dim; points are shuffled
// so blob members are interleaved.
Pool blobs(const std::vector<int>& sizes, int64_t dim, uint64_t seed)
{
    std::mt19937_64 generator(seed);
    std::vector<int> order;
    for (size_t b = 0; b < sizes.size(); ++b) order.insert(order.end(), static_cast<size_t>(sizes[b]), static_cast<int>(b));
    std::shuffle(order.begin(), order.end(), generator);
    Pool pool;
    pool.dim = dim;
    for (int b : order) {
        pool.blob.push_back(b);
        for (int64_t d = 0; d < dim; ++d) {
            const float jitter = static_cast<float>(static_cast<int>(generator() % 9) - 4);
            pool.embeddings.push_back(jitter + (d == b % dim ? 1000.0f * static_cast<float>(b + 1) : 0.0f));
        }
    }
    return pool;
}

std::vector<int64_t> pick(SamplerProxy& sampler, const SamplerPool& c_pool, int64_t k)
{
    auto result = sampler.select(c_pool.input(), k);
    INFO(result.message());
    REQUIRE(result.ok());
    return *result;
}

bool eligible(const Pool& pool, int64_t i)
{
    const bool labelled = !pool.labelled.empty() && pool.labelled[static_cast<size_t>(i)];
    return !labelled && std::find(pool.chosen.begin(), pool.chosen.end(), i) == pool.chosen.end();
}

// Brute force: the eligible members of `blob` from most to least typical.
std::vector<int64_t> most_typical_first(const Pool& pool, int blob, int64_t neighbours = 20)
{
    std::vector<int64_t> members;
    for (int64_t i = 0; i < pool.size(); ++i)
        if (pool.blob[static_cast<size_t>(i)] == blob && eligible(pool, i)) members.push_back(i);
    std::vector<std::pair<double, int64_t>> scored;
    const size_t nn = std::min<size_t>(static_cast<size_t>(neighbours), members.size() - 1);
    for (int64_t a : members) {
        std::vector<double> distances;
        for (int64_t b : members) {
            if (b == a) continue;
            double squared = 0;
            for (int64_t d = 0; d < pool.dim; ++d) {
                const double t = double(pool.embeddings[static_cast<size_t>(a * pool.dim + d)]) - pool.embeddings[static_cast<size_t>(b * pool.dim + d)];
                squared += t * t;
            }
            distances.push_back(std::sqrt(squared));
        }
        std::sort(distances.begin(), distances.end());
        double sum = 0;
        for (size_t j = 0; j < nn; ++j) sum += distances[j];
        scored.emplace_back(nn ? sum / static_cast<double>(nn) : 0.0, a);
    }
    std::sort(scored.begin(), scored.end()); // smallest mean first, then lowest index
    std::vector<int64_t> ranked;
    for (const auto& s : scored) ranked.push_back(s.second);
    return ranked;
}

} // namespace

TEST_CASE("the entry describes the typicality sampler, which needs embeddings only")
{
    REQUIRE(std::strcmp(entry()->id, "org.slt.sampler.typicality") == 0);
    auto sampler = make_sampler();
    REQUIRE(sampler.needs() == SLT_SAMPLER_NEEDS_EMBEDDINGS);
}

TEST_CASE("one pick per blob: its most typical point, largest blob first")
{
    // Sizes 30 (more than 20 neighbours), 12, 7 and 3 in 2-D and in 17-D.
    for (int64_t dim : {2, 17}) {
        const Pool base = blobs({7, 30, 3, 12}, dim, 5);
        const std::vector<int64_t> expected = {most_typical_first(base, 1)[0], most_typical_first(base, 3)[0],
                                               most_typical_first(base, 0)[0], most_typical_first(base, 2)[0]};
        auto sampler = make_sampler();
        for (uint64_t seed : {0u, 1u, 2u, 77u}) {
            Pool pool = base;
            CAPTURE(dim, seed);
            REQUIRE(pick(sampler, pool.c_pool(seed), 4) == expected);
        }
    }
}

TEST_CASE("D = 1: blobs on a line")
{
    const Pool base = blobs({9, 4, 6}, 1, 8);
    Pool pool = base;
    auto sampler = make_sampler();
    REQUIRE(pick(sampler, pool.c_pool(3), 3) ==
            std::vector<int64_t>{most_typical_first(base, 0)[0], most_typical_first(base, 2)[0], most_typical_first(base, 1)[0]});
}

TEST_CASE("a blob holding a labelled point comes after the others")
{
    Pool pool = blobs({10, 25, 6}, 3, 9);
    pool.labelled.assign(static_cast<size_t>(pool.size()), 0);
    for (int64_t i = 0; i < pool.size(); ++i)
        if (pool.blob[static_cast<size_t>(i)] == 1) { pool.labelled[static_cast<size_t>(i)] = 1; break; }
    auto sampler = make_sampler();
    // k = 2 plus one labelled point: three clusters; the largest blob is covered and is passed over.
    REQUIRE(pick(sampler, pool.c_pool(4), 2) == std::vector<int64_t>{most_typical_first(pool, 0)[0], most_typical_first(pool, 2)[0]});
    // k = 3: four clusters for three blobs, so the largest blob is split; its half without the labelled
    // point competes by size. Both small blobs still give their most typical point.
    const auto three = pick(sampler, pool.c_pool(4), 3);
    REQUIRE(std::count(three.begin(), three.end(), most_typical_first(pool, 0)[0]) == 1);
    REQUIRE(std::count(three.begin(), three.end(), most_typical_first(pool, 2)[0]) == 1);
    // With the preference off, three clusters by size alone.
    auto plain = make_sampler({}, {{"prefer_unlabelled_clusters", false}});
    REQUIRE(pick(plain, pool.c_pool(4), 3) == std::vector<int64_t>{most_typical_first(pool, 1)[0], most_typical_first(pool, 0)[0],
                                                                  most_typical_first(pool, 2)[0]});
}

TEST_CASE("the neighbours setting changes the typicality neighbourhood")
{
    const Pool base = blobs({40}, 2, 21);
    Pool pool = base;
    auto three = make_sampler({{"neighbours", 3}});
    REQUIRE(pick(three, pool.c_pool(0), 1) == std::vector<int64_t>{most_typical_first(base, 0, 3)[0]});
}

TEST_CASE("never a labelled or chosen point, never twice, and the same seed repeats")
{
    Pool pool = blobs({15, 15, 15, 15}, 4, 13);
    pool.labelled.assign(static_cast<size_t>(pool.size()), 0);
    for (size_t i = 0; i < pool.labelled.size(); i += 4) pool.labelled[i] = 1;
    pool.chosen = {1, 2, 3};
    auto sampler = make_sampler();
    const auto picks = pick(sampler, pool.c_pool(6), 20);
    REQUIRE(picks.size() == 20);
    std::set<int64_t> seen;
    for (int64_t i : picks) {
        REQUIRE(eligible(pool, i));
        REQUIRE(seen.insert(i).second);
    }
    REQUIRE(pick(sampler, pool.c_pool(6), 20) == picks);
}

TEST_CASE("more picks than clusters: further rounds take each cluster's next most typical point")
{
    // Two sites of exact duplicates (5 at one place, 4 at another): k-means++ stops at two centres, so
    // k = 6 needs a second and third round. All members of a site tie, so each round takes the lowest
    // remaining index of each site, the larger site first.
    Pool pool;
    pool.dim = 2;
    pool.blob = {0, 1, 0, 0, 1, 1, 0, 1, 0};
    for (int b : pool.blob) {
        pool.embeddings.push_back(b == 0 ? 1.0f : 50.0f);
        pool.embeddings.push_back(b == 0 ? -3.0f : 7.0f);
    }
    auto sampler = make_sampler({{"threads", 1}});
    REQUIRE(pick(sampler, pool.c_pool(2), 6) == std::vector<int64_t>{0, 1, 2, 4, 3, 5});
}

TEST_CASE("duplicate points: k-means++ stops at one centre, then the lowest indices")
{
    Pool pool;
    pool.dim = 3;
    pool.blob.assign(10, 0);
    pool.embeddings.assign(30, 2.5f);
    pool.labelled.assign(10, 0);
    pool.labelled[0] = 1;
    auto sampler = make_sampler();
    REQUIRE(pick(sampler, pool.c_pool(1), 3) == std::vector<int64_t>{1, 2, 3});
}

TEST_CASE("a subsampled pool: picks come from the pool, deterministically")
{
    Pool pool = blobs({200, 100}, 2, 19);
    auto small = make_sampler({{"max_pool_points", 50}});
    const auto picks = pick(small, pool.c_pool(8), 5);
    REQUIRE(picks.size() == 5);
    REQUIRE(pick(small, pool.c_pool(8), 5) == picks);
    REQUIRE(std::set<int64_t>(picks.begin(), picks.end()).size() == 5);
}

TEST_CASE("fewer eligible points than k, k = 0 and an empty pool")
{
    Pool pool = blobs({3}, 2, 1);
    pool.labelled = {0, 1, 0};
    auto sampler = make_sampler();
    auto picks = pick(sampler, pool.c_pool(0), 10);
    std::sort(picks.begin(), picks.end());
    REQUIRE(picks == std::vector<int64_t>{0, 2});
    REQUIRE(pick(sampler, pool.c_pool(0), 0).empty());
    Pool empty;
    REQUIRE(pick(sampler, empty.c_pool(0), 4).empty());
}

TEST_CASE("bad embeddings give a status and a message")
{
    Pool pool = blobs({4}, 2, 1);
    auto sampler = make_sampler();
    auto expect_error = [&](slt_sampler_input in, const char* fragment) {
        auto result = sampler.select(in, 2);
        REQUIRE(result.status().code == SLT_ERR_INVALID_ARGUMENT);
        REQUIRE_THAT(result.message(), Catch::Contains(fragment));
    };
    const SamplerPool c_pool = pool.c_pool(0);
    slt_sampler_input in = c_pool.input();
    in.embeddings = nullptr;
    expect_error(in, "embeddings is NULL");
    auto expect_spoilt = [&](auto spoil, const char* fragment) {
        slt_array embeddings = *c_pool.input().embeddings;
        spoil(embeddings);
        expect_error(with_array(c_pool, &slt_sampler_input::embeddings, embeddings), fragment);
    };
    expect_spoilt([](slt_array& e) { e.dtype = SLT_DTYPE_I32; }, "embeddings: expected dtype");
    expect_spoilt([](slt_array& e) { e.shape[0] = 3; }, "expected 4 rows");

    const std::vector<float> before = pool.embeddings;
    pool.embeddings[5] = std::numeric_limits<float>::quiet_NaN();
    expect_error(pool.c_pool(0).input(), "row 2 contains NaN or infinity");
    pool.embeddings[5] = before[5];
    REQUIRE(pool.embeddings == before);
}

TEST_CASE("the picks are the same for 1, 2 and 3 threads and match brute force on larger blobs")
{
    const Pool base = blobs({3000, 2000, 5000}, 8, 23); // 10,000 points: every stage splits over threads
    const std::vector<int64_t> expected = {most_typical_first(base, 2)[0], most_typical_first(base, 0)[0],
                                           most_typical_first(base, 1)[0]};
    for (int64_t threads : {1, 2, 3}) {
        Pool pool = base;
        auto sampler = make_sampler({{"threads", threads}});
        CAPTURE(threads);
        REQUIRE(pick(sampler, pool.c_pool(31), 3) == expected);
    }
}

TEST_CASE("a cancelled job stops the select with SLT_ERR_CANCELLED")
{
    slt_job job{};
    job.struct_size = sizeof job;
    job.is_cancelled = [](const slt_job*) { return 1; };
    Pool pool = blobs({20, 20}, 2, 3);
    auto sampler = make_sampler();
    auto result = sampler.select(pool.c_pool(0).input(), 2, &job);
    REQUIRE(result.status().code == SLT_ERR_CANCELLED);
}
