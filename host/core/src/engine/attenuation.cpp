// Incremental attenuation over a cell partition (see attenuation_cells.hpp and docs/performance.md).
//
// State, per position of the cell-contiguous order: best2 = squared distance to the nearest labelled point
// within the cut-off radius r (+inf when there is none) and nearest = that point. Values are kept in point
// order. The cut-off: exp(−λ·r²) = 2^-24, so beyond r the factor 1 − exp(−λd²) rounds to 1 in f32 and the
// value is u0 (error ≤ u0·2^-24). Labelling L scans only cells that can hold a point nearer to L than both r
// and the point's current best (cell lower bound vs. the cell's largest best2); unlabelling L re-searches only
// the points whose nearest was L, among the labelled points of cells within 2r of L.
//
// Coded precision (attenuation.hpp): the distance of a position to a label is computed on the cell's 8-bit codes
// (codeUpdate) whenever the label's codes for that cell are in range, in f32 otherwise, by label scans and
// re-searches alike, so the state is one fixed function of the labelled set. Such a distance may be below the
// true one by up to the cell's slack δ, so every bound that prunes (cell lower bounds, the re-search's triangle
// inequality) is lowered by δ: pruning never drops a label that would change a coded value.
#include "slt/core/engine/attenuation.hpp"

#include "engine/attenuation_cells.hpp"
#include "engine/attenuation_codes.hpp"
#include "engine/attenuation_distance.hpp"
#include "engine/attenuation_lambda.hpp"
#include "engine/attenuation_value.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <thread>
#include <vector>

