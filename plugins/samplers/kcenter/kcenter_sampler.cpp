// org.slt.sampler.kcenter: k-center greedy (farthest-first traversal) in embedding space (SPEC S1;
// Gonzalez 1985, Sener & Savarese 2018; al-methods §2.5).
//
//   nearest(x) = squared distance from x to its nearest centre;
//   repeat k times: pick x* = the eligible point with the largest nearest(x) (ties: lowest index);
//                   nearest(x) = min(nearest(x), |e(x) - e(x*)|^2) for every x.
//
// Centres at the start: the labelled points and the points already chosen this round (setting
// start_from_labelled, default on); without any, the first pick is a seeded random eligible point.
//
// Cost: each pick is ONE streaming pass over the [N, D] matrix that updates `nearest` and finds the
// next farthest point in the same loop; O(N) extra memory. The pass is memory-bound (about 10 ms for
// 1,000,000 x 64 fp32 on a 2-core VM), which is why:
//   - the distance uses 16 independent partial sums: GCC does not vectorise a single float
//     accumulator without -ffast-math (it may not reorder the additions), but it does vectorise
//     explicit lanes, and the result is the same bit for bit on every instruction set, because every
//     lane and the final reduction are written out in a fixed order;
//   - rows are split over a few threads; each thread returns its own farthest point and the merge keeps
//     the lowest index on ties, so the picks do not depend on the thread count;
//   - squared distances are compared (same order as distances, no sqrt);
//   - points that can never be picked hold -1 in `nearest`, so the hot loop reads no mask: min(-1, d)
//     stays -1 and -1 never wins the argmax.
#include <slt_samplers/embedding_math.hpp>
#include <slt/sdk/cpp/sampler.hpp>

#include <algorithm>
#include <limits>
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

constexpr float kNeverPick = -1.0f; // `nearest` of labelled, chosen and picked points
constexpr int64_t kMinRowsPerThread = 65536;

// On x86-64 the pass is compiled twice, for AVX2 and for the baseline (SSE2), and the loader picks
// the one the CPU runs (GCC function multi-versioning). AVX2 without FMA performs the same additions
// and multiplications in the same order, so both versions give the same bits.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define SLT_KCENTER_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define SLT_KCENTER_CLONES
#endif

struct Farthest {
    float distance = kNeverPick; // squared
    int64_t index = -1;          // -1: no eligible point left
};

// The pass over rows [begin, end): lowers nearest[i] to the squared distance to each of `count`
// centres (rows of a contiguous [count, dim] block) and returns the farthest eligible row. Rows holding
// kNeverPick are skipped, so labelled points cost no arithmetic. `stop` is polled every 256 rows when
// the pass is long (many centres at once); a stopped pass returns index -2.
SLT_KCENTER_CLONES Farthest update_rows(const Matrix<const float>& embeddings, const float* centres, int64_t count,
                     float* nearest, int64_t begin, int64_t end, const slt::sdk::Job& stop)
{
    const int64_t dim = embeddings.cols();
    const bool poll = count > 64;
    Farthest best;
    for (int64_t i = begin; i < end; ++i) {
        if (poll && (i & 255) == 0 && stop.cancelled()) return Farthest{kNeverPick, -2};
        float current = nearest[i];
        if (current != kNeverPick) {
            const float* row = embeddings.row(i).data();
            for (int64_t c = 0; c < count; ++c) {
                const float d = squared_distance(row, centres + c * dim, dim);
                current = d < current ? d : current;
            }
            nearest[i] = current;
        }
        if (current > best.distance) best = Farthest{current, i};
    }
    return best;
}

// update_rows over all rows, split into `threads` contiguous parts. Parts are merged in row order
// with a strict comparison, so ties keep the lowest index whatever the thread count.
Farthest update_all(const Matrix<const float>& embeddings, const float* centres, int64_t count,
                    float* nearest, int threads, const slt::sdk::Job& job)
{
    const int64_t n = embeddings.rows();
    const int parts = static_cast<int>(std::max<int64_t>(1, std::min<int64_t>(threads, n / kMinRowsPerThread)));
    std::vector<Farthest> found(static_cast<size_t>(parts));
    std::vector<std::thread> workers;
    auto run_part = [&](int p) {
        found[static_cast<size_t>(p)] =
            update_rows(embeddings, centres, count, nearest, n * p / parts, n * (p + 1) / parts, job);
    };
    for (int p = 1; p < parts; ++p) {
        try {
            workers.emplace_back(run_part, p);
        } catch (const std::system_error&) {
            run_part(p); // no thread available: same result, just slower
        }
    }
    run_part(0);
    for (std::thread& worker : workers) worker.join();
    Farthest best;
    for (const Farthest& part : found) {
        if (part.index == -2) throw slt::sdk::Error(SLT_ERR_CANCELLED, "cancelled");
        if (part.distance > best.distance) best = part;
    }
    return best;
}

