// A small synthetic point-labelled dataset for training tests, served through the SDK's C dataset
// callbacks exactly as a host would: each 16x16 tile has a left and a right half painted in two
// class colours (with a little noise) and one point at the centre of each half.
#pragma once

#include "model_state.hpp"

#include <slt/sdk/model.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace slt::unet::training::test {

struct SyntheticSample {
    int64_t height = 16, width = 16;
    std::vector<uint8_t> rgb;
    std::vector<float> x, y;
    std::vector<int32_t> classes;
    float weight = 1.0f;
};

inline const uint8_t kColours[3][3] = {{200, 40, 40}, {40, 180, 60}, {50, 60, 210}};

inline std::vector<SyntheticSample> makeHalvesDataset(int count, uint64_t seed)
{
    std::vector<SyntheticSample> samples;
    uint64_t state = seed * 2654435761u + 1;
    auto next = [&] {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        return static_cast<uint32_t>(state >> 33);
    };
    for (int i = 0; i < count; ++i) {
        SyntheticSample s;
        const int32_t left = static_cast<int32_t>(next() % 3), right = static_cast<int32_t>((left + 1 + next() % 2) % 3);
        s.rgb.resize(16 * 16 * 3);
        for (int64_t row = 0; row < 16; ++row)
            for (int64_t col = 0; col < 16; ++col)
                for (int c = 0; c < 3; ++c) {
                    const int base = kColours[col < 8 ? left : right][c];
                    const int noisy = base + static_cast<int>(next() % 31) - 15;
                    s.rgb[static_cast<size_t>((row * 16 + col) * 3 + c)] = static_cast<uint8_t>(std::clamp(noisy, 0, 255));
                }
        s.x = {3.5f, 11.5f};
        s.y = {7.5f, 7.5f};
        s.classes = {left, right};
        samples.push_back(std::move(s));
    }
    return samples;
}

// Serves `samples` through slt_train_dataset; counts get() and release() so tests can check that
// every sample handed out came back.
class SyntheticDataset {
public:
    explicit SyntheticDataset(std::vector<SyntheticSample> samples) : samples_(std::move(samples))
    {
        c_.struct_size = sizeof c_;
        c_.user = this;
        c_.size = [](const slt_train_dataset* d) { return static_cast<int64_t>(self(d)->samples_.size()); };
        c_.begin_epoch = nullptr;
        c_.get = &get;
        c_.release = [](const slt_train_dataset* d, slt_train_sample*) { ++self(d)->released; };
    }
    const slt_train_dataset* c() const { return &c_; }
    std::vector<SyntheticSample>& samples() { return samples_; }

    int64_t handedOut = 0;
    int64_t released = 0;

private:
    static SyntheticDataset* self(const slt_train_dataset* d) { return static_cast<SyntheticDataset*>(d->user); }
    static slt_status get(const slt_train_dataset* d, int64_t index, slt_train_sample* out, slt_error* err)
    {
        SyntheticDataset* ds = self(d);
        if (index < 0 || index >= static_cast<int64_t>(ds->samples_.size()))
            return slt_error_set(err, SLT_ERR_INVALID_ARGUMENT, "index out of range");
        SyntheticSample& s = ds->samples_[static_cast<size_t>(index)];
        out->image = slt_array{s.rgb.data(), SLT_DTYPE_U8, 3, {s.height, s.width, 3}, {s.width * 3, 3, 1}};
        out->num_points = static_cast<int64_t>(s.x.size());
        out->point_x = s.x.data();
        out->point_y = s.y.data();
        out->point_class = s.classes.data();
        out->weight = s.weight;
        ++ds->handedOut;
        return SLT_OK;
    }

    std::vector<SyntheticSample> samples_;
    slt_train_dataset c_{};
};

// The small network every training test uses: 2 levels, 8 filters, 3 classes.
inline const char* kTinyConfig = "preset = \"small\"\nwidth = 8\ngroups = 4\nnum_classes = 3\n";

inline ModelState makeState(const std::string& configToml, uint64_t initSeed, int32_t threads = 1)
{
    torch::manual_seed(initSeed);
    ModelState state;
    state.config = parseModelConfig(configToml);
    state.threads = threads;
    state.net = UNet(state.config.net);
    return state;
}

inline slt_train_options defaultOptions(const char* outputDir) // borrowed, as in the C struct
{
    slt_train_options o{};
    o.struct_size = sizeof o;
    o.epochs = 2;
    o.batch_size = 8;
    o.seed = 7;
    o.output_dir = outputDir;
    o.num_threads = 1;
    o.world_size = 1;
    return o;
}

// FNV-1a over the bytes of every parameter and buffer: equal digests = equal weights.
inline std::string weightDigest(UNet& net)
{
    uint64_t h = 1469598103934665603ull;
    auto mix = [&](const at::Tensor& t) {
        const at::Tensor c = t.detach().to(torch::kCPU).contiguous();
        const auto* bytes = static_cast<const uint8_t*>(c.data_ptr());
        for (size_t i = 0; i < static_cast<size_t>(c.nbytes()); ++i) h = (h ^ bytes[i]) * 1099511628211ull;
    };
    for (const at::Tensor& p : net->parameters()) mix(p);
    for (const at::Tensor& b : net->buffers()) mix(b);
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(h));
    return text;
}

} // namespace slt::unet::training::test
