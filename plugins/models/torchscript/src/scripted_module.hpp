// A loaded TorchScript module with its sidecar, probed once so its output geometry is known before the
// host allocates anything. The only part of the plugin that includes LibTorch (behind a pimpl): every
// c10::Error is turned into an sdk::Error with a message here.
#pragma once

#include "sidecar.hpp"

#include <slt/sdk/array.h>
#include <slt/sdk/cpp/job.hpp>

#include <cstdint>
#include <memory>
#include <string>

namespace slt::torchscript {

// What a probe pass measured. A "spatial" output is [B, C, h, w] with h = H / stride; a non-spatial one is
// [B, C] (a classifier), reported to the host as [B, C, 1, 1] whatever the input size.
struct Geometry {
    int64_t classes = 0;
    bool spatial = true;
    int32_t output_stride = 1;
    int64_t embedding_dim = 0; // 0: no embedding
    bool embedding_spatial = true;
    int32_t embedding_stride = 1;
};

struct RunOptions {
    std::string device = "cpu"; // "cpu", "cuda" or "cuda:N"
    int32_t threads = 1;        // intra-op threads, set before every call (the pool is process-wide)
};

class ScriptedModule {
public:
    // Loads `path` onto `device`, applies the sidecar (eval mode, dropout switches), runs the probe.
    // Throws sdk::Error: SLT_ERR_NOT_FOUND (no file), SLT_ERR_FORMAT (not TorchScript, outputs that do
    // not match the sidecar), SLT_ERR_UNSUPPORTED (a device this LibTorch lacks).
    static std::unique_ptr<ScriptedModule> load(const std::string& path, const Sidecar& sidecar,
                                                const RunOptions& options);
    ~ScriptedModule();
    ScriptedModule(const ScriptedModule&) = delete;
    ScriptedModule& operator=(const ScriptedModule&) = delete;

    const Geometry& geometry() const;
    bool stochastic() const;
    void setThreads(int32_t threads);

    // Runs `passes` passes over u8 [B, H, W, 3] `images` (any strides) and writes softmax probabilities
    // into `probs` (contiguous f32 [passes, B, C, h, w]) and, when not null, the deterministic pass's
    // embedding into `embeddings` (contiguous f32 [B, D, he, we]). Pass t is seeded from (seed, t) alone.
    void run(const slt_array& images, int32_t passes, uint64_t seed, float* probs, float* embeddings,
             const sdk::Job& job);

    // Writes the module (as TorchScript) to `path`.
    void save(const std::string& path) const;

private:
    struct Impl;
    explicit ScriptedModule(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

} // namespace slt::torchscript
