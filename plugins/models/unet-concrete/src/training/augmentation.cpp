#include "training/augmentation.hpp"

#include "training/seeded_random.hpp"

#include <algorithm>
#include <cmath>

namespace slt::unet::training {
namespace {

// Rebuilds the image from a map output (row, col) -> source (row, col).
template <class SourceOf>
void remap(Tile& tile, int64_t newHeight, int64_t newWidth, SourceOf sourceOf)
{
    std::vector<uint8_t> out(static_cast<size_t>(newHeight * newWidth * 3));
    for (int64_t row = 0; row < newHeight; ++row)
        for (int64_t col = 0; col < newWidth; ++col) {
            const auto [srcRow, srcCol] = sourceOf(row, col);
            const uint8_t* from = &tile.rgb[static_cast<size_t>((srcRow * tile.width + srcCol) * 3)];
            std::copy(from, from + 3, &out[static_cast<size_t>((row * newWidth + col) * 3)]);
        }
    tile.rgb = std::move(out);
    tile.height = newHeight;
    tile.width = newWidth;
}

void dropPointsOutside(Tile& tile)
{
    const float maxX = static_cast<float>(tile.width) - 0.5f, maxY = static_cast<float>(tile.height) - 0.5f;
    auto outside = [&](const LabelledPoint& p) { return p.x < -0.5f || p.y < -0.5f || p.x >= maxX || p.y >= maxY; };
    tile.points.erase(std::remove_if(tile.points.begin(), tile.points.end(), outside), tile.points.end());
}

struct ColourJitter {
    double brightness = 1, contrast = 1, saturation = 1, hueTurns = 0;
};

// RGB in [0, 1] -> YIQ and back (NTSC matrices); hue is a rotation of the (I, Q) plane.
void jitterPixel(float* rgb, const ColourJitter& j, double meanGrey, double cosHue, double sinHue)
{
    double r = rgb[0] * j.brightness, g = rgb[1] * j.brightness, b = rgb[2] * j.brightness;
    r = (r - meanGrey) * j.contrast + meanGrey;
    g = (g - meanGrey) * j.contrast + meanGrey;
    b = (b - meanGrey) * j.contrast + meanGrey;
    const double y = 0.299 * r + 0.587 * g + 0.114 * b;
    double i = 0.596 * r - 0.274 * g - 0.322 * b;
    double q = 0.211 * r - 0.523 * g + 0.312 * b;
    const double i2 = (i * cosHue - q * sinHue) * j.saturation;
    const double q2 = (i * sinHue + q * cosHue) * j.saturation;
    rgb[0] = static_cast<float>(y + 0.956 * i2 + 0.621 * q2);
    rgb[1] = static_cast<float>(y - 0.272 * i2 - 0.647 * q2);
    rgb[2] = static_cast<float>(y - 1.106 * i2 + 1.703 * q2);
}

uint8_t toByte(double v) { return static_cast<uint8_t>(std::lround(std::clamp(v, 0.0, 1.0) * 255.0)); }

double meanGreyOf(const Tile& tile)
{
    double sum = 0;
    for (size_t k = 0; k < tile.rgb.size(); k += 3)
        sum += 0.299 * tile.rgb[k] + 0.587 * tile.rgb[k + 1] + 0.114 * tile.rgb[k + 2];
    return tile.rgb.empty() ? 0.0 : sum / (255.0 * static_cast<double>(tile.rgb.size() / 3));
}

void applyColourJitter(Tile& tile, const ColourJitter& j)
{
    const double meanGrey = meanGreyOf(tile) * j.brightness;
    const double angle = 2.0 * M_PI * j.hueTurns;
    const double c = std::cos(angle), s = std::sin(angle);
    for (size_t k = 0; k < tile.rgb.size(); k += 3) {
        float px[3] = {tile.rgb[k] / 255.0f, tile.rgb[k + 1] / 255.0f, tile.rgb[k + 2] / 255.0f};
        jitterPixel(px, j, meanGrey, c, s);
        for (int ch = 0; ch < 3; ++ch) tile.rgb[k + ch] = toByte(px[ch]);
    }
}

void applyGreyscale(Tile& tile)
{
    for (size_t k = 0; k < tile.rgb.size(); k += 3) {
        const double y = 0.299 * tile.rgb[k] + 0.587 * tile.rgb[k + 1] + 0.114 * tile.rgb[k + 2];
        const auto v = static_cast<uint8_t>(std::lround(std::min(255.0, y)));
        tile.rgb[k] = tile.rgb[k + 1] = tile.rgb[k + 2] = v;
    }
}

void augmentGeometry(Tile& tile, const AugmentationSettings& s, SeededRandom& random)
{
    if (s.flips && random.chance(0.5)) flipHorizontal(tile);
    if (s.flips && random.chance(0.5)) flipVertical(tile);
    if (s.quarterTurns) {
        const bool square = tile.height == tile.width;
        const uint64_t turns = square ? random.below(4) : 2 * random.below(2);
        for (uint64_t t = 0; t < turns; ++t) turnQuarterCounterClockwise(tile);
    }
    if (s.maxShift > 0) {
        const auto maxDx = static_cast<int64_t>(std::floor(s.maxShift * static_cast<double>(tile.width)));
        const auto maxDy = static_cast<int64_t>(std::floor(s.maxShift * static_cast<double>(tile.height)));
        const int64_t dx = static_cast<int64_t>(random.below(static_cast<uint64_t>(2 * maxDx + 1))) - maxDx;
        const int64_t dy = static_cast<int64_t>(random.below(static_cast<uint64_t>(2 * maxDy + 1))) - maxDy;
        if (dx != 0 || dy != 0) shift(tile, dx, dy);
    }
}

void augmentColour(Tile& tile, const AugmentationSettings& s, SeededRandom& random)
{
    if (random.chance(s.colourJitterChance)) {
        ColourJitter j;
        j.brightness = random.uniform(1.0 - s.brightness, 1.0 + s.brightness);
        j.contrast = random.uniform(1.0 - s.contrast, 1.0 + s.contrast);
        j.saturation = random.uniform(1.0 - s.saturation, 1.0 + s.saturation);
        j.hueTurns = random.uniform(-s.hue, s.hue);
        applyColourJitter(tile, j);
    }
    if (random.chance(s.greyscaleChance)) applyGreyscale(tile);
}

} // namespace

int64_t mirrorIndex(int64_t i, int64_t n)
{
    if (n == 1) return 0;
    const int64_t period = 2 * (n - 1);
    i %= period;
    if (i < 0) i += period;
    return i < n ? i : period - i;
}

void flipHorizontal(Tile& tile)
{
    const int64_t w = tile.width;
    remap(tile, tile.height, w, [w](int64_t row, int64_t col) { return std::pair{row, w - 1 - col}; });
    for (LabelledPoint& p : tile.points) p.x = static_cast<float>(w - 1) - p.x;
}

void flipVertical(Tile& tile)
{
    const int64_t h = tile.height;
    remap(tile, h, tile.width, [h](int64_t row, int64_t col) { return std::pair{h - 1 - row, col}; });
    for (LabelledPoint& p : tile.points) p.y = static_cast<float>(h - 1) - p.y;
}

// Counter-clockwise on screen (rows grow downwards): the top-right corner becomes the top-left,
// so source (row, col) moves to (W - 1 - col, row).
void turnQuarterCounterClockwise(Tile& tile)
{
    const int64_t w = tile.width;
    remap(tile, w, tile.height, [w](int64_t row, int64_t col) { return std::pair{col, w - 1 - row}; });
    for (LabelledPoint& p : tile.points) {
        const float x = p.x;
        p.x = p.y;
        p.y = static_cast<float>(w - 1) - x;
    }
}

void shift(Tile& tile, int64_t dx, int64_t dy)
{
    const int64_t h = tile.height, w = tile.width;
    remap(tile, h, w, [=](int64_t row, int64_t col) { return std::pair{mirrorIndex(row - dy, h), mirrorIndex(col - dx, w)}; });
    for (LabelledPoint& p : tile.points) {
        p.x += static_cast<float>(dx);
        p.y += static_cast<float>(dy);
    }
    dropPointsOutside(tile);
}

void augment(Tile& tile, const AugmentationSettings& settings, uint64_t seed)
{
    if (!settings.enabled || tile.height == 0 || tile.width == 0) return;
    SeededRandom random(seed);
    augmentGeometry(tile, settings, random);
    augmentColour(tile, settings, random);
}

} // namespace slt::unet::training
