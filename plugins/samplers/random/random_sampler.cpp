// org.slt.sampler.random: picks k points uniformly at random, without replacement, among the points
// that are neither labelled nor already chosen (SPEC S1). The low-budget baseline every other sampler
// is compared with (al-methods §2.8).
//
// Determinism: the same pool, k, seed and seed_offset give the same indices on every platform. The
// generator is std::mt19937_64 (its output sequence is fixed by the C++ standard) seeded with
// seed + seed_offset; indices are drawn with our own unbiased bounded draw, not
// std::uniform_int_distribution, whose algorithm differs between standard libraries.
#include <slt_samplers/embedding_math.hpp>
#include <slt/sdk/cpp/sampler.hpp>

#include <algorithm>
#include <random>
#include <utility>

namespace {

using slt::samplers::uniform_below;

class RandomSampler : public slt::sdk::Sampler {
public:
    static constexpr uint32_t needs = 0; // neither scores nor embeddings

    explicit RandomSampler(const slt::sdk::Host& host)
        : seed_offset_(static_cast<uint64_t>(host.setting_int("seed_offset").value_or(0)))
    {
    }

    // Partial Fisher-Yates shuffle of the eligible indices: the first k positions are a uniform
    // sample without replacement, in a uniformly random order.
    std::vector<int64_t> select(const slt::sdk::SamplerInput& input, int64_t k,
                                const slt::sdk::Job& job) override
    {
        std::vector<int64_t> pool = input.eligible_indices();
        const size_t picks = std::min(pool.size(), static_cast<size_t>(k));
        std::mt19937_64 generator(input.seed + seed_offset_);
        for (size_t i = 0; i < picks; ++i) {
            if ((i & 0xFFFF) == 0) job.throw_if_cancelled();
            const size_t j = i + static_cast<size_t>(uniform_below(generator, pool.size() - i));
            std::swap(pool[i], pool[j]);
        }
        pool.resize(picks);
        return pool;
    }

private:
    uint64_t seed_offset_;
};

} // namespace

SLT_PLUGIN("org.slt.sampler.random", "1.0.0", RandomSampler)
