// Contrast-peak candidate points (SPEC B2): the reconstruction and the h-maxima against brute-force
// references on many seeded maps (plateaus and ties included), then the points: one per peak, saddles,
// Euclidean suppression, edge margin, point limit, stride, flat and non-finite maps.
#include <slt/core/bank_build/candidate_points.hpp>
#include <slt/core/bank_build/h_maxima.hpp>

#include "uncertainty_test_map.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <random>
#include <set>
#include <vector>

using namespace slt::core;

namespace {

using Map = slt::test::UncertaintyTestMap;

PointOptions contrastOptions(float h = 0.05f, int32_t minDistance = 32, int32_t margin = 0)
{
    PointOptions o;
    o.strategy = PointStrategy::ContrastPeaks;
    o.contrast = h;
    o.minDistance = minDistance;
    o.edgeMargin = margin;
    return o;
}

template <typename Visit>
void forNeighbours(int32_t w, int32_t h, int32_t p, Visit visit)
{
    for (int32_t dy = -1; dy <= 1; ++dy)
        for (int32_t dx = -1; dx <= 1; ++dx) {
            const int32_t y = p / w + dy, x = p % w + dx;
            if ((dx || dy) && y >= 0 && y < h && x >= 0 && x < w)
                visit(y * w + x);
        }
}

// Reconstruction by its definition: dilate by 3x3 and clip to the mask until nothing changes.
std::vector<float> bruteReconstruction(std::vector<float> marker, const std::vector<float>& mask, int32_t w, int32_t h)
{
    for (size_t p = 0; p < marker.size(); ++p)
        marker[p] = std::min(marker[p], mask[p]);
    for (bool changed = true; changed;) {
        changed = false;
        std::vector<float> next = marker;
        for (int32_t p = 0; p < w * h; ++p) {
            float m = marker[p];
            forNeighbours(w, h, p, [&](int32_t q) { m = std::max(m, marker[q]); });
            next[p] = std::min(m, mask[p]);
            changed |= next[p] != marker[p];
        }
        marker.swap(next);
    }
    return marker;
}

// The pixels reachable from `start` through pixels >= `level`.
std::vector<uint8_t> floodAtOrAbove(const std::vector<float>& f, int32_t w, int32_t h, const std::vector<int32_t>& start, float level)
{
    std::vector<uint8_t> reached(f.size(), 0);
    std::deque<int32_t> queue(start.begin(), start.end());
    for (int32_t p : start)
        reached[p] = 1;
    while (!queue.empty()) {
        const int32_t p = queue.front();
        queue.pop_front();
        forNeighbours(w, h, p, [&](int32_t q) {
            if (!reached[q] && f[q] >= level) {
                reached[q] = 1;
                queue.push_back(q);
            }
        });
    }
    return reached;
}

// h-maxima by their definition: each regional maximum (a connected set of equal pixels with no higher
// neighbour) whose dynamic >= h, the dynamic being found by flooding from it at every level below its own
// until a strictly higher pixel is reached; a maximum with nothing higher has the dynamic max - min.
std::vector<uint8_t> bruteHMaxima(const std::vector<float>& f, int32_t w, int32_t h, float contrast)
{
    const auto [lo, hi] = std::minmax_element(f.begin(), f.end());
    std::set<float> levels(f.begin(), f.end());
    std::vector<uint8_t> result(f.size(), 0), seen(f.size(), 0);
    for (int32_t start = 0; start < w * h; ++start) {
        if (seen[start])
            continue;
        const float v = f[start];
        std::vector<int32_t> plateau{start};
        seen[start] = 1;
        bool regionalMaximum = true;
        for (size_t k = 0; k < plateau.size(); ++k)
            forNeighbours(w, h, plateau[k], [&](int32_t q) {
                if (f[q] > v)
                    regionalMaximum = false;
                if (f[q] == v && !seen[q]) {
                    seen[q] = 1;
                    plateau.push_back(q);
                }
            });
        if (!regionalMaximum)
            continue;
        double dynamic = static_cast<double>(*hi) - *lo;
        if (*hi > v)
            for (auto level = std::make_reverse_iterator(levels.upper_bound(v)); level != levels.rend(); ++level) {
                const std::vector<uint8_t> reached = floodAtOrAbove(f, w, h, plateau, *level);
                if (std::any_of(f.begin(), f.end(), [&](const float& x) { return x > v && reached[&x - f.data()]; })) {
                    dynamic = static_cast<double>(v) - *level;
                    break;
                }
            }
        if (dynamic >= contrast)
            for (int32_t p : plateau)
                result[p] = 1;
    }
    return result;
}

// A random map: values k / 8 for k in 0..levels-1 (plateaus, ties and saddles of exact heights) or
// continuous ones in [0, 1).
std::vector<float> randomMap(std::mt19937& rng, int32_t w, int32_t h, int levels)
{
    std::vector<float> f(static_cast<size_t>(w) * h);
    std::uniform_int_distribution<int> level(0, std::max(0, levels - 1));
    std::uniform_real_distribution<float> uniform(0.0f, 1.0f);
    for (float& v : f)
        v = levels > 0 ? static_cast<float>(level(rng)) / 8.0f : uniform(rng);
    return f;
}

} // namespace

