// 8-bit copies of the embeddings, used in one of two ways (AttenuationPrecision):
// - exact: only as a filter. A label update first reads 1 byte per coordinate instead of 4 and computes a
//   guaranteed LOWER BOUND of each distance; only the points whose bound does not rule them out are re-read in
//   f32 and updated. Results are identical to an f32 scan; the codes only cut the bytes streamed.
// - coded: as the distance itself, d̂ = s·‖qc − xc‖ (codeUpdate), so an update streams 64 bytes per point at
//   D = 64 and never the f32 rows. d̂ is the distance between the two points rounded to the cell's grid, so
//   |d̂ − d| ≤ slack(cell) (each rounding moves a point by at most s/2·sqrt(D)).
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
    std::vector<int32_t> terms;  // position order: Σxc² − 256·Σxc of each point's codes (codeUpdate's VNNI path)
    std::vector<int32_t> sums;   // position order: Σxc (the VNNI path, for queries it shifts by k ≠ 128)
    std::vector<float> offsets;  // cells × dim
    std::vector<float> steps;    // per cell; 0 when every member is identical (then no filtering)
    float queryMargin = 0;       // how many steps beyond the box a query code may lie (int32 sums, int16 codes)

    const uint8_t* code(int64_t position) const { return codes.data() + position * dim; }
    // The query's codes for `cell` (int16, so the difference with a member code cannot overflow). Returns
    // false when a coordinate had to be clamped to the margin (the query lies far outside the cell's box):
    // the codes then still give a lower bound, but no longer an approximation within slack().
    bool encodeQuery(const float* q, int64_t cell, int16_t* out) const;
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

// Coded precision: member i's distance to the query is d̂²(i) = s²·Σ(qc − xc)², computed as
// float(int32 sum) · float(s²). The integer sum is exact in every path (scalar; AVX2; AVX-512 VNNI, which
// expands it as Σqc² + (Σxc² − 256·Σxc) + (256 − 2k)·Σxc − 2·Σ(qc − k)·xc, with qc − k in signed bytes when the
// query's codes span at most 256 values, else split as 256·hi + lo with k = 128; in wrapping int32 arithmetic
// whose final value is the exact sum), followed by the same two roundings, so all paths give the same bits,
// and codedDistance2() gives them for a single member. Where d̂² is below both best2[i] and the cut-off,
// best2[i] takes it, values[i] its attenuated value, and i is listed in `updated` (room for `count`); returns
// how many. `largest` receives the largest best2 of the members after the update.
struct CodeUpdate {
    const int16_t* codes = nullptr; // the query's codes for the cell (encodeQuery returned true)
    float step2 = 0;                // s², in f32
    float cutoff2 = 0;              // r²
    // Every updated member's attenuated value is written to values[i] (attenuatedValue(prior[i], new best2[i],
    // lambda, cutoff2)), in the same pass, so a label that changes most of a cell touches it once.
    const float* prior = nullptr;   // u0 of the members
    float* values = nullptr;
    double lambda = 0;
};
// `position` indexes the first member in `codes`' position order (the terms and sums).
int64_t codeUpdate(const CodeUpdate& query, const CellCodes& codes, int64_t position, int64_t count, float* best2,
                   int32_t* updated, float* largest);
float codedDistance2(const int16_t* queryCodes, const uint8_t* member, int32_t dim, float step2);

} // namespace slt::core::attenuation_detail