namespace slt::core {

using namespace attenuation_detail;

namespace {

constexpr int64_t kLeafSize = 512;
constexpr int64_t kThreadedCells = 64; // from this many cells to scan a label uses a second thread (~32k members)
constexpr int64_t kRowsAhead = 8; // candidate rows prefetched ahead of the f32 distance (attenuateCell)
constexpr int64_t kCellRun = 128; // from this many re-searched points in one cell, the whole cell is re-scanned
constexpr int64_t kThreadedResearchPositions = 256; // from this many points to re-search an unlabel uses a second thread
constexpr double kNegligibleFactor = 1.0 / 16777216.0; // 2^-24: exp(−λr²) at the cut-off radius r
constexpr float kNone = std::numeric_limits<float>::infinity();
constexpr double kCodedFromCoordinates = 16777216.0; // Automatic precision: coded from N·D = 2^24 (64 MiB of f32) on

Status validate(const float* embeddings, int64_t numPoints, int32_t dim, const float* prior,
                const AttenuationOptions& options)
{
    if (numPoints < 1) return Status::failure(QString("attenuation needs at least one point (got %1)").arg(numPoints));
    if (dim < 1) return Status::failure(QString("attenuation needs an embedding dimension >= 1 (got %1)").arg(dim));
    if (!embeddings || !prior) return Status::failure("attenuation needs embeddings and prior uncertainties (null pointer)");
    if (!std::isfinite(options.lambda) || options.lambda < 0)
        return Status::failure(QString("lambda must be finite and >= 0 (0 = automatic), got %1").arg(options.lambda));
    for (int64_t i = 0; i < numPoints; ++i)
        if (!std::isfinite(prior[i]) || prior[i] < 0)
            return Status::failure(QString("prior uncertainty of point %1 is %2; it must be finite and >= 0").arg(i).arg(prior[i]));
    for (int64_t i = 0; i < numPoints * dim; ++i)
        if (!std::isfinite(embeddings[i]))
            return Status::failure(QString("embedding of point %1 has a non-finite value").arg(i / dim));
    return {};
}

// The f32 rounding the fast path may add on top of the cut-off (first order, relative to u0): the squared
// distance carries (dim + 3)·2^-24 relative error, scaled by at most max(λd²·exp(−λd²)) = 1/e in the value,
// plus the final rounding of the value to f32.
double relativeErrorBound(int32_t dim)
{
    const double unit = 1.0 / 16777216.0;
    const double exponential = 1e-14; // attenuatedValue()'s own exp (attenuation_value.hpp)
    return kNegligibleFactor + (dim + 3) * unit / std::exp(1.0) + unit + exponential;
}

bool useCodes(AttenuationPrecision precision, int64_t numPoints, int32_t dim)
{
    if (precision == AttenuationPrecision::Automatic)
        return static_cast<double>(numPoints) * dim >= kCodedFromCoordinates;
    return precision == AttenuationPrecision::Coded;
}

} // namespace

const char* precisionName(AttenuationPrecision precision)
{
    switch (precision) {
    case AttenuationPrecision::Exact: return "exact";
    case AttenuationPrecision::Coded: return "coded";
    case AttenuationPrecision::Automatic: break;
    }
    return "auto";
}

bool parsePrecision(const QString& text, AttenuationPrecision* precision)
{
    for (AttenuationPrecision candidate :
         {AttenuationPrecision::Automatic, AttenuationPrecision::Exact, AttenuationPrecision::Coded})
        if (text == QLatin1String(precisionName(candidate))) {
            *precision = candidate;
            return true;
        }
    return false;
}

struct Attenuation::Impl {
    double lambda = 0;
    float cutoff2 = 0; // r²
    double errorBound = 0;
    CellPartition cells;
    CellCodes codes;                  // 8-bit copy of cells.rows: the filter (exact) or the distances (coded)
    bool coded = false;
    std::vector<float> cellSlack;     // per cell: how far below the true distance a used one may be (0 when exact)
    float largestSlack = 0;
    // Per scan thread: the label's codes for one cell, the members of one cell the codes do not rule out, and
    // the positions whose best2 the label lowered (their values are written afterwards, by the same thread).
    struct Scratch {
        std::vector<int16_t> queryCodes;
        std::vector<int32_t> candidates;
        std::vector<int64_t> pendingPositions;
        // Coded re-search: the codes of each candidate label for the cell being re-searched, encoded on first use.
        std::vector<int16_t> labelCodes;
        std::vector<uint8_t> labelCodesState; // per candidate: 0 not yet encoded, 1 in range, 2 out of range (f32)
    };
    Scratch scratch[2];
    std::vector<int64_t> cellsToScan; // scratch: cells a label may change
    std::vector<float> priorByPosition;    // u0 in position order, so updates read it sequentially
    std::vector<float> valueAt;   // by position: written where the updates happen, cell by cell
    // values() by point, gathered from valueAt when asked for after a change (the engine itself reads single
    // values through positionOf; scattering every changed value to point order cost a cache miss each).
    mutable std::vector<float> valuesByPoint;
    mutable bool valuesByPointCurrent = false;
    std::vector<uint8_t> labelled; // by point
    int64_t labelledCount = 0;
    std::vector<float> best2;      // by position
    std::vector<int64_t> nearest;  // by position: point index, −1 = none within r
    std::vector<float> cellMax2;   // per cell: the largest best2 of its members
    std::vector<std::vector<int64_t>> labelsInCell; // positions of labelled points, per cell

