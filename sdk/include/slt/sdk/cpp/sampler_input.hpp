// SLT plugin SDK, C++ helpers: the sampler's candidate pool as C++ views, and the rules a selection
// must obey. Shared by the plugin-side base class (sampler.hpp) and the host-side proxy
// (host/sampler_proxy.hpp), so both check the same contract. Header-only.
#pragma once

#include "../sampler.h"
#include "error.hpp"
#include "views.hpp"

#include <string>
#include <vector>

namespace slt::sdk {

struct SamplerInput {
    int64_t num_points = 0;          // N
    Span<const float> scores;        // [N], higher = more uncertain; empty unless NEEDS_SCORES
    Matrix<const float> embeddings;  // [N, D]; empty unless NEEDS_EMBEDDINGS
    Span<const uint8_t> labelled;    // [N] non-zero = labelled; empty = nothing labelled
    Span<const int64_t> chosen;      // picked earlier this round
    uint64_t seed = 0;

    bool is_labelled(int64_t i) const
    {
        return !labelled.empty() && labelled[static_cast<size_t>(i)] != 0;
    }

    // 1 for every point that may be picked: neither labelled nor already chosen.
    std::vector<uint8_t> eligible_mask() const
    {
        std::vector<uint8_t> mask(static_cast<size_t>(num_points), 1);
        for (int64_t i = 0; i < num_points; ++i)
            if (is_labelled(i)) mask[static_cast<size_t>(i)] = 0;
        for (int64_t c : chosen) mask[static_cast<size_t>(c)] = 0;
        return mask;
    }

    // The eligible indices in increasing order.
    std::vector<int64_t> eligible_indices() const
    {
        const std::vector<uint8_t> mask = eligible_mask();
        std::vector<int64_t> indices;
        for (int64_t i = 0; i < num_points; ++i)
            if (mask[static_cast<size_t>(i)]) indices.push_back(i);
        return indices;
    }

    // Checked conversion from the C struct; throws Error(SLT_ERR_INVALID_ARGUMENT).
    static SamplerInput from_c(const slt_sampler_input* in, uint32_t needs)
    {
        detail::require(in != nullptr, "sampler input is NULL");
        detail::require(SLT_SDK_HAS_FIELD(in, slt_sampler_input, seed),
                        "sampler input struct_size is too small");
        detail::require(in->num_points >= 0, "num_points is negative");
        SamplerInput out;
        out.num_points = in->num_points;
        out.seed = in->seed;
        if (needs & SLT_SAMPLER_NEEDS_SCORES) {
            detail::require(in->scores != nullptr, "this sampler needs scores, but scores is NULL");
            out.scores = detail::vector_of<const float>(*in->scores, SLT_DTYPE_F32, in->num_points, "scores");
        }
        if (needs & SLT_SAMPLER_NEEDS_EMBEDDINGS) {
            detail::require(in->embeddings != nullptr, "this sampler needs embeddings, but embeddings is NULL");
            out.embeddings = detail::matrix_of<const float>(*in->embeddings, SLT_DTYPE_F32, in->num_points, "embeddings");
        }
        if (in->labelled) out.labelled = Span<const uint8_t>(in->labelled, static_cast<size_t>(in->num_points));
        detail::require(in->num_chosen >= 0, "num_chosen is negative");
        detail::require(in->num_chosen == 0 || in->chosen != nullptr, "chosen is NULL but num_chosen > 0");
        if (in->num_chosen > 0) out.chosen = Span<const int64_t>(in->chosen, static_cast<size_t>(in->num_chosen));
        for (int64_t c : out.chosen)
            detail::require(c >= 0 && c < in->num_points, "a chosen index is out of range");
        return out;
    }
};

// Why `indices` (count of them) is not a valid answer to select(input, k), or "" when it is: at most
// k, each in [0, N), distinct, neither labelled nor chosen, and no fewer than k unless fewer are
// eligible.
inline std::string check_selection(const SamplerInput& input, int64_t k, const int64_t* indices,
                                   int64_t count)
{
    if (count < 0 || count > k)
        return "returned " + std::to_string(count) + " indices for k = " + std::to_string(k);
    std::vector<uint8_t> eligible = input.eligible_mask();
    int64_t num_eligible = 0;
    for (uint8_t e : eligible) num_eligible += e;
    for (int64_t j = 0; j < count; ++j) {
        const int64_t i = indices[j];
        if (i < 0 || i >= input.num_points)
            return "returned index " + std::to_string(i) + " outside [0, " + std::to_string(input.num_points) + ")";
        if (!eligible[static_cast<size_t>(i)])
            return "returned index " + std::to_string(i) + " which is labelled, chosen or a duplicate";
        eligible[static_cast<size_t>(i)] = 0; // a second occurrence is now a duplicate
    }
    const int64_t expected = k < num_eligible ? k : num_eligible;
    if (count < expected)
        return "returned " + std::to_string(count) + " indices although " + std::to_string(expected) +
               " were possible";
    return {};
}

} // namespace slt::sdk
