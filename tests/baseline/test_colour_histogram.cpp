// Colour histograms: sums, bin placement at the channel edges, rectangles, the Hellinger map and distance, and
// every refused input.
#include <slt/core/baseline/colour_histogram.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <numeric>
#include <random>

using namespace slt::core;
using baseline::PixelRect;
using training_data::RgbImage;

namespace {

RgbImage solidImage(int64_t width, int64_t height, uint8_t r, uint8_t g, uint8_t b)
{
    RgbImage image{width, height, {}};
    for (int64_t i = 0; i < width * height; ++i)
        image.pixels.insert(image.pixels.end(), {r, g, b});
    return image;
}

RgbImage noiseImage(int64_t width, int64_t height, uint32_t seed)
{
    std::mt19937 random(seed);
    RgbImage image{width, height, std::vector<uint8_t>(static_cast<size_t>(width * height * 3))};
    for (uint8_t& value : image.pixels)
        value = static_cast<uint8_t>(random() & 0xff);
    return image;
}

double sum(const std::vector<float>& values)
{
    return std::accumulate(values.begin(), values.end(), 0.0);
}

size_t jointIndex(int r, int g, int b, int bins)
{
    return static_cast<size_t>((r * bins + g) * bins + b);
}

} // namespace

TEST_CASE("a colour histogram has bins^3 bins and sums to 1", "[histogram]")
{
    const RgbImage image = noiseImage(13, 7, 1);
    for (int bins : {2, 5, 8, 64}) {
        auto histogram = baseline::colourHistogram(image, bins);
        REQUIRE(histogram.ok());
        CHECK(histogram->size() == static_cast<size_t>(bins * bins * bins));
        CHECK(sum(*histogram) == Approx(1.0).epsilon(1e-6));
    }
}

TEST_CASE("channel values 0 and 255 fall into the first and the last bin", "[histogram]")
{
    for (int bins = baseline::kMinBinsPerChannel; bins <= baseline::kMaxBinsPerChannel; ++bins) {
        CHECK(baseline::colourBin(0, bins) == 0);
        CHECK(baseline::colourBin(255, bins) == bins - 1);
    }
    CHECK(baseline::colourBin(127, 2) == 0);
    CHECK(baseline::colourBin(128, 2) == 1);
    CHECK(baseline::colourBin(31, 8) == 0);
    CHECK(baseline::colourBin(32, 8) == 1);

    const int bins = 8;
    const struct {
        uint8_t r, g, b;
        size_t index;
    } cases[] = {{0, 0, 0, 0},
                 {255, 255, 255, jointIndex(7, 7, 7, bins)},
                 {255, 0, 0, jointIndex(7, 0, 0, bins)},
                 {0, 255, 0, jointIndex(0, 7, 0, bins)},
                 {0, 0, 255, jointIndex(0, 0, 7, bins)},
                 {100, 200, 40, jointIndex(3, 6, 1, bins)}};
    for (const auto& c : cases) {
        auto histogram = baseline::colourHistogram(solidImage(3, 2, c.r, c.g, c.b), bins);
        REQUIRE(histogram.ok());
        INFO("pixel " << int(c.r) << "," << int(c.g) << "," << int(c.b));
        CHECK((*histogram)[c.index] == 1.0f);
        CHECK(sum(*histogram) == Approx(1.0));
    }
}

TEST_CASE("a rectangle's histogram counts only its pixels", "[histogram]")
{
    // Left 4 columns black, right 4 columns white.
    RgbImage image = solidImage(8, 4, 0, 0, 0);
    for (int64_t y = 0; y < 4; ++y)
        for (int64_t x = 4; x < 8; ++x)
            for (int c = 0; c < 3; ++c)
                image.pixels[static_cast<size_t>((y * 8 + x) * 3 + c)] = 255;
    auto left = baseline::colourHistogram(image, PixelRect{0, 0, 4, 4}, 4);
    auto straddling = baseline::colourHistogram(image, PixelRect{3, 1, 2, 3}, 4);
    auto whole = baseline::colourHistogram(image, 4);
    REQUIRE((left.ok() && straddling.ok() && whole.ok()));
    const size_t white = jointIndex(3, 3, 3, 4);
    CHECK((*left)[0] == 1.0f);
    CHECK((*straddling)[0] == Approx(0.5));
    CHECK((*straddling)[white] == Approx(0.5));
    CHECK((*whole)[white] == Approx(0.5));
}

