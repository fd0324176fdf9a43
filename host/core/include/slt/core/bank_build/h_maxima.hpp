// Grayscale reconstruction by dilation and the h-maxima built on it, for the `contrast` candidate points
// (SPEC B2). Images are row-major float maps; 8-connectivity throughout. Pure functions, no I/O.
//
// h-maxima: the regional maxima (connected pixels of one level with no higher neighbour) whose dynamic is at
// least h. The dynamic of a regional maximum at level v is v minus the highest level s such that a path from it
// to a strictly higher pixel never goes below s (the saddle); a maximum with no higher pixel anywhere (the
// global maximum, or each of several equal ones) has the dynamic max - min of the map, so a flat map, or any
// map whose range is below h, has no h-maximum. Computed as f - R(f - h) >= h, R the reconstruction of f - h
// under f.
#pragma once

#include <cstdint>
#include <vector>

namespace slt::core {

// Reconstruction by dilation of `marker` under `mask` (both width x height), in place: the largest image
// <= mask that is obtained from marker by repeated 3x3 dilations clipped to mask. `marker` is clipped to
// `mask` first. Values must not be NaN. Linear-time hybrid algorithm: a raster and an anti-raster scan, then
// a FIFO propagation of the pixels that can still raise a neighbour.
void reconstructByDilation(std::vector<float>& marker, const std::vector<float>& mask, int32_t width, int32_t height);

// 1 for the pixels of the h-maxima of `values` (width x height), 0 elsewhere; `contrast` = h > 0. Non-finite
// values count as the lowest finite value of the map and are never part of an h-maximum.
std::vector<uint8_t> hMaxima(const std::vector<float>& values, int32_t width, int32_t height, float contrast);

} // namespace slt::core
