// The per-point columns a bank build collects for one append: position, per-pass and mean probabilities,
// predicted class, embedding and crop, read off a prediction at the candidate points of each tile.
//
// Sampling rules (docs/bank-build.md): probabilities at the nearest probability pixel at or before the
// point (row y / output_stride, column x / output_stride); the embedding bilinearly interpolated, the
// centre of embedding pixel (i, j) lying at input pixel ((j + 0.5) * s - 0.5, (i + 0.5) * s - 0.5) for the
// embedding stride s, clamped to the map; the crop centred on the point, covering [x - P/2, x - P/2 + P).
#pragma once

#include "model_session.hpp"
#include "slt/core/bank_build/candidate_points.hpp"

#include <slt/sdk/bank.h>

#include <functional>

namespace slt::core {

// Writes the P x P RGB crop whose top-left level-0 pixel is (left, top) into `out`.
using CropReader = std::function<Status(int64_t left, int64_t top, uint8_t* out)>;

struct TileContext {
    int64_t item = 0;        // index of the tile in the prediction batch
    int32_t validWidth = 0;  // the tile's pixels that belong to the image (the rest is padding)
    int32_t validHeight = 0;
    int32_t imageIndex = 0;  // index in the bank's image table
    int64_t originX = 0;     // level-0 position of the tile's pixel (0, 0)
    int64_t originY = 0;
    CropReader crop;         // unused when the crop size is 0
};

class PointRecords {
public:
    PointRecords(int32_t classes, int32_t passes, int32_t dim, int32_t cropSize);

    int64_t count() const { return static_cast<int64_t>(x_.size()); }
    void clear();

    // Appends the points of one tile of `prediction`.
    Status add(const Prediction& prediction, const TileContext& tile, const std::vector<CandidatePoint>& points);

    // The per-pass probabilities of every point as f32 [T, N, C] (strided view of the point-major store).
    slt_array passProbabilities();
    float* scores(int32_t metrics) { scores_.resize(static_cast<size_t>(count()) * metrics); return scores_.data(); }
    slt_bank_points view() const;

private:
    void sampleEmbedding(const Prediction& p, int64_t item, double x, double y, float* out) const;

    int32_t classes_, passes_, dim_, cropSize_;
    std::vector<int32_t> imageIndex_, predicted_;
    std::vector<float> x_, y_, meanProbs_, passProbs_, embeddings_, scores_;
    std::vector<uint8_t> crops_;
};

// The per-pixel score of the first metric of `metric` over tile `item`: [h * w] row-major.
class MetricColumns;
Result<std::vector<float>> uncertaintyMap(const Prediction& prediction, int64_t item, MetricColumns& metric);

} // namespace slt::core
