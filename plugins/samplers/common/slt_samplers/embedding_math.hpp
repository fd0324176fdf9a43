// What several sampler plugins share: the squared-distance kernel, the check of an embedding matrix, and
// seeded draws that give the same numbers with every standard library. Header-only, inside the plugins
// (not part of the SDK): link slt_sampler_common.
#pragma once

#include <slt/sdk/cpp/views.hpp>

#include <cstdint>
#include <random>
#include <string>

namespace slt::samplers {

inline constexpr int kLanes = 16; // partial sums per distance: 4 SSE or 2 AVX registers

// |a - b|^2 over `dim` floats with kLanes independent partial sums: GCC vectorises this without
// -ffast-math (a single running sum would not be reordered), and the additions happen in a fixed order,
// so the result is the same bits on every instruction set. Needs -O3 to keep the lanes in registers.
inline float squared_distance(const float* a, const float* b, int64_t dim)
{
    float lane[kLanes] = {};
    int64_t j = 0;
    for (; j + kLanes <= dim; j += kLanes) {
        for (int l = 0; l < kLanes; ++l) {
            const float t = a[j + l] - b[j + l];
            lane[l] += t * t;
        }
    }
    for (int l = 0; j + l < dim; ++l) {
        const float t = a[j + l] - b[j + l];
        lane[l] += t * t;
    }
    for (int width = kLanes / 2; width > 0; width /= 2)
        for (int l = 0; l < width; ++l) lane[l] += lane[l + width];
    return lane[0];
}

// Rejects what the distance kernels cannot use: no columns, overlapping rows, NaN or infinity (a NaN
// distance would silently never win or lose). x - x is 0 for every finite x and NaN otherwise, so the
// same vectorised kernel checks a whole row.
inline void check_embeddings(const slt::sdk::Matrix<const float>& embeddings)
{
    if (embeddings.rows() == 0) return;
    slt::sdk::detail::require(embeddings.cols() > 0, "embeddings: need at least one column");
    if (embeddings.rows() > 1)
        slt::sdk::detail::require(embeddings.row(1).data() - embeddings.row(0).data() >= embeddings.cols(),
                                  "embeddings: the row stride is smaller than the number of columns");
    for (int64_t i = 0; i < embeddings.rows(); ++i) {
        const float* row = embeddings.row(i).data();
        if (squared_distance(row, row, embeddings.cols()) != 0.0f)
            throw slt::sdk::Error(SLT_ERR_INVALID_ARGUMENT,
                                  "embeddings: row " + std::to_string(i) + " contains NaN or infinity");
    }
}

// A uniform draw from [0, n), n > 0, by rejection: raw values below 2^64 mod n are redrawn, so each
// result is equally likely. (std::uniform_int_distribution's algorithm differs between libraries.)
inline uint64_t uniform_below(std::mt19937_64& generator, uint64_t n)
{
    const uint64_t threshold = (0 - n) % n; // == 2^64 mod n
    for (;;) {
        const uint64_t r = generator();
        if (r >= threshold) return r % n;
    }
}

// A uniform double in [0, 1) from the top 53 bits.
inline double uniform_unit(std::mt19937_64& generator)
{
    return static_cast<double>(generator() >> 11) * (1.0 / 9007199254740992.0);
}

} // namespace slt::samplers
