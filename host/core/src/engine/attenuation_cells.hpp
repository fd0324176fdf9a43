// The cell partition behind the incremental attenuation: the points are split once, at create(), into
// compact cells (recursive k-means down to at most `leafSize` points per cell), each with a centre and a
// radius, and the embeddings are copied cell-contiguously. A query that only matters within a distance r of
// a point then scans only the cells whose lower bound ‖q − centre‖ − radius is below r.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

namespace slt::core::attenuation_detail {

struct Cell {
    int64_t begin = 0; // positions [begin, end) in the cell-contiguous order
    int64_t end = 0;
    float radius = 0;  // max distance centre → member, inflated by a rounding margin so bounds stay safe
};

struct CellPartition {
    int32_t dim = 0;
    std::vector<int64_t> pointAt;    // position → point index
    std::vector<int64_t> positionOf; // point index → position
    std::vector<int32_t> cellAt;     // position → cell
    std::vector<float> rows;         // the embeddings in position order (N × dim)
    std::vector<Cell> cells;
    std::vector<float> centres;      // cells × dim

    int64_t size() const { return static_cast<int64_t>(pointAt.size()); }
    const float* row(int64_t position) const { return rows.data() + position * dim; }
    const float* centre(int64_t cell) const { return centres.data() + cell * dim; }
    // max(0, ‖q − centre‖ − radius): no member of the cell is nearer to q than this.
    float lowerBound(const float* q, int64_t cell) const;
};

// Deterministic for a given seed. `leafSize` >= 1. Cells of identical points are never split further.
CellPartition buildCellPartition(const float* embeddings, int64_t numPoints, int32_t dim, int64_t leafSize,
                                 uint64_t seed);

// Distance from the point at `position` to its k-th nearest neighbour among all points, excluding the
// point itself (duplicates count, at distance 0). Exact: cells are visited by increasing lower bound and
// the search stops when the bound exceeds the current k-th distance. Requires 1 <= k < size().
double kthNeighbourDistance(const CellPartition& partition, int64_t position, int k);

} // namespace slt::core::attenuation_detail

namespace slt::core::attenuation_detail {

// Runs work(begin, end) over [0, count) split into contiguous chunks on up to two threads (the machines this
// targets have two cores per session); results must not depend on the split, which holds for per-item work.
void parallelChunks(int64_t count, const std::function<void(int64_t begin, int64_t end)>& work);

} // namespace slt::core::attenuation_detail
