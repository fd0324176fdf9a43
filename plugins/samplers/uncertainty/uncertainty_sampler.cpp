// org.slt.sampler.uncertainty: the k highest scores among the points that are neither labelled nor
// already chosen, highest first (SPEC S1). The score is whatever uncertainty metric the host
// computed (BALD, entropy, 1-MSP, ...); higher means more uncertain.
//
// Ranking, a total order so the answer is fully determined by the inputs and the seed:
//   1. numbers before NaN (a NaN score carries no information, so it ranks last);
//   2. higher score first;
//   3. equal scores: lower tie_key(seed, index) first. The key is a bijective 64-bit mix, so distinct
//      indices never share a key, and a different seed reshuffles ties without any bias towards low
//      indices (which would favour whatever came first in the bank, e.g. one slide).
// Cost: one pass over the scores with a bounded heap of k entries, O(N log k); no full sort.
#include <slt/sdk/cpp/sampler.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

namespace {

// splitmix64's finaliser: a bijection on 64-bit values with good avalanche.
uint64_t mix64(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

// Tie-break key of point `index` under `seed`: distinct for distinct indices.
uint64_t tie_key(uint64_t seed, int64_t index)
{
    return mix64(mix64(seed) ^ static_cast<uint64_t>(index));
}

struct Candidate {
    float score;
    bool is_nan;
    uint64_t tie;
    int64_t index;
};

// True when `a` ranks before `b` (see the ranking at the top of the file).
bool ranks_before(const Candidate& a, const Candidate& b)
{
    if (a.is_nan != b.is_nan) return !a.is_nan;
    if (!a.is_nan && a.score != b.score) return a.score > b.score;
    return a.tie < b.tie;
}

class UncertaintySampler : public slt::sdk::Sampler {
public:
    static constexpr uint32_t needs = SLT_SAMPLER_NEEDS_SCORES;

    explicit UncertaintySampler(const slt::sdk::Host&) {}

    std::vector<int64_t> select(const slt::sdk::SamplerInput& input, int64_t k,
                                const slt::sdk::Job& job) override
    {
        const std::vector<uint8_t> eligible = input.eligible_mask();
        const size_t capacity = static_cast<size_t>(k);
        // A heap whose front is the worst of the best `capacity` seen so far.
        std::vector<Candidate> best;
        best.reserve(std::min(capacity, eligible.size()));
        for (int64_t i = 0; i < input.num_points && capacity > 0; ++i) {
            if ((i & 0xFFFF) == 0) job.throw_if_cancelled();
            if (!eligible[static_cast<size_t>(i)]) continue;
            const float score = input.scores[static_cast<size_t>(i)];
            const Candidate candidate{score, std::isnan(score), tie_key(input.seed, i), i};
            if (best.size() < capacity) {
                best.push_back(candidate);
                std::push_heap(best.begin(), best.end(), ranks_before);
            } else if (ranks_before(candidate, best.front())) {
                std::pop_heap(best.begin(), best.end(), ranks_before);
                best.back() = candidate;
                std::push_heap(best.begin(), best.end(), ranks_before);
            }
        }
        std::sort_heap(best.begin(), best.end(), ranks_before); // best first
        std::vector<int64_t> picked;
        picked.reserve(best.size());
        for (const Candidate& c : best) picked.push_back(c.index);
        return picked;
    }
};

} // namespace

SLT_PLUGIN("org.slt.sampler.uncertainty", "1.0.0", UncertaintySampler)
