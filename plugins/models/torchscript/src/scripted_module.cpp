#include "scripted_module.hpp"

#include <torch/cuda.h>
#include <torch/script.h>

#include <ATen/Parallel.h>

#include <slt/sdk/cpp/error.hpp>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>

namespace slt::torchscript {
namespace {

// Seeds and then uses LibTorch's process-wide CPU generator: two models of this plugin running at once
// would interleave their draws, so runs take this lock.
std::mutex& generatorMutex()
{
    static std::mutex mutex;
    return mutex;
}

// One line of a LibTorch message: the first, or for an error raised inside TorchScript code (whose text is
// two tracebacks followed by the error) the last.
std::string conciseMessage(const std::string& text)
{
    const bool traceback = text.find("Traceback of TorchScript") != std::string::npos;
    const size_t end = text.find_last_not_of(" \n");
    if (!traceback) return text.substr(0, text.find('\n'));
    if (end == std::string::npos) return text;
    const size_t begin = text.rfind('\n', end);
    return text.substr(begin == std::string::npos ? 0 : begin + 1, end + 1 - (begin == std::string::npos ? 0 : begin + 1));
}

std::string shortMessage(const c10::Error& e) { return conciseMessage(e.what_without_backtrace()); }

std::string shapeText(at::IntArrayRef sizes)
{
    std::ostringstream out;
    out << '[';
    for (size_t i = 0; i < sizes.size(); ++i) out << (i ? ", " : "") << sizes[i];
    out << ']';
    return out.str();
}

// splitmix64: independent per-pass seeds from (seed, pass).
uint64_t passSeed(uint64_t seed, int32_t pass)
{
    uint64_t z = seed + 0x9E3779B97F4A7C15ull * (static_cast<uint64_t>(pass) + 1);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

bool isDropoutType(const torch::jit::Module& module)
{
    const auto name = module.type()->name();
    if (!name) return false;
    std::string last = name->name();
    std::transform(last.begin(), last.end(), last.begin(), [](unsigned char c) { return std::tolower(c); });
    return last.find("dropout") != std::string::npos;
}

void setTraining(torch::jit::Module& module, bool on)
{
    if (module.hasattr("training")) module.setattr("training", on);
}

torch::Device parseDevice(const std::string& text)
{
    std::optional<torch::Device> device;
    try {
        device = torch::Device(text);
    } catch (const c10::Error&) {
        throw sdk::Error(SLT_ERR_INVALID_ARGUMENT, "unknown device '" + text + "': use \"cpu\", \"cuda\" or \"cuda:N\"");
    }
    if (device->is_cpu()) return *device;
    if (!device->is_cuda())
        throw sdk::Error(SLT_ERR_INVALID_ARGUMENT, "unsupported device '" + text + "': use \"cpu\", \"cuda\" or \"cuda:N\"");
    if (!torch::cuda::is_available())
        throw sdk::Error(SLT_ERR_UNSUPPORTED, "device '" + text + "': the LibTorch this plugin was built against has no "
                                                                   "CUDA, or no GPU is visible; use device = \"cpu\"");
    if (device->has_index() && device->index() >= static_cast<int>(torch::cuda::device_count()))
        throw sdk::Error(SLT_ERR_INVALID_ARGUMENT, "device '" + text + "': only " +
                                                       std::to_string(torch::cuda::device_count()) + " GPU(s) visible");
    return *device;
}

} // namespace

struct ScriptedModule::Impl {
    torch::jit::Module module;
    Sidecar sidecar;
    torch::Device device{torch::kCPU};
    int32_t threads = 1;
    std::vector<torch::jit::Module> dropouts; // switched to training mode for MC passes
    Geometry geometry;
    std::string path;

    // ---- loading --------------------------------------------------------------------------------

    void read(const std::string& file)
    {
        std::error_code ec;
        if (!std::filesystem::is_regular_file(file, ec))
            throw sdk::Error(SLT_ERR_NOT_FOUND, "TorchScript module '" + file + "' does not exist");
        try {
            module = torch::jit::load(file, device);
        } catch (const c10::Error& e) {
            throw sdk::Error(SLT_ERR_FORMAT, "'" + file + "' is not a readable TorchScript module (" + shortMessage(e) +
                                                 "); export one with torch.jit.script(model).save(path)");
        } catch (const std::exception& e) {
            throw sdk::Error(SLT_ERR_FORMAT, "'" + file + "' is not a readable TorchScript module (" + e.what() + ")");
        }
        if (!module.find_method("forward"))
            throw sdk::Error(SLT_ERR_FORMAT, "'" + file + "' has no forward() method: it holds weights only (as "
                                                          "torch.save(state_dict) writes); export the model with "
                                                          "torch.jit.script(model).save(path)");
    }

