// Axis ticks: 1-2-5 steps, bounds, labels.
#include "nice_ticks.hpp"

#include <catch2/catch.hpp>

using namespace slt::report::detail;

TEST_CASE("nice steps are 1, 2 or 5 times a power of ten", "[ticks]")
{
    CHECK(niceStep(1.0, 5) == Approx(0.2));
    CHECK(niceStep(0.18, 6) == Approx(0.02));   // raw 0.03 -> 2e-2
    CHECK(niceStep(100.0, 4) == Approx(20));    // raw 25 -> 2e1 (25 < sqrt(10) * 10)
    CHECK(niceStep(700.0, 2) == Approx(500));   // raw 350 -> 5e2
    CHECK(niceStep(8.0, 1) == Approx(10));      // raw 8 -> 1e1
    CHECK(niceStep(3e-7, 3) == Approx(1e-7));
}

TEST_CASE("ticks cover the range at multiples of the step, bounds included", "[ticks]")
{
    const Ticks unit = niceTicks(0, 1, 5);
    REQUIRE(unit.values.size() == 6);
    CHECK(unit.values.front() == 0.0);
    CHECK(unit.values.back() == Approx(1.0));
    const Ticks shifted = niceTicks(-0.013, 0.187, 8);
    REQUIRE(!shifted.values.empty());
    CHECK(shifted.step == Approx(0.02));
    CHECK(shifted.values.front() == 0.0); // exactly zero, not -0 or 1e-18
    CHECK(shifted.values.back() == Approx(0.18));
    CHECK(formatTick(shifted.values.front(), shifted.step) == "0.00");
}

TEST_CASE("a span too small for its magnitude gives no ticks instead of a huge loop", "[ticks]")
{
    const Ticks ticks = niceTicks(1e17, 1e17 + 64, 5); // step 10, far below the spacing of doubles there
    CHECK(ticks.values.empty());
    const Ticks resolvable = niceTicks(1e6, 1e6 + 1, 5);
    CHECK(resolvable.values.size() == 6);
}

TEST_CASE("tick labels carry the decimals the step needs", "[ticks]")
{
    CHECK(formatTick(0.4, 0.2) == "0.4");
    CHECK(formatTick(0.25, 0.05) == "0.25");
    CHECK(formatTick(2000, 500) == "2000");
    CHECK(formatTick(-0.5, 0.5) == "-0.5");
}

TEST_CASE("counts are written compactly", "[ticks]")
{
    CHECK(formatCount(0) == "0");
    CHECK(formatCount(950) == "950");
    CHECK(formatCount(1500) == "1.5k");
    CHECK(formatCount(20000) == "20k");
    CHECK(formatCount(3e6) == "3M");
}

TEST_CASE("bounds widen outwards to the nearest nice multiples", "[ticks]")
{
    double low = 0, high = 16384;
    expandToNiceBounds(low, high, 2);
    CHECK(low == 0);
    CHECK(high == Approx(20000));
    double a = 0.13, b = 0.87;
    expandToNiceBounds(a, b, 4);
    CHECK(a == Approx(0.0));
    CHECK(b == Approx(1.0));
}
