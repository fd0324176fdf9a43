#include "slt/core/bank_build/candidate_points.hpp"

#include "slt/core/bank_build/h_maxima.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <deque>

namespace slt::core {
namespace {

// A map pixel range [0, n) restricted to the map pixels whose input position lies in [lo, hi].
struct Span {
    int32_t first = 0;
    int32_t end = 0; // exclusive
};

Span inputSpan(int32_t lo, int32_t hi, int32_t stride, int32_t mapSize)
{
    Span s;
    s.first = std::max(0, (lo + stride - 1) / stride);
    s.end = std::min(mapSize, hi >= 0 ? hi / stride + 1 : 0);
    if (s.end < s.first)
        s.end = s.first;
    return s;
}

std::vector<float> gaussianKernel(float sigma)
{
    const int radius = std::max(1, static_cast<int>(std::ceil(3.0f * sigma)));
    std::vector<float> k(static_cast<size_t>(2 * radius + 1));
    float sum = 0.0f;
    for (int i = -radius; i <= radius; ++i)
        sum += k[static_cast<size_t>(i + radius)] = std::exp(-0.5f * static_cast<float>(i * i) / (sigma * sigma));
    for (float& v : k)
        v /= sum;
    return k;
}

// One separable pass along rows (horizontal = true) or columns, borders clamped.
std::vector<float> convolve(const std::vector<float>& in, int32_t w, int32_t h, const std::vector<float>& kernel, bool horizontal)
{
    const int radius = static_cast<int>(kernel.size() / 2);
    std::vector<float> out(in.size());
    for (int32_t i = 0; i < h; ++i)
        for (int32_t j = 0; j < w; ++j) {
            float sum = 0.0f;
            for (int k = -radius; k <= radius; ++k) {
                const int32_t y = horizontal ? i : std::clamp(i + k, 0, h - 1);
                const int32_t x = horizontal ? std::clamp(j + k, 0, w - 1) : j;
                sum += kernel[static_cast<size_t>(k + radius)] * in[static_cast<size_t>(y) * w + x];
            }
            out[static_cast<size_t>(i) * w + j] = sum;
        }
    return out;
}

std::vector<float> smoothed(const UncertaintyMap& map, float sigmaInMapPixels)
{
    std::vector<float> values(map.values, map.values + static_cast<size_t>(map.width) * map.height);
    if (sigmaInMapPixels <= 0.0f)
        return values;
    const std::vector<float> kernel = gaussianKernel(sigmaInMapPixels);
    return convolve(convolve(values, map.width, map.height, kernel, true), map.width, map.height, kernel, false);
}

// Maximum over the (2r+1) x (2r+1) window around every pixel (separable, borders clipped).
std::vector<float> windowMaximum(const std::vector<float>& in, int32_t w, int32_t h, int32_t r)
{
    std::vector<float> rows(in.size()), out(in.size());
    for (int32_t i = 0; i < h; ++i)
        for (int32_t j = 0; j < w; ++j) {
            float m = -INFINITY;
            for (int32_t x = std::max(0, j - r); x <= std::min(w - 1, j + r); ++x)
                m = std::max(m, in[static_cast<size_t>(i) * w + x]);
            rows[static_cast<size_t>(i) * w + j] = m;
        }
    for (int32_t i = 0; i < h; ++i)
        for (int32_t j = 0; j < w; ++j) {
            float m = -INFINITY;
            for (int32_t y = std::max(0, i - r); y <= std::min(h - 1, i + r); ++y)
                m = std::max(m, rows[static_cast<size_t>(y) * w + j]);
            out[static_cast<size_t>(i) * w + j] = m;
        }
    return out;
}

struct MapPeak {
    int32_t row = 0, column = 0;
    float value = 0.0f;
};

// Which neighbouring candidates form one region: only those of exactly the same value (localmax plateaus), or
// any (h-maximum regions, whose members may differ by the h-maxima's rounding tolerance).
enum class RegionRule { EqualValues, Connected };

// One peak per 8-connected region of candidate pixels: the member nearest to the region's centroid (the first
// in raster order among equals), with its value. Peaks come in the raster order of the regions' first pixels.
std::vector<MapPeak> regionPeaks(const std::vector<float>& values, const std::vector<uint8_t>& candidate, int32_t w, int32_t h,
                                 RegionRule rule)
{
    std::vector<uint8_t> seen(candidate.size(), 0);
    std::vector<MapPeak> peaks;
    std::vector<int32_t> members;
    std::deque<int32_t> queue;
    for (int32_t start = 0; start < w * h; ++start) {
        if (!candidate[start] || seen[start])
            continue;
        const float value = values[start];
        members.clear();
        queue.assign(1, start);
        seen[start] = 1;
        double sumRow = 0, sumColumn = 0;
        while (!queue.empty()) {
            const int32_t p = queue.front();
            queue.pop_front();
            members.push_back(p);
            sumRow += p / w;
            sumColumn += p % w;
            for (int32_t dy = -1; dy <= 1; ++dy)
                for (int32_t dx = -1; dx <= 1; ++dx) {
                    const int32_t y = p / w + dy, x = p % w + dx;
                    if (y < 0 || y >= h || x < 0 || x >= w)
                        continue;
                    const int32_t q = y * w + x;
                    if (candidate[q] && !seen[q] && (rule == RegionRule::Connected || values[q] == value)) {
                        seen[q] = 1;
                        queue.push_back(q);
                    }
                }
        }
        std::sort(members.begin(), members.end());
        const double cy = sumRow / static_cast<double>(members.size()), cx = sumColumn / static_cast<double>(members.size());
        int32_t best = members.front();
        double bestDistance = INFINITY;
        for (int32_t p : members) {
            const double d = (p / w - cy) * (p / w - cy) + (p % w - cx) * (p % w - cx);
            if (d < bestDistance) {
                bestDistance = d;
                best = p;
            }
        }
        peaks.push_back({best / w, best % w, values[best]});
    }
    return peaks;
}

// The map pixels a kept peak suppresses, as offsets from it: the square of half-width `radius`, or, when
// `euclidean` > 0, the disk of that many input pixels (map pixels lying `stride` input pixels apart).
struct SuppressionZone {
    int32_t radius = 0;
    int64_t stride = 1;
    int64_t euclidean = 0;