TEST_CASE("contrast: the reconstruction equals iterated clipped dilation on seeded maps", "[points][contrast]")
{
    std::mt19937 rng(11);
    for (int trial = 0; trial < 300; ++trial) {
        const int32_t w = 1 + static_cast<int32_t>(rng() % 20), h = 1 + static_cast<int32_t>(rng() % 20);
        const std::vector<float> mask = randomMap(rng, w, h, trial % 3 == 0 ? 0 : 2 + trial % 7);
        std::vector<float> marker = randomMap(rng, w, h, 6);
        for (size_t p = 0; p < marker.size(); ++p)
            if (rng() % 4 != 0)
                marker[p] = -1.0f; // a sparse marker makes the propagation travel
        const std::vector<float> expected = bruteReconstruction(marker, mask, w, h);
        reconstructByDilation(marker, mask, w, h);
        INFO("trial " << trial << ", " << w << " x " << h);
        REQUIRE(marker == expected);
    }
}

TEST_CASE("contrast: the h-maxima equal the dynamics by flooding on seeded maps with plateaus and ties", "[points][contrast]")
{
    std::mt19937 rng(5);
    int found = 0;
    for (int trial = 0; trial < 400; ++trial) {
        const int32_t w = 1 + static_cast<int32_t>(rng() % 18), h = 1 + static_cast<int32_t>(rng() % 18);
        const int levels = trial % 4 == 0 ? 0 : 2 + trial % 6;
        const std::vector<float> f = randomMap(rng, w, h, levels);
        // Exact multiples of 1/8 for quantised maps, so dynamics equal to h are tested exactly.
        const float contrast = levels > 0 ? static_cast<float>(1 + trial % 3) / 8.0f : 0.05f + 0.1f * static_cast<float>(trial % 3);
        const std::vector<uint8_t> expected = bruteHMaxima(f, w, h, contrast);
        INFO("trial " << trial << ", " << w << " x " << h << ", h = " << contrast);
        REQUIRE(hMaxima(f, w, h, contrast) == expected);
        found += static_cast<int>(std::count(expected.begin(), expected.end(), 1));
    }
    CHECK(found > 1000); // the maps do have h-maxima, not only empty masks
}

TEST_CASE("contrast: a flat map, or one whose range is below h, has no h-maximum and no point", "[points][contrast]")
{
    const Map flat(40, 30, 0.5f);
    CHECK(contrastPeaks(flat.view(), 40, 30, contrastOptions()).empty());
    Map low(40, 30, 0.5f);
    low.at(10, 10) = 0.54f; // a bump of 0.04 < h
    CHECK(contrastPeaks(low.view(), 40, 30, contrastOptions()).empty());
    low.at(10, 10) = 0.55f; // exactly h above the rest: kept
    const auto points = contrastPeaks(low.view(), 40, 30, contrastOptions());
    REQUIRE(points.size() == 1);
    CHECK(points[0].x == 10);
    CHECK(points[0].y == 10);
}

TEST_CASE("contrast: one bump gives one point at its top, with the map value", "[points][contrast]")
{
    Map map(64, 64, 0.1f);
    map.addCone(30, 22, 0.6f, 12.0f);
    const auto points = candidatePoints(contrastOptions(), 64, 64, map.view());
    REQUIRE(points.size() == 1);
    CHECK(points[0].x == 30);
    CHECK(points[0].y == 22);
    CHECK(points[0].value == Approx(0.7f));
}

