// Seeded augmentation of one training tile and its point labels (SPEC M5).
//
// Geometric transforms move the image and the points together, so every point stays on the same
// image content: horizontal / vertical flips, quarter turns, and small integer shifts with mirrored
// borders (a shifted-out point is dropped; the mirrored border is unlabelled, so it is never
// learned as anything). Quarter turns of a non-square tile would swap its sides; such tiles get
// half turns only, so every tile keeps its size. Colour transforms act on the image alone:
// brightness, contrast, saturation and hue jitter, then greyscale. All draws come from one
// SeededRandom, so the same seed gives the same tile on every machine.
#pragma once

#include "training/point_targets.hpp"

#include <cstdint>
#include <vector>

namespace slt::unet::training {

// One training tile in memory: u8 RGB, row-major [height, width, 3].
struct Tile {
    int64_t height = 0;
    int64_t width = 0;
    std::vector<uint8_t> rgb;
    std::vector<LabelledPoint> points;
    float weight = 1.0f; // sample weight (rehearsal, SPEC M7)
};

struct AugmentationSettings {
    bool enabled = true;
    bool flips = true;
    bool quarterTurns = true;
    double maxShift = 0.1;            // fraction of each side, uniform in [-maxShift, maxShift]
    double colourJitterChance = 0.8;  // the original's values
    double brightness = 0.2;          // multiplicative factor in [1 - b, 1 + b]
    double contrast = 0.15;           // factor in [1 - c, 1 + c] around the tile's mean grey
    double saturation = 0.25;         // factor in [1 - s, 1 + s] towards / away from grey
    double hue = 0.05;                // rotation of the chroma plane by up to this many turns
    double greyscaleChance = 0.3;
};

// Index of pixel i after mirroring at the borders of [0, n) without repeating the edge pixel
// (-1 -> 1, n -> n - 2): the fill for shifted and padded borders.
int64_t mirrorIndex(int64_t i, int64_t n);

// Geometric primitives (public for tests).
void flipHorizontal(Tile& tile);
void flipVertical(Tile& tile);
void turnQuarterCounterClockwise(Tile& tile); // swaps height and width
void shift(Tile& tile, int64_t dx, int64_t dy);

// Applies the random transforms drawn from `seed` in place.
void augment(Tile& tile, const AugmentationSettings& settings, uint64_t seed);

} // namespace slt::unet::training
