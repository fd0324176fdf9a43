// Point labels to dense targets (SPEC M3): every labelled point becomes a small disk of its class;
// every other pixel is "ignore" and does not take part in the loss.
//
// Coordinates are pixel-centre coordinates: pixel column i has its centre at x = i (so a point at
// x = 3.0 sits on column 3, and x = 2.6 on column 3 as well). A pixel belongs to a point's disk when
// its centre lies within `radius` of the point. Where disks of different classes overlap, a pixel
// takes the class of the nearest point (ties: the earlier point), so a dense cluster of labels
// never turns a pixel multi-class.
#pragma once

#include <cstdint>
#include <vector>

namespace slt::unet::training {

inline constexpr int64_t kIgnorePixel = -1;

struct LabelledPoint {
    float x = 0;   // column, pixel-centre coordinates
    float y = 0;   // row
    int32_t classIndex = 0; // output channel
};

// The disk radius used when the configuration says 0 ("auto"): about 1/14 of the shorter side,
// between 1 and 8 pixels. 28x28 tiles (PathMNIST) get 2 px (a 13-pixel disk, ~2 % of the tile:
// the label stays local to the cell it was put on), 64x64 get 5 px, and tiles of 112 px and more
// get 8 px, the radius the original SLT drew around its points on 1024x512 tiles.
int32_t autoDiskRadius(int64_t height, int64_t width);

// Fills `target` ([height * width], row-major) with class indices inside the disks and kIgnorePixel
// elsewhere. Points whose centre lies outside the image still label the pixels of their disk that
// fall inside it.
void rasteriseDisks(const std::vector<LabelledPoint>& points, int64_t height, int64_t width, int32_t radius,
                    int64_t* target);

} // namespace slt::unet::training