    void label(int64_t point);
    void unlabel(int64_t point);
    float cellBound(const float* q, int64_t cell) const;
    float codedStep2(int64_t cell) const;
    float distance2(int64_t position, const float* label, const int16_t* labelCodes) const;
    void prefetchRow(int64_t position) const;
    bool attenuateCellCoded(int64_t cell, const float* q, int64_t point, Scratch& scratch);
    void attenuateCell(int64_t cell, const float* q, int64_t point, Scratch& scratch);
    void attenuateCells(const int64_t* cellList, int64_t count, const float* q, int64_t point, Scratch& scratch);
    void writePendingValues(std::vector<int64_t>& pendingPositions);
    std::vector<int64_t> positionsNearestTo(int64_t point) const;
    double codedErrorBound() const;
    void researchNearest(const std::vector<int64_t>& positions, const float* removed);
};

// No member of `cell` is nearer to q than this, by any distance the updates use (the true one less the slack).
float Attenuation::Impl::cellBound(const float* q, int64_t cell) const
{
    return std::max(0.0f, cells.lowerBound(q, cell) - cellSlack[static_cast<size_t>(cell)]);
}

float Attenuation::Impl::codedStep2(int64_t cell) const
{
    const float step = codes.steps[static_cast<size_t>(cell)];
    return step * step;
}

// The squared distance the updates use between `position` and a labelled point with row `label`: coded when
// `labelCodes` (the label's in-range codes for the position's cell) is given, f32 otherwise.
float Attenuation::Impl::distance2(int64_t position, const float* label, const int16_t* labelCodes) const
{
    if (!labelCodes) return squaredDistance(cells.row(position), label, cells.dim);
    return codedDistance2(labelCodes, codes.code(position), cells.dim,
                          codedStep2(cells.cellAt[static_cast<size_t>(position)]));
}

// Coded precision: every member's distance from its codes, one streaming pass over 1 byte per coordinate; the
// values of the updated members are written in the same pass.
// False (nothing done) when the cell cannot be coded for q: identical members, or q far outside its box.
bool Attenuation::Impl::attenuateCellCoded(int64_t cell, const float* q, int64_t point, Scratch& scratch)
{
    if (codes.steps[static_cast<size_t>(cell)] <= 0 || !codes.encodeQuery(q, cell, scratch.queryCodes.data()))
        return false;
    const Cell& range = cells.cells[static_cast<size_t>(cell)];
    const CodeUpdate query{scratch.queryCodes.data(), codedStep2(cell), cutoff2,
                           priorByPosition.data() + range.begin, valueAt.data() + range.begin, lambda};
    float largest = 0;
    const int64_t found = codeUpdate(query, codes, range.begin, range.end - range.begin, best2.data() + range.begin,
                                     scratch.candidates.data(), &largest);
    for (int64_t c = 0; c < found; ++c) nearest[static_cast<size_t>(range.begin + scratch.candidates[static_cast<size_t>(c)])] = point;
    cellMax2[static_cast<size_t>(cell)] = largest;
    return true;
}

// The candidates the codes leave are scattered in the cell, so the hardware prefetcher cannot follow their f32
// rows; with several rows requested ahead their cache misses overlap (perf on the project's synthetic bank: the
// first load of each row was ~80 % of attenuateCell).
void Attenuation::Impl::prefetchRow(int64_t position) const
{
    const char* row = reinterpret_cast<const char*>(cells.row(position));
    const int64_t bytes = static_cast<int64_t>(cells.dim) * static_cast<int64_t>(sizeof(float));
    for (int64_t offset = 0; offset < bytes; offset += 64) __builtin_prefetch(row + offset, 0);
}

// Updates the members of `cell` that the label at `q` brings nearer than both r and their current best. The
// 8-bit codes rule most members out first (an exact lower bound, see attenuation_codes.hpp); only the rest
// are read in f32, so the result is the same as an f32 scan of the whole cell.
void Attenuation::Impl::attenuateCell(int64_t cell, const float* q, int64_t point, Scratch& scratch)
{
    if (coded && attenuateCellCoded(cell, q, point, scratch)) return;
    std::vector<int16_t>& queryCodes = scratch.queryCodes;
    std::vector<int32_t>& candidates = scratch.candidates;
    const Cell& range = cells.cells[static_cast<size_t>(cell)];
    const int64_t count = range.end - range.begin;
    float* best = best2.data() + range.begin;
    float largest = 0;
    int64_t found = count;
    const double step = codes.steps[static_cast<size_t>(cell)];
    if (step > 0) { // step 0: identical members, nothing to filter on
        codes.encodeQuery(q, cell, queryCodes.data());
        const double slack = codes.slack(cell);
        const double reach = (std::sqrt(static_cast<double>(cutoff2)) + slack) / step;
        const CodeQuery query{queryCodes.data(), step, slack, reach * reach};
        found = codeCandidates(query, codes.code(range.begin), count, cells.dim, best, candidates.data(), &largest);
    } else {
        for (int64_t i = 0; i < count; ++i) candidates[static_cast<size_t>(i)] = static_cast<int32_t>(i);
    }
    for (int64_t c = 0; c < found; ++c) {
        if (c + kRowsAhead < found) prefetchRow(range.begin + candidates[static_cast<size_t>(c + kRowsAhead)]);
        const int64_t p = range.begin + candidates[static_cast<size_t>(c)];
        const float distance2 = squaredDistance(q, cells.row(p), cells.dim);
        float& current = best2[static_cast<size_t>(p)];
        if (distance2 < current && distance2 < cutoff2) {
            current = distance2;
            nearest[static_cast<size_t>(p)] = point;
            scratch.pendingPositions.push_back(p);
        }
        largest = std::max(largest, current);
    }
    cellMax2[static_cast<size_t>(cell)] = largest;
}

void Attenuation::Impl::attenuateCells(const int64_t* cellList, int64_t count, const float* q, int64_t point,
                                       Scratch& scratch)
{
    for (int64_t i = 0; i < count; ++i) attenuateCell(cellList[i], q, point, scratch);
}

// Writes the values of `pendingPositions` from their best2 (u0 beyond the cut-off) and clears the list: after a
// label the positions it brought nearer, after an unlabel the re-searched ones. Positions come cell by cell,
// so the reads and writes stay within a few contiguous ranges.
namespace {

// Four positions at a time: gathered u0 and best2, the AVX2 form of attenuatedValue(), four stores.
__attribute__((target("avx2"))) void writeValues4(const int64_t* positions, const float* prior, const float* best2,
                                                  double lambda, float cutoff2, float* valueAt)
{
    const __m256i index = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(positions));
    const __m128 values = attenuatedValues4(_mm256_i64gather_ps(prior, index, 4), _mm256_i64gather_ps(best2, index, 4),
                                            lambda, cutoff2);
    float out[4];
    _mm_storeu_ps(out, values);
    for (int k = 0; k < 4; ++k) valueAt[positions[k]] = out[k];
}

} // namespace

