// Monte-Carlo prediction. With dropout in the decoder only the encoder is deterministic, so it runs
// once per chunk and the decoder T times (toolchain notes §0.7: ~2x the plain loop). Both strategies
// draw the same masks in the same order, so they give the same numbers.
#include "predictor.hpp"

#include <ATen/CPUGeneratorImpl.h>

namespace slt::unet {

bool usesDecoderLoop(const ModelConfig& config)
{
    return config.net.placement == DropoutPlacement::Decoder && config.runtime.mcStrategy == "auto";
}

namespace {

// Restores the network's inference state whatever happens inside predict().
struct StochasticScope {
    UNet& net;
    StochasticScope(UNet& n, bool stochastic, uint64_t seed) : net(n)
    {
        net->eval();
        net->setStochastic(stochastic);
        net->setGenerator(at::detail::createCPUGenerator(seed));
    }
    ~StochasticScope()
    {
        net->setStochastic(false);
        net->setGenerator(std::nullopt);
    }
};

struct ChunkOutput {
    torch::Tensor probs;       // [T, n, C, H, W] view into the caller's buffer
    torch::Tensor embeddings;  // [n, D, H, W] view, or undefined
};

void runChunk(ModelState& state, const torch::Tensor& x, int32_t passes, ChunkOutput& out)
{
    UNet& net = state.net;
    const bool decoderLoop = usesDecoderLoop(state.config);
    std::optional<UNetImpl::Encoded> encoded;
    if (decoderLoop) encoded = net->encode(x);
    torch::Tensor featureSum;
    for (int32_t t = 0; t < passes; ++t) {
        const UNetImpl::Decoded d = decoderLoop ? net->decode(*encoded) : net->forward(x);
        out.probs.select(0, t).copy_(torch::softmax(d.logits, 1));
        if (out.embeddings.defined()) featureSum = featureSum.defined() ? featureSum.add_(d.features) : d.features.clone();
    }
    if (out.embeddings.defined()) out.embeddings.copy_(featureSum.div_(static_cast<double>(passes)));
}

} // namespace

void predictMonteCarlo(ModelState& state, const McRequest& r, const slt::sdk::Job& job)
{
    torch::set_num_threads(state.threads);
    c10::InferenceMode inference;
    StochasticScope scope(state.net, r.passes > 1, r.seed);
    const int64_t classes = state.config.net.numClasses();
    const int64_t features = state.config.net.width;
    const torch::Tensor probs = torch::from_blob(r.probs, {r.passes, r.batch, classes, r.height, r.width}, torch::kFloat32);
    torch::Tensor embeddings;
    if (r.embeddings) embeddings = torch::from_blob(r.embeddings, {r.batch, features, r.height, r.width}, torch::kFloat32);
    const int64_t chunk = state.config.runtime.maxBatch;
    const int64_t pixelsPerImage = r.height * r.width * 3;
    for (int64_t start = 0; start < r.batch; start += chunk) {
        job.throw_if_cancelled();
        const int64_t n = std::min(chunk, r.batch - start);
        const torch::Tensor x = normaliseImages(r.images + start * pixelsPerImage, n, r.height, r.width).to(state.device);
        ChunkOutput out{probs.narrow(1, start, n), embeddings.defined() ? embeddings.narrow(0, start, n) : torch::Tensor()};
        runChunk(state, x, r.passes, out);
        job.progress(static_cast<uint64_t>(start + n), static_cast<uint64_t>(r.batch));
    }
}

} // namespace slt::unet
