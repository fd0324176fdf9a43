// The U-Net with Spatial Concrete Dropout of org.slt.model.unet-concrete (SPEC M1, M2).
//
// Internal contract of the plugin: the inference side (model_plugin.cpp, predictor.cpp) and the
// training side (src/training/) both code against this header and checkpoint.hpp. UNetConfig,
// ModelConfig and the TOML parsing are in config.hpp (included; no LibTorch there).
//
// Topology (per the original SLT Attention U-Net, constant width F at every level):
//   initial conv k×k 3→F, LeakyReLU, GroupNorm
//   encoder level l = 0..depth-1: convs_per_level × [drop → conv k×k → LeakyReLU → GroupNorm] = skip l;
//       x = GroupNorm(avgpool2(skip l)) + drop→conv1×1 stride 2 (previous block output)
//   middle: 2 × [drop → conv k×k → LeakyReLU → GroupNorm]                       = Encoded::bottom
//   decoder level l = depth-1..0: up = bilinear×2(x); gated = attention(skip l, gating x) or skip l;
//       cat = [up, gated]; residual = LeakyReLU(drop→conv1×1 2F→F (cat));
//       x = convs_per_level × [drop → conv k×k → LeakyReLU → GroupNorm](GroupNorm(cat)) + residual
//       (decoder = "light": fused = GroupNorm(LeakyReLU(drop→conv1×1 2F→F (GroupNorm(cat))));
//        x = [drop → conv k×k → LeakyReLU → GroupNorm](fused) + fused)
//   features = x (D = F channels, full resolution); logits = conv1×1 F→C (plain, no activation), or
//   conv1×1 (F+3)→C over [x, input image] with colour_to_head.
// "drop" is Spatial Concrete Dropout (one relaxed-Bernoulli draw per sample and input channel),
// present on every conv above with placement "every", on the decoder's convs only (decoder convs,
// decoder residuals, attention psi) with placement "decoder". With "decoder" the encoder is
// deterministic, so MC inference runs encode() once and decode() T times.
#pragma once

#include "config.hpp"

#include <torch/torch.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace slt::unet {

// Spatial Concrete Dropout: learned p = sigmoid(p_logit); mask per [sample, channel].
class ConcreteDropoutImpl : public torch::nn::Module {
public:
    ConcreteDropoutImpl(int64_t channels, double initP, double temperature);
    // Active when the module is training or stochastic; identity otherwise (inverted scaling keeps
    // the expectation). Draws from `generator` when set, else from the default generator.
    torch::Tensor forward(const torch::Tensor& x, const std::optional<at::Generator>& generator);
    torch::Tensor p() const;                 // scalar tensor, differentiable
    int64_t channels() const { return channels_; }
    bool stochastic = false;

private:
    int64_t channels_;
    double temperature_;
    torch::Tensor pLogit_;
};
TORCH_MODULE(ConcreteDropout);

class UNetImpl : public torch::nn::Module {
public:
    explicit UNetImpl(const UNetConfig& config);

    struct Encoded {
        std::vector<torch::Tensor> skips; // [depth], finest first
        torch::Tensor bottom;             // output of the middle block
        // Per level, the attention gate's skip branch GroupNorm(conv1×1 stride 2 (skip)); undefined without
        // attention. It belongs to the decoder but has no dropout, so MC inference computes it once.
        std::vector<torch::Tensor> gateTerms;
        torch::Tensor input; // the normalised image, for a head that takes the input colour (colour_to_head)
    };
    struct Decoded {
        torch::Tensor logits;   // [B, C, H, W]
        torch::Tensor features; // [B, D, H, W]
    };

    Encoded encode(const torch::Tensor& x); // x float [B,3,H,W] from normaliseImages()
    Decoded decode(const Encoded& e);
    Decoded forward(const torch::Tensor& x) { return decode(encode(x)); }

    // Sum over Concrete Dropout layers of wr·‖W‖²/(1−p) + dr·K·(p ln p + (1−p) ln(1−p)), with
    // wr = l²/N, dr = dropoutRegulariser/N, K = input channels of the dropped conv (SPEC M2).
    torch::Tensor regularisation(int64_t datasetSize);
    // Learned p per Concrete Dropout layer, by layer name, in network order (epoch log).
    std::vector<std::pair<std::string, double>> dropoutProbabilities();
    // MC dropout on/off outside training (train() mode always samples masks).
    void setStochastic(bool on);
    // Generator every dropout mask is drawn from (std::nullopt: torch's default generator).
    void setGenerator(std::optional<at::Generator> generator);

    const UNetConfig& config() const { return config_; }

private:
    struct Layers;
    UNetConfig config_;
    std::optional<at::Generator> generator_;
    std::vector<ConcreteDropout> dropouts_;        // all of them, network order
    std::vector<std::string> dropoutNames_;
    std::vector<torch::nn::Conv2d> droppedConvs_;  // the conv each dropout feeds (regulariser)
    std::shared_ptr<Layers> layers_;
};
TORCH_MODULE(UNet);

// u8 RGB [B, H, W, 3] (contiguous) -> float [B, 3, H, W] scaled to [-1, 1].
torch::Tensor normaliseImages(const uint8_t* rgb, int64_t batch, int64_t h, int64_t w);

} // namespace slt::unet
