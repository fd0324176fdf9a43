// train() of org.slt.model.unet-concrete (SPEC M3, M5, M6, M7 model side, M10).
//
// One call trains `state.net` for options.epochs epochs with Adam on the masked focal loss of
// point-label disks plus the Concrete Dropout regularisers, validates after each epoch, and leaves
// in options.output_dir:
//   best.pt (+ .toml sidecar)  the weights with the best validation macro-F1 (the last epoch's
//                              weights when there is no validation set);
//   last.pt (+ .toml)          the latest weights and, in its extra text, where the run stands;
//   last.optim.pt              Adam's state matching last.pt;
//   training_log.csv, validation_per_class.csv (training_log.hpp).
// Resume (options.resume) continues from last.pt: weights, optimizer, epoch counter and best score.
// Because every random decision is a function of (seed, epoch, sample), a run resumed at an epoch
// boundary repeats exactly what the uninterrupted run would have done. Cancelling mid-epoch writes
// last.pt with the weights reached so far; the resumed run redoes that epoch from its start.
// Fine-tuning (options.init_checkpoint) starts from a checkpoint's weights with a fresh optimizer;
// a checkpoint of another architecture or class list is refused with the differences named.
// On return the network holds the best weights. Data-parallel runs (world_size > 1, see
// data_parallel.hpp): every rank starts from rank 0's weights, takes every world_size-th sample of
// the shuffled order, and steps Adam with the gradients averaged over the ranks, so all ranks hold
// identical weights; validation is sharded the same way and its counts summed. Rank 0 alone
// writes files; resuming a data-parallel run reads last.pt on every rank, so output_dir must be
// on a filesystem all ranks share.
//
// Batching: tiles of different sizes are never padded together (tile_batches.hpp); tiles whose
// sides are not multiples of 2^depth are extended by mirroring, unlabelled.
#pragma once

#include "model_state.hpp"
#include "training/training_settings.hpp"

namespace slt::unet::training {

inline constexpr const char* kBestCheckpoint = "best.pt";
inline constexpr const char* kLastCheckpoint = "last.pt";
inline constexpr const char* kOptimizerState = "last.optim.pt";

// train() with explicit training settings (train() takes them from the model's configuration).
void trainWithSettings(ModelState& state, const TrainingSettings& settings, slt::sdk::TrainData& trainData,
                       slt::sdk::TrainData* validation, const slt_train_options& options,
                       const slt::sdk::EpochObserver& observer, const slt::sdk::Job& job);

} // namespace slt::unet::training
