// Monte-Carlo prediction: T stochastic passes per image, seeded, into caller-owned buffers.
#pragma once

#include "model_state.hpp"

#include <cstdint>

namespace slt::unet {

struct McRequest {
    const uint8_t* images = nullptr; // u8 [batch, height, width, 3], contiguous
    int64_t batch = 0, height = 0, width = 0;
    int32_t passes = 1;              // T; 1 = one deterministic pass (dropout off)
    uint64_t seed = 0;               // every dropout mask is drawn from this seed
    float* probs = nullptr;          // [T, batch, C, height, width] softmax per pass
    float* embeddings = nullptr;     // [batch, D, height, width] mean decoder features over passes; may be NULL
};

// True when predict() runs the encoder once and loops the decoder (placement "decoder", strategy "auto").
bool usesDecoderLoop(const ModelConfig& config);

// Runs the passes chunk by chunk (runtime.maxBatch images), reporting progress per chunk and
// stopping with SLT_ERR_CANCELLED when the job is cancelled.
void predictMonteCarlo(ModelState& state, const McRequest& request, const slt::sdk::Job& job);

} // namespace slt::unet