// splitmix64's finaliser; picks the random first centre from the seed.
uint64_t mix64(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

class KCenterSampler : public slt::sdk::Sampler {
public:
    static constexpr uint32_t needs = SLT_SAMPLER_NEEDS_EMBEDDINGS;

    explicit KCenterSampler(const slt::sdk::Host& host)
        : start_from_labelled_(host.setting_bool("start_from_labelled").value_or(true)),
          threads_(thread_count(host.setting_int("threads").value_or(0)))
    {
    }

    std::vector<int64_t> select(const slt::sdk::SamplerInput& input, int64_t k,
                                const slt::sdk::Job& job) override
    {
        const Matrix<const float>& embeddings = input.embeddings;
        check_embeddings(embeddings);
        const std::vector<uint8_t> eligible = input.eligible_mask();
        std::vector<float> nearest(eligible.size());
        for (size_t i = 0; i < eligible.size(); ++i)
            nearest[i] = eligible[i] ? std::numeric_limits<float>::infinity() : kNeverPick;

        std::vector<int64_t> picked;
        if (k == 0) return picked;
        picked.reserve(static_cast<size_t>(std::min<int64_t>(k, input.num_points)));
        Farthest next = first_centre(input, eligible, nearest, job);
        while (next.index >= 0) {
            job.throw_if_cancelled();
            picked.push_back(next.index);
            nearest[static_cast<size_t>(next.index)] = kNeverPick;
            job.progress(picked.size(), static_cast<uint64_t>(k), "k-center greedy");
            if (static_cast<int64_t>(picked.size()) == k) break;
            next = update_all(embeddings, embeddings.row(next.index).data(), 1, nearest.data(), threads_, job);
        }
        return picked;
    }

private:
    static int thread_count(int64_t setting)
    {
        if (setting > 0) return static_cast<int>(std::min<int64_t>(setting, 64));
        // Two threads saturate memory bandwidth on the machines measured; more only add overhead.
        return static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 2u));
    }

    // The first pick: the point farthest from the labelled and chosen points, or a seeded random
    // eligible point when there are none (or the setting is off).
    Farthest first_centre(const slt::sdk::SamplerInput& input, const std::vector<uint8_t>& eligible,
                          std::vector<float>& nearest, const slt::sdk::Job& job) const
    {
        const std::vector<float> centres = start_from_labelled_ ? initial_centres(input) : std::vector<float>{};
        const int64_t dim = input.embeddings.cols();
        if (!centres.empty())
            return update_all(input.embeddings, centres.data(), static_cast<int64_t>(centres.size()) / dim,
                              nearest.data(), threads_, job);
        const int64_t count = std::count(eligible.begin(), eligible.end(), uint8_t{1});
        if (count == 0) return Farthest{};
        int64_t skip = static_cast<int64_t>(mix64(input.seed) % static_cast<uint64_t>(count));
        for (size_t i = 0; i < eligible.size(); ++i)
            if (eligible[i] && skip-- == 0) return Farthest{nearest[i], static_cast<int64_t>(i)};
        return Farthest{};
    }

    // The rows of the labelled and chosen points, copied into one contiguous [count, D] block.
    static std::vector<float> initial_centres(const slt::sdk::SamplerInput& input)
    {
        std::vector<float> centres;
        auto add = [&](int64_t i) {
            const auto row = input.embeddings.row(i);
            centres.insert(centres.end(), row.begin(), row.end());
        };
        for (int64_t i = 0; i < input.num_points; ++i)
            if (input.is_labelled(i)) add(i);
        for (int64_t i : input.chosen)
            if (!input.is_labelled(i)) add(i);
        return centres;
    }

    bool start_from_labelled_;
    int threads_;
};

} // namespace

SLT_PLUGIN("org.slt.sampler.kcenter", "1.0.0", KCenterSampler)
