// The k-center greedy sampler plugin (org.slt.sampler.kcenter), loaded from its built library and
// checked against a brute-force farthest-first traversal written here. Coordinates are small integers,
// so every squared distance is exact in float and in double and the picks must match exactly, ties
// included.
#include <slt/sdk/cpp/host/sampler_proxy.hpp>
#include <slt_sampler_test/sampler_input.hpp>

#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
#include <slt_test/plugin_under_test.hpp>

#include <algorithm>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

namespace {

using slt::samplers::test::present;
using slt::samplers::test::with_array;
using slt::sdk::host::SamplerPool;
using slt::sdk::host::SamplerProxy;

const slt_plugin_entry* entry()
{
    static const slt_plugin_entry* loaded = slt::test::loadPluginEntry(SLT_KCENTER_PLUGIN_PATH);
    return loaded;
}

// A sampler whose settings "start_from_labelled" and "threads" have these values.
SamplerProxy make_sampler(bool start_from_labelled = true, int64_t threads = 0)
{
    static slt::test::SettingsHost settings; // outlives every sampler made here
    settings.values["start_from_labelled"] = start_from_labelled ? "true" : "false";
    settings.values["threads"] = std::to_string(threads);
    auto proxy = SamplerProxy::create(entry()->get_factory(SLT_SAMPLER_FACTORY_ID), settings.host());
    REQUIRE(proxy.ok());
    return std::move(*proxy);
}

struct Pool {
    int64_t dim = 1;
    std::vector<float> embeddings; // [N, dim]
    std::vector<uint8_t> labelled; // empty = nothing labelled
    std::vector<int64_t> chosen;

    int64_t size() const { return static_cast<int64_t>(embeddings.size()) / dim; }
    float at(int64_t i, int64_t d) const { return embeddings[static_cast<size_t>(i * dim + d)]; }
    bool is_labelled(int64_t i) const { return !labelled.empty() && labelled[static_cast<size_t>(i)]; }
    bool is_chosen(int64_t i) const { return std::find(chosen.begin(), chosen.end(), i) != chosen.end(); }

    // The C input the sampler reads.
    SamplerPool c_pool(uint64_t seed) const
    {
        return SamplerPool(size(), nullptr, present(embeddings), dim,
                           labelled.empty() ? nullptr : labelled.data(), chosen.data(),
                           static_cast<int64_t>(chosen.size()), seed);
    }
};

Pool random_pool(std::mt19937_64& generator, int64_t n, int64_t dim, int range)
{
    Pool pool;
    pool.dim = dim;
    for (int64_t i = 0; i < n * dim; ++i)
        pool.embeddings.push_back(static_cast<float>(static_cast<int>(generator() % (2 * range + 1)) - range));
    return pool;
}

std::vector<int64_t> pick(SamplerProxy& sampler, const SamplerPool& c_pool, int64_t k, const slt_job* job = nullptr)
{
    auto result = sampler.select(c_pool.input(), k, job);
    INFO(result.message());
    REQUIRE(result.ok());
    return *result;
}

// The documented random first centre: the (splitmix64 finaliser(seed) mod E)-th eligible point.
uint64_t splitmix_finaliser(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ull;
    x ^= x >> 30;
    x *= 0xBF58476D1CE4E5B9ull;
    x ^= x >> 27;
    x *= 0x94D049BB133111EBull;
    x ^= x >> 31;
    return x;
}

// Brute force, in double: for every eligible point the distance to every centre, every time.
std::vector<int64_t> brute_force(const Pool& pool, int64_t k, uint64_t seed, bool start_from_labelled)
{
    std::vector<int64_t> eligible, centres, picks;
    for (int64_t i = 0; i < pool.size(); ++i) {
        if (!pool.is_labelled(i) && !pool.is_chosen(i)) eligible.push_back(i);
        else if (start_from_labelled) centres.push_back(i);
    }
    auto squared = [&](int64_t a, int64_t b) {
        double sum = 0;
        for (int64_t d = 0; d < pool.dim; ++d) sum += (double(pool.at(a, d)) - pool.at(b, d)) * (double(pool.at(a, d)) - pool.at(b, d));
        return sum;
    };
    while (static_cast<int64_t>(picks.size()) < k && !eligible.empty()) {
        size_t best = 0;
        if (centres.empty()) {
            best = static_cast<size_t>(splitmix_finaliser(seed) % eligible.size());
        } else {
            double best_distance = -1;
            for (size_t e = 0; e < eligible.size(); ++e) {
                double nearest = std::numeric_limits<double>::infinity();
                for (int64_t c : centres) nearest = std::min(nearest, squared(eligible[e], c));
                if (nearest > best_distance) best_distance = nearest, best = e;
            }
        }
        picks.push_back(eligible[best]);
        centres.push_back(eligible[best]);
        eligible.erase(eligible.begin() + static_cast<std::ptrdiff_t>(best));
    }
    return picks;
}

} // namespace

