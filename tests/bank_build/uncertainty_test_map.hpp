// A small uncertainty map the candidate-point tests draw on (row-major, map pixel (x, y) at values[y * width + x]).
#pragma once

#include <slt/core/bank_build/candidate_points.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace slt::test {

struct UncertaintyTestMap {
    int32_t width, height;
    std::vector<float> values;
    UncertaintyTestMap(int32_t w, int32_t h, float fill = 0.0f) : width(w), height(h), values(static_cast<size_t>(w) * h, fill) {}
    float& at(int32_t x, int32_t y) { return values[static_cast<size_t>(y) * width + x]; }
    core::UncertaintyMap view(int32_t stride = 1) const { return {values.data(), width, height, stride}; }
    // Adds a cone of the given height and radius (in map pixels) centred at (x, y).
    void addCone(int32_t x, int32_t y, float coneHeight, float radius)
    {
        for (int32_t i = 0; i < height; ++i)
            for (int32_t j = 0; j < width; ++j) {
                const float d = std::hypot(static_cast<float>(j - x), static_cast<float>(i - y));
                at(j, i) += std::max(0.0f, coneHeight * (1.0f - d / radius));
            }
    }
};

} // namespace slt::test