TEST_CASE("the Hellinger map takes the square root of every bin", "[hellinger]")
{
    std::vector<float> histogram{0.25f, 0.0f, 0.64f, 0.11f};
    baseline::applyHellingerMap(histogram);
    CHECK(histogram[0] == Approx(0.5));
    CHECK(histogram[1] == 0.0f);
    CHECK(histogram[2] == Approx(0.8));
    CHECK(histogram[3] == Approx(std::sqrt(0.11)));
}

TEST_CASE("the distance between Hellinger maps is the Hellinger distance of the histograms", "[hellinger]")
{
    for (uint32_t seed : {2u, 3u, 4u}) {
        const RgbImage a = noiseImage(9, 9, seed);
        RgbImage b = noiseImage(9, 9, seed + 100);
        for (size_t i = 0; i < b.pixels.size(); i += 3)
            b.pixels[i] = static_cast<uint8_t>(b.pixels[i] / 2); // less red: the histograms differ
        auto p = baseline::colourHistogram(a, 4);
        auto q = baseline::colourHistogram(b, 4);
        REQUIRE((p.ok() && q.ok()));
        double bhattacharyya = 0; // brute force: sqrt(1 - sum sqrt(p q))
        for (size_t i = 0; i < p->size(); ++i)
            bhattacharyya += std::sqrt(static_cast<double>((*p)[i]) * static_cast<double>((*q)[i]));
        const double expected = std::sqrt(std::max(0.0, 1.0 - bhattacharyya));

        auto mapP = baseline::colourFeature(a, PixelRect{0, 0, 9, 9}, 4);
        auto mapQ = baseline::colourFeature(b, PixelRect{0, 0, 9, 9}, 4);
        REQUIRE((mapP.ok() && mapQ.ok()));
        CHECK(expected > 0.05);
        CHECK(baseline::hellingerDistance(*mapP, *mapQ) == Approx(expected).epsilon(1e-5));
    }
    auto black = baseline::colourFeature(solidImage(2, 2, 0, 0, 0), PixelRect{0, 0, 2, 2}, 8);
    auto white = baseline::colourFeature(solidImage(2, 2, 255, 255, 255), PixelRect{0, 0, 2, 2}, 8);
    REQUIRE((black.ok() && white.ok()));
    CHECK(baseline::hellingerDistance(*black, *black) == 0.0);
    CHECK(baseline::hellingerDistance(*black, *white) == Approx(1.0)); // disjoint distributions: the maximum
    CHECK(std::isnan(baseline::hellingerDistance(*black, std::vector<float>(3, 0.0f))));
}

TEST_CASE("colour histograms refuse bad bins, bad images and bad rectangles", "[histogram][bad-input]")
{
    const RgbImage image = solidImage(4, 3, 10, 20, 30);
    for (int bins : {-1, 0, 1, 65, 1000}) {
        auto histogram = baseline::colourHistogram(image, bins);
        REQUIRE_FALSE(histogram.ok());
        CHECK(histogram.error().contains(QStringLiteral("[2, 64]")));
    }
    RgbImage truncated = image;
    truncated.pixels.pop_back();
    auto fromTruncated = baseline::colourHistogram(truncated, 8);
    REQUIRE_FALSE(fromTruncated.ok());
    CHECK(fromTruncated.error().contains(QStringLiteral("bytes")));
    auto fromEmpty = baseline::colourHistogram(RgbImage{}, 8);
    REQUIRE_FALSE(fromEmpty.ok());
    CHECK(fromEmpty.error().contains(QStringLiteral("empty")));
    for (const PixelRect& rect : {PixelRect{0, 0, 0, 3}, PixelRect{-1, 0, 2, 2}, PixelRect{3, 0, 2, 2}, PixelRect{0, 2, 4, 2}}) {
        auto histogram = baseline::colourHistogram(image, rect, 8);
        REQUIRE_FALSE(histogram.ok());
        CHECK(histogram.error().contains(QStringLiteral("not inside")));
    }
}
