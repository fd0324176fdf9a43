// The host's slt_train_dataset (sdk/include/slt/sdk/model.h) over training samples: get() reads a sample's
// pixels on demand (a tile, the picture half of a side-by-side image, a slide region) through ImageAccess and
// hands out buffers that stay valid until release(). get/release are thread-safe; begin_epoch re-mixes the
// rehearsal samples (SPEC M7) and must not run while gets are in flight (the model calls it between epochs).
#pragma once

#include "slt/core/training_data/image_access.hpp"
#include "slt/core/training_data/sample_mixing.hpp"
#include "slt/core/training_data/training_sample.hpp"

#include <slt/sdk/model.h>

#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <unordered_map>
#include <vector>

namespace slt::core::training_data {

struct DatasetOptions {
    uint64_t seed = 0;
    // Decoded sample images are kept until this many bytes are held (no eviction); 0 = no cache.
    int64_t cacheBytes = 256LL << 20;
    // Set for fine-tuning: the rehearsal samples and how they are mixed in.
    std::optional<RehearsalSchedule> rehearsal;
};

class TrainDataset {
public:
    // `samples` are always in the epoch; `rehearsalSamples` (old data) only as the schedule mixes them in.
    // `access` must outlive the dataset.
    TrainDataset(std::vector<TrainingSample> samples, std::vector<TrainingSample> rehearsalSamples,
                 ImageAccess& access, DatasetOptions options);
    ~TrainDataset();
    TrainDataset(const TrainDataset&) = delete;
    TrainDataset& operator=(const TrainDataset&) = delete;

    // The C view for slt_model_factory::train; valid while this object lives.
    const slt_train_dataset* raw() const { return &raw_; }

    int64_t size() const;
    Status beginEpoch(int32_t epoch);
    // Fills `out` as slt_train_dataset::get does; the buffers live until release(out).
    Status get(int64_t index, slt_train_sample& out);
    void release(const slt_train_sample& sample);

    int64_t outstanding() const;   // gets not yet released
    int64_t rehearsalInEpoch() const; // old samples in the current epoch
    const std::vector<TrainingSample>& samples() const { return samples_; } // new, then old

private:
    struct Loaded;
    Result<std::shared_ptr<const RgbImage>> pixels(size_t sampleIndex);
    Result<RgbImage> load(const TrainingSample& sample);

    std::vector<TrainingSample> samples_;
    size_t newCount_;
    ImageAccess& access_;
    DatasetOptions options_;
    slt_train_dataset raw_{};

    mutable std::shared_mutex epochMutex_;
    std::vector<size_t> epoch_; // sample indices of the current epoch

    mutable std::mutex loadedMutex_;
    std::unordered_map<const void*, std::unique_ptr<Loaded>> loaded_; // keyed by point_x
    std::unordered_map<size_t, std::shared_ptr<const RgbImage>> cache_;
    int64_t cachedBytes_ = 0;
};

} // namespace slt::core::training_data