    void applyStochasticMode()
    {
        for (torch::jit::Module sub : module.modules()) setTraining(sub, false);
        if (sidecar.stochastic == StochasticMode::McForward && !module.find_method("mc_forward"))
            throw sdk::Error(SLT_ERR_FORMAT, "'" + path + "': the sidecar sets stochastic mode \"mc_forward\" but the "
                                                          "module has no mc_forward(x, seed: int) method");
        if (sidecar.stochastic == StochasticMode::Dropout) collectDropouts();
    }

    void collectDropouts()
    {
        const std::vector<std::string>& listed = sidecar.dropout_modules;
        std::set<std::string> found;
        for (const torch::jit::NameModule& named : module.named_modules()) {
            const bool chosen = listed.empty() ? isDropoutType(named.value)
                                               : std::find(listed.begin(), listed.end(), named.name) != listed.end();
            if (!chosen) continue;
            if (!named.value.hasattr("training"))
                throw sdk::Error(SLT_ERR_FORMAT, "'" + path + "': submodule '" + named.name +
                                                     "' has no 'training' attribute to switch its dropout on");
            dropouts.push_back(named.value);
            found.insert(named.name);
        }
        for (const std::string& name : listed)
            if (!found.count(name))
                throw sdk::Error(SLT_ERR_FORMAT, "'" + path + "': the sidecar's stochastic.modules names '" + name +
                                                     "', which is not a submodule of the module");
        if (dropouts.empty())
            throw sdk::Error(SLT_ERR_FORMAT, "'" + path + "': the sidecar sets stochastic mode \"dropout\" but the module "
                                                          "has no submodule whose type name contains \"Dropout\"; name "
                                                          "them in stochastic.modules or use mode = \"none\"");
    }

    // ---- running --------------------------------------------------------------------------------

    torch::Tensor toInput(const slt_array& images) const
    {
        std::vector<int64_t> sizes(images.shape, images.shape + 4);
        std::vector<int64_t> strides(images.strides, images.strides + 4);
        torch::Tensor x = torch::from_blob(images.data, sizes, strides, torch::kUInt8)
                              .to(device, torch::kFloat)
                              .permute({0, 3, 1, 2});
        if (sidecar.bgr) x = x.flip({1});
        const double low = sidecar.input_range[0];
        const double scale = (sidecar.input_range[1] - low) / 255.0;
        const auto options = torch::TensorOptions().dtype(torch::kFloat).device(device);
        const torch::Tensor mean = torch::tensor({sidecar.mean[0], sidecar.mean[1], sidecar.mean[2]}, options).view({1, 3, 1, 1});
        const torch::Tensor std = torch::tensor({sidecar.std[0], sidecar.std[1], sidecar.std[2]}, options).view({1, 3, 1, 1});
        return ((x * scale + low - mean) / std).contiguous();
    }

