// The uncertainty sampler plugin (org.slt.sampler.uncertainty), loaded from its built library and
// checked against a full sort of the eligible points written here.
#include <slt/sdk/cpp/host/sampler_proxy.hpp>
#include <slt_sampler_test/sampler_input.hpp>

#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
#include <slt_test/plugin_under_test.hpp>

#include <algorithm>
#include <cmath>
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
    static const slt_plugin_entry* loaded = slt::test::loadPluginEntry(SLT_UNCERTAINTY_PLUGIN_PATH);
    return loaded;
}

SamplerProxy make_sampler()
{
    auto proxy = SamplerProxy::create(entry()->get_factory(SLT_SAMPLER_FACTORY_ID), nullptr);
    REQUIRE(proxy.ok());
    return std::move(*proxy);
}

struct Pool {
    std::vector<float> scores;
    std::vector<uint8_t> labelled; // empty = nothing labelled
    std::vector<int64_t> chosen;

    // The C input the sampler reads.
    SamplerPool c_pool(uint64_t seed) const
    {
        return SamplerPool(static_cast<int64_t>(scores.size()), present(scores), nullptr, 0,
                           labelled.empty() ? nullptr : labelled.data(), chosen.data(),
                           static_cast<int64_t>(chosen.size()), seed);
    }
};

std::vector<int64_t> pick(SamplerProxy& sampler, const SamplerPool& c_pool, int64_t k)
{
    auto result = sampler.select(c_pool.input(), k);
    INFO(result.message());
    REQUIRE(result.ok());
    return *result;
}

// The documented tie-break key, written out independently: splitmix64's finaliser applied to
// (finaliser(seed) XOR index).
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

// Brute force: every eligible point, fully sorted by (NaN last, score descending, tie key).
std::vector<int64_t> brute_force(const Pool& pool, uint64_t seed, int64_t k)
{
    std::vector<int64_t> eligible;
    for (int64_t i = 0; i < static_cast<int64_t>(pool.scores.size()); ++i) {
        const bool labelled = !pool.labelled.empty() && pool.labelled[static_cast<size_t>(i)];
        const bool chosen = std::find(pool.chosen.begin(), pool.chosen.end(), i) != pool.chosen.end();
        if (!labelled && !chosen) eligible.push_back(i);
    }
    const uint64_t seed_mix = splitmix_finaliser(seed);
    std::sort(eligible.begin(), eligible.end(), [&](int64_t a, int64_t b) {
        const float sa = pool.scores[static_cast<size_t>(a)], sb = pool.scores[static_cast<size_t>(b)];
        if (std::isnan(sa) != std::isnan(sb)) return std::isnan(sb);
        if (!std::isnan(sa) && sa != sb) return sa > sb;
        return splitmix_finaliser(seed_mix ^ static_cast<uint64_t>(a)) <
               splitmix_finaliser(seed_mix ^ static_cast<uint64_t>(b));
    });
    eligible.resize(std::min(eligible.size(), static_cast<size_t>(k)));
    return eligible;
}

} // namespace

TEST_CASE("the entry describes the uncertainty sampler, which needs scores only")
{
    REQUIRE(std::strcmp(entry()->id, "org.slt.sampler.uncertainty") == 0);
    auto sampler = make_sampler();
    REQUIRE(sampler.needs() == SLT_SAMPLER_NEEDS_SCORES);
}

TEST_CASE("distinct scores: the k highest, highest first")
{
    Pool pool;
    pool.scores = {0.1f, 0.9f, 0.5f, 0.7f, 0.3f, 0.8f};
    auto sampler = make_sampler();
    REQUIRE(pick(sampler, pool.c_pool(3), 3) == std::vector<int64_t>{1, 5, 3});
    REQUIRE(pick(sampler, pool.c_pool(99), 3) == std::vector<int64_t>{1, 5, 3});
}

TEST_CASE("labelled and chosen points are never picked")
{
    Pool pool;
    pool.scores = {0.1f, 0.9f, 0.5f, 0.7f, 0.3f, 0.8f};
    pool.labelled = {0, 1, 0, 0, 0, 0};
    pool.chosen = {5};
    auto sampler = make_sampler();
    REQUIRE(pick(sampler, pool.c_pool(0), 3) == std::vector<int64_t>{3, 2, 4});
}