void Attenuation::Impl::writePendingValues(std::vector<int64_t>& pendingPositions)
{
    static const bool avx2 = __builtin_cpu_supports("avx2");
    const size_t count = pendingPositions.size();
    size_t i = 0;
    if (avx2)
        for (; i + 4 <= count; i += 4)
            writeValues4(pendingPositions.data() + i, priorByPosition.data(), best2.data(), lambda, cutoff2, valueAt.data());
    for (; i < count; ++i) {
        const size_t p = static_cast<size_t>(pendingPositions[i]);
        valueAt[p] = attenuatedValue(priorByPosition[p], best2[p], lambda, cutoff2);
    }
    pendingPositions.clear();
}

void Attenuation::Impl::label(int64_t point)
{
    const int64_t position = cells.positionOf[static_cast<size_t>(point)];
    const float* q = cells.row(position);
    cellsToScan.clear();
    for (int64_t c = 0; c < static_cast<int64_t>(cells.cells.size()); ++c) {
        const float bound = cellBound(q, c);
        const float bound2 = bound * bound;
        if (bound2 < cutoff2 && bound2 < cellMax2[static_cast<size_t>(c)]) cellsToScan.push_back(c);
    }
    // Many cells (the first labels of a region): two threads over disjoint halves of the list. Every cell is
    // updated by exactly one thread with the same arithmetic, so the result does not depend on the split.
    const int64_t count = static_cast<int64_t>(cellsToScan.size());
    if (count >= kThreadedCells) {
        const int64_t half = count / 2;
        std::thread second([&] {
            attenuateCells(cellsToScan.data() + half, count - half, q, point, scratch[1]);
            writePendingValues(scratch[1].pendingPositions);
        });
        attenuateCells(cellsToScan.data(), half, q, point, scratch[0]);
        writePendingValues(scratch[0].pendingPositions);
        second.join();
    } else {
        attenuateCells(cellsToScan.data(), count, q, point, scratch[0]);
        writePendingValues(scratch[0].pendingPositions);
    }
    // A labelled point is its own nearest (a duplicate labelled earlier may already have given it 0).
    nearest[static_cast<size_t>(position)] = point;
    best2[static_cast<size_t>(position)] = 0;
    valueAt[static_cast<size_t>(position)] = 0;
    labelsInCell[static_cast<size_t>(cells.cellAt[static_cast<size_t>(position)])].push_back(position);
}

