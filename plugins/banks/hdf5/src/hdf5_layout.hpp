// The HDF5 bank layout, format version 1: every path, attribute name and storage choice in one place.
// docs/bank-format.md describes the same layout for people; keep the two in step.
#pragma once

#include <cstddef>
#include <cstdint>

namespace slt::banks::hdf5::layout {

// Root attribute `format` holds kFormatName in every SLT bank; `format_version` the layout version.
inline constexpr const char* kFormatName = "slt-bank";
inline constexpr int64_t kFormatVersion = 1;

// Root attributes.
inline constexpr const char* kAttrFormat = "format";
inline constexpr const char* kAttrFormatVersion = "format_version";
inline constexpr const char* kAttrUuid = "uuid";
inline constexpr const char* kAttrCreated = "created_utc";
inline constexpr const char* kAttrModelId = "model_id";
inline constexpr const char* kAttrCheckpointHash = "checkpoint_hash";
inline constexpr const char* kAttrMcSamples = "mc_samples";
inline constexpr const char* kAttrNumClasses = "num_classes";
inline constexpr const char* kAttrNumMetrics = "num_metrics";
inline constexpr const char* kAttrEmbeddingDim = "embedding_dim";
inline constexpr const char* kAttrCropWidth = "crop_width";
inline constexpr const char* kAttrCropHeight = "crop_height";
inline constexpr const char* kAttrCropEncoding = "crop_encoding";
// The committed counts: written last by every append, so readers trust them over dataset extents.
inline constexpr const char* kAttrNumPoints = "num_points";
inline constexpr const char* kAttrNumImages = "num_images";

// Datasets and groups.
inline constexpr const char* kClassIds = "classes/ids";
inline constexpr const char* kClassNames = "classes/names";
inline constexpr const char* kClassColours = "classes/colours";
inline constexpr const char* kMetricNames = "metrics/names";
inline constexpr const char* kImageNames = "images/names";
inline constexpr const char* kImageIndex = "points/image_index";
inline constexpr const char* kX = "points/x";
inline constexpr const char* kY = "points/y";
inline constexpr const char* kPredictedClass = "points/predicted_class";
inline constexpr const char* kMeanProbs = "points/mean_probs";
inline constexpr const char* kScores = "points/scores";
inline constexpr const char* kEmbeddings = "points/embeddings";
inline constexpr const char* kCropBytes = "crops/png";
inline constexpr const char* kCropOffsets = "crops/offsets";
inline constexpr const char* kTextAttributes = "attributes"; // group; one string attribute per key

// Storage. Point columns use chunks of about 1 MiB (whole rows), so a whole-column read streams chunk by
// chunk straight into the caller's buffer. Float columns are not compressed (measured: reading them is
// several times faster than deflated, which saves little on dense floats); int columns are shuffled and
// deflated.
inline constexpr size_t kChunkBytes = size_t{1} << 20;
inline constexpr unsigned kDeflateLevel = 4;
inline constexpr uint64_t kImageNamesChunk = 1024;
inline constexpr uint64_t kCropOffsetsChunk = 8192; // small: reading one crop decompresses one chunk

} // namespace slt::banks::hdf5::layout