TEST_CASE("contrast: a plateau peak gives one point at its centre", "[points][contrast]")
{
    Map map(32, 32, 0.0f);
    for (int y = 10; y <= 14; ++y)
        for (int x = 8; x <= 20; ++x)
            map.at(x, y) = 1.0f;
    const auto points = contrastPeaks(map.view(), 32, 32, contrastOptions(0.05f, 1));
    REQUIRE(points.size() == 1); // unlike localmax, the background plateau is no peak
    CHECK(points[0].x == 14);
    CHECK(points[0].y == 12);
}

TEST_CASE("contrast: two bumps closer than the minimum distance give one point, farther apart two", "[points][contrast]")
{
    Map map(96, 64, 0.0f);
    map.addCone(20, 30, 0.8f, 6.0f);
    map.addCone(40, 30, 0.9f, 6.0f); // 20 px from the first
    auto points = contrastPeaks(map.view(), 96, 64, contrastOptions(0.05f, 32));
    REQUIRE(points.size() == 1);
    CHECK(points[0].x == 40); // the higher one is kept
    points = contrastPeaks(map.view(), 96, 64, contrastOptions(0.05f, 19));
    REQUIRE(points.size() == 2);
    CHECK(points[0].x == 40);
    CHECK(points[1].x == 20);
    CHECK(points[1].value == Approx(0.8f));
}

TEST_CASE("contrast: the minimum distance is Euclidean, inclusive, in input pixels at the map's stride", "[points][contrast]")
{
    Map map(40, 40, 0.0f);
    map.at(10, 10) = 0.9f;
    map.at(20, 20) = 0.8f; // 10 map pixels in both directions: 14.14 map pixels, 28.28 input pixels at stride 2
    CHECK(contrastPeaks(map.view(), 40, 40, contrastOptions(0.05f, 14)).size() == 2);  // stride 1: 14.14 > 14
    CHECK(contrastPeaks(map.view(), 40, 40, contrastOptions(0.05f, 15)).size() == 1);
    CHECK(contrastPeaks(map.view(), 40, 40, contrastOptions(0.05f, 10)).size() == 2);  // Chebyshev 10 would drop it
    CHECK(contrastPeaks(map.view(2), 80, 80, contrastOptions(0.05f, 28)).size() == 2); // stride 2: 28.28 input px
    const auto points = contrastPeaks(map.view(2), 80, 80, contrastOptions(0.05f, 29));
    REQUIRE(points.size() == 1);
    CHECK(points[0].x == 20); // input pixel = map column x stride
    CHECK(points[0].y == 20);
    Map row(40, 5, 0.0f);
    row.at(5, 2) = 0.9f;
    row.at(25, 2) = 0.8f; // exactly 20 apart: within a minimum distance of 20
    CHECK(contrastPeaks(row.view(), 40, 5, contrastOptions(0.05f, 20)).size() == 1);
    CHECK(contrastPeaks(row.view(), 40, 5, contrastOptions(0.05f, 19)).size() == 2);
}

TEST_CASE("contrast: a saddle shallower than h merges two peaks into one region", "[points][contrast]")
{
    // Two peaks on a ridge: 1.0 at x = 10 and 0.98 at x = 30, the ridge between them at `saddle`.
    const auto ridge = [](float saddle) {
        Map map(41, 9, 0.0f);
        for (int x = 4; x <= 36; ++x)
            map.at(x, 4) = saddle;
        map.at(10, 4) = 1.0f;
        map.at(30, 4) = 0.98f;
        return map;
    };
    const Map shallow = ridge(0.97f); // the lower peak rises 0.01 above the saddle: no h-maximum of its own
    auto points = contrastPeaks(shallow.view(), 41, 9, contrastOptions(0.05f, 1));
    REQUIRE(points.size() == 1);
    CHECK(points[0].x == 10);
    const Map deep = ridge(0.9f); // 0.08 above the saddle
    points = contrastPeaks(deep.view(), 41, 9, contrastOptions(0.05f, 1));
    REQUIRE(points.size() == 2);
    CHECK(points[1].x == 30);
    // A saddle exactly h below the lower peak keeps it (dynamic >= h), binary fractions so the test is exact.
    const Map exact = ridge(0.5f);
    Map exactMap = exact;
    exactMap.at(30, 4) = 0.625f;
    CHECK(contrastPeaks(exactMap.view(), 41, 9, contrastOptions(0.125f, 1)).size() == 2);
    CHECK(contrastPeaks(exactMap.view(), 41, 9, contrastOptions(0.126f, 1)).size() == 1);
}

