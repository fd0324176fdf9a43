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

// The members of one cell the filter cannot rule out for a query: member i (of `count` consecutive coded
// points) is a candidate when its code distance Σ(qc − xc)² is below min(codeLimit(best2[i]), cutoffLimit),
// codeLimit(b) = ((sqrt(b) + slack) / step)² (below it the member may be nearer than sqrt(b)). Writes the
// candidates' indices to `candidates` (room for `count`) and returns how many; `largestOther` receives the
// largest best2 among the non-candidates (0 when there are none). AVX2 when the CPU has it (8 members per
// step, limits in f32 with a relative margin far above the f32 rounding), otherwise scalar in double; both
// are conservative, so the update that follows gives the same result as an f32 scan of the whole cell.
struct CodeQuery {
    const int16_t* codes = nullptr; // the query's codes for the cell (encodeQuery)
    double step = 0;                // the cell's step (> 0)
    double slack = 0;               // CellCodes::slack
    double cutoffLimit = 0;         // codeLimit(r²)
};
int64_t codeCandidates(const CodeQuery& query, const uint8_t* codes, int64_t count, int32_t dim, const float* best2,
                       int32_t* candidates, float* largestOther);

} // namespace slt::core::attenuation_detail