    static SuppressionZone square(int32_t radius) { return {radius, 1, 0}; }
    static SuppressionZone disk(int32_t inputPixels, int32_t stride) { return {inputPixels / stride, stride, inputPixels}; }

    // Half-width of the zone in the row `dy` away from the centre.
    int32_t halfWidth(int32_t dy) const
    {
        int32_t dx = radius;
        while (euclidean > 0 && dx >= 0 && stride * stride * (int64_t{dx} * dx + int64_t{dy} * dy) > euclidean * euclidean)
            --dx;
        return dx;
    }
};

// Greedy non-maximum suppression: highest first (raster order among equals), a peak inside the zone of a kept
// one is dropped; at most `limit` kept (0: no limit). Marking covered pixels costs a bounded multiple of the
// map size, since kept peaks lie outside each other's zones.
std::vector<MapPeak> suppressNonMaxima(std::vector<MapPeak> peaks, int32_t w, int32_t h, const SuppressionZone& zone, int32_t limit)
{
    std::stable_sort(peaks.begin(), peaks.end(), [](const MapPeak& a, const MapPeak& b) { return a.value > b.value; });
    std::vector<uint8_t> covered(static_cast<size_t>(w) * h, 0);
    std::vector<MapPeak> kept;
    for (const MapPeak& p : peaks) {
        if (covered[static_cast<size_t>(p.row) * w + p.column])
            continue;
        kept.push_back(p);
        if (limit > 0 && static_cast<int32_t>(kept.size()) >= limit)
            break;
        for (int32_t y = std::max(0, p.row - zone.radius); y <= std::min(h - 1, p.row + zone.radius); ++y) {
            const int32_t dx = zone.halfWidth(y - p.row);
            if (dx < 0)
                continue;
            const int32_t first = std::max(0, p.column - dx), last = std::min(w - 1, p.column + dx);
            std::fill_n(covered.begin() + static_cast<std::ptrdiff_t>(y) * w + first, last - first + 1, uint8_t{1});
        }
    }
    return kept;
}

std::vector<CandidatePoint> inputPoints(const std::vector<MapPeak>& peaks, int32_t stride)
{
    std::vector<CandidatePoint> points;
    points.reserve(peaks.size());
    for (const MapPeak& p : peaks)
        points.push_back({p.column * stride, p.row * stride, p.value});
    return points;
}

} // namespace

std::vector<CandidatePoint> centrePoint(int32_t width, int32_t height)
{
    if (width <= 0 || height <= 0)
        return {};
    return {{width / 2, height / 2, 0.0f}};
}

std::vector<CandidatePoint> gridPoints(int32_t width, int32_t height, int32_t step, int32_t edgeMargin)
{
    std::vector<CandidatePoint> points;
    if (step < 1)
        return points;
    for (int32_t y = edgeMargin + step / 2; y <= height - 1 - edgeMargin; y += step)
        for (int32_t x = edgeMargin + step / 2; x <= width - 1 - edgeMargin; x += step)
            points.push_back({x, y, 0.0f});
    return points;
}

std::vector<CandidatePoint> localMaxima(const UncertaintyMap& map, int32_t width, int32_t height, const PointOptions& o)
{
    const int32_t w = map.width, h = map.height, s = std::max(1, map.stride);
    if (!map.values || w <= 0 || h <= 0)
        return {};
    const std::vector<float> values = smoothed(map, o.smoothingSigma / static_cast<float>(s));
    const int32_t radius = std::max(1, (o.window / 2 + s - 1) / s);
    const std::vector<float> maxima = windowMaximum(values, w, h, radius);
    // Candidates: window maxima whose input position is inside the valid area minus the edge margin.
    const Span rows = inputSpan(o.edgeMargin, height - 1 - o.edgeMargin, s, h);
    const Span columns = inputSpan(o.edgeMargin, width - 1 - o.edgeMargin, s, w);
    std::vector<uint8_t> candidate(values.size(), 0);
    for (int32_t i = rows.first; i < rows.end; ++i)
        for (int32_t j = columns.first; j < columns.end; ++j) {
            const size_t p = static_cast<size_t>(i) * w + j;
            candidate[p] = std::isfinite(values[p]) && values[p] >= maxima[p];
        }
    const std::vector<MapPeak> plateaus = regionPeaks(values, candidate, w, h, RegionRule::EqualValues);
    return inputPoints(suppressNonMaxima(plateaus, w, h, SuppressionZone::square(radius), o.maxPointsPerTile), s);
}

std::vector<CandidatePoint> contrastPeaks(const UncertaintyMap& map, int32_t width, int32_t height, const PointOptions& o)
{
    const int32_t w = map.width, h = map.height, s = std::max(1, map.stride);
    if (!map.values || w <= 0 || h <= 0 || o.minDistance < 1)
        return {};
    const std::vector<float> values = smoothed(map, o.smoothingSigma / static_cast<float>(s));
    // The h-maxima of the whole map: a peak in the margin or the padding stays a peak (its slopes are not
    // mistaken for peaks of their own); only its point is dropped below.
    const std::vector<MapPeak> regions = regionPeaks(values, hMaxima(values, w, h, o.contrast), w, h, RegionRule::Connected);
    const Span rows = inputSpan(o.edgeMargin, height - 1 - o.edgeMargin, s, h);
    const Span columns = inputSpan(o.edgeMargin, width - 1 - o.edgeMargin, s, w);
    std::vector<MapPeak> inside;
    for (const MapPeak& p : regions)
        if (p.row >= rows.first && p.row < rows.end && p.column >= columns.first && p.column < columns.end)
            inside.push_back(p);
    return inputPoints(suppressNonMaxima(inside, w, h, SuppressionZone::disk(o.minDistance, s), o.maxPointsPerTile), s);
}

std::vector<CandidatePoint> candidatePoints(const PointOptions& options, int32_t width, int32_t height, const UncertaintyMap& map)
{
    switch (options.strategy) {
    case PointStrategy::Centre:
        return centrePoint(width, height);
    case PointStrategy::Grid:
        return gridPoints(width, height, options.gridStep, options.edgeMargin);
    case PointStrategy::LocalMax:
        return localMaxima(map, width, height, options);
    case PointStrategy::ContrastPeaks:
        return contrastPeaks(map, width, height, options);
    }
    return {};
}

} // namespace slt::core
