// Candidate points (SPEC B2): centre, grid and local maxima on small synthetic maps, plateaus included.
#include <slt/core/bank_build/candidate_points.hpp>

#include "uncertainty_test_map.hpp"

#include <catch2/catch.hpp>

#include <vector>

using namespace slt::core;

namespace {

using Map = slt::test::UncertaintyTestMap;

PointOptions localMax(int32_t window, int32_t margin = 0)
{
    PointOptions o;
    o.strategy = PointStrategy::LocalMax;
    o.window = window;
    o.edgeMargin = margin;
    return o;
}

} // namespace

TEST_CASE("centre: one point at (W/2, H/2)", "[points]")
{
    const auto points = centrePoint(28, 31);
    REQUIRE(points.size() == 1);
    CHECK(points[0].x == 14);
    CHECK(points[0].y == 15);
}

TEST_CASE("grid: cell centres inside the margin", "[points]")
{
    auto points = gridPoints(64, 32, 16, 0);
    REQUIRE(points.size() == 8);
    CHECK(points[0].x == 8);
    CHECK(points[0].y == 8);
    CHECK(points[3].x == 56);
    CHECK(points[7].y == 24);
    points = gridPoints(64, 64, 16, 10); // x = 18, 34, 50 (66 > 53)
    REQUIRE(points.size() == 9);
    CHECK(points.front().x == 18);
    CHECK(points.back().x == 50);
    CHECK(gridPoints(8, 8, 16, 0).empty()); // the first centre, 8, lies outside
}

TEST_CASE("localmax: two separated peaks give two points, highest first, then the background plateau", "[points]")
{
    Map map(32, 32, 0.1f);
    map.at(5, 6) = 0.9f;
    map.at(25, 20) = 0.8f;
    const auto points = localMaxima(map.view(), 32, 32, localMax(5));
    REQUIRE(points.size() == 3);
    CHECK(points[2].value == 0.1f); // the flat rest is one plateau: one point
    CHECK(points[0].x == 5);
    CHECK(points[0].y == 6);
    CHECK(points[0].value == Approx(0.9f));
    CHECK(points[1].x == 25);
    CHECK(points[1].y == 20);
}

TEST_CASE("localmax: a flat map gives one point, not one per pixel", "[points]")
{
    const Map map(40, 30, 0.5f);
    const auto points = localMaxima(map.view(), 40, 30, localMax(3));
    REQUIRE(points.size() == 1);
    CHECK(points[0].x == 19); // nearest member to the centroid (19.5, 14.5), first in raster order
    CHECK(points[0].y == 14);
}

TEST_CASE("localmax: a plateau peak gives one point at its centre", "[points]")
{
    Map map(32, 32, 0.0f);
    for (int y = 10; y <= 14; ++y)
        for (int x = 8; x <= 20; ++x)
            map.at(x, y) = 1.0f;
    // The zero background is a plateau of maxima too, but only where no 1 lies within the window.
    PointOptions o = localMax(3);
    const auto points = localMaxima(map.view(), 32, 32, o);
    REQUIRE(!points.empty());
    CHECK(points[0].x == 14);
    CHECK(points[0].y == 12);
    CHECK(points[0].value == 1.0f);
    CHECK(points.size() <= 2); // the plateau and, at most, the background
}

TEST_CASE("localmax: the edge margin and the point limit", "[points]")
{
    Map map(32, 32, 0.0f);
    map.at(1, 1) = 0.9f; // inside the margin: dropped
    map.at(16, 16) = 0.7f;
    map.at(24, 8) = 0.6f;
    PointOptions o = localMax(3, 4);
    auto points = localMaxima(map.view(), 32, 32, o);
    for (const auto& p : points) {
        CHECK(p.x >= 4);
        CHECK(p.y >= 4);
        CHECK(p.x <= 27);
        CHECK(p.y <= 27);
    }
    REQUIRE(points.size() >= 2);
    CHECK(points[0].x == 16);
    o.maxPointsPerTile = 1;
    points = localMaxima(map.view(), 32, 32, o);
    REQUIRE(points.size() == 1);
    CHECK(points[0].x == 16);
}

TEST_CASE("localmax: non-maximum suppression within the window, map stride honoured", "[points]")
{
    Map map(16, 16, 0.0f);
    map.at(5, 5) = 0.9f;
    map.at(7, 5) = 0.8f; // two map pixels away, inside a window of 8 input pixels at stride 2 (radius 2)
    map.at(12, 12) = 0.5f;
    const auto points = localMaxima(map.view(2), 32, 32, localMax(8));
    REQUIRE(points.size() >= 2);
    CHECK(points[0].x == 10); // input pixel = map column x stride
    CHECK(points[0].y == 10);
    CHECK(points[1].x == 24);
    CHECK(points[1].y == 24);
}

TEST_CASE("localmax: smoothing merges a noisy pair into one peak", "[points]")
{
    Map map(32, 32, 0.0f);
    map.at(15, 16) = 1.0f;
    map.at(17, 16) = 1.0f;
    PointOptions o = localMax(3);
    o.smoothingSigma = 2.0f;
    const auto points = localMaxima(map.view(), 32, 32, o);
    REQUIRE(!points.empty());
    CHECK(points[0].x == 16);
    CHECK(points[0].y == 16);
}
