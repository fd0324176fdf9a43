// Training hyper-parameters that belong to the model's configuration rather than to one train()
// call (slt_train_options carries epochs, batch size, seed, threads and the data-parallel setup).
// They live in the `[training]` table of the model's TOML config:
//
//   [training]
//   learning_rate = 1e-3      # Adam
//   lr_schedule = "constant"  # or "cosine": from learning_rate down to min_learning_rate over the epochs
//   min_learning_rate = 0.0   # the cosine schedule's last value
//   focal_gamma = 2.0         # 0 = masked cross-entropy
//   disk_radius = 0           # pixels around each point; 0 = auto (see point_targets.hpp)
//   augment = true            # all of the augmentation below off when false
//   flips = true
//   quarter_turns = true
//   max_shift = 0.1           # fraction of each side
//   colour_jitter = 0.8       # chance per tile
//   greyscale = 0.3           # chance per tile
//   validation_window = 3     # odd; point prediction = argmax of the mean logits in this window
#pragma once

#include "training/augmentation.hpp"

#include <toml++/toml.h>

#include <cstdint>
#include <string>

namespace slt::unet::training {

enum class LearningRateSchedule { Constant, Cosine };

struct TrainingSettings {
    double learningRate = 1e-3;
    LearningRateSchedule schedule = LearningRateSchedule::Constant;
    double minLearningRate = 0.0;
    double focalGamma = 2.0;
    int32_t diskRadius = 0;
    int32_t validationWindow = 3;
    AugmentationSettings augmentation;
};

// Reads the keys above from `table` (the `[training]` table) over `settings`. Throws
// slt::sdk::Error(SLT_ERR_FORMAT, "line:column: ...") for an unknown key, a wrong type or a value out of range.
void readTrainingSettings(const toml::table& table, TrainingSettings& settings);

// Adam's learning rate in `epoch` (0-based) of `epochs`: constant, or cosine annealing
// min + (lr − min)·(1 + cos(π·epoch/epochs))/2, a function of the epoch alone so resumed runs repeat it.
double learningRateAt(const TrainingSettings& settings, int32_t epoch, int32_t epochs);

// The `[training]` table as TOML text (for checkpoint sidecars and logs).
std::string trainingSettingsToml(const TrainingSettings& settings);

} // namespace slt::unet::training
