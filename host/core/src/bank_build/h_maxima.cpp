#include "slt/core/bank_build/h_maxima.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstddef>
#include <deque>
#include <limits>

namespace slt::core {
namespace {

constexpr float kFrame = -std::numeric_limits<float>::infinity();

// An image inside a one-pixel frame of kFrame. The scans below read every neighbour without bounds checks;
// the frame's marker and mask are equal, so it is never raised and never raises anything.
struct FramedImage {
    int32_t width = 0, height = 0;
    int32_t stride = 0; // width + 2
    std::vector<float> values;

    FramedImage(int32_t w, int32_t h) : width(w), height(h), stride(w + 2), values(static_cast<size_t>(w + 2) * (h + 2), kFrame) {}
    size_t at(int32_t row, int32_t column) const { return static_cast<size_t>(row + 1) * stride + column + 1; }
};

// Offsets of the 8 neighbours: the first four come before a pixel in raster order, the last four after it.
struct Neighbours {
    std::ptrdiff_t offset[8];
    explicit Neighbours(std::ptrdiff_t s) : offset{-1, -s - 1, -s, -s + 1, 1, s - 1, s, s + 1} {}
};

// Marker J under mask I, both framed the same way, J <= I already.
void reconstructFramed(std::vector<float>& J, const std::vector<float>& I, const FramedImage& shape)
{
    const Neighbours n(shape.stride);
    const auto scan = [&](size_t p, int first) {
        float m = J[p];
        for (int k = first; k < first + 4; ++k)
            m = std::max(m, J[p + n.offset[k]]);
        J[p] = std::min(m, I[p]);
    };
    for (int32_t i = 0; i < shape.height; ++i)
        for (int32_t j = 0; j < shape.width; ++j)
            scan(shape.at(i, j), 0);
    // The anti-raster scan also finds the pixels from which a later neighbour can still be raised: only they
    // seed the queue, which is what keeps the propagation short.
    std::deque<size_t> queue;
    for (int32_t i = shape.height - 1; i >= 0; --i)
        for (int32_t j = shape.width - 1; j >= 0; --j) {
            const size_t p = shape.at(i, j);
            scan(p, 4);
            bool raises = false; // bitwise, not short-circuit: on noisy maps the branches would mispredict
            for (int k = 4; k < 8; ++k) {
                const size_t q = p + n.offset[k];
                raises |= (J[q] < J[p]) & (J[q] < I[q]);
            }
            if (raises)
                queue.push_back(p);
        }
    while (!queue.empty()) {
        const size_t p = queue.front();
        queue.pop_front();
        for (std::ptrdiff_t offset : n.offset) {
            const size_t q = p + offset;
            if (J[q] < J[p] && J[q] != I[q]) {
                J[q] = std::min(J[p], I[q]);
                queue.push_back(q);
            }
        }
    }
}

} // namespace

void reconstructByDilation(std::vector<float>& marker, const std::vector<float>& mask, int32_t width, int32_t height)
{
    if (width <= 0 || height <= 0)
        return;
    FramedImage J(width, height), I(width, height);
    for (int32_t i = 0; i < height; ++i)
        for (int32_t j = 0; j < width; ++j) {
            const size_t p = static_cast<size_t>(i) * width + j;
            I.values[I.at(i, j)] = mask[p];
            J.values[J.at(i, j)] = std::min(marker[p], mask[p]);
        }
    reconstructFramed(J.values, I.values, J);
    for (int32_t i = 0; i < height; ++i)
        for (int32_t j = 0; j < width; ++j)
            marker[static_cast<size_t>(i) * width + j] = J.values[J.at(i, j)];
}

std::vector<uint8_t> hMaxima(const std::vector<float>& values, int32_t width, int32_t height, float contrast)
{
    std::vector<uint8_t> result(values.size(), 0);
    float lo = std::numeric_limits<float>::infinity(), hi = -lo;
    for (float v : values)
        if (std::isfinite(v)) {
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
    if (width <= 0 || height <= 0 || !(contrast > 0) || !std::isfinite(contrast) || lo > hi)
        return result;
    // f - h is rounded to float, so at a true h-maximum f - R(f - h) can come out a few ulps below h; the
    // tolerance (a few float epsilons of the largest magnitude involved) keeps such maxima. The price: two
    // levels closer than the tolerance count as one.
    const double tolerance = 4.0 * FLT_EPSILON * std::max({std::fabs(lo), std::fabs(hi), contrast});
    // The global maximum's dynamic is the map's range: a flat map (or one flatter than h) has no h-maximum.
    if (static_cast<double>(hi) - lo < static_cast<double>(contrast) - tolerance)
        return result;
    FramedImage I(width, height), J(width, height);
    for (int32_t i = 0; i < height; ++i)
        for (int32_t j = 0; j < width; ++j) {
            const float v = values[static_cast<size_t>(i) * width + j];
            const float f = std::isfinite(v) ? v : lo;
            I.values[I.at(i, j)] = f;
            J.values[J.at(i, j)] = f - contrast;
        }
    reconstructFramed(J.values, I.values, J);
    for (int32_t i = 0; i < height; ++i)
        for (int32_t j = 0; j < width; ++j) {
            const size_t p = static_cast<size_t>(i) * width + j;
            const double residue = static_cast<double>(I.values[I.at(i, j)]) - J.values[J.at(i, j)];
            result[p] = std::isfinite(values[p]) && residue >= static_cast<double>(contrast) - tolerance;
        }
    return result;
}

} // namespace slt::core