TEST_CASE("matches a brute-force sort on random pools with many ties, NaNs, labels and choices")
{
    std::mt19937_64 generator(12345);
    auto sampler = make_sampler();
    for (int trial = 0; trial < 200; ++trial) {
        Pool pool;
        const size_t n = 1 + generator() % 300;
        for (size_t i = 0; i < n; ++i) {
            const uint64_t r = generator() % 10;
            // few distinct values, so ties are common; some NaNs
            pool.scores.push_back(r == 0 ? std::numeric_limits<float>::quiet_NaN()
                                         : static_cast<float>(generator() % 5) * 0.25f);
        }
        if (trial % 2) {
            pool.labelled.resize(n);
            for (auto& l : pool.labelled) l = generator() % 4 == 0;
        }
        for (size_t c = 0; c < n / 10; ++c) pool.chosen.push_back(static_cast<int64_t>(generator() % n));
        std::sort(pool.chosen.begin(), pool.chosen.end());
        pool.chosen.erase(std::unique(pool.chosen.begin(), pool.chosen.end()), pool.chosen.end());
        const int64_t k = static_cast<int64_t>(generator() % (n + 5));
        const uint64_t seed = generator();
        CAPTURE(trial, n, k, seed);
        REQUIRE(pick(sampler, pool.c_pool(seed), k) == brute_force(pool, seed, k));
    }
}

TEST_CASE("ties are ordered by the seed, not by index, and the same seed repeats")
{
    Pool pool;
    pool.scores.assign(100, 0.5f);
    auto sampler = make_sampler();
    const auto a = pick(sampler, pool.c_pool(1), 10);
    REQUIRE(a == pick(sampler, pool.c_pool(1), 10));
    REQUIRE(a == brute_force(pool, 1, 10));
    REQUIRE(a != pick(sampler, pool.c_pool(2), 10));
    std::vector<int64_t> first_ten(10);
    for (int64_t i = 0; i < 10; ++i) first_ten[static_cast<size_t>(i)] = i;
    REQUIRE(a != first_ten);
}

TEST_CASE("NaN scores rank after every number, infinity included")
{
    const float nan = std::numeric_limits<float>::quiet_NaN();
    const float inf = std::numeric_limits<float>::infinity();
    Pool pool;
    pool.scores = {nan, -inf, nan, 0.0f, inf, -1.0f};
    auto sampler = make_sampler();
    const auto picks = pick(sampler, pool.c_pool(4), 6);
    REQUIRE(std::vector<int64_t>(picks.begin(), picks.begin() + 4) == std::vector<int64_t>{4, 3, 5, 1});
    REQUIRE(std::is_permutation(picks.begin() + 4, picks.end(), std::vector<int64_t>{0, 2}.begin()));
}

TEST_CASE("fewer eligible points than k, k = 0 and an empty pool")
{
    Pool pool;
    pool.scores = {0.2f, 0.4f, 0.6f};
    pool.labelled = {1, 0, 0};
    auto sampler = make_sampler();
    REQUIRE(pick(sampler, pool.c_pool(0), 10) == std::vector<int64_t>{2, 1});
    REQUIRE(pick(sampler, pool.c_pool(0), 0).empty());
    Pool empty;
    REQUIRE(pick(sampler, empty.c_pool(0), 5).empty());
}

TEST_CASE("bad input gives a status and a message, never a pick")
{
    Pool pool;
    pool.scores = {0.2f, 0.4f, 0.6f};
    auto sampler = make_sampler();

    const SamplerPool c_pool = pool.c_pool(0);
    slt_sampler_input no_scores = c_pool.input();
    no_scores.scores = nullptr;
    auto result = sampler.select(no_scores, 2);
    REQUIRE(result.status().code == SLT_ERR_INVALID_ARGUMENT);
    REQUIRE_THAT(result.message(), Catch::Contains("scores is NULL"));

    auto select_spoilt = [&](auto spoil) {
        slt_array scores = *c_pool.input().scores;
        spoil(scores);
        return sampler.select(with_array(c_pool, &slt_sampler_input::scores, scores), 2);
    };
    result = select_spoilt([](slt_array& scores) { scores.dtype = SLT_DTYPE_I32; });
    REQUIRE(result.status().code == SLT_ERR_INVALID_ARGUMENT);
    REQUIRE_THAT(result.message(), Catch::Contains("scores: expected dtype"));

    result = select_spoilt([](slt_array& scores) { scores.shape[0] = 2; });
    REQUIRE(result.status().code == SLT_ERR_INVALID_ARGUMENT);
    REQUIRE_THAT(result.message(), Catch::Contains("expected 3 elements"));

    // The same call through the raw C table (no proxy checks first): the plugin's own checks answer.
    const auto* table = static_cast<const slt_sampler_factory*>(entry()->get_factory(SLT_SAMPLER_FACTORY_ID));
    slt_sampler* raw = nullptr;
    REQUIRE(table->create(nullptr, &raw, nullptr) == SLT_OK);
    int64_t out[2] = {-7, -7};
    int64_t count = -1;
    char message[256] = {};
    slt_error err{message, sizeof message};
    REQUIRE(table->select(raw, &no_scores, 2, out, &count, nullptr, &err) == SLT_ERR_INVALID_ARGUMENT);
    REQUIRE_THAT(std::string(message), Catch::Contains("scores is NULL"));
    REQUIRE(count == 0);
    REQUIRE(out[0] == -7); // outputs untouched
    table->destroy(raw);
}