TEST_CASE("contrast: the edge margin drops points, and a peak in the margin suppresses nothing", "[points][contrast]")
{
    Map map(64, 64, 0.0f);
    map.at(2, 30) = 1.0f;  // inside a margin of 4: dropped
    map.at(12, 30) = 0.7f; // 10 px from it, within the minimum distance, but the higher peak is gone
    map.at(61, 61) = 0.9f; // dropped
    map.at(40, 50) = 0.6f;
    const auto points = contrastPeaks(map.view(), 64, 64, contrastOptions(0.05f, 16, 4));
    REQUIRE(points.size() == 2);
    CHECK(points[0].x == 12);
    CHECK(points[1].x == 40);
    // Only the valid area counts: a map wider than the tile (padding) gets no point beyond it.
    const auto valid = contrastPeaks(map.view(), 30, 64, contrastOptions(0.05f, 16, 0));
    REQUIRE(valid.size() == 1); // (12, 30) lies within 16 px of the kept (2, 30)
    CHECK(valid[0].x == 2);
}

TEST_CASE("contrast: at most max-points-per-tile points, the highest", "[points][contrast]")
{
    Map map(64, 64, 0.0f);
    map.at(10, 10) = 0.5f;
    map.at(50, 10) = 0.9f;
    map.at(10, 50) = 0.7f;
    map.at(50, 50) = 0.8f;
    PointOptions o = contrastOptions(0.05f, 8);
    CHECK(contrastPeaks(map.view(), 64, 64, o).size() == 4);
    o.maxPointsPerTile = 2;
    const auto points = contrastPeaks(map.view(), 64, 64, o);
    REQUIRE(points.size() == 2);
    CHECK(points[0].value == 0.9f);
    CHECK(points[1].value == 0.8f);
    CHECK(points[1].x == 50);
    CHECK(points[1].y == 50);
}

TEST_CASE("contrast: equal peaks keep raster order, smoothing merges a noisy pair", "[points][contrast]")
{
    Map map(32, 32, 0.0f);
    map.at(20, 8) = 1.0f;
    map.at(5, 20) = 1.0f;
    auto points = contrastPeaks(map.view(), 32, 32, contrastOptions(0.05f, 40));
    REQUIRE(points.size() == 1);
    CHECK(points[0].x == 20); // first in raster order among equal values
    Map pair(32, 32, 0.0f);
    pair.at(15, 16) = 1.0f;
    pair.at(17, 16) = 1.0f;
    PointOptions o = contrastOptions(0.05f, 1);
    CHECK(contrastPeaks(pair.view(), 32, 32, o).size() == 2);
    o.smoothingSigma = 2.0f;
    points = contrastPeaks(pair.view(), 32, 32, o);
    REQUIRE(points.size() == 1);
    CHECK(points[0].x == 16);
    CHECK(points[0].y == 16);
}

TEST_CASE("contrast: non-finite values are never points and do not disturb the others", "[points][contrast]")
{
    Map map(32, 32, 0.0f);
    map.at(8, 8) = std::numeric_limits<float>::quiet_NaN();
    map.at(9, 9) = std::numeric_limits<float>::infinity();
    map.at(20, 20) = 0.5f;
    const auto points = contrastPeaks(map.view(), 32, 32, contrastOptions(0.05f, 1));
    REQUIRE(points.size() == 1);
    CHECK(points[0].x == 20);
    const Map nothing(4, 4, std::numeric_limits<float>::quiet_NaN());
    CHECK(contrastPeaks(nothing.view(), 4, 4, contrastOptions()).empty());
    CHECK(contrastPeaks(UncertaintyMap{}, 4, 4, contrastOptions()).empty());
}
