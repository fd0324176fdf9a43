#include "training/point_targets.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace slt::unet::training {

int32_t autoDiskRadius(int64_t height, int64_t width)
{
    const double side = static_cast<double>(std::min(height, width));
    return static_cast<int32_t>(std::clamp(std::lround(side / 14.0), 1L, 8L));
}

void rasteriseDisks(const std::vector<LabelledPoint>& points, int64_t height, int64_t width, int32_t radius,
                    int64_t* target)
{
    std::fill(target, target + height * width, kIgnorePixel);
    // Squared distance of the point that currently owns each pixel (only pixels inside some disk).
    std::vector<float> ownerDistance(static_cast<size_t>(height * width), std::numeric_limits<float>::infinity());
    const auto r = static_cast<float>(radius);
    const float r2 = r * r;
    for (const LabelledPoint& p : points) {
        const int64_t row0 = std::max<int64_t>(0, static_cast<int64_t>(std::ceil(p.y - r)));
        const int64_t row1 = std::min<int64_t>(height - 1, static_cast<int64_t>(std::floor(p.y + r)));
        const int64_t col0 = std::max<int64_t>(0, static_cast<int64_t>(std::ceil(p.x - r)));
        const int64_t col1 = std::min<int64_t>(width - 1, static_cast<int64_t>(std::floor(p.x + r)));
        for (int64_t row = row0; row <= row1; ++row) {
            const float dy = static_cast<float>(row) - p.y;
            for (int64_t col = col0; col <= col1; ++col) {
                const float dx = static_cast<float>(col) - p.x;
                const float d2 = dx * dx + dy * dy;
                const size_t at = static_cast<size_t>(row * width + col);
                if (d2 <= r2 && d2 < ownerDistance[at]) {
                    ownerDistance[at] = d2;
                    target[at] = p.classIndex;
                }
            }
        }
    }
}

} // namespace slt::unet::training
