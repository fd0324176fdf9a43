// Candidate points of a bank build (SPEC B2): where in a tile the bank gets a point. Four strategies:
//   centre    one point at pixel (W/2, H/2) (integer division);
//   grid      the centres of step x step cells: x = m + step/2 + k * step while x <= W - 1 - m (same for y),
//             with m the edge margin;
//   localmax  local maxima of an uncertainty map (one value per map pixel, map pixel (i, j) lying at input
//             pixel (j * s, i * s) for the map's stride s): optional Gaussian smoothing, a pixel is a
//             candidate when it equals the maximum of the window around it and lies inside the edge margin;
//             a connected plateau of equal candidates (8-neighbours) gives one point, its member nearest to
//             the plateau's centroid; then non-maximum suppression keeps the highest points first and drops
//             any point within the window half-width (Chebyshev distance) of a kept one; at most
//             max-points per tile, the highest.
//   contrast  contrast peaks of the same (optionally smoothed) map: its h-maxima (slt/core/bank_build/
//             h_maxima.hpp) for h = contrast, each 8-connected h-maximum region giving one point by the
//             plateau rule above; points inside the edge margin dropped; then non-maximum suppression
//             highest first, dropping any point at a Euclidean distance <= min-distance input pixels of a kept
//             one; at most max-points per tile. A flat map gives no point.
// Coordinates are integer input pixels of the tile (x = column, y = row). Pure functions, no I/O.
#pragma once

#include <cstdint>
#include <vector>

namespace slt::core {

enum class PointStrategy { Centre, Grid, LocalMax, ContrastPeaks };

// Whether the strategy needs the uncertainty map (the first metric's per-pixel score).
inline bool needsUncertaintyMap(PointStrategy s)
{
    return s == PointStrategy::LocalMax || s == PointStrategy::ContrastPeaks;
}

struct PointOptions {
    PointStrategy strategy = PointStrategy::Centre;
    int32_t gridStep = 32;        // grid: cell size in input pixels (>= 1)
    int32_t window = 15;          // localmax: window side in input pixels (>= 1); also the NMS distance
    int32_t edgeMargin = 0;       // grid, localmax, contrast: no point closer than this to the tile border (input pixels)
    float smoothingSigma = 0.0f;  // localmax, contrast: Gaussian sigma in input pixels before the search; 0 = none
    int32_t maxPointsPerTile = 0; // localmax, contrast: keep at most this many (highest first); 0 = no limit
    float contrast = 0.05f;       // contrast: h, the least dynamic of a peak, in score units (> 0)
    int32_t minDistance = 32;     // contrast: NMS radius in input pixels, Euclidean (>= 1)
};

struct CandidatePoint {
    int32_t x = 0;      // input pixel column in the tile
    int32_t y = 0;      // input pixel row in the tile
    float value = 0.0f; // localmax, contrast: the (smoothed) map value at the point; otherwise 0
};

// An uncertainty map: `width` x `height` values, row-major, map pixel (i, j) at input pixel (j*stride, i*stride).
struct UncertaintyMap {
    const float* values = nullptr;
    int32_t width = 0;
    int32_t height = 0;
    int32_t stride = 1;
};

// The points of a tile whose valid area is `width` x `height` input pixels (padding beyond it never gets a
// point). `map` is needed by localmax and contrast only.
std::vector<CandidatePoint> candidatePoints(const PointOptions& options, int32_t width, int32_t height,
                                            const UncertaintyMap& map = {});

std::vector<CandidatePoint> centrePoint(int32_t width, int32_t height);
std::vector<CandidatePoint> gridPoints(int32_t width, int32_t height, int32_t step, int32_t edgeMargin);
std::vector<CandidatePoint> localMaxima(const UncertaintyMap& map, int32_t width, int32_t height,
                                        const PointOptions& options);
std::vector<CandidatePoint> contrastPeaks(const UncertaintyMap& map, int32_t width, int32_t height,
                                          const PointOptions& options);

} // namespace slt::core
