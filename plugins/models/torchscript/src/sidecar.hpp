// The sidecar TOML that travels with a TorchScript module: what the module's numbers mean (classes in
// output-channel order, input size and normalisation, which output is the logits and which the embedding,
// how it is made stochastic). No LibTorch here: parsing and checks that need no module. The format is
// documented in this plugin's README.md.
#pragma once

#include <slt/sdk/cpp/schema.hpp>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace slt::torchscript {

// Picks one tensor out of what forward() returns: the whole output, a tuple/list index or a dict key.
struct OutputSelector {
    enum class Kind { Absent, Index, Key };
    Kind kind = Kind::Absent;
    int64_t index = 0;
    std::string key;

    bool present() const { return kind != Kind::Absent; }
    std::string describe() const; // "output 1", "output \"features\"", "the output"
};

// What turns the selected logits tensor into probabilities.
enum class Activation { Softmax, None, Exp };

// How Monte-Carlo passes differ from each other.
enum class StochasticMode {
    None,      // deterministic: T passes are copies of one
    Dropout,   // the module's dropout submodules switched to training mode, everything else in eval
    McForward  // the module's own mc_forward(x, seed: int) method
};

struct Sidecar {
    std::string description;
    std::vector<sdk::ClassInfo> classes; // output-channel order
    int32_t input_height = 0;            // preferred tile; 0 = any
    int32_t input_width = 0;
    int32_t size_multiple = 1;
    std::array<double, 2> input_range{0.0, 1.0}; // u8 0..255 maps linearly onto [lo, hi]
    std::array<double, 3> mean{0.0, 0.0, 0.0};   // in the module's channel order
    std::array<double, 3> std{1.0, 1.0, 1.0};
    bool bgr = false;
    OutputSelector logits;
    OutputSelector embedding;
    Activation activation = Activation::Softmax;
    StochasticMode stochastic = StochasticMode::None;
    std::vector<std::string> dropout_modules; // empty: every submodule whose type name contains "dropout"
    int32_t mc_samples = 20;                  // default T when stochastic
};

// Parses sidecar text; throws sdk::Error(SLT_ERR_FORMAT, "<origin>:<line>:<column>: ...") for anything wrong.
Sidecar parseSidecar(const std::string& text, const std::string& origin);

// The sidecar file of `modulePath`: "<dir>/<stem>.toml" (model.pt -> model.toml) or "<modulePath>.toml"
// (model.pt.toml). Throws sdk::Error: SLT_ERR_NOT_FOUND when neither exists, SLT_ERR_FORMAT when both do.
std::string findSidecar(const std::string& modulePath);

// Where save_checkpoint writes the sidecar of a module saved at `modulePath` (the first form above).
std::string sidecarPathFor(const std::string& modulePath);

} // namespace slt::torchscript
