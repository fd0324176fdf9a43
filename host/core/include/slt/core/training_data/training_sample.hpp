// From labelled images to training samples: check that every image exists and can be read (before a model is
// even created), then cut samples in the model's output order. Tiles and side-by-side images give one sample
// each; a whole-slide image gives one sample per labelled point, a tile of the model's input size centred on
// it (clamped inside the slide) that also carries every other point of the slide falling inside it.
#pragma once

#include "slt/core/result.hpp"
#include "slt/core/training_data/data_sources.hpp"
#include "slt/core/training_data/image_access.hpp"
#include "slt/core/training_data/label_map.hpp"
#include "slt/core/training_data/labelled_image.hpp"

#include <QString>

#include <cstdint>
#include <vector>

namespace slt::core::training_data {

struct TrainingPoint {
    float x = 0; // pixel column in the sample's image
    float y = 0;
    int32_t channel = 0; // model output index
};

struct TrainingSample {
    QString path;
    ImageKind kind = ImageKind::Tile;
    // The pixels the sample covers: the whole tile, the left half of a side-by-side image, or a slide region
    // in level-0 pixels.
    int64_t left = 0;
    int64_t top = 0;
    int64_t width = 0;
    int64_t height = 0;
    std::vector<TrainingPoint> points;
    float weight = 1;
    int32_t stratum = 0; // the channel most of its points have (lowest on ties): the class used for stratifying
};

// Checks every image of `data`: the missing ones are counted and the first named; then each is probed (a
// slide OpenSlide cannot read, a corrupt PNG...), centre points are placed, and every point must lie inside
// its image. Side-by-side images must already carry their picture size in `sizes` (see side_by_side.hpp).
// Returns the size of each image, in `data.images` order.
Result<std::vector<ImageSize>> checkImages(LabelledData& data, ImageAccess& access);

// Labelled images that have been read and whose files have been checked (sizes in `data.images` order).
struct CheckedData {
    LabelledData data;
    std::vector<ImageSize> sizes;
};

// readTrainingData, then checkImages: everything that can be wrong with the data, found before any model exists.
// No paths give empty data.
Result<CheckedData> readCheckedData(const QStringList& paths, const SchemaLabels& labels, const DataOptions& options,
                                    ImageAccess& access);

struct SampleOptions {
    int64_t slideTileWidth = 256;  // the model's input size, or the config's choice when the model takes any
    int64_t slideTileHeight = 256;
};

// Samples in `channels` order. A point whose class the model lacks is an error naming where it was read.
// Images without points are left out (and noted in `notes`).
Result<std::vector<TrainingSample>> buildSamples(const LabelledData& data, const std::vector<ImageSize>& sizes,
                                                 const ChannelMap& channels, const SampleOptions& options,
                                                 QStringList* notes = nullptr);

// Points per channel over `samples` (size channelCount).
std::vector<int64_t> countPointsPerChannel(const std::vector<TrainingSample>& samples, int32_t channelCount);

} // namespace slt::core::training_data
