// Candidate points of an uncertainty map: local maxima in a square window, one point per flat plateau.
#pragma once

#include <cstdint>
#include <vector>

namespace slt::legacy {

struct MaximaOptions {
    int32_t window = 7;       // side of the square window in pixels; an even side acts as the next odd one
    int32_t edge_margin = 4;  // points closer than this to the image border are not kept
    double sigma = 0.0;       // Gaussian smoothing before the search; 0 = off
    int32_t max_points = 0;   // keep the highest this many per image; 0 = all
};

struct Peak {
    int32_t row = 0;
    int32_t column = 0;
};

// Smooths a row-major [height, width] map in place with a separable Gaussian (borders mirrored).
void gaussian_smooth(std::vector<float>& map, int32_t height, int32_t width, double sigma);

// The local maxima of a row-major [height, width] map, in raster order. A pixel is a candidate when it
// is finite, inside the edge margin and equal to the maximum of its window (clipped at the image
// border). Candidates that touch (8-connected) form one plateau, and each plateau gives one point:
// its first pixel in raster order. So an isolated peak gives itself, a flat-topped peak one point and
// a constant map one point. With max_points > 0 only the highest values are kept (ties: raster order).
// One pass for the window maximum (separable, O(height * width) whatever the window) and one for the
// plateaus.
std::vector<Peak> find_local_maxima(const std::vector<float>& map, int32_t height, int32_t width,
                                    const MaximaOptions& options);

} // namespace slt::legacy
