// org.slt.model.torchscript: a model trained elsewhere (Python, torch.jit) brought in as a TorchScript module
// plus a sidecar TOML, for prediction and bank building (SPEC M9). It cannot train.
#include "scripted_module.hpp"
#include "sidecar.hpp"

#include <slt/sdk/cpp/model.hpp>

#include <toml++/toml.h>

#include <sched.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace slt::torchscript {
namespace {

namespace fs = std::filesystem;

std::string readText(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) throw sdk::Error(SLT_ERR_IO, "cannot read '" + path + "'");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// The cores this process may run on: under SLURM or taskset that is the allocation, not the whole machine
// (hardware_concurrency() counts every core of the node, which oversubscribes a shared node).
int32_t defaultThreads()
{
    cpu_set_t allowed;
    CPU_ZERO(&allowed);
    if (sched_getaffinity(0, sizeof allowed, &allowed) == 0 && CPU_COUNT(&allowed) > 0) return CPU_COUNT(&allowed);
    const unsigned cores = std::thread::hardware_concurrency();
    return cores > 0 ? static_cast<int32_t>(cores) : 1;
}

// create()'s configuration: `module` (load it now), `device`, `threads` (0 = every core). The host's plugin
// settings of the same names give the defaults.
struct Config {
    std::string module;
    RunOptions run;
};

Config parseConfig(const sdk::Host& host, const std::string& text)
{
    Config config;
    config.run.device = host.setting_string("device").value_or("cpu");
    int64_t threads = host.setting_int("threads").value_or(0);
    toml::table root;
    try {
        root = toml::parse(text, std::string_view("config"));
    } catch (const toml::parse_error& e) {
        throw sdk::Error(SLT_ERR_FORMAT, "config:" + std::to_string(e.source().begin.line) + ":" +
                                             std::to_string(e.source().begin.column) + ": " + std::string(e.description()));
    }
    for (const auto& [key, node] : root) {
        const std::string where = "config:" + std::to_string(key.source().begin.line) + ":" +
                                  std::to_string(key.source().begin.column) + ": ";
        if (key == "module" && node.is_string()) config.module = node.as_string()->get();
        else if (key == "device" && node.is_string()) config.run.device = node.as_string()->get();
        else if (key == "threads" && node.is_integer()) threads = node.as_integer()->get();
        else
            throw sdk::Error(SLT_ERR_FORMAT, where + "unexpected '" + std::string(key.str()) +
                                                 "': the keys are module (path), device (\"cpu\", \"cuda\", "
                                                 "\"cuda:N\") and threads (integer, 0 = all cores)");
    }
    if (threads < 0 || threads > 1024) throw sdk::Error(SLT_ERR_FORMAT, "config: threads must be in [0, 1024]");
    config.run.threads = threads == 0 ? defaultThreads() : static_cast<int32_t>(threads);
    return config;
}

class TorchScriptModel : public sdk::Model {
public:
    TorchScriptModel(const sdk::Host& host, const std::string& configText) : config_(parseConfig(host, configText))
    {
        if (!config_.module.empty()) load_checkpoint(config_.module);
    }

    sdk::ModelInfo describe() override
    {
        const ScriptedModule& m = loaded();
        const Geometry& g = m.geometry();
        sdk::ModelInfo info;
        info.capabilities = m.stochastic() ? static_cast<uint32_t>(SLT_MODEL_STOCHASTIC) : 0u;
        info.architecture = "torchscript " + fs::path(modulePath_).filename().string() +
                            (sidecar_.description.empty() ? "" : " (" + sidecar_.description + ")");
        info.classes = sidecar_.classes;
        info.input_height = sidecar_.input_height;
        info.input_width = sidecar_.input_width;
        info.size_multiple = sidecar_.size_multiple;
        // 0 = one value for the whole input (a classifier-style module): see README.md.
        info.output_stride = g.spatial ? g.output_stride : 0;
        info.embedding_dim = static_cast<int32_t>(g.embedding_dim);
        info.embedding_stride = g.embedding_dim == 0 ? 1 : (g.embedding_spatial ? g.embedding_stride : 0);
        info.default_mc_samples = m.stochastic() ? sidecar_.mc_samples : 1;
        return info;
    }

