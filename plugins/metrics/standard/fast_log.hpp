// The natural log of a float probability as plain arithmetic (no call, no branch, no table), so
// that a loop over many entries compiles to SIMD code. BALD needs one log per entry of p (T·C per
// point); glibc's scalar log made that pass ~40x slower than reading the array.
//
// x = 2^e · m with m in [sqrt(1/2), sqrt(2)) is read off the float's bits; then ln x = e·ln 2 + ln m
// and ln m = f − f²/2 + f³·P(f), f = m − 1 (exact in float), P a degree-6 minimax polynomial fitted
// by tools/fit_log_polynomial.py (largest error of the polynomial itself 7.1e-9). ln m is evaluated
// in float; e·ln 2 and everything after it in double.
//
// Error bound: |log_of_mantissa(m) − ln m| <= kLogMantissaError for every float m in the range
// (checked over all of them by tests/test_fast_log.cpp), hence |x_log_x(x) − x ln x| <= x ·
// kLogMantissaError (plus double rounding, ~1e-16 relative), and an entropy −Σ_c p_c ln p_c over a
// row that sums to 1 is off by at most kLogMantissaError. Floats below FLT_MIN (subnormals, 0) give
// 0: the exact x ln x there is above −1.1e-36.
#pragma once

#include <cfloat>
#include <cstdint>
#include <cstring>

namespace slt::metrics::standard {

// Largest |error| of log_of_mantissa over all floats in [sqrt(1/2), sqrt(2)), rounded up; measured
// 3.08e-8 (polynomial 7.1e-9 plus float rounding in its evaluation).
constexpr double kLogMantissaError = 3.5e-8;

constexpr uint32_t kSqrtHalfBits = 0x3F3504F3u; // the float closest to sqrt(1/2)
constexpr double kLn2 = 0.69314718055994530942;

struct SplitFloat {
    int32_t exponent; // e
    float mantissa;   // m in [sqrt(1/2), sqrt(2))
};

// x = 2^e · m for a normal float x > 0. Subtracting sqrt(1/2)'s bits before taking the exponent
// moves the split point of the binade from 1 to sqrt(1/2), so |ln m| <= ln 2 / 2.
inline SplitFloat split_float(float x)
{
    uint32_t bits = 0;
    std::memcpy(&bits, &x, sizeof bits);
    const uint32_t shifted = bits - kSqrtHalfBits;
    const uint32_t mantissa_bits = (shifted & 0x007FFFFFu) + kSqrtHalfBits;
    float mantissa = 0;
    std::memcpy(&mantissa, &mantissa_bits, sizeof mantissa);
    // the arithmetic shift of a negative int32 (GCC and Clang define it) floors to the exponent
    return {static_cast<int32_t>(shifted) >> 23, mantissa};
}

// ln m for m in [sqrt(1/2), sqrt(2)), within kLogMantissaError.
inline float log_of_mantissa(float m)
{
    const float f = m - 1.0f;
    const float f2 = f * f;
    float p = 0.0867219046f;
    p = p * f - 0.143790081f;
    p = p * f + 0.149779916f;
    p = p * f - 0.165644258f;
    p = p * f + 0.199548751f;
    p = p * f - 0.250016987f;
    p = p * f + 0.333341658f;
    // the small terms first, f last: its rounding is then the only one at full magnitude
    return f + (f2 * f * p - 0.5f * f2);
}

// x ln x in double for a probability x, 0 for x < FLT_MIN (including 0, negatives and NaN, which the
// caller refuses separately). Those are replaced by 1 (1 ln 1 = 0 exactly) before the arithmetic
// rather than selected after it, which keeps the loop free of branches so that it vectorises.
inline double x_log_x_fast(float x)
{
    const float positive = x >= FLT_MIN ? x : 1.0f;
    const SplitFloat split = split_float(positive);
    const double log_x = static_cast<double>(split.exponent) * kLn2 + static_cast<double>(log_of_mantissa(split.mantissa));
    return static_cast<double>(positive) * log_x;
}

} // namespace slt::metrics::standard
