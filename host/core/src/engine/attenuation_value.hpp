// The attenuated value u0·(1 − exp(−λd²)) (u0 from the cut-off on), the one formula every update, re-search and
// recomputation writes. exp is evaluated here rather than by libm: a label can change every one of a million
// values, and a libm call per value cost more than the scan that found them. The scalar and the AVX2 form
// perform the same IEEE double operations in the same order (no FMA), so they give the same bits.
//
// exp(−t) for t in [0, ln 2^24] (the cut-off): t·log2(e) rounded to n, r = −t − n·ln2 in two parts, exp(r)
// by its Taylor polynomial to degree 11 (|r| ≤ ln2/2: truncation < 2e-15 relative), times 2^n. The value's
// error is below u0·1e-14 absolute, far under the f32 rounding of the result.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
#include <immintrin.h>

namespace slt::core::attenuation_detail {

namespace value_constants {
constexpr double kLog2e = 1.4426950408889634;
constexpr double kLn2High = 0.6931471803691238; // ln 2 in two parts: n·kLn2High is exact for |n| ≤ 2^10
constexpr double kLn2Low = 1.9082149292705877e-10;
constexpr double kInverseFactorials[12] = {1.0, 1.0, 1.0 / 2, 1.0 / 6, 1.0 / 24, 1.0 / 120, 1.0 / 720, 1.0 / 5040,
                                           1.0 / 40320, 1.0 / 362880, 1.0 / 3628800, 1.0 / 39916800};
} // namespace value_constants

inline double expNegative(double t)
{
    using namespace value_constants;
    const double x = -t;
    const double n = std::nearbyint(x * kLog2e);
    const double r = (x - n * kLn2High) - n * kLn2Low;
    double p = kInverseFactorials[11];
    for (int k = 10; k >= 0; --k) p = p * r + kInverseFactorials[k];
    const int64_t bits = (static_cast<int64_t>(n) + 1023) << 52;
    double scale;
    std::memcpy(&scale, &bits, sizeof scale);
    return p * scale;
}

inline float attenuatedValue(float u0, float distance2, double lambda, float cutoff2)
{
    if (!(distance2 < cutoff2)) return u0;
    return static_cast<float>(static_cast<double>(u0) * (1.0 - expNegative(lambda * static_cast<double>(distance2))));
}

// Four values at once; `inside` lanes (distance2 < cutoff2) get the formula, the others u0.
__attribute__((target("avx2"))) inline __m128 attenuatedValues4(__m128 u0, __m128 distance2, double lambda,
                                                                 float cutoff2)
{
    using namespace value_constants;
    const __m256d x = _mm256_sub_pd(_mm256_setzero_pd(), _mm256_mul_pd(_mm256_set1_pd(lambda), _mm256_cvtps_pd(distance2)));
    const __m256d n = _mm256_round_pd(_mm256_mul_pd(x, _mm256_set1_pd(kLog2e)), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    const __m256d r = _mm256_sub_pd(_mm256_sub_pd(x, _mm256_mul_pd(n, _mm256_set1_pd(kLn2High))),
                                    _mm256_mul_pd(n, _mm256_set1_pd(kLn2Low)));
    __m256d p = _mm256_set1_pd(kInverseFactorials[11]);
    for (int k = 10; k >= 0; --k) p = _mm256_add_pd(_mm256_mul_pd(p, r), _mm256_set1_pd(kInverseFactorials[k]));
    const __m256i exponent = _mm256_slli_epi64(_mm256_cvtepi32_epi64(_mm_add_epi32(_mm256_cvtpd_epi32(n), _mm_set1_epi32(1023))), 52);
    const __m256d e = _mm256_mul_pd(p, _mm256_castsi256_pd(exponent));
    const __m256d value = _mm256_mul_pd(_mm256_cvtps_pd(u0), _mm256_sub_pd(_mm256_set1_pd(1.0), e));
    const __m128 inside = _mm_cmplt_ps(distance2, _mm_set1_ps(cutoff2));
    return _mm_blendv_ps(u0, _mm256_cvtpd_ps(value), inside);
}

} // namespace slt::core::attenuation_detail
