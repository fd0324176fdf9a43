// Candidate selection (SPEC S1–S2): a sampler plugin, chosen by id, picks the points the annotator will see
// from the whole bank (budget points, seeded). The engine then clusters them (clustering.hpp).
#pragma once

#include "slt/core/result.hpp"

#include <slt/sdk/host.h>

#include <QString>

#include <cstdint>
#include <vector>

namespace slt::core {

class PluginManager;

// An active "slt.sampler/1" plugin as the engine uses it.
struct SamplerPlugin {
    QString pluginId;              // "org.slt.sampler.uncertainty"
    const void* factory = nullptr; // slt_sampler_factory, checked by the SDK's SamplerProxy
    const slt_host* host = nullptr;
};

inline constexpr const char* kDefaultSampler = "org.slt.sampler.uncertainty";

// The active sampler plugin with this id, or a message naming the active sampler plugins.
Result<SamplerPlugin> samplerPluginById(const PluginManager& manager, const QString& pluginId);

struct CandidatePool {
    int64_t numPoints = 0;
    int32_t dim = 0;
    const float* scores = nullptr;     // N, higher = more uncertain (the session's prior)
    const float* embeddings = nullptr; // N × dim row-major
    const uint8_t* labelled = nullptr; // N or null: points never to pick
};

// Up to `budget` distinct point ids in the sampler's order of preference. Fails with the plugin's message.
Result<std::vector<int64_t>> selectCandidates(const SamplerPlugin& sampler, const CandidatePool& candidates, int64_t budget,
                                              uint64_t seed);

} // namespace slt::core
