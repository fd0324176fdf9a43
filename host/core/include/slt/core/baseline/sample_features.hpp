// The colour baseline on training samples (training_data/training_sample.hpp): each sample, or each labelled point
// of it, becomes one colour feature (colour_histogram.hpp) with its true class; the classifier is fitted on one set
// and predicts another (nearest_centroid.hpp). Pixels come through ImageAccess, one sample at a time, so a run
// holds one decoded sample and the class sums, never every feature.
//
// What a feature covers:
//   window 0   the whole sample (a tile, the picture half of a side-by-side PNG, a slide region); its class is
//              the sample's stratum (the class most of its points have); x, y name the sample's centre
//   window W   for tiles and side-by-side pictures, one feature per labelled point: a W x W square centred on
//              the point, clamped inside the sample (smaller when the sample is); class and x, y are the point's
// A slide sample is always one feature over its whole region: buildSamples already cut it around its point (give it
// the window's size through SampleOptions), and its other points belong to their own samples.
#pragma once

#include "slt/core/baseline/nearest_centroid.hpp"
#include "slt/core/result.hpp"
#include "slt/core/training_data/image_access.hpp"
#include "slt/core/training_data/training_sample.hpp"

#include <QString>

#include <cstdint>
#include <functional>
#include <vector>

namespace slt::core::baseline {

struct FeatureOptions {
    int binsPerChannel = 8;
    int64_t window = 0; // pixels; 0 = the whole sample
};

// Where one feature comes from and its true class.
struct FeatureSource {
    int64_t sample = 0;  // index into the samples
    QString image;       // the sample's image path
    double x = 0;        // image pixels (level 0 for slides)
    double y = 0;
    int32_t channel = 0; // the true class, as a channel of the ChannelMap the samples were built with
};

// Calls `visit` once per feature, in sample order; stops at the first failure (a sample that cannot be read, or
// `visit`'s own failure) and returns it.
using FeatureVisitor = std::function<Status(const FeatureSource& source, const std::vector<float>& feature)>;
Status forEachFeature(const std::vector<training_data::TrainingSample>& samples, training_data::ImageAccess& access,
                      const FeatureOptions& options, const FeatureVisitor& visit);

// The nearest-centroid classifier of the features of `samples`.
Result<NearestCentroid> fitColourCentroids(const std::vector<training_data::TrainingSample>& samples,
                                           training_data::ImageAccess& access, const FeatureOptions& options);

struct ColourPrediction {
    FeatureSource source;
    int32_t predicted = 0; // channel
};

// The prediction of every feature of `samples`.
Result<std::vector<ColourPrediction>> predictColour(const NearestCentroid& classifier,
                                                    const std::vector<training_data::TrainingSample>& samples,
                                                    training_data::ImageAccess& access, const FeatureOptions& options);

} // namespace slt::core::baseline
