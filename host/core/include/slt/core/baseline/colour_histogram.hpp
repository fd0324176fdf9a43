// Colour features of the colour baseline (`slt-cli baseline`, docs/evaluation.md): a joint RGB histogram of an
// image or of a rectangle of it, and its Hellinger map.
//
// The histogram has `binsPerChannel` bins per channel (bins^3 in all); a channel value v falls into bin
// floor(v * bins / 256), so 0 is in the first bin and 255 in the last. Bin (r, g, b) is at index
// (r * bins + g) * bins + b. The histogram is normalised to sum 1.
//
// Why the Hellinger map (the square root of every bin): histograms are probability distributions, and plain
// Euclidean distance between them is dominated by the few big bins (a stain's dominant colour), while small
// bins (a few nuclei) hardly count. After the square root, Euclidean distance is (up to the constant sqrt 2)
// the Hellinger distance between the distributions, which weighs a bin by its relative change; and it stays
// Euclidean, so class means (centroids) of maps are meaningful.
#pragma once

#include "slt/core/result.hpp"
#include "slt/core/training_data/image_access.hpp"

#include <cstdint>
#include <vector>

namespace slt::core::baseline {

inline constexpr int kDefaultBinsPerChannel = 8;
inline constexpr int kMinBinsPerChannel = 2;
inline constexpr int kMaxBinsPerChannel = 64;

// A rectangle of pixels: columns [left, left + width), rows [top, top + height).
struct PixelRect {
    int64_t left = 0;
    int64_t top = 0;
    int64_t width = 0;
    int64_t height = 0;
};

// The bin of one channel value (binsPerChannel in [kMinBinsPerChannel, kMaxBinsPerChannel]).
int colourBin(uint8_t value, int binsPerChannel);

// The normalised joint histogram of `rect` in `image`. Fails on bins outside [2, 64], an image whose pixel buffer
// does not match its size, and a rectangle that is empty or not inside the image.
Result<std::vector<float>> colourHistogram(const training_data::RgbImage& image, const PixelRect& rect,
                                           int binsPerChannel);
// The histogram of the whole image.
Result<std::vector<float>> colourHistogram(const training_data::RgbImage& image, int binsPerChannel);

// Replaces every bin by its square root.
void applyHellingerMap(std::vector<float>& histogram);

// The histogram of `rect`, Hellinger-mapped: the baseline's feature.
Result<std::vector<float>> colourFeature(const training_data::RgbImage& image, const PixelRect& rect,
                                         int binsPerChannel);

// The Hellinger distance sqrt(1 - sum_i sqrt(p_i q_i)) between two distributions, computed from their Hellinger
// maps as |map(p) - map(q)| / sqrt 2; NaN when the maps differ in size.
double hellingerDistance(const std::vector<float>& mapP, const std::vector<float>& mapQ);

} // namespace slt::core::baseline
