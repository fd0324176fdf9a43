#include "point_records.hpp"

#include "metric_columns.hpp"

#include <algorithm>
#include <cmath>

namespace slt::core {

PointRecords::PointRecords(int32_t classes, int32_t passes, int32_t dim, int32_t cropSize)
    : classes_(classes), passes_(passes), dim_(dim), cropSize_(cropSize)
{
}

void PointRecords::clear()
{
    imageIndex_.clear();
    predicted_.clear();
    for (auto* v : {&x_, &y_, &meanProbs_, &passProbs_, &embeddings_, &scores_})
        v->clear();
    crops_.clear();
}

void PointRecords::sampleEmbedding(const Prediction& p, int64_t item, double x, double y, float* out) const
{
    const int64_t he = p.embeddingHeight, we = p.embeddingWidth;
    const double s = p.embeddingStride;
    const double u = std::clamp((y + 0.5) / s - 0.5, 0.0, static_cast<double>(he - 1));
    const double v = std::clamp((x + 0.5) / s - 0.5, 0.0, static_cast<double>(we - 1));
    const auto i0 = static_cast<int64_t>(u), j0 = static_cast<int64_t>(v);
    const int64_t i1 = std::min(he - 1, i0 + 1), j1 = std::min(we - 1, j0 + 1);
    const double fu = u - static_cast<double>(i0), fv = v - static_cast<double>(j0);
    for (int64_t d = 0; d < dim_; ++d) {
        const float* map = p.embedding(item, d);
        const double top = map[i0 * we + j0] * (1 - fv) + map[i0 * we + j1] * fv;
        const double bottom = map[i1 * we + j0] * (1 - fv) + map[i1 * we + j1] * fv;
        out[d] = static_cast<float>(top * (1 - fu) + bottom * fu);
    }
}

Status PointRecords::add(const Prediction& p, const TileContext& tile, const std::vector<CandidatePoint>& points)
{
    const size_t cropBytes = static_cast<size_t>(cropSize_) * cropSize_ * 3;
    for (const CandidatePoint& point : points) {
        const int64_t row = std::min(p.height - 1, static_cast<int64_t>(point.y / p.outputStride));
        const int64_t column = std::min(p.width - 1, static_cast<int64_t>(point.x / p.outputStride));
        const size_t first = passProbs_.size();
        passProbs_.resize(first + static_cast<size_t>(passes_) * classes_);
        std::vector<double> mean(static_cast<size_t>(classes_), 0.0);
        for (int64_t t = 0; t < passes_; ++t)
            for (int64_t c = 0; c < classes_; ++c) {
                const float value = p.prob(t, tile.item, c)[row * p.width + column];
                passProbs_[first + static_cast<size_t>(t * classes_ + c)] = value;
                mean[static_cast<size_t>(c)] += value;
            }
        int32_t best = 0;
        for (int32_t c = 0; c < classes_; ++c) {
            meanProbs_.push_back(static_cast<float>(mean[static_cast<size_t>(c)] / passes_));
            if (mean[static_cast<size_t>(c)] > mean[static_cast<size_t>(best)])
                best = c;
        }
        predicted_.push_back(best);
        imageIndex_.push_back(tile.imageIndex);
        const int64_t x = tile.originX + point.x, y = tile.originY + point.y;
        x_.push_back(static_cast<float>(x));
        y_.push_back(static_cast<float>(y));
        if (dim_ > 0) {
            embeddings_.resize(embeddings_.size() + static_cast<size_t>(dim_));
            sampleEmbedding(p, tile.item, point.x, point.y, embeddings_.data() + embeddings_.size() - dim_);
        }
        if (cropBytes > 0) {
            crops_.resize(crops_.size() + cropBytes);
            if (Status s = tile.crop(x - cropSize_ / 2, y - cropSize_ / 2, crops_.data() + crops_.size() - cropBytes); !s)
                return s;
        }
    }
    return {};
}

slt_array PointRecords::passProbabilities()
{
    slt_array a{};
    a.data = passProbs_.data();
    a.dtype = SLT_DTYPE_F32;
    a.ndim = 3;
    a.shape[0] = passes_;
    a.shape[1] = count();
    a.shape[2] = classes_;
    a.strides[0] = classes_;
    a.strides[1] = static_cast<int64_t>(passes_) * classes_;
    a.strides[2] = 1;
    return a;
}

slt_bank_points PointRecords::view() const
{
    slt_bank_points p{};
    p.struct_size = sizeof p;
    p.count = count();
    p.image_index = imageIndex_.data();
    p.x = x_.data();
    p.y = y_.data();
    p.predicted_class = predicted_.data();
    p.mean_probs = meanProbs_.data();
    p.scores = scores_.data();
    p.embeddings = dim_ > 0 ? embeddings_.data() : nullptr;
    p.crops = cropSize_ > 0 ? crops_.data() : nullptr;
    return p;
}

Result<std::vector<float>> uncertaintyMap(const Prediction& p, int64_t item, MetricColumns& metric)
{
    // The tile's probabilities [T, C, h, w] seen as [T, N = h * w, C] through strides.
    slt_array probs{};
    probs.data = const_cast<float*>(p.prob(0, item, 0));
    probs.dtype = SLT_DTYPE_F32;
    probs.ndim = 3;
    probs.shape[0] = p.passes;
    probs.shape[1] = p.height * p.width;
    probs.shape[2] = p.classes;
    probs.strides[0] = p.batch * p.classes * p.height * p.width;
    probs.strides[1] = 1;
    probs.strides[2] = p.height * p.width;
    std::vector<float> scores(static_cast<size_t>(p.height * p.width) * metric.count());
    if (Status s = metric.compute(probs, scores.data()); !s)
        return Result<std::vector<float>>::failure(s.error());
    if (metric.count() == 1)
        return scores;
    std::vector<float> first(static_cast<size_t>(p.height * p.width));
    for (size_t i = 0; i < first.size(); ++i)
        first[i] = scores[i * metric.count()];
    return first;
}

} // namespace slt::core