// Points whose nearest labelled point is `point`: all within r of it, and only in cells whose largest best2
// reaches the cell's lower bound.
std::vector<int64_t> Attenuation::Impl::positionsNearestTo(int64_t point) const
{
    const float* q = cells.row(cells.positionOf[static_cast<size_t>(point)]);
    std::vector<int64_t> found;
    for (int64_t c = 0; c < static_cast<int64_t>(cells.cells.size()); ++c) {
        const float bound = cellBound(q, c);
        if (bound * bound >= cutoff2 || bound * bound > cellMax2[static_cast<size_t>(c)]) continue;
        const Cell& range = cells.cells[static_cast<size_t>(c)];
        for (int64_t p = range.begin; p < range.end; ++p)
            if (nearest[static_cast<size_t>(p)] == point) found.push_back(p);
    }
    return found;
}

// New nearest labelled point (within r) of each position (all within r of the removed point, listed cell by
// cell), searched point by point among the labelled points of cells within 2r of the removed point (any label
// within r of a position lies there), sorted by their distance D to the removed point. With a the position's
// distance to the removed point, no label from D − a ≥ its current best (or r) on can be nearer (triangle
// inequality, with a margin for the f32 rounding of the three distances), so the search stops there. Each
// position reads its own row once and the labels' rows stay in cache; cell scans (the former way) cost
// ~1 s per unlabel on overlapping data, where every cell bound passes. Candidates are tried in the same order
// for every position and a strictly smaller distance wins, as in a label scan, so the nearest found is the
// same; positions are independent, two threads over disjoint halves.
void Attenuation::Impl::researchNearest(const std::vector<int64_t>& positions, const float* removed)
{
    const float cutoff = std::sqrt(cutoff2);
    std::vector<std::pair<float, int64_t>> candidates; // (distance to the removed point, label position)
    for (int64_t c = 0; c < static_cast<int64_t>(cells.cells.size()); ++c)
        if (!labelsInCell[static_cast<size_t>(c)].empty() && cells.lowerBound(removed, c) < 2 * (cutoff + largestSlack))
            for (int64_t labelPosition : labelsInCell[static_cast<size_t>(c)])
                candidates.emplace_back(std::sqrt(squaredDistance(removed, cells.row(labelPosition), cells.dim)),
                                        labelPosition);
    std::sort(candidates.begin(), candidates.end());
    const float margin = static_cast<float>(std::ldexp(static_cast<double>(cells.dim) + 8, -22));

    // Runs of positions in one cell. A run of many positions is re-searched as before, by re-applying the
    // candidates to the whole cell through the cell bound and the code filter (its positions reset to +inf;
    // every other member already holds its nearest among the remaining labels): on separated clusters a
    // removed label often held a whole region with no other label within r, where each point would otherwise
    // try every candidate in f32.
    struct Run {
        int64_t begin, end;
        bool wholeCell = false;
    };
    std::vector<Run> runs;
    for (int64_t i = 0; i < static_cast<int64_t>(positions.size()); ++i) {
        const int64_t cell = cells.cellAt[static_cast<size_t>(positions[static_cast<size_t>(i)])];
        if (runs.empty() || cells.cellAt[static_cast<size_t>(positions[static_cast<size_t>(runs.back().begin)])] != cell)
            runs.push_back({i, i + 1, false});
        else
            runs.back().end = i + 1;
    }
    for (Run& run : runs) {
        if (run.end - run.begin < kCellRun) continue;
        run.wholeCell = true;
        for (int64_t i = run.begin; i < run.end; ++i) {
            best2[static_cast<size_t>(positions[static_cast<size_t>(i)])] = kNone;
            nearest[static_cast<size_t>(positions[static_cast<size_t>(i)])] = -1;
        }
        cellMax2[static_cast<size_t>(cells.cellAt[static_cast<size_t>(positions[static_cast<size_t>(run.begin)])])] = kNone;
    }

    // Coded: the codes of candidate k for the cell of the run being re-searched, encoded once per run.
    const auto labelCodesFor = [&](size_t k, int64_t cell, Scratch& scratch) -> const int16_t* {
        if (!coded || codes.steps[static_cast<size_t>(cell)] <= 0) return nullptr;
        int16_t* out = scratch.labelCodes.data() + k * static_cast<size_t>(cells.dim);
        uint8_t& state = scratch.labelCodesState[k];
        if (state == 0) state = codes.encodeQuery(cells.row(candidates[k].second), cell, out) ? 1 : 2;
        return state == 1 ? out : nullptr;
    };
    const auto researchPosition = [&](int64_t p, Scratch& scratch) {
        const float toRemoved = std::sqrt(best2[static_cast<size_t>(p)]);
        const int64_t cell = cells.cellAt[static_cast<size_t>(p)];
        const float slack = 2 * cellSlack[static_cast<size_t>(cell)]; // the used distances to both points may be low
        float best = kNone;
        int64_t bestPoint = -1;
        for (size_t k = 0; k < candidates.size(); ++k) {
            const auto& [toLabel, labelPosition] = candidates[k];
            const float reach = std::min(std::sqrt(best), cutoff);
            if (toLabel - toRemoved - slack > reach + margin * (toLabel + toRemoved + reach)) break;
            const float distance2 = this->distance2(p, cells.row(labelPosition), labelCodesFor(k, cell, scratch));
            if (distance2 < best && distance2 < cutoff2) {
                best = distance2;
                bestPoint = cells.pointAt[static_cast<size_t>(labelPosition)];
            }
        }
        best2[static_cast<size_t>(p)] = best;
        nearest[static_cast<size_t>(p)] = bestPoint;
    };
    const auto researchCell = [&](int64_t cell, Scratch& scratch) {
        for (const auto& candidate : candidates) {
            const int64_t labelPosition = candidate.second;
            const float* label = cells.row(labelPosition);
            const float bound = cellBound(label, cell);
            if (bound * bound < cutoff2 && bound * bound < cellMax2[static_cast<size_t>(cell)])
                attenuateCell(cell, label, cells.pointAt[static_cast<size_t>(labelPosition)], scratch);
        }
        scratch.pendingPositions.clear(); // the caller writes every re-searched position
    };
    const auto research = [&](size_t firstRun, size_t lastRun, Scratch& scratch) {
        if (coded) {
            scratch.labelCodes.resize(candidates.size() * static_cast<size_t>(cells.dim));
            scratch.labelCodesState.resize(candidates.size());
        }
        for (size_t r = firstRun; r < lastRun; ++r) {
            if (runs[r].wholeCell) {
                researchCell(cells.cellAt[static_cast<size_t>(positions[static_cast<size_t>(runs[r].begin)])], scratch);
                continue;
            }
            std::fill(scratch.labelCodesState.begin(), scratch.labelCodesState.end(), uint8_t{0}); // a new cell
            for (int64_t i = runs[r].begin; i < runs[r].end; ++i)
                researchPosition(positions[static_cast<size_t>(i)], scratch);
        }
    };
    const int64_t count = static_cast<int64_t>(positions.size());
    if (count >= kThreadedResearchPositions) {
        size_t middle = 0; // first run of the second half of the positions
        while (middle < runs.size() && runs[middle].end <= count / 2) ++middle;
        std::thread second([&] { research(middle, runs.size(), scratch[1]); });
        research(0, middle, scratch[0]);
        second.join();
    } else {
        research(0, runs.size(), scratch[0]);
    }
    // The cells' largest best2, which the label scans' cell bound compares with.
    int64_t previousCell = -1;
    for (int64_t p : positions) {
        const int64_t cell = cells.cellAt[static_cast<size_t>(p)];
        if (cell == previousCell) continue;
        previousCell = cell;
        const Cell& range = cells.cells[static_cast<size_t>(cell)];
        cellMax2[static_cast<size_t>(cell)] = *std::max_element(best2.begin() + range.begin, best2.begin() + range.end);
    }
}

