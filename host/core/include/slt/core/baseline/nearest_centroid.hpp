// Nearest-centroid classification: each class is the mean of its training features, a feature is given the class
// whose mean is nearest in Euclidean distance (ties go to the lowest class). Classes absent from training have no
// centroid and are never predicted. Used by the colour baseline on Hellinger maps (colour_histogram.hpp).
#pragma once

#include "slt/core/result.hpp"

#include <cstdint>
#include <map>
#include <vector>

namespace slt::core::baseline {

class NearestCentroid {
public:
    // One centroid per class that occurs in `classes` (each >= 0); `features[i]` belongs to `classes[i]`.
    // Fails on an empty training set, mismatched sizes, features of different lengths or of length 0, and a
    // negative class.
    static Result<NearestCentroid> fit(const std::vector<std::vector<float>>& features,
                                       const std::vector<int32_t>& classes);

    // The class of the nearest centroid; fails when the feature's length is not the training features' length.
    Result<int32_t> predict(const std::vector<float>& feature) const;

    std::vector<int32_t> classes() const; // ascending
    const std::vector<double>& centroid(int32_t classIndex) const; // of a class in classes()
    size_t dimension() const { return dimension_; }
    int64_t trainingCount(int32_t classIndex) const; // 0 for a class absent from training

private:
    friend class CentroidAccumulator;
    struct Centroid {
        std::vector<double> mean;
        int64_t count = 0;
    };
    std::map<int32_t, Centroid> centroids_; // ascending class: the first of equally near centroids wins
    size_t dimension_ = 0;
};

// Builds a NearestCentroid one feature at a time, so training never holds every feature (a 64-bin colour
// histogram is 262,144 values).
class CentroidAccumulator {
public:
    // Adds a feature of class `classIndex` (>= 0); every feature must have the first one's length (> 0).
    Status add(const std::vector<float>& feature, int32_t classIndex);
    int64_t count() const { return count_; }
    // The means of the sums so far; fails when nothing was added.
    Result<NearestCentroid> finish() const;

private:
    NearestCentroid::Centroid& centroidOf(int32_t classIndex);
    std::map<int32_t, NearestCentroid::Centroid> sums_;
    size_t dimension_ = 0;
    int64_t count_ = 0;
};

} // namespace slt::core::baseline