    torch::Tensor pick(const c10::IValue& out, const OutputSelector& selector, const char* what) const
    {
        c10::IValue chosen;
        if (out.isTensor()) {
            if (selector.present())
                throw sdk::Error(SLT_ERR_FORMAT, "'" + path + "': forward() returns one tensor, so the sidecar's " +
                                                     what + " selector (" + selector.describe() + ") cannot apply");
            chosen = out;
        } else if (out.isTuple() || out.isList()) {
            const std::vector<c10::IValue> items = out.isTuple() ? out.toTupleRef().elements().vec() : out.toListRef().vec();
            if (selector.kind != OutputSelector::Kind::Index)
                throw sdk::Error(SLT_ERR_FORMAT, "'" + path + "': forward() returns a tuple/list of " +
                                                     std::to_string(items.size()) + "; set output." + what +
                                                     " to the index of the " + what + " tensor");
            if (selector.index >= static_cast<int64_t>(items.size()))
                throw sdk::Error(SLT_ERR_FORMAT, "'" + path + "': output." + what + " = " + std::to_string(selector.index) +
                                                     " but forward() returns " + std::to_string(items.size()) + " values");
            chosen = items[static_cast<size_t>(selector.index)];
        } else if (out.isGenericDict()) {
            if (selector.kind != OutputSelector::Kind::Key)
                throw sdk::Error(SLT_ERR_FORMAT, "'" + path + "': forward() returns a dict; set output." + what +
                                                     " to the key of the " + what + " tensor");
            const c10::Dict<c10::IValue, c10::IValue> dict = out.toGenericDict();
            const auto found = dict.find(c10::IValue(selector.key));
            if (found == dict.end())
                throw sdk::Error(SLT_ERR_FORMAT, "'" + path + "': forward()'s dict has no key \"" + selector.key + "\"");
            chosen = found->value();
        } else {
            throw sdk::Error(SLT_ERR_FORMAT, "'" + path + "': forward() returns " + out.tagKind() +
                                                 "; expected a tensor, a tuple/list of tensors or a dict of tensors");
        }
        if (!chosen.isTensor())
            throw sdk::Error(SLT_ERR_FORMAT, "'" + path + "': the " + std::string(what) + " (" + selector.describe() +
                                                 ") is " + chosen.tagKind() + ", not a tensor");
        return chosen.toTensor();
    }

    c10::IValue forward(const torch::Tensor& x, bool stochasticPass, uint64_t seed)
    {
        if (!stochasticPass) return module.forward({x});
        if (sidecar.stochastic == StochasticMode::McForward)
            return module.get_method("mc_forward")({x, static_cast<int64_t>(seed >> 1)});
        for (torch::jit::Module& m : dropouts) setTraining(m, true);
        try {
            c10::IValue out = module.forward({x});
            for (torch::jit::Module& m : dropouts) setTraining(m, false);
            return out;
        } catch (...) {
            for (torch::jit::Module& m : dropouts) setTraining(m, false);
            throw;
        }
    }

    torch::Tensor probabilities(const torch::Tensor& logits) const
    {
        const torch::Tensor l = logits.to(torch::kFloat);
        switch (sidecar.activation) {
        case Activation::Softmax: return torch::softmax(l, 1);
        case Activation::Exp: return torch::exp(l);
        case Activation::None: break;
        }
        return l;
    }

    // ---- probing --------------------------------------------------------------------------------

    // Runs the module once on a mid-grey tile and derives the output geometry, checking it against the
    // sidecar; a stochastic module must also give two different passes for two seeds.
    void probe()
    {
        const int64_t h = sidecar.input_height > 0 ? sidecar.input_height : roundUp(64, sidecar.size_multiple);
        const int64_t w = sidecar.input_width > 0 ? sidecar.input_width : roundUp(64, sidecar.size_multiple);
        std::vector<uint8_t> grey(static_cast<size_t>(h * w * 3), 128);
        slt_array image{grey.data(), SLT_DTYPE_U8, 4, {1, h, w, 3}, {h * w * 3, w * 3, 3, 1}};
        torch::NoGradGuard noGrad;
        const torch::Tensor x = toInput(image);
        const c10::IValue out = guarded("running the module on a 1x3x" + std::to_string(h) + "x" + std::to_string(w) +
                                            " probe tile",
                                        [&] { return forward(x, false, 0); });
        const torch::Tensor logits = pick(out, sidecar.logits, "logits");
        measureLogits(logits, h, w);
        checkProbabilities(probabilities(logits));
        if (sidecar.embedding.present()) measureEmbedding(pick(out, sidecar.embedding, "embedding"), h, w);
        if (sidecar.stochastic != StochasticMode::None) checkStochastic(x, logits.sizes().vec());
    }

    static int64_t roundUp(int64_t value, int64_t multiple) { return (value + multiple - 1) / multiple * multiple; }

    // Runs module code, turning what LibTorch throws (c10::Error, or a JITException for a `raise` in the
    // script) into an sdk::Error with `status` and one line of message.
    template <class Body>
    c10::IValue guarded(const std::string& what, Body&& body, slt_status status = SLT_ERR_FORMAT)
    {
        try {
            return body();
        } catch (const sdk::Error&) {
            throw;
        } catch (const c10::Error& e) {
            throw sdk::Error(status, "'" + path + "': " + what + " failed: " + shortMessage(e));
        } catch (const std::exception& e) {
            throw sdk::Error(status, "'" + path + "': " + what + " failed: " + conciseMessage(e.what()));
        }
    }

