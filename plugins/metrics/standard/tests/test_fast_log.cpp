// The fast log of the standard metrics (fast_log.hpp) against std::log in double: its documented
// error bound holds for every float mantissa, so every bound derived from it in the README holds.
#include "../fast_log.hpp"

#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>

namespace {

using namespace slt::metrics::standard;

float from_bits(uint32_t bits)
{
    float value = 0;
    std::memcpy(&value, &bits, sizeof value);
    return value;
}

} // namespace

TEST_CASE("every float's split is x = 2^e * m with m in [sqrt(1/2), sqrt(2))")
{
    for (uint32_t bits = 0x00800000u; bits <= 0x3F800200u; bits += 4099) { // FLT_MIN up to just above 1
        const float x = from_bits(bits);
        const SplitFloat split = split_float(x);
        INFO("x = " << x);
        REQUIRE(split.mantissa >= std::sqrt(0.5f));
        REQUIRE(split.mantissa < std::sqrt(2.0f));
        REQUIRE(std::ldexp(static_cast<double>(split.mantissa), split.exponent) == static_cast<double>(x));
    }
}

TEST_CASE("log_of_mantissa is within kLogMantissaError of ln m for every float mantissa")
{
    double worst = 0;
    int64_t checked = 0;
    for (uint32_t bits = kSqrtHalfBits; split_float(from_bits(bits)).exponent == 0; ++bits) {
        const float m = from_bits(bits);
        worst = std::max(worst, std::fabs(static_cast<double>(log_of_mantissa(m)) - std::log(static_cast<double>(m))));
        ++checked;
    }
    INFO("largest error " << worst << " over " << checked << " mantissas");
    CHECK(checked == (int64_t{1} << 23)); // one binade's worth of floats
    CHECK(worst <= kLogMantissaError);
    CHECK(worst > kLogMantissaError / 2); // the documented bound is not loose
}

TEST_CASE("x_log_x_fast: exact where x ln x is 0, within x * kLogMantissaError elsewhere")
{
    CHECK(x_log_x_fast(1.0f) == 0.0);
    CHECK(x_log_x_fast(0.0f) == 0.0);
    CHECK(x_log_x_fast(1e-40f) == 0.0); // subnormal: the exact value is above -1.1e-36
    CHECK(x_log_x_fast(-0.5f) == 0.0);  // refused by the caller; no NaN in between
    for (uint32_t bits = 0x00800000u; bits <= 0x3F800000u + 839; bits += 97) { // FLT_MIN to 1 + 1e-4
        const float x = from_bits(bits);
        const double exact = static_cast<double>(x) * std::log(static_cast<double>(x));
        INFO("x = " << x);
        REQUIRE(std::fabs(x_log_x_fast(x) - exact) <= static_cast<double>(x) * (kLogMantissaError + 1e-15));
    }
}
