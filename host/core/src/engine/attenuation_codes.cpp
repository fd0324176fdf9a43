#include "engine/attenuation_codes.hpp"

#include <algorithm>
#include <cmath>

namespace slt::core::attenuation_detail {
namespace {

// Steps beyond the box a query code may lie: as far as the int32 sum of dim squared differences allows
// ((255 + margin)² · dim < 2^31). A tight margin would clamp far queries close to the box and weaken the bound.
float queryMargin(int32_t dim)
{
    return static_cast<float>(std::floor(std::sqrt(2147483647.0 / dim) - 256.0));
}

} // namespace

CellCodes buildCellCodes(const CellPartition& partition)
{
    const int32_t dim = partition.dim;
    CellCodes codes;
    codes.dim = dim;
    codes.queryMargin = std::max(0.0f, queryMargin(dim));
    codes.codes.resize(partition.rows.size());
    codes.offsets.resize(partition.cells.size() * static_cast<size_t>(dim));
    codes.steps.resize(partition.cells.size());
    for (size_t c = 0; c < partition.cells.size(); ++c) {
        const Cell& cell = partition.cells[c];
        float* offset = codes.offsets.data() + c * static_cast<size_t>(dim);
        std::vector<float> top(static_cast<size_t>(dim));
        std::copy_n(partition.row(cell.begin), dim, offset);
        std::copy_n(partition.row(cell.begin), dim, top.begin());
        for (int64_t p = cell.begin; p < cell.end; ++p)
            for (int32_t j = 0; j < dim; ++j) {
                offset[j] = std::min(offset[j], partition.row(p)[j]);
                top[static_cast<size_t>(j)] = std::max(top[static_cast<size_t>(j)], partition.row(p)[j]);
            }
        float range = 0;
        for (int32_t j = 0; j < dim; ++j) range = std::max(range, top[static_cast<size_t>(j)] - offset[j]);
        const float step = range / 255.0f;
        codes.steps[c] = step;
        for (int64_t p = cell.begin; p < cell.end; ++p)
            for (int32_t j = 0; j < dim; ++j) {
                const float code = step > 0 ? std::nearbyint((partition.row(p)[j] - offset[j]) / step) : 0.0f;
                codes.codes[static_cast<size_t>(p * dim + j)] = static_cast<uint8_t>(std::clamp(code, 0.0f, 255.0f));
            }
    }
    return codes;
}

void CellCodes::encodeQuery(const float* q, int64_t cell, int16_t* out) const
{
    const float step = steps[static_cast<size_t>(cell)];
    const float* offset = offsets.data() + cell * dim;
    for (int32_t j = 0; j < dim; ++j) {
        const float code = std::nearbyint((q[j] - offset[j]) / step);
        out[j] = static_cast<int16_t>(std::clamp(code, -queryMargin, 255.0f + queryMargin));
    }
}

// The rounding of a member to its code and of the clamped query to its code each move a point by at most
// s/2 per coordinate; 1e-3 relative covers the division and rounding errors in computing the codes.
double CellCodes::slack(int64_t cell) const
{
    return steps[static_cast<size_t>(cell)] * std::sqrt(static_cast<double>(dim)) * 1.001;
}

// Cloned for AVX2 (integer multiply-add of 16 coordinates at a time) with a baseline fallback; one call per
// cell so the dispatch costs nothing per point.
__attribute__((target_clones("avx2", "default")))
void codeDistances(const int16_t* queryCodes, const uint8_t* codes, int64_t count, int32_t dim, int32_t* out)
{
    for (int64_t p = 0; p < count; ++p) {
        const uint8_t* member = codes + p * dim;
        int32_t sum = 0;
        for (int32_t j = 0; j < dim; ++j) {
            const int16_t difference = static_cast<int16_t>(queryCodes[j] - static_cast<int16_t>(member[j]));
            sum += static_cast<int32_t>(difference) * static_cast<int32_t>(difference);
        }
        out[p] = sum;
    }
}

} // namespace slt::core::attenuation_detail
