// org.slt.model.unet-concrete: the slt.model/1 entry of the U-Net with Concrete Dropout.
#include "checkpoint.hpp"
#include "model_state.hpp"
#include "predictor.hpp"

#include <slt/sdk/cpp/model.hpp>

#include <fmt/format.h>

#include <thread>

namespace slt::unet {
namespace {

using slt::sdk::Error;

torch::Device chooseDevice(const std::string& device)
{
    if (device == "cpu") return torch::kCPU;
    if (!torch::cuda::is_available())
        throw Error(SLT_ERR_UNSUPPORTED, "device = \"cuda\" was asked for but LibTorch sees no CUDA device (CPU-only "
                                         "LibTorch build or no GPU); use device = \"cpu\"");
    return torch::kCUDA;
}

int32_t chooseThreads(int32_t configured)
{
    if (configured > 0) return configured;
    return static_cast<int32_t>(std::max(1u, std::thread::hardware_concurrency()));
}

class UNetConcreteModel : public slt::sdk::Model {
public:
    UNetConcreteModel(const slt::sdk::Host&, const std::string& configToml)
    {
        state_.config = parseModelConfig(configToml);
        state_.device = chooseDevice(state_.config.runtime.device);
        state_.threads = chooseThreads(state_.config.runtime.threads);
        torch::set_num_threads(state_.threads);
        state_.net = UNet(state_.config.net);
        state_.net->to(state_.device);
        state_.net->eval();
    }

    slt::sdk::ModelInfo describe() override
    {
        const UNetConfig& net = state_.config.net;
        slt::sdk::ModelInfo info;
        info.capabilities = SLT_MODEL_STOCHASTIC;
#ifdef SLT_UNET_HAS_TRAINING
        info.capabilities |= SLT_MODEL_CAN_TRAIN | SLT_MODEL_DISTRIBUTED;
#endif
        info.architecture = net.architectureString();
        for (const ClassEntry& c : net.classes) info.classes.push_back({c.id, c.name, {}});
        info.input_channels = 3;
        info.input_height = net.inputHeight;
        info.input_width = net.inputWidth;
        info.size_multiple = static_cast<int32_t>(net.sizeMultiple());
        info.output_stride = 1;
        info.embedding_dim = net.width;
        info.embedding_stride = 1;
        info.default_mc_samples = state_.config.runtime.mcSamples;
        return info;
    }

    void load_checkpoint(const std::string& path) override
    {
        const CheckpointContent content = loadCheckpoint(state_.net, path);
        // Same architecture (checked); names and the preferred tile size come from the checkpoint.
        state_.config.net.classes = content.config.classes;
        state_.config.net.inputHeight = content.config.inputHeight;
        state_.config.net.inputWidth = content.config.inputWidth;
    }

    void save_checkpoint(const std::string& path) override { saveCheckpoint(state_.net, path); }

#ifdef SLT_UNET_HAS_TRAINING
    void train(slt::sdk::TrainData& data, slt::sdk::TrainData* validation, const slt_train_options& options,
               const slt::sdk::EpochObserver& observer, const slt::sdk::Job& job) override
    {
        training::train(state_, data, validation, options, observer, job);
    }
#endif

    slt::sdk::PredictShape predict_shape(int64_t batch, int64_t height, int64_t width, int32_t passes) override
    {
        const int64_t multiple = state_.config.net.sizeMultiple();
        if (height % multiple != 0 || width % multiple != 0)
            throw Error(SLT_ERR_INVALID_ARGUMENT,
                        fmt::format("image size {}x{} (height x width) is not a multiple of {} (2^depth with depth {}); "
                                    "pad or crop the tiles",
                                    height, width, multiple, state_.config.net.depth));
        const int64_t classes = state_.config.net.numClasses();
        return {{passes, batch, classes, height, width}, {batch, state_.config.net.width, height, width}};
    }

    void predict(const slt_array& images, int32_t passes, uint64_t seed, slt_array& probs, slt_array* embeddings,
                 const slt::sdk::Job& job) override
    {
        if (!slt_array_is_contiguous(&images)) throw Error(SLT_ERR_INVALID_ARGUMENT, "images must be contiguous");
        McRequest request;
        request.images = static_cast<const uint8_t*>(images.data);
        request.batch = images.shape[0];
        request.height = images.shape[1];
        request.width = images.shape[2];
        request.passes = passes;
        request.seed = seed;
        request.probs = static_cast<float*>(probs.data);
        request.embeddings = embeddings ? static_cast<float*>(embeddings->data) : nullptr;
        if (request.batch == 0) return;
        predictMonteCarlo(state_, request, job);
    }

private:
    ModelState state_;
};

} // namespace
} // namespace slt::unet

SLT_PLUGIN("org.slt.model.unet-concrete", "1.0.0", slt::unet::UNetConcreteModel)
