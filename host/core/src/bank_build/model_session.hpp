// A model plugin ("slt.model/1") as the bank builder drives it: found by id among the active plugins,
// loaded from a checkpoint (the plugin's own message passed through on failure), described once, and asked
// for T Monte-Carlo passes over batches of equally sized tiles.
#pragma once

#include "slt/core/training_data/image_access.hpp"
#include "slt/core/result.hpp"

#include <slt/sdk/cpp/host/model_proxy.hpp>

#include <QString>

#include <optional>
#include <string>
#include <vector>

namespace slt::core {

class PluginManager;
using training_data::RgbImage;

// describe() as owned values (the SDK's strings are borrowed).
struct ModelDescription {
    std::string architecture;
    std::vector<int32_t> classIds;
    std::vector<std::string> classNames;
    int32_t inputWidth = 0, inputHeight = 0;
    int32_t sizeMultiple = 1;
    int32_t outputStride = 1;
    int32_t embeddingDim = 0;
    int32_t embeddingStride = 1;
    int32_t defaultMcSamples = 1;
    int32_t classes() const { return static_cast<int32_t>(classIds.size()); }
};

// The outputs of one predict() call.
struct Prediction {
    int64_t passes = 0, batch = 0, classes = 0, height = 0, width = 0; // probs [T, B, C, h, w]
    int64_t dim = 0, embeddingHeight = 0, embeddingWidth = 0;          // embeddings [B, D, he, we]
    int32_t outputStride = 1;    // input pixels per probability pixel
    int32_t embeddingStride = 1; // input pixels per embedding pixel
    std::vector<float> probs;
    std::vector<float> embeddings;

    const float* prob(int64_t pass, int64_t item, int64_t cls) const
    {
        return probs.data() + (((pass * batch + item) * classes + cls) * height) * width;
    }
    const float* embedding(int64_t item, int64_t d) const
    {
        return embeddings.data() + ((item * dim + d) * embeddingHeight) * embeddingWidth;
    }
};

class ModelSession {
public:
    // The model plugin `pluginId`, created with its default configuration and loaded from `checkpoint`.
    static Result<ModelSession> load(const PluginManager& plugins, const QString& pluginId, const QString& checkpoint,
                                     const std::string& configToml = {});

    const QString& pluginId() const { return pluginId_; }
    const ModelDescription& description() const { return description_; }

    // T passes over `tiles` (all of the same size, a multiple of size_multiple), dropout masks from `seed`.
    Result<Prediction> predict(const std::vector<const RgbImage*>& tiles, int32_t passes, uint64_t seed);

private:
    ModelSession(QString pluginId, sdk::host::ModelProxy proxy, ModelDescription description);
    QString pluginId_;
    std::optional<sdk::host::ModelProxy> proxy_;
    ModelDescription description_;
    std::vector<uint8_t> batchPixels_; // reused input buffer [B, H, W, 3]
};

} // namespace slt::core