    // Loads the module and its sidecar; on any failure the model keeps what it had.
    void load_checkpoint(const std::string& path) override
    {
        std::error_code ec;
        if (!fs::is_regular_file(path, ec))
            throw sdk::Error(SLT_ERR_NOT_FOUND, "TorchScript module '" + path + "' does not exist");
        const std::string sidecarPath = findSidecar(path);
        std::string text = readText(sidecarPath);
        Sidecar sidecar = parseSidecar(text, sidecarPath);
        std::unique_ptr<ScriptedModule> module = ScriptedModule::load(path, sidecar, config_.run);
        module_ = std::move(module);
        sidecar_ = std::move(sidecar);
        sidecarText_ = std::move(text);
        modulePath_ = path;
    }

    // Writes the module and a copy of its sidecar beside it (model.pt -> model.toml).
    void save_checkpoint(const std::string& path) override
    {
        const ScriptedModule& m = loaded();
        const std::string sidecarPath = sidecarPathFor(path);
        if (sidecarPath == path) throw sdk::Error(SLT_ERR_INVALID_ARGUMENT, "the module path must not end in .toml");
        m.save(path);
        std::ofstream out(sidecarPath, std::ios::binary | std::ios::trunc);
        out << sidecarText_;
        out.close();
        if (!out) throw sdk::Error(SLT_ERR_IO, "cannot write the sidecar '" + sidecarPath + "'");
    }

    void train(sdk::TrainData&, sdk::TrainData*, const slt_train_options&, const sdk::EpochObserver&,
               const sdk::Job&) override
    {
        throw sdk::Error(SLT_ERR_UNSUPPORTED, "a TorchScript model cannot be trained in SLT: fine-tune it where it was "
                                              "made and export it again, or train the unet-concrete model");
    }

    sdk::PredictShape predict_shape(int64_t batch, int64_t height, int64_t width, int32_t mcSamples) override
    {
        const Geometry& g = loaded().geometry();
        const int32_t multiple = sidecar_.size_multiple;
        if (height % multiple != 0 || width % multiple != 0)
            throw sdk::Error(SLT_ERR_INVALID_ARGUMENT, "input " + std::to_string(height) + "x" + std::to_string(width) +
                                                           " is not a multiple of " + std::to_string(multiple) +
                                                           " (input.size_multiple of the sidecar)");
        sdk::PredictShape shape;
        shape.probs = {mcSamples, batch, g.classes, g.spatial ? height / g.output_stride : 1,
                       g.spatial ? width / g.output_stride : 1};
        if (g.embedding_dim > 0)
            shape.embeddings = {batch, g.embedding_dim, g.embedding_spatial ? height / g.embedding_stride : 1,
                                g.embedding_spatial ? width / g.embedding_stride : 1};
        return shape;
    }

    void predict(const slt_array& images, int32_t mcSamples, uint64_t seed, slt_array& probs, slt_array* embeddings,
                 const sdk::Job& job) override
    {
        ScriptedModule& m = loaded();
        if (embeddings && m.geometry().embedding_dim == 0)
            throw sdk::Error(SLT_ERR_INVALID_ARGUMENT, "this module gives no embedding (no output.embedding in its "
                                                       "sidecar): pass no embeddings array");
        if (images.shape[0] == 0) return;
        m.setThreads(config_.run.threads);
        m.run(images, mcSamples, seed, static_cast<float*>(probs.data),
              embeddings ? static_cast<float*>(embeddings->data) : nullptr, job);
    }

private:
    ScriptedModule& loaded() const
    {
        if (!module_)
            throw sdk::Error(SLT_ERR_INVALID_ARGUMENT, "no TorchScript module loaded: call load_checkpoint with the "
                                                       "module's path (its sidecar .toml beside it) or set 'module' in "
                                                       "the config");
        return *module_;
    }

    Config config_;
    std::unique_ptr<ScriptedModule> module_;
    Sidecar sidecar_;
    std::string sidecarText_;
    std::string modulePath_;
};

} // namespace
} // namespace slt::torchscript

SLT_PLUGIN("org.slt.model.torchscript", "1.0.0", slt::torchscript::TorchScriptModel)