void Attenuation::Impl::unlabel(int64_t point)
{
    const int64_t position = cells.positionOf[static_cast<size_t>(point)];
    auto& inCell = labelsInCell[static_cast<size_t>(cells.cellAt[static_cast<size_t>(position)])];
    inCell.erase(std::find(inCell.begin(), inCell.end(), position));
    std::vector<int64_t> positions = positionsNearestTo(point);
    researchNearest(positions, cells.row(position));
    writePendingValues(positions);
}

Result<Attenuation> Attenuation::create(const float* embeddings, int64_t numPoints, int32_t dim, const float* prior,
                                        const AttenuationOptions& options)
{
    if (const Status valid = validate(embeddings, numPoints, dim, prior, options); !valid)
        return Result<Attenuation>::failure(valid.error());
    auto impl = std::make_unique<Impl>();
    impl->cells = buildCellPartition(embeddings, numPoints, dim, kLeafSize, options.seed);
    impl->priorByPosition.resize(static_cast<size_t>(numPoints));
    for (int64_t p = 0; p < numPoints; ++p)
        impl->priorByPosition[static_cast<size_t>(p)] = prior[impl->cells.pointAt[static_cast<size_t>(p)]];
    impl->codes = buildCellCodes(impl->cells);
    impl->coded = useCodes(options.precision, numPoints, dim);
    impl->cellSlack.assign(impl->cells.cells.size(), 0.0f);
    if (impl->coded)
        for (size_t c = 0; c < impl->cells.cells.size(); ++c) {
            impl->cellSlack[c] = static_cast<float>(impl->codes.slack(static_cast<int64_t>(c)));
            impl->largestSlack = std::max(impl->largestSlack, impl->cellSlack[c]);
        }
    int64_t largestCell = 0;
    for (const Cell& cell : impl->cells.cells) largestCell = std::max(largestCell, cell.end - cell.begin);
    for (Impl::Scratch& scratch : impl->scratch) {
        scratch.queryCodes.resize(static_cast<size_t>(dim));
        scratch.candidates.resize(static_cast<size_t>(largestCell));
    }
    impl->lambda = options.lambda;
    if (impl->lambda == 0) {
        const Result<double> automatic =
            automaticLambda(impl->cells, neighbourRank(numPoints), options.lambdaSamplePoints, options.seed);
        if (!automatic) return Result<Attenuation>::failure(automatic.error());
        impl->lambda = *automatic;
    }
    impl->cutoff2 = static_cast<float>(std::log(1.0 / kNegligibleFactor) / impl->lambda);
    float largestPrior = 0;
    for (int64_t i = 0; i < numPoints; ++i) largestPrior = std::max(largestPrior, prior[i]);
    impl->errorBound = largestPrior * relativeErrorBound(dim) + impl->codedErrorBound();
    impl->valueAt = impl->priorByPosition;
    impl->labelled.assign(static_cast<size_t>(numPoints), 0);
    impl->best2.assign(static_cast<size_t>(numPoints), kNone);
    impl->nearest.assign(static_cast<size_t>(numPoints), -1);
    impl->cellMax2.assign(impl->cells.cells.size(), kNone);
    impl->labelsInCell.resize(impl->cells.cells.size());
    return Attenuation(std::move(impl));
}