TEST_CASE("the entry describes the k-center sampler, which needs embeddings only")
{
    REQUIRE(std::strcmp(entry()->id, "org.slt.sampler.kcenter") == 0);
    auto sampler = make_sampler();
    REQUIRE(sampler.needs() == SLT_SAMPLER_NEEDS_EMBEDDINGS);
}

TEST_CASE("hand-computed picks on a line, starting from a labelled point")
{
    Pool pool;
    pool.embeddings = {0, 1, 2, 10, 11, 20};
    pool.labelled = {1, 0, 0, 0, 0, 0};
    auto sampler = make_sampler();
    // 20 is farthest from 0; then 10 (100 from both ends) beats 11 (81 from 20); then 2 (4 from 0).
    REQUIRE(pick(sampler, pool.c_pool(0), 3) == std::vector<int64_t>{5, 3, 2});
    REQUIRE(pick(sampler, pool.c_pool(0), 3) == brute_force(pool, 3, 0, true));
}

TEST_CASE("matches brute force on random pools: D = 1, 3, 16, 17, 64, labels, chosen, both start modes")
{
    std::mt19937_64 generator(2024);
    for (int trial = 0; trial < 120; ++trial) {
        const int64_t dims[] = {1, 3, 16, 17, 64};
        const int64_t dim = dims[trial % 5];
        const int64_t n = 1 + static_cast<int64_t>(generator() % 120);
        Pool pool = random_pool(generator, n, dim, trial % 3 == 0 ? 1 : 20); // range 1: many ties
        if (trial % 4 != 0) {
            pool.labelled.resize(static_cast<size_t>(n));
            for (auto& l : pool.labelled) l = generator() % 5 == 0;
        }
        if (trial % 3 == 1) pool.chosen = {static_cast<int64_t>(generator() % n), static_cast<int64_t>(generator() % n)};
        const bool start_from_labelled = trial % 2 == 0;
        const int64_t k = static_cast<int64_t>(generator() % (n + 3));
        const uint64_t seed = generator();
        auto sampler = make_sampler(start_from_labelled);
        CAPTURE(trial, n, dim, k, seed, start_from_labelled);
        REQUIRE(pick(sampler, pool.c_pool(seed), k) == brute_force(pool, k, seed, start_from_labelled));
    }
}

TEST_CASE("the picks are the same for 1, 2 and 3 threads, ties across part boundaries included")
{
    // 200,000 points with coordinates in {-1, 0, 1}: huge tie groups, split over several threads.
    std::mt19937_64 generator(7);
    Pool pool = random_pool(generator, 200000, 4, 1);
    pool.labelled.assign(200000, 0);
    pool.labelled[199999] = 1;
    auto one = make_sampler(true, 1);
    const auto expected = pick(one, pool.c_pool(3), 12);
    REQUIRE(expected == brute_force(pool, 12, 3, true));
    auto two = make_sampler(true, 2);
    REQUIRE(pick(two, pool.c_pool(3), 12) == expected);
    auto three = make_sampler(true, 3);
    REQUIRE(pick(three, pool.c_pool(3), 12) == expected);
}

TEST_CASE("the seed decides the random first centre and the same seed repeats")
{
    std::mt19937_64 generator(11);
    Pool pool = random_pool(generator, 50, 8, 20);
    auto sampler = make_sampler();
    const auto a = pick(sampler, pool.c_pool(5), 6);
    REQUIRE(a == pick(sampler, pool.c_pool(5), 6));
    bool any_other_start = false;
    for (uint64_t seed = 6; seed < 16; ++seed) any_other_start |= pick(sampler, pool.c_pool(seed), 1)[0] != a[0];
    REQUIRE(any_other_start);
}

