// What one model instance holds, shared by inference (model_plugin.cpp) and training
// (src/training/, which implements train() below).
#pragma once

#include "network.hpp"

#include <slt/sdk/cpp/model.hpp>

namespace slt::unet {

struct ModelState {
    ModelConfig config;                  // architecture + runtime settings
    UNet net{nullptr};                   // on `device`
    torch::Device device{torch::kCPU};
    int32_t threads = 1;                 // resolved intra-op thread count (set before every call)
};

namespace training {
// Implemented in src/training/ (trains state.net in place; on return it holds the best weights).
// Errors are thrown as slt::sdk::Error; the SDK trampoline turns them into slt_status + message.
void train(ModelState& state, slt::sdk::TrainData& trainData, slt::sdk::TrainData* validation,
           const slt_train_options& options, const slt::sdk::EpochObserver& observer,
           const slt::sdk::Job& job);
} // namespace training

} // namespace slt::unet