Attenuation::Attenuation(std::unique_ptr<Impl> impl) : d(std::move(impl)) {}
Attenuation::Attenuation(Attenuation&&) noexcept = default;
Attenuation& Attenuation::operator=(Attenuation&&) noexcept = default;
Attenuation::~Attenuation() = default;

// Coded precision: a used distance is within the cell's slack δ of the true one, and the value's slope in the
// distance is at most u0·max(2λd·exp(−λd²)) = u0·sqrt(2λ/e); the largest product over the points.
double Attenuation::Impl::codedErrorBound() const
{
    if (!coded) return 0;
    const double slope = std::sqrt(2 * lambda / std::exp(1.0));
    double largest = 0;
    for (int64_t p = 0; p < cells.size(); ++p)
        largest = std::max(largest, priorByPosition[static_cast<size_t>(p)] *
                                        static_cast<double>(cellSlack[static_cast<size_t>(cells.cellAt[static_cast<size_t>(p)])]));
    return slope * largest;
}

int64_t Attenuation::size() const { return static_cast<int64_t>(d->labelled.size()); }
double Attenuation::lambda() const { return d->lambda; }
double Attenuation::errorBound() const { return d->errorBound; }
AttenuationPrecision Attenuation::precision() const
{
    return d->coded ? AttenuationPrecision::Coded : AttenuationPrecision::Exact;
}
int64_t Attenuation::labelledCount() const { return d->labelledCount; }
const float* Attenuation::values() const
{
    if (!d->valuesByPointCurrent) {
        d->valuesByPoint.resize(d->valueAt.size());
        for (int64_t p = 0; p < d->cells.size(); ++p)
            d->valuesByPoint[static_cast<size_t>(d->cells.pointAt[static_cast<size_t>(p)])] = d->valueAt[static_cast<size_t>(p)];
        d->valuesByPointCurrent = true;
    }
    return d->valuesByPoint.data();
}

