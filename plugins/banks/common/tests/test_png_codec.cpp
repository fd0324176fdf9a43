// PNG encode/decode of RGB crops: lossless round trips and clear errors for bad data.
#include "slt/banks/png_codec.hpp"

#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include <cstdint>
#include <random>
#include <vector>

using slt::banks::decode_png;
using slt::banks::encode_png;
using slt::banks::RgbImage;

namespace {

std::vector<uint8_t> noise_rgb(int32_t width, int32_t height, uint32_t seed)
{
    std::mt19937 rng(seed);
    std::vector<uint8_t> rgb(static_cast<size_t>(width) * height * 3);
    for (uint8_t& v : rgb) v = static_cast<uint8_t>(rng() & 0xff);
    return rgb;
}

std::vector<uint8_t> encoded(const std::vector<uint8_t>& rgb, int32_t width, int32_t height)
{
    std::vector<uint8_t> png;
    const auto status = encode_png(rgb.data(), width, height, png);
    INFO(status.message);
    REQUIRE(status.ok());
    return png;
}

} // namespace

TEST_CASE("encode then decode gives the same pixels back")
{
    for (auto [w, h] : {std::pair{1, 1}, {64, 64}, {37, 11}, {3, 200}}) {
        const auto rgb = noise_rgb(w, h, static_cast<uint32_t>(w * 1000 + h));
        const auto png = encoded(rgb, w, h);
        CHECK(slt::banks::has_png_signature(png.data(), png.size()));
        RgbImage image;
        const auto status = decode_png(png.data(), png.size(), image);
        INFO(status.message);
        REQUIRE(status.ok());
        CHECK(image.width == w);
        CHECK(image.height == h);
        CHECK(image.pixels == rgb);
    }
}

TEST_CASE("encoding appends to the output buffer")
{
    const auto rgb = noise_rgb(8, 8, 1);
    std::vector<uint8_t> out = {1, 2, 3};
    REQUIRE(encode_png(rgb.data(), 8, 8, out).ok());
    CHECK(out[0] == 1);
    CHECK(out[2] == 3);
    RgbImage image;
    REQUIRE(decode_png(out.data() + 3, out.size() - 3, image).ok());
    CHECK(image.pixels == rgb);
}

TEST_CASE("a flat image compresses well")
{
    const std::vector<uint8_t> rgb(64 * 64 * 3, 200);
    const auto png = encoded(rgb, 64, 64);
    CHECK(png.size() < rgb.size() / 20);
}

TEST_CASE("encoding refuses an empty size or no pixels")
{
    std::vector<uint8_t> out;
    const std::vector<uint8_t> rgb(12, 0);
    CHECK_FALSE(encode_png(rgb.data(), 0, 4, out).ok());
    CHECK_FALSE(encode_png(rgb.data(), 2, -1, out).ok());
    const auto status = encode_png(nullptr, 2, 2, out);
    CHECK_FALSE(status.ok());
    CHECK_THAT(status.message, Catch::Contains("no pixels"));
    CHECK(out.empty());
}

TEST_CASE("decoding bad data gives a message and an empty image")
{
    const auto rgb = noise_rgb(16, 16, 7);
    const auto png = encoded(rgb, 16, 16);
    RgbImage image;

    SECTION("not a PNG")
    {
        const std::vector<uint8_t> text = {'h', 'e', 'l', 'l', 'o', ' ', 'w', 'o', 'r', 'l', 'd'};
        const auto status = decode_png(text.data(), text.size(), image);
        CHECK_THAT(status.message, Catch::Contains("not a PNG"));
    }
    SECTION("empty")
    {
        CHECK_FALSE(decode_png(nullptr, 0, image).ok());
    }
    SECTION("truncated at every length")
    {
        for (size_t n = 8; n < png.size(); n += 7) {
            const auto status = decode_png(png.data(), n, image);
            CHECK_FALSE(status.ok());
            CHECK(image.pixels.empty());
        }
    }
    SECTION("flipped bytes in the pixel data fail the CRC check")
    {
        auto broken = png;
        broken[broken.size() / 2] ^= 0xff;
        const auto status = decode_png(broken.data(), broken.size(), image);
        CHECK_FALSE(status.ok());
        CHECK_THAT(status.message, Catch::Contains("cannot decode a PNG"));
    }
    SECTION("a header larger than the pixel limit")
    {
        const auto status = decode_png(png.data(), png.size(), image, 100);
        CHECK_THAT(status.message, Catch::Contains("16x16"));
        CHECK(image.pixels.empty());
    }
}
