// The random sampler plugin (org.slt.sampler.random), loaded from its built library.
#include <slt/sdk/cpp/host/sampler_proxy.hpp>

#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
#include <slt_test/plugin_under_test.hpp>

#include <algorithm>
#include <cstring>
#include <set>
#include <vector>

namespace {

using slt::sdk::host::SamplerPool;
using slt::sdk::host::SamplerProxy;

const slt_plugin_entry* entry()
{
    static const slt_plugin_entry* loaded = slt::test::loadPluginEntry(SLT_RANDOM_PLUGIN_PATH);
    return loaded;
}

SamplerProxy make_sampler(const slt_host* host = nullptr)
{
    auto proxy = SamplerProxy::create(entry()->get_factory(SLT_SAMPLER_FACTORY_ID), host);
    REQUIRE(proxy.ok());
    return std::move(*proxy);
}

struct Pool {
    std::vector<uint8_t> labelled;
    std::vector<int64_t> chosen;

    // The C input the sampler reads: no scores, no embeddings.
    SamplerPool c_pool(uint64_t seed) const
    {
        return SamplerPool(static_cast<int64_t>(labelled.size()), nullptr, nullptr, 0, labelled.data(), chosen.data(),
                           static_cast<int64_t>(chosen.size()), seed);
    }
};

std::vector<int64_t> pick(SamplerProxy& sampler, const Pool& pool, int64_t k, uint64_t seed)
{
    auto result = sampler.select(pool.c_pool(seed).input(), k);
    INFO(result.message());
    REQUIRE(result.ok());
    return *result;
}

} // namespace

TEST_CASE("the entry describes the random sampler")
{
    REQUIRE(std::strcmp(entry()->id, "org.slt.sampler.random") == 0);
    REQUIRE(std::strcmp(entry()->version, "1.0.0") == 0);
    REQUIRE(entry()->get_factory("slt.metric/1") == nullptr);
    auto sampler = make_sampler();
    REQUIRE(sampler.needs() == 0);
}

TEST_CASE("picks are distinct and never labelled or chosen")
{
    Pool pool;
    pool.labelled.assign(1000, 0);
    for (size_t i = 0; i < pool.labelled.size(); i += 3) pool.labelled[i] = 1;
    pool.chosen = {1, 2, 4, 5, 997};
    auto sampler = make_sampler();
    for (uint64_t seed = 0; seed < 50; ++seed) {
        const auto picks = pick(sampler, pool, 100, seed);
        REQUIRE(picks.size() == 100);
        std::set<int64_t> seen;
        for (int64_t i : picks) {
            REQUIRE(pool.labelled[static_cast<size_t>(i)] == 0);
            REQUIRE(std::find(pool.chosen.begin(), pool.chosen.end(), i) == pool.chosen.end());
            REQUIRE(seen.insert(i).second);
        }
    }
}

TEST_CASE("asking for more than is eligible returns every eligible point")
{
    Pool pool;
    pool.labelled = {1, 0, 1, 0, 0, 1};
    pool.chosen = {3};
    auto sampler = make_sampler();
    auto picks = pick(sampler, pool, 10, 7);
    std::sort(picks.begin(), picks.end());
    REQUIRE(picks == std::vector<int64_t>{1, 4});
    REQUIRE(pick(sampler, pool, 0, 7).empty());
}

TEST_CASE("the same seed gives the same picks; other seeds give others")
{
    Pool pool;
    pool.labelled.assign(500, 0);
    auto a = make_sampler();
    auto b = make_sampler();
    REQUIRE(pick(a, pool, 20, 123) == pick(b, pool, 20, 123));
    REQUIRE(pick(a, pool, 20, 123) != pick(a, pool, 20, 124));
}

TEST_CASE("the draw is fixed across platforms (mt19937_64 + own bounded draw)")
{
    // Golden values: a change here changes every user's random baseline; bump the plugin version.
    Pool pool;
    pool.labelled.assign(10, 0);
    auto sampler = make_sampler();
    const auto picks = pick(sampler, pool, 5, 42);
    CAPTURE(picks);
    REQUIRE(picks == std::vector<int64_t>{6, 0, 4, 7, 9});
}

TEST_CASE("seed_offset from the settings shifts the seed")
{
    Pool pool;
    pool.labelled.assign(200, 0);
    slt::test::SettingsHost settings;
    settings.values["seed_offset"] = "5";
    auto shifted = make_sampler(settings.host());
    auto plain = make_sampler();
    REQUIRE(pick(shifted, pool, 10, 100) == pick(plain, pool, 10, 105));
}

TEST_CASE("every eligible point is equally likely, first pick included (chi-square over seeds)")
{
    // 20 points, the even ones labelled: 10 eligible. 3 picks per seed, 20000 seeds.
    Pool pool;
    pool.labelled.assign(20, 0);
    for (size_t i = 0; i < 20; i += 2) pool.labelled[i] = 1;
    auto sampler = make_sampler();
    std::vector<double> any(20, 0.0), first(20, 0.0);
    const int seeds = 20000;
    for (int seed = 0; seed < seeds; ++seed) {
        const auto picks = pick(sampler, pool, 3, static_cast<uint64_t>(seed));
        first[static_cast<size_t>(picks[0])] += 1;
        for (int64_t i : picks) any[static_cast<size_t>(i)] += 1;
    }
    auto chi_square = [&](const std::vector<double>& counts, double expected) {
        double chi = 0;
        for (size_t i = 1; i < 20; i += 2) chi += (counts[i] - expected) * (counts[i] - expected) / expected;
        return chi;
    };
    for (size_t i = 0; i < 20; i += 2) REQUIRE(any[i] == 0);
    // 9 degrees of freedom: P(chi2 > 27.88) = 0.001. The seeds are fixed, so this never flickers.
    CHECK(chi_square(any, seeds * 3 / 10.0) < 27.88);
    CHECK(chi_square(first, seeds / 10.0) < 27.88);
}