bool Attenuation::isLabelled(int64_t point) const
{
    return point >= 0 && point < size() && d->labelled[static_cast<size_t>(point)];
}

float Attenuation::value(int64_t point) const
{
    return point >= 0 && point < size() ? d->valueAt[static_cast<size_t>(d->cells.positionOf[static_cast<size_t>(point)])] : 0.0f;
}

void Attenuation::setLabelled(int64_t point, bool labelled)
{
    if (point < 0 || point >= size() || isLabelled(point) == labelled) return;
    d->labelled[static_cast<size_t>(point)] = labelled ? 1 : 0;
    d->labelledCount += labelled ? 1 : -1;
    d->valuesByPointCurrent = false;
    if (labelled)
        d->label(point);
    else
        d->unlabel(point);
}

// Exact also beyond the cut-off radius: points with no labelled point within r search all labelled points.
int64_t Attenuation::nearestLabelled(int64_t point) const
{
    if (point < 0 || point >= size() || d->labelledCount == 0) return -1;
    const int64_t position = d->cells.positionOf[static_cast<size_t>(point)];
    if (d->nearest[static_cast<size_t>(position)] >= 0) return d->nearest[static_cast<size_t>(position)];
    const float* x = d->cells.row(position);
    float best = kNone;
    int64_t bestPoint = -1;
    for (const auto& inCell : d->labelsInCell)
        for (int64_t labelPosition : inCell) {
            const float distance2 = squaredDistance(x, d->cells.row(labelPosition), d->cells.dim);
            if (distance2 < best) {
                best = distance2;
                bestPoint = d->cells.pointAt[static_cast<size_t>(labelPosition)];
            }
        }
    return bestPoint;
}

std::vector<float> Attenuation::recomputedValues() const
{
    const Impl& s = *d;
    std::vector<int64_t> labelPositions;
    for (const auto& inCell : s.labelsInCell) labelPositions.insert(labelPositions.end(), inCell.begin(), inCell.end());
    std::vector<float> out(s.valueAt.size());
    std::vector<int16_t> labelCodes(static_cast<size_t>(s.cells.dim));
    for (int64_t p = 0; p < s.cells.size(); ++p) {
        const int64_t point = s.cells.pointAt[static_cast<size_t>(p)];
        const int64_t cell = s.cells.cellAt[static_cast<size_t>(p)];
        float best = kNone;
        for (int64_t labelPosition : labelPositions) {
            const float* label = s.cells.row(labelPosition);
            const bool codedHere = s.coded && s.codes.steps[static_cast<size_t>(cell)] > 0 &&
                                   s.codes.encodeQuery(label, cell, labelCodes.data());
            best = std::min(best, s.distance2(p, label, codedHere ? labelCodes.data() : nullptr));
        }
        out[static_cast<size_t>(point)] = s.labelled[static_cast<size_t>(point)]
                                              ? 0.0f
                                              : attenuatedValue(s.priorByPosition[static_cast<size_t>(p)], best, s.lambda, s.cutoff2);
    }
    return out;
}

void bruteForceAttenuation(const float* embeddings, int64_t numPoints, int32_t dim, const float* prior,
                           const uint8_t* labelled, double lambda, float* out)
{
    std::vector<int64_t> labels;
    for (int64_t i = 0; i < numPoints; ++i)
        if (labelled[i]) labels.push_back(i);
    for (int64_t i = 0; i < numPoints; ++i) {
        if (labelled[i] || labels.empty()) {
            out[i] = labelled[i] ? 0.0f : prior[i];
            continue;
        }
        double best = std::numeric_limits<double>::infinity();
        for (int64_t j : labels) {
            double distance2 = 0;
            for (int32_t k = 0; k < dim; ++k) {
                const double diff = static_cast<double>(embeddings[i * dim + k]) - embeddings[j * dim + k];
                distance2 += diff * diff;
            }
            best = std::min(best, distance2);
        }
        out[i] = static_cast<float>(prior[i] * (1.0 - std::exp(-lambda * best)));
    }
}

} // namespace slt::core