    // [B, C, h, w] (spatial) or [B, C] (classifier); stride from the probe tile, which must divide evenly.
    int32_t measure(const torch::Tensor& t, int64_t h, int64_t w, const char* what, bool& spatial)
    {
        if ((t.dim() != 2 && t.dim() != 4) || t.size(0) != 1)
            throw sdk::Error(SLT_ERR_FORMAT, "'" + path + "': the " + what + " has shape " + shapeText(t.sizes()) +
                                                 " for a 1x3x" + std::to_string(h) + "x" + std::to_string(w) +
                                                 " input; expected [B, C, h, w] or [B, C]");
        spatial = t.dim() == 4;
        if (!spatial) return 0;
        const int64_t oh = t.size(2), ow = t.size(3);
        if (oh < 1 || ow < 1 || h % oh != 0 || w % ow != 0 || h / oh != w / ow)
            throw sdk::Error(SLT_ERR_FORMAT, "'" + path + "': the " + what + " is " + std::to_string(oh) + "x" +
                                                 std::to_string(ow) + " for a " + std::to_string(h) + "x" +
                                                 std::to_string(w) + " input: not one integer stride");
        const int64_t stride = h / oh;
        if (sidecar.size_multiple % stride != 0)
            throw sdk::Error(SLT_ERR_FORMAT, "'" + path + "': the " + what + " has stride " + std::to_string(stride) +
                                                 ", which does not divide input.size_multiple = " +
                                                 std::to_string(sidecar.size_multiple) + "; set size_multiple to a "
                                                 "multiple of " + std::to_string(stride));
        return static_cast<int32_t>(stride);
    }

    void measureLogits(const torch::Tensor& logits, int64_t h, int64_t w)
    {
        geometry.output_stride = measure(logits, h, w, "logits", geometry.spatial);
        geometry.classes = logits.size(1);
        if (geometry.classes != static_cast<int64_t>(sidecar.classes.size()))
            throw sdk::Error(SLT_ERR_FORMAT, "'" + path + "': the logits have " + std::to_string(geometry.classes) +
                                                 " channels but the sidecar lists " +
                                                 std::to_string(sidecar.classes.size()) + " classes");
    }

    void measureEmbedding(const torch::Tensor& embedding, int64_t h, int64_t w)
    {
        geometry.embedding_stride = measure(embedding, h, w, "embedding", geometry.embedding_spatial);
        geometry.embedding_dim = embedding.size(1);
    }

    void checkProbabilities(const torch::Tensor& probs) const
    {
        const double worst = (probs.sum(1) - 1.0).abs().max().item<double>();
        if (!(worst < 1e-3) || probs.min().item<double>() < -1e-6)
            throw sdk::Error(SLT_ERR_FORMAT, "'" + path + "': output.activation does not give probabilities (class sums "
                                                          "off by " + std::to_string(worst) +
                                                          "): use \"softmax\" for logits, \"exp\" for log-probabilities");
    }

    void checkStochastic(const torch::Tensor& x, const std::vector<int64_t>& shape)
    {
        const auto pass = [&](uint64_t seed) {
            at::manual_seed(seed);
            const c10::IValue out = guarded("a stochastic pass", [&] { return forward(x, true, seed); });
            return pick(out, sidecar.logits, "logits");
        };
        const torch::Tensor a = pass(1), b = pass(2);
        if (a.sizes().vec() != shape)
            throw sdk::Error(SLT_ERR_FORMAT, "'" + path + "': a stochastic pass gives logits " + shapeText(a.sizes()) +
                                                 " but forward() gives " + shapeText(shape));
        if (torch::equal(a, b))
            throw sdk::Error(SLT_ERR_FORMAT, "'" + path + "': the sidecar declares the module stochastic but two passes "
                                                          "with different seeds gave identical outputs");
    }

    // ---- predicting -----------------------------------------------------------------------------

