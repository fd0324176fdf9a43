#include "local_maxima.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>

namespace slt::legacy {
namespace {

constexpr float kMinusInfinity = -std::numeric_limits<float>::infinity();

// out[i] = max(in[i - radius .. i + radius] clipped to the line), for a line of `n` values `stride`
// apart. A monotonic queue of indices makes it O(n) whatever the radius.
void sliding_max(const float* in, float* out, int32_t n, ptrdiff_t stride, int32_t radius,
                 std::vector<int32_t>& queue)
{
    queue.resize(static_cast<size_t>(n));
    size_t head = 0, tail = 0;
    for (int32_t j = 0; j < n + radius; ++j) {
        if (j < n) {
            const float v = in[j * stride];
            while (tail > head && in[queue[tail - 1] * stride] <= v) --tail;
            queue[tail++] = j;
        }
        const int32_t i = j - radius;
        if (i < 0) continue;
        while (queue[head] < i - radius) ++head;
        out[i * stride] = in[queue[head] * stride];
    }
}

std::vector<float> window_maximum(const std::vector<float>& map, int32_t height, int32_t width, int32_t radius)
{
    std::vector<float> rows(map.size()), result(map.size());
    std::vector<int32_t> queue;
    for (int32_t r = 0; r < height; ++r) {
        const ptrdiff_t offset = static_cast<ptrdiff_t>(r) * width;
        sliding_max(map.data() + offset, rows.data() + offset, width, 1, radius, queue);
    }
    for (int32_t c = 0; c < width; ++c)
        sliding_max(rows.data() + c, result.data() + c, height, width, radius, queue);
    return result;
}

std::vector<float> gaussian_kernel(double sigma)
{
    const int32_t radius = std::max<int32_t>(1, static_cast<int32_t>(std::ceil(3.0 * sigma)));
    std::vector<float> kernel(static_cast<size_t>(2 * radius + 1));
    double sum = 0;
    for (int32_t i = -radius; i <= radius; ++i) {
        const double w = std::exp(-0.5 * (i * i) / (sigma * sigma));
        kernel[static_cast<size_t>(i + radius)] = static_cast<float>(w);
        sum += w;
    }
    for (float& w : kernel) w = static_cast<float>(w / sum);
    return kernel;
}

// Mirror index into [0, n): -1 -> 0, n -> n - 1 (edge pixel repeated, as scipy's "reflect").
int32_t mirror(int32_t i, int32_t n)
{
    if (n == 1) return 0;
    const int32_t period = 2 * n;
    i %= period;
    if (i < 0) i += period;
    return i < n ? i : period - 1 - i;
}

void convolve_line(const float* in, float* out, int32_t n, ptrdiff_t stride, const std::vector<float>& kernel)
{
    const int32_t radius = static_cast<int32_t>(kernel.size() / 2);
    for (int32_t i = 0; i < n; ++i) {
        float sum = 0;
        for (int32_t k = -radius; k <= radius; ++k)
            sum += kernel[static_cast<size_t>(k + radius)] * in[mirror(i + k, n) * stride];
        out[i * stride] = sum;
    }
}

} // namespace

void gaussian_smooth(std::vector<float>& map, int32_t height, int32_t width, double sigma)
{
    if (!(sigma > 0) || height <= 0 || width <= 0) return;
    const std::vector<float> kernel = gaussian_kernel(sigma);
    std::vector<float> rows(map.size());
    for (int32_t r = 0; r < height; ++r) {
        const ptrdiff_t offset = static_cast<ptrdiff_t>(r) * width;
        convolve_line(map.data() + offset, rows.data() + offset, width, 1, kernel);
    }
    for (int32_t c = 0; c < width; ++c)
        convolve_line(rows.data() + c, map.data() + c, height, width, kernel);
}

std::vector<Peak> find_local_maxima(const std::vector<float>& map, int32_t height, int32_t width,
                                    const MaximaOptions& options)
{
    const int32_t margin = std::max<int32_t>(0, options.edge_margin);
    if (height <= 2 * margin || width <= 2 * margin) return {};
    // NaN never wins a comparison: make it -inf so it can neither be a peak nor block one.
    std::vector<float> values(map);
    for (float& v : values)
        if (std::isnan(v)) v = kMinusInfinity;
    const std::vector<float> maximum = window_maximum(values, height, width, std::max<int32_t>(0, options.window / 2));

    const auto at = [width](int32_t r, int32_t c) { return static_cast<size_t>(r) * static_cast<size_t>(width) + static_cast<size_t>(c); };
    const auto candidate = [&](int32_t r, int32_t c) {
        const float v = values[at(r, c)];
        return v != kMinusInfinity && v == maximum[at(r, c)];
    };

    std::vector<uint8_t> visited(values.size(), 0);
    std::vector<Peak> peaks, stack;
    for (int32_t r = margin; r < height - margin; ++r) {
        for (int32_t c = margin; c < width - margin; ++c) {
            if (visited[at(r, c)] || !candidate(r, c)) continue;
            // The first pixel of a plateau in raster order represents it; flood the rest of it.
            peaks.push_back({r, c});
            const float level = values[at(r, c)];
            visited[at(r, c)] = 1;
            stack.assign(1, Peak{r, c});
            while (!stack.empty()) {
                const Peak p = stack.back();
                stack.pop_back();
                for (int32_t dr = -1; dr <= 1; ++dr) {
                    for (int32_t dc = -1; dc <= 1; ++dc) {
                        const int32_t nr = p.row + dr, nc = p.column + dc;
                        if (nr < margin || nr >= height - margin || nc < margin || nc >= width - margin) continue;
                        if (visited[at(nr, nc)] || values[at(nr, nc)] != level || !candidate(nr, nc)) continue;
                        visited[at(nr, nc)] = 1;
                        stack.push_back({nr, nc});
                    }
                }
            }
        }
    }

    if (options.max_points > 0 && peaks.size() > static_cast<size_t>(options.max_points)) {
        std::stable_sort(peaks.begin(), peaks.end(), [&](const Peak& a, const Peak& b) {
            return values[at(a.row, a.column)] > values[at(b.row, b.column)];
        });
        peaks.resize(static_cast<size_t>(options.max_points));
        std::sort(peaks.begin(), peaks.end(), [](const Peak& a, const Peak& b) {
            return a.row != b.row ? a.row < b.row : a.column < b.column;
        });
    }
    return peaks;
}

} // namespace slt::legacy
