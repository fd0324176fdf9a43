// 8-bit copies of the embeddings, used only as an exact filter: a label update first reads 1 byte per
// coordinate instead of 4 and computes a guaranteed LOWER BOUND of each distance; only the points whose bound
// does not rule them out are re-read in f32 and updated. Results are therefore identical to an f32 scan; the
// codes only cut the bytes streamed (64 instead of 256 per point at D = 64).
//
// Per cell: offset o (per-coordinate minimum) and one step s (largest coordinate range / 255), code =
// round((x − o)/s). For a query q, its coordinates are clamped to the cell's box widened by queryMargin steps
// (clamping towards a box that holds every member never increases a distance to a member) and rounded the same
// way; then ‖q − x‖ ≥ s·sqrt(Σ(qc − xc)²) − s·sqrt(D) (each rounding moves a point by at most s/2·sqrt(D)).
#pragma once

#include "engine/attenuation_cells.hpp"

#include <cstdint>
#include <vector>

namespace slt::core::attenuation_detail {

struct CellCodes {
    int32_t dim = 0;
    std::vector<uint8_t> codes;  // position order, N × dim
    std::vector<float> offsets;  // cells × dim
    std::vector<float> steps;    // per cell; 0 when every member is identical (then no filtering)
    float queryMargin = 0;       // how many steps beyond the box a query code may lie (int32 sums, int16 codes)

    const uint8_t* code(int64_t position) const { return codes.data() + position * dim; }
    // The query's codes for `cell` (int16, so the difference with a member code cannot overflow).
    void encodeQuery(const float* q, int64_t cell, int16_t* out) const;
    // s·sqrt(D) with a margin for the f32 rounding of the bound itself.
    double slack(int64_t cell) const;
};

CellCodes buildCellCodes(const CellPartition& partition);

// Σ (qc − xc)² over dim coordinates (fits int32 with the clamped query codes), for `count`
// consecutive coded points into out[0, count).
void codeDistances(const int16_t* queryCodes, const uint8_t* codes, int64_t count, int32_t dim, int32_t* out);

} // namespace slt::core::attenuation_detail
