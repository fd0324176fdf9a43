#include "slt/core/baseline/nearest_centroid.hpp"

#include <limits>

namespace slt::core::baseline {

Result<NearestCentroid> NearestCentroid::fit(const std::vector<std::vector<float>>& features,
                                             const std::vector<int32_t>& classes)
{
    if (features.size() != classes.size())
        return Result<NearestCentroid>::failure(QStringLiteral("%1 feature(s) but %2 class(es): each feature needs one class")
                                                    .arg(features.size())
                                                    .arg(classes.size()));
    CentroidAccumulator accumulator;
    for (size_t i = 0; i < features.size(); ++i)
        if (Status added = accumulator.add(features[i], classes[i]); !added)
            return Result<NearestCentroid>::failure(QStringLiteral("feature %1: %2").arg(i).arg(added.error()));
    return accumulator.finish();
}

Result<int32_t> NearestCentroid::predict(const std::vector<float>& feature) const
{
    if (feature.size() != dimension_)
        return Result<int32_t>::failure(QStringLiteral("the feature has %1 value(s), the centroids %2")
                                            .arg(feature.size())
                                            .arg(dimension_));
    int32_t best = -1;
    double bestDistance = std::numeric_limits<double>::infinity();
    for (const auto& [classIndex, centroid] : centroids_) {
        double distance = 0;
        for (size_t i = 0; i < dimension_; ++i) {
            const double d = static_cast<double>(feature[i]) - centroid.mean[i];
            distance += d * d;
        }
        if (best < 0 || distance < bestDistance) { // strictly nearer: ties keep the lower class
            best = classIndex;
            bestDistance = distance;
        }
    }
    return best;
}

std::vector<int32_t> NearestCentroid::classes() const
{
    std::vector<int32_t> out;
    for (const auto& entry : centroids_)
        out.push_back(entry.first);
    return out;
}

const std::vector<double>& NearestCentroid::centroid(int32_t classIndex) const
{
    return centroids_.at(classIndex).mean;
}

int64_t NearestCentroid::trainingCount(int32_t classIndex) const
{
    const auto found = centroids_.find(classIndex);
    return found == centroids_.end() ? 0 : found->second.count;
}

NearestCentroid::Centroid& CentroidAccumulator::centroidOf(int32_t classIndex)
{
    NearestCentroid::Centroid& centroid = sums_[classIndex];
    if (centroid.mean.empty())
        centroid.mean.assign(dimension_, 0.0);
    return centroid;
}

Status CentroidAccumulator::add(const std::vector<float>& feature, int32_t classIndex)
{
    if (classIndex < 0)
        return Status::failure(QStringLiteral("the class %1 is negative").arg(classIndex));
    if (feature.empty())
        return Status::failure(QStringLiteral("the feature is empty"));
    if (count_ == 0)
        dimension_ = feature.size();
    else if (feature.size() != dimension_)
        return Status::failure(QStringLiteral("the feature has %1 value(s), the first one had %2")
                                   .arg(feature.size())
                                   .arg(dimension_));
    NearestCentroid::Centroid& sum = centroidOf(classIndex);
    for (size_t i = 0; i < dimension_; ++i)
        sum.mean[i] += static_cast<double>(feature[i]);
    ++sum.count;
    ++count_;
    return {};
}

Result<NearestCentroid> CentroidAccumulator::finish() const
{
    if (count_ == 0)
        return Result<NearestCentroid>::failure(QStringLiteral("no training feature: a nearest-centroid classifier needs at least one"));
    NearestCentroid classifier;
    classifier.dimension_ = dimension_;
    classifier.centroids_ = sums_;
    for (auto& [classIndex, centroid] : classifier.centroids_)
        for (double& value : centroid.mean)
            value /= static_cast<double>(centroid.count);
    return classifier;
}

} // namespace slt::core::baseline
