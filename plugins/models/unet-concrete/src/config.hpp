// Configuration of org.slt.model.unet-concrete: architecture (stored with checkpoints) and the
// runtime settings of one instance. No LibTorch here, so parsing compiles fast.
//
// TOML keys (all optional; `preset` first sets depth, width, kernel, convs_per_level, groups,
// attention, then explicit keys override):
//   preset = "original" | "small"      depth, width, kernel, convs_per_level, attention, groups,
//   negative_slope, dropout_placement = "every" | "decoder", decoder = "symmetric" | "light", colour_to_head,
//   dropout_init, dropout_temperature,
//   length_scale, dropout_regulariser, input_height, input_width,
//   classes = ["name", ...] or [{ id = 0, name = "..." }, ...]  or  num_classes = N (default 9),
//   runtime: threads (0 = hardware concurrency), device = "cpu" | "cuda",
//            mc_strategy = "auto" | "full-passes", mc_samples (default T), max_batch.
#pragma once

#include "training/training_settings.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace slt::unet {

enum class DropoutPlacement { Every, Decoder };

// How a decoder level turns [upsampled state, gated skip] (2F channels) into F channels.
// Symmetric: the original's level, a mirror of the encoder's (convs_per_level k×k convs, the first 2F→F,
// plus a 1×1 residual). Light: a 1×1 fuse 2F→F, then one k×k conv with the fuse as residual — about a third
// of the symmetric level's work, so with dropout in the decoder the T stochastic passes cost little next to
// the encoder that runs once (see README, "Monte-Carlo cost").
enum class DecoderKind { Symmetric, Light };

struct ClassEntry {
    int32_t id = 0;    // class-schema id written to the bank
    std::string name;  // display name
};

// Architecture and everything a checkpoint must agree on. Parsed from the model's TOML config
// (see plugin.toml / docs in README.md of the plugin for the keys); unknown keys are errors.
struct UNetConfig {
    std::string preset = "original";   // "original" or "small"; explicit keys override the preset
    int32_t depth = 4;                 // levels; input sides must be multiples of 2^depth
    int32_t width = 64;                // filters F at every level; embedding_dim D = F
    int32_t kernel = 5;                // odd conv kernel size
    int32_t convsPerLevel = 2;         // k×k convs per encoder and decoder level
    bool attention = true;             // additive attention gates on the skips
    int32_t groups = 32;               // GroupNorm groups (reduced to a divisor of the channels)
    double negativeSlope = 0.3;        // LeakyReLU
    DropoutPlacement placement = DropoutPlacement::Decoder;
    DecoderKind decoder = DecoderKind::Symmetric;
    // The head also takes each pixel's input colour (conv1×1 (F+3)→C). Every GroupNorm removes a tile's own
    // mean and scale, so without it the head never sees absolute colour or brightness, which is most of what
    // tells apart small tiles of flat background, mucus or fat (README, "Colour to the head").
    bool colourToHead = false;
    double dropoutInit = 0.1;          // initial p of every Concrete Dropout layer
    double temperature = 0.1;          // relaxed Bernoulli temperature
    double lengthScale = 1e-4;         // prior length-scale l: weight regulariser l^2 / N
    double dropoutRegulariser = 2.0;   // dropout regulariser dr = this / N
    std::vector<ClassEntry> classes;   // output channels in order (C = classes.size() >= 2)
    int32_t inputHeight = 0;           // preferred tile size (0 = any multiple of 2^depth)
    int32_t inputWidth = 0;

    int32_t numClasses() const { return static_cast<int32_t>(classes.size()); }
    int64_t sizeMultiple() const { return int64_t{1} << depth; }
    std::string placementName() const { return placement == DropoutPlacement::Every ? "every" : "decoder"; }
    std::string decoderName() const { return decoder == DecoderKind::Light ? "light" : "symmetric"; }

    // e.g. "unet-concrete-dropout depth=4 width=64 kernel=5 convs=2 attention=on dropout=decoder classes=9"
    // (" decoder=light" after convs= when the decoder is light)
    std::string architectureString() const;
    // The TOML text of this config (a valid config for create()); the checkpoint sidecar.
    std::string toToml() const;
    // Names every architecture field that differs ("width: checkpoint 32, model 16"); empty = same.
    std::vector<std::string> architectureDifferences(const UNetConfig& other) const;
};

// Settings of one model instance that are not part of the architecture (never in checkpoints).
struct RuntimeConfig {
    int32_t threads = 0;               // intra-op threads; 0 = hardware concurrency
    std::string device = "cpu";        // "cpu" or "cuda"
    std::string mcStrategy = "auto";   // "auto" (decoder loop when placement = decoder) | "full-passes"
    int32_t mcSamples = 20;            // default T reported by describe()
    int32_t maxBatch = 8;              // images per forward chunk inside predict()
};

struct ModelConfig {
    UNetConfig net;
    RuntimeConfig runtime;
    training::TrainingSettings training; // the [training] table (training/training_settings.hpp)
};

// Parses a model config. Throws slt::sdk::Error(SLT_ERR_FORMAT, "line:column: ...") on bad TOML,
// unknown keys, wrong types or out-of-range values. Empty text gives the "original" preset with
// 9 classes.
ModelConfig parseModelConfig(const std::string& tomlText);
// The architecture part alone (what a checkpoint stores); runtime keys are refused.
UNetConfig parseUNetConfig(const std::string& tomlText);

} // namespace slt::unet