TEST_CASE("labelled points are skipped but not centres when start_from_labelled is off")
{
    Pool pool;
    pool.embeddings = {0, 1, 2, 10, 11, 20};
    pool.labelled = {0, 0, 0, 0, 0, 1};
    auto off = make_sampler(false);
    const auto picks = pick(off, pool.c_pool(9), 5);
    REQUIRE(picks == brute_force(pool, 5, 9, false));
    REQUIRE(std::find(picks.begin(), picks.end(), 5) == picks.end());
}

TEST_CASE("duplicate points: ties go to the lowest index, never a point twice")
{
    Pool pool;
    pool.dim = 2;
    pool.embeddings.assign(20, 3.0f); // ten identical points
    pool.labelled.assign(10, 0);
    pool.labelled[4] = 1;
    auto sampler = make_sampler();
    REQUIRE(pick(sampler, pool.c_pool(1), 4) == std::vector<int64_t>{0, 1, 2, 3});
}

TEST_CASE("fewer eligible points than k, k = 0, everything labelled, an empty pool")
{
    Pool pool;
    pool.embeddings = {0, 5, 9};
    pool.labelled = {0, 1, 0};
    auto sampler = make_sampler();
    REQUIRE(pick(sampler, pool.c_pool(0), 10) == std::vector<int64_t>{0, 2});
    REQUIRE(pick(sampler, pool.c_pool(0), 0).empty());
    pool.labelled = {1, 1, 1};
    REQUIRE(pick(sampler, pool.c_pool(0), 2).empty());
    Pool empty;
    empty.dim = 4;
    REQUIRE(pick(sampler, empty.c_pool(0), 3).empty());
}

TEST_CASE("progress is reported per centre and a cancel stops between centres")
{
    struct Watch {
        slt_job job{};
        std::vector<uint64_t> done;
        uint64_t cancel_after = 0;
    } watch;
    watch.job.struct_size = sizeof(slt_job);
    watch.job.host_data = &watch;
    watch.job.progress = [](const slt_job* job, uint64_t done, uint64_t, const char*) {
        static_cast<Watch*>(job->host_data)->done.push_back(done);
    };
    watch.job.is_cancelled = [](const slt_job* job) {
        const auto* w = static_cast<const Watch*>(job->host_data);
        return w->cancel_after > 0 && w->done.size() >= w->cancel_after ? 1 : 0;
    };
    std::mt19937_64 generator(3);
    Pool pool = random_pool(generator, 100, 4, 20);
    auto sampler = make_sampler();
    REQUIRE(pick(sampler, pool.c_pool(0), 5, &watch.job).size() == 5);
    REQUIRE(watch.done == std::vector<uint64_t>{1, 2, 3, 4, 5});

    watch.done.clear();
    watch.cancel_after = 2;
    auto result = sampler.select(pool.c_pool(0).input(), 5, &watch.job);
    REQUIRE(result.status().code == SLT_ERR_CANCELLED);
    REQUIRE(watch.done.size() == 2);
}

TEST_CASE("bad embeddings give a status and a message")
{
    Pool pool;
    pool.dim = 2;
    pool.embeddings = {0, 0, 1, 1, 2, 2};
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
    expect_spoilt([](slt_array& e) { e.dtype = SLT_DTYPE_F16; }, "embeddings: expected dtype");
    expect_spoilt([](slt_array& e) { e.ndim = 1; }, "embeddings: expected dtype");
    expect_spoilt([](slt_array& e) { e.shape[0] = 2; }, "expected 3 rows");
    expect_spoilt([](slt_array& e) { e.shape[1] = 0; }, "at least one column");
    expect_spoilt([](slt_array& e) { e.strides[0] = 1; }, "row stride");

    const std::vector<float> before = pool.embeddings;
    pool.embeddings[3] = std::numeric_limits<float>::quiet_NaN();
    expect_error(pool.c_pool(0).input(), "row 1 contains NaN or infinity");
    pool.embeddings[3] = std::numeric_limits<float>::infinity();
    expect_error(pool.c_pool(0).input(), "row 1 contains NaN or infinity");
    pool.embeddings[3] = before[3];
    REQUIRE(pool.embeddings == before); // the plugin only reads its input
}
