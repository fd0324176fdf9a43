// An example SLT sampler: the k points with the highest uncertainty score among those that are
// neither labelled nor chosen yet. Points with equal scores are ordered by a hash of (seed, index),
// so ties do not favour low indices and the same seed always gives the same answer. NaN scores
// count as the least uncertain.
#include <slt/sdk/cpp/sampler.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

namespace {

// SplitMix64 finaliser: a fixed, well-mixed 64-bit hash (the same on every platform).
uint64_t mix(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

class TopScoreSampler : public slt::sdk::Sampler {
public:
    static constexpr uint32_t needs = SLT_SAMPLER_NEEDS_SCORES;

    explicit TopScoreSampler(const slt::sdk::Host&) {}

    std::vector<int64_t> select(const slt::sdk::SamplerInput& input, int64_t k,
                                const slt::sdk::Job& job) override
    {
        std::vector<int64_t> pool = input.eligible_indices();
        job.throw_if_cancelled();
        const auto score = [&](int64_t i) {
            const float s = input.scores[static_cast<size_t>(i)];
            return std::isnan(s) ? -INFINITY : s;
        };
        const auto more_uncertain = [&](int64_t a, int64_t b) {
            const float sa = score(a), sb = score(b);
            if (sa != sb) return sa > sb;
            return mix(input.seed ^ static_cast<uint64_t>(a)) < mix(input.seed ^ static_cast<uint64_t>(b));
        };
        const size_t picks = std::min(pool.size(), static_cast<size_t>(k));
        std::partial_sort(pool.begin(), pool.begin() + static_cast<std::ptrdiff_t>(picks), pool.end(),
                          more_uncertain);
        pool.resize(picks);
        return pool;
    }
};

} // namespace

SLT_PLUGIN("org.example.sampler.top-score", "1.0.0", TopScoreSampler)