    // Copies a [B, C, h, w] or [B, C] result into `out`, checking it has the size the host allocated.
    void write(const torch::Tensor& t, float* out, int64_t expected, const char* what) const
    {
        const torch::Tensor cpu = t.to(torch::kCPU, torch::kFloat).contiguous();
        if (cpu.numel() != expected)
            throw sdk::Error(SLT_ERR_FORMAT, "'" + path + "': the " + what + " has shape " + shapeText(cpu.sizes()) +
                                                 " for this input, which does not match the stride measured at load");
        std::memcpy(out, cpu.data_ptr<float>(), static_cast<size_t>(expected) * sizeof(float));
    }
};

ScriptedModule::ScriptedModule(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ScriptedModule::~ScriptedModule() = default;

std::unique_ptr<ScriptedModule> ScriptedModule::load(const std::string& path, const Sidecar& sidecar,
                                                     const RunOptions& options)
{
    auto impl = std::make_unique<Impl>();
    impl->sidecar = sidecar;
    impl->path = path;
    impl->device = parseDevice(options.device);
    impl->threads = std::max(1, options.threads);
    at::set_num_threads(impl->threads);
    std::lock_guard<std::mutex> lock(generatorMutex());
    impl->read(path);
    impl->applyStochasticMode();
    impl->probe();
    return std::unique_ptr<ScriptedModule>(new ScriptedModule(std::move(impl)));
}

const Geometry& ScriptedModule::geometry() const { return impl_->geometry; }

bool ScriptedModule::stochastic() const { return impl_->sidecar.stochastic != StochasticMode::None; }

void ScriptedModule::setThreads(int32_t threads) { impl_->threads = std::max(1, threads); }

void ScriptedModule::run(const slt_array& images, int32_t passes, uint64_t seed, float* probs, float* embeddings,
                         const sdk::Job& job)
{
    Impl& m = *impl_;
    at::set_num_threads(m.threads);
    torch::NoGradGuard noGrad;
    std::lock_guard<std::mutex> lock(generatorMutex());
    const torch::Tensor x = m.toInput(images);
    const int64_t batch = images.shape[0];
    const int64_t h = m.geometry.spatial ? images.shape[1] / m.geometry.output_stride : 1;
    const int64_t w = m.geometry.spatial ? images.shape[2] / m.geometry.output_stride : 1;
    const int64_t perPass = batch * m.geometry.classes * h * w;
    const bool mc = stochastic() && passes > 1;
    // The deterministic pass gives the embedding, and all the probabilities when passes cannot differ.
    if (!mc || embeddings) {
        const c10::IValue out = m.guarded(
            "forward() on " + shapeText(x.sizes()), [&] { return m.forward(x, false, 0); }, SLT_ERR_INVALID_ARGUMENT);
        if (!mc) {
            m.write(m.probabilities(m.pick(out, m.sidecar.logits, "logits")), probs, perPass, "logits");
            for (int32_t t = 1; t < passes; ++t) std::memcpy(probs + t * perPass, probs, perPass * sizeof(float));
        }
        if (embeddings) {
            const Geometry& g = m.geometry;
            const int64_t he = g.embedding_spatial ? images.shape[1] / g.embedding_stride : 1;
            const int64_t we = g.embedding_spatial ? images.shape[2] / g.embedding_stride : 1;
            m.write(m.pick(out, m.sidecar.embedding, "embedding"), embeddings, batch * g.embedding_dim * he * we,
                    "embedding");
        }
    }
    if (!mc) {
        job.progress(1, 1);
        return;
    }
    for (int32_t t = 0; t < passes; ++t) {
        job.throw_if_cancelled();
        const uint64_t s = passSeed(seed, t);
        at::manual_seed(s);
        const c10::IValue out = m.guarded(
            "a stochastic pass on " + shapeText(x.sizes()), [&] { return m.forward(x, true, s); }, SLT_ERR_INVALID_ARGUMENT);
        m.write(m.probabilities(m.pick(out, m.sidecar.logits, "logits")), probs + t * perPass, perPass, "logits");
        job.progress(static_cast<uint64_t>(t + 1), static_cast<uint64_t>(passes));
    }
}

void ScriptedModule::save(const std::string& path) const
{
    try {
        impl_->module.save(path);
    } catch (const c10::Error& e) {
        throw sdk::Error(SLT_ERR_IO, "cannot write the TorchScript module to '" + path + "': " + shortMessage(e));
    }
}

} // namespace slt::torchscript
