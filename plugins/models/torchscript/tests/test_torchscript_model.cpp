// The TorchScript model plugin (org.slt.model.torchscript), loaded from its built library through the SDK's
// host-side proxy, on modules scripted in C++ (scripted_fixtures.cpp).
#include "scripted_fixtures.hpp"

#include <slt/sdk/cpp/host/model_proxy.hpp>

#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
#include <slt_test/plugin_under_test.hpp>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
namespace fixtures = slt::torchscript::fixtures;
using slt::sdk::host::ModelProxy;

const slt_plugin_entry* entry()
{
    static const slt_plugin_entry* loaded = slt::test::loadPluginEntry(SLT_TORCHSCRIPT_PLUGIN_PATH);
    return loaded;
}

class TempDir {
public:
    TempDir()
    {
        std::string pattern = (fs::temp_directory_path() / "slt-torchscript-XXXXXX").string();
        REQUIRE(mkdtemp(pattern.data()) != nullptr);
        path_ = pattern;
    }
    ~TempDir()
    {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    std::string file(const std::string& name) const { return (path_ / name).string(); }

private:
    fs::path path_;
};

void writeText(const std::string& path, const std::string& text)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    REQUIRE(out.good());
}

std::string readBytes(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

const std::string kClasses = R"(
[[class]]
id = 0
name = "Tumour"

[[class]]
id = 1
name = "Stroma"

[[class]]
id = 5
name = "Fat"
)";

// Sidecar of fixtures::saveSegmentation: tuple (logits, features at stride 2).
const std::string kSegmentationSidecar = R"(description = "test segmenter"

[input]
size = [32, 32]
size_multiple = 2
range = [0.0, 1.0]
mean = [0.5, 0.5, 0.5]
std = [0.25, 0.25, 0.25]

[output]
logits = 0
embedding = 1
)" + kClasses;

ModelProxy makeModel(const std::string& config = "threads = 1")
{
    auto model = ModelProxy::create(entry()->get_factory(SLT_MODEL_FACTORY_ID), nullptr, config);
    INFO(model.message());
    REQUIRE(model.ok());
    return std::move(*model);
}

// Saves a fixture module as <dir>/<name>.pt with `sidecar` as <dir>/<name>.toml; returns the module path.
std::string writeModel(const TempDir& dir, const std::string& name, void (*save)(const std::string&),
                       const std::string& sidecar)
{
    const std::string path = dir.file(name + ".pt");
    save(path);
    writeText(dir.file(name + ".toml"), sidecar);
    return path;
}

ModelProxy loadModel(const std::string& modulePath)
{
    ModelProxy model = makeModel();
    const auto status = model.load_checkpoint(modulePath);
    INFO(status.message);
    REQUIRE(status.ok());
    return model;
}

// The load's status, for the refusal cases.
slt::sdk::host::Status tryLoad(const std::string& modulePath)
{
    ModelProxy model = makeModel();
    return model.load_checkpoint(modulePath);
}

void requireRefused(const slt::sdk::host::Status& status, slt_status code, const std::string& fragment)
{
    INFO(status.message);
    REQUIRE_FALSE(status.ok());
    REQUIRE(status.code == code);
    REQUIRE(status.message.find(fragment) != std::string::npos);
}

slt_array contiguous(void* data, slt_dtype dtype, std::vector<int64_t> shape)
{
    slt_array a{};
    a.data = data;
    a.dtype = dtype;
    a.ndim = static_cast<int32_t>(shape.size());
    int64_t stride = 1;
    for (int i = a.ndim - 1; i >= 0; --i) {
        a.shape[i] = shape[static_cast<size_t>(i)];
        a.strides[i] = stride;
        stride *= a.shape[i];
    }
    return a;
}

std::vector<uint8_t> randomImages(int64_t batch, int64_t h, int64_t w, uint32_t seed = 7)
{
    std::mt19937 random(seed);
    std::vector<uint8_t> pixels(static_cast<size_t>(batch * h * w * 3));
    for (uint8_t& p : pixels) p = static_cast<uint8_t>(random() & 0xFF);
    return pixels;
}

struct Prediction {
    slt_predict_shape shape{};
    std::vector<float> probs;
    std::vector<float> embeddings;
};

Prediction predict(ModelProxy& model, std::vector<uint8_t>& images, int64_t batch, int64_t h, int64_t w,
                   int32_t passes, uint64_t seed, bool withEmbeddings = true)
{
    auto shape = model.predict_shape(batch, h, w, passes);
    INFO(shape.message());
    REQUIRE(shape.ok());
    Prediction p;
    p.shape = *shape;
    const std::vector<int64_t> probsShape(shape->probs, shape->probs + shape->ndim_probs);
    const std::vector<int64_t> embShape(shape->embeddings, shape->embeddings + shape->ndim_embeddings);
    int64_t count = 1;
    for (int64_t e : probsShape) count *= e;
    p.probs.assign(static_cast<size_t>(count), -1.0f);
    slt_array in = contiguous(images.data(), SLT_DTYPE_U8, {batch, h, w, 3});
    slt_array out = contiguous(p.probs.data(), SLT_DTYPE_F32, probsShape);
    slt_array emb{};
    const bool embed = withEmbeddings && shape->ndim_embeddings > 0;
    if (embed) {
        int64_t n = 1;
        for (int64_t e : embShape) n *= e;
        p.embeddings.assign(static_cast<size_t>(n), -1.0f);
        emb = contiguous(p.embeddings.data(), SLT_DTYPE_F32, embShape);
    }
    const auto status = model.predict(in, passes, seed, out, embed ? &emb : nullptr);
    INFO(status.message);
    REQUIRE(status.ok());
    return p;
}

std::vector<int64_t> dims(const int64_t* values, int32_t n) { return std::vector<int64_t>(values, values + n); }

// Every [.., c, y, x] class vector sums to one; probs are [T, B, C, h, w].
void requireSoftmax(const Prediction& p)
{
    const int64_t outer = p.shape.probs[0] * p.shape.probs[1];
    const int64_t classes = p.shape.probs[2];
    const int64_t plane = p.shape.probs[3] * p.shape.probs[4];
    for (int64_t o = 0; o < outer; ++o)
        for (int64_t i = 0; i < plane; ++i) {
            double sum = 0;
            for (int64_t c = 0; c < classes; ++c) {
                const float v = p.probs[static_cast<size_t>((o * classes + c) * plane + i)];
                REQUIRE(v >= 0.0f);
                sum += v;
            }
            REQUIRE(sum == Approx(1.0).margin(1e-5));
        }
}

// Pass t of a [T, ...] prediction as a vector.
std::vector<float> pass(const Prediction& p, int64_t t)
{
    const size_t perPass = p.probs.size() / static_cast<size_t>(p.shape.probs[0]);
    return std::vector<float>(p.probs.begin() + static_cast<long>(t * perPass),
                              p.probs.begin() + static_cast<long>((t + 1) * perPass));
}

const std::string kDropoutSidecar = R"(
[input]
size = 16

[output]
logits = 0
embedding = 1

[stochastic]
mode = "dropout"
samples = 8
)" + kClasses;

} // namespace

TEST_CASE("the entry describes the TorchScript model plugin")
{
    REQUIRE(std::strcmp(entry()->id, "org.slt.model.torchscript") == 0);
    REQUIRE(std::strcmp(entry()->version, "1.0.0") == 0);
    REQUIRE(entry()->get_factory(SLT_MODEL_FACTORY_ID) != nullptr);
    REQUIRE(entry()->get_factory("slt.metric/1") == nullptr);
}

TEST_CASE("a segmentation module describes its classes, sizes and strides")
{
    TempDir dir;
    ModelProxy model = loadModel(writeModel(dir, "seg", fixtures::saveSegmentation, kSegmentationSidecar));
    auto info = model.describe();
    REQUIRE(info.ok());
    REQUIRE(info->capabilities == 0u); // neither trainable nor stochastic
    REQUIRE(std::string(info->architecture) == "torchscript seg.pt (test segmenter)");
    REQUIRE(info->num_classes == 3);
    REQUIRE(info->class_ids[2] == 5);
    REQUIRE(std::string(info->class_names[1]) == "Stroma");
    REQUIRE(info->input_channels == 3);
    REQUIRE(info->input_height == 32);
    REQUIRE(info->input_width == 32);
    REQUIRE(info->size_multiple == 2);
    REQUIRE(info->output_stride == 1);
    REQUIRE(info->embedding_dim == 4);
    REQUIRE(info->embedding_stride == 2);
    REQUIRE(info->default_mc_samples == 1);
}

TEST_CASE("a segmentation module predicts softmax maps and strided embeddings at any allowed size")
{
    TempDir dir;
    ModelProxy model = loadModel(writeModel(dir, "seg", fixtures::saveSegmentation, kSegmentationSidecar));
    auto images = randomImages(2, 24, 40);
    const Prediction p = predict(model, images, 2, 24, 40, 3, 11);
    REQUIRE(dims(p.shape.probs, p.shape.ndim_probs) == std::vector<int64_t>{3, 2, 3, 24, 40});
    REQUIRE(dims(p.shape.embeddings, p.shape.ndim_embeddings) == std::vector<int64_t>{2, 4, 12, 20});
    requireSoftmax(p);
    // Not stochastic: every pass is the one deterministic pass.
    REQUIRE(pass(p, 0) == pass(p, 1));
    REQUIRE(pass(p, 0) == pass(p, 2));
    for (float v : p.embeddings) REQUIRE(v >= 0.0f); // after a ReLU
    // Each image is predicted on its own: image 1 alone gives image 1's maps.
    std::vector<uint8_t> second(images.begin() + 24 * 40 * 3, images.end());
    const Prediction alone = predict(model, second, 1, 24, 40, 1, 11);
    const std::vector<float> firstPass = pass(p, 0);
    for (size_t i = 0; i < alone.probs.size(); ++i)
        REQUIRE(alone.probs[i] == Approx(firstPass[alone.probs.size() + i]).margin(1e-6));
}

TEST_CASE("a dict output is selected by key")
{
    TempDir dir;
    const std::string sidecar = "[output]\nlogits = \"logits\"\nembedding = \"features\"\n" + kClasses;
    ModelProxy model = loadModel(writeModel(dir, "dict", fixtures::saveSegmentationDict, sidecar));
    auto info = model.describe();
    REQUIRE(info.ok());
    REQUIRE(info->input_height == 0); // any size
    REQUIRE(info->embedding_stride == 1);
    auto images = randomImages(1, 8, 6);
    const Prediction p = predict(model, images, 1, 8, 6, 1, 0);
    REQUIRE(dims(p.shape.probs, p.shape.ndim_probs) == std::vector<int64_t>{1, 1, 3, 8, 6});
    REQUIRE(dims(p.shape.embeddings, p.shape.ndim_embeddings) == std::vector<int64_t>{1, 4, 8, 6});
    requireSoftmax(p);
}

TEST_CASE("a classifier-style module gives one probability vector per image as [T, B, C, 1, 1]")
{
    TempDir dir;
    const std::string sidecar = "[input]\nsize = 28\n[output]\nlogits = 0\nembedding = 1\n" + kClasses;
    ModelProxy model = loadModel(writeModel(dir, "cls", fixtures::saveClassifier, sidecar));
    auto info = model.describe();
    REQUIRE(info.ok());
    REQUIRE(info->output_stride == 0); // one value for the whole input
    REQUIRE(info->embedding_stride == 0);
    REQUIRE(info->embedding_dim == 3);
    for (const auto& [h, w] : {std::pair<int64_t, int64_t>{28, 28}, {40, 24}}) {
        auto images = randomImages(3, h, w);
        const Prediction p = predict(model, images, 3, h, w, 2, 5);
        REQUIRE(dims(p.shape.probs, p.shape.ndim_probs) == std::vector<int64_t>{2, 3, 3, 1, 1});
        REQUIRE(dims(p.shape.embeddings, p.shape.ndim_embeddings) == std::vector<int64_t>{3, 3, 1, 1});
        requireSoftmax(p);
    }
}

TEST_CASE("the input range, mean, std and channel order reach the module")
{
    TempDir dir;
    const bool bgr = GENERATE(false, true);
    const std::string sidecar = std::string("[input]\nrange = [-1.0, 1.0]\nmean = [0.1, 0.2, 0.3]\nstd = [0.5, 0.25, 2.0]\n") +
                                "channels = \"" + (bgr ? "bgr" : "rgb") + "\"\n" + kClasses;
    ModelProxy model = loadModel(writeModel(dir, "means", fixtures::saveChannelMeans, sidecar));
    const uint8_t rgb[3] = {255, 0, 51};
    std::vector<uint8_t> images(4 * 4 * 3);
    for (size_t i = 0; i < images.size(); ++i) images[i] = rgb[i % 3];
    const Prediction p = predict(model, images, 1, 4, 4, 1, 0);
    const double mean[3] = {0.1, 0.2, 0.3}, std[3] = {0.5, 0.25, 2.0};
    double logits[3], total = 0;
    for (int c = 0; c < 3; ++c) {
        const double pixel = rgb[bgr ? 2 - c : c] / 255.0 * 2.0 - 1.0;
        logits[c] = std::exp((pixel - mean[c]) / std[c]);
        total += logits[c];
    }
    for (int c = 0; c < 3; ++c) REQUIRE(p.probs[static_cast<size_t>(c)] == Approx(logits[c] / total).margin(1e-6));
}

TEST_CASE("a module with dropout submodules is stochastic and its passes follow the seed")
{
    TempDir dir;
    ModelProxy model = loadModel(writeModel(dir, "drop", fixtures::saveWithDropout, kDropoutSidecar));
    auto info = model.describe();
    REQUIRE(info.ok());
    REQUIRE(info->capabilities == static_cast<uint32_t>(SLT_MODEL_STOCHASTIC));
    REQUIRE(info->default_mc_samples == 8);
    auto images = randomImages(2, 16, 16);
    const Prediction a = predict(model, images, 2, 16, 16, 4, 42);
    requireSoftmax(a);
    for (int t = 1; t < 4; ++t) REQUIRE(pass(a, 0) != pass(a, t));
    SECTION("the same seed gives the same passes, bit for bit")
    {
        const Prediction again = predict(model, images, 2, 16, 16, 4, 42);
        REQUIRE(again.probs == a.probs);
        REQUIRE(again.embeddings == a.embeddings);
    }
    SECTION("pass t depends on the seed and t only, not on T")
    {
        const Prediction fewer = predict(model, images, 2, 16, 16, 2, 42);
        REQUIRE(pass(fewer, 0) == pass(a, 0));
        REQUIRE(pass(fewer, 1) == pass(a, 1));
    }
    SECTION("another seed gives other passes, the same deterministic embedding")
    {
        const Prediction other = predict(model, images, 2, 16, 16, 4, 43);
        REQUIRE(other.probs != a.probs);
        REQUIRE(other.embeddings == a.embeddings);
    }
    SECTION("one pass is the deterministic one, whatever the seed")
    {
        const Prediction one = predict(model, images, 2, 16, 16, 1, 1);
        const Prediction oneMore = predict(model, images, 2, 16, 16, 1, 2);
        REQUIRE(one.probs == oneMore.probs);
        REQUIRE(one.probs != pass(a, 0));
    }
}

TEST_CASE("a module with mc_forward is stochastic through it")
{
    TempDir dir;
    const std::string sidecar = "[stochastic]\nmode = \"mc_forward\"\n" + kClasses;
    ModelProxy model = loadModel(writeModel(dir, "mc", fixtures::saveWithMcForward, sidecar));
    auto info = model.describe();
    REQUIRE(info.ok());
    REQUIRE(info->capabilities == static_cast<uint32_t>(SLT_MODEL_STOCHASTIC));
    REQUIRE(info->default_mc_samples == 20);
    REQUIRE(info->embedding_dim == 0);
    auto images = randomImages(1, 8, 8);
    const Prediction a = predict(model, images, 1, 8, 8, 3, 9);
    const Prediction b = predict(model, images, 1, 8, 8, 3, 9);
    REQUIRE(dims(a.shape.probs, a.shape.ndim_probs) == std::vector<int64_t>{3, 1, 3, 8, 8});
    REQUIRE(a.shape.ndim_embeddings == 0);
    requireSoftmax(a);
    REQUIRE(a.probs == b.probs);
    REQUIRE(pass(a, 0) != pass(a, 1));
    REQUIRE(pass(a, 1) != pass(a, 2));
}

TEST_CASE("save_checkpoint writes the module and its sidecar, which load to the same predictions")
{
    TempDir dir;
    ModelProxy model = loadModel(writeModel(dir, "drop", fixtures::saveWithDropout, kDropoutSidecar));
    const std::string copy = dir.file("copy.pt");
    const auto saved = model.save_checkpoint(copy);
    INFO(saved.message);
    REQUIRE(saved.ok());
    REQUIRE(readBytes(dir.file("copy.toml")) == kDropoutSidecar);
    ModelProxy reloaded = loadModel(copy);
    auto images = randomImages(1, 16, 16);
    REQUIRE(predict(reloaded, images, 1, 16, 16, 3, 4).probs == predict(model, images, 1, 16, 16, 3, 4).probs);
}

TEST_CASE("the module may be named in the config and its sidecar may be <module>.toml")
{
    TempDir dir;
    const std::string path = dir.file("seg.pt");
    fixtures::saveSegmentation(path);
    writeText(path + ".toml", kSegmentationSidecar);
    ModelProxy model = makeModel("module = \"" + path + "\"\nthreads = 2\ndevice = \"cpu\"");
    auto info = model.describe();
    INFO(info.message());
    REQUIRE(info.ok());
    REQUIRE(info->num_classes == 3);
}

TEST_CASE("training is refused with a message")
{
    TempDir dir;
    ModelProxy model = loadModel(writeModel(dir, "seg", fixtures::saveSegmentation, kSegmentationSidecar));
    slt_train_dataset data{};
    data.struct_size = sizeof data;
    data.size = [](const slt_train_dataset*) -> int64_t { return 0; };
    data.get = [](const slt_train_dataset*, int64_t, slt_train_sample*, slt_error*) -> slt_status { return SLT_OK; };
    data.release = [](const slt_train_dataset*, slt_train_sample*) {};
    slt_train_options options{};
    options.epochs = 1;
    options.world_size = 1;
    requireRefused(model.train(data, nullptr, options), SLT_ERR_UNSUPPORTED, "cannot be trained");
}

TEST_CASE("bad module files are refused with a message")
{
    TempDir dir;
    SECTION("no module file")
    {
        requireRefused(tryLoad(dir.file("absent.pt")), SLT_ERR_NOT_FOUND, "does not exist");
    }
    SECTION("garbage bytes")
    {
        writeText(dir.file("junk.pt"), "this is not a zip archive");
        writeText(dir.file("junk.toml"), kSegmentationSidecar);
        requireRefused(tryLoad(dir.file("junk.pt")), SLT_ERR_FORMAT, "not a readable TorchScript module");
    }
    SECTION("a truncated module")
    {
        const std::string path = writeModel(dir, "cut", fixtures::saveSegmentation, kSegmentationSidecar);
        const std::string bytes = readBytes(path);
        writeText(path, bytes.substr(0, bytes.size() / 2));
        requireRefused(tryLoad(path), SLT_ERR_FORMAT, "not a readable TorchScript module");
    }
    SECTION("weights without forward()")
    {
        const std::string path = writeModel(dir, "weights", fixtures::saveWeightsOnly, kSegmentationSidecar);
        requireRefused(tryLoad(path), SLT_ERR_FORMAT, "no forward() method");
    }
    SECTION("an output that is neither [B, C, h, w] nor [B, C]")
    {
        const std::string path = writeModel(dir, "rank", fixtures::saveWrongRank, kClasses);
        requireRefused(tryLoad(path), SLT_ERR_FORMAT, "expected [B, C, h, w] or [B, C]");
    }
    SECTION("an output size that is no integer stride of the input")
    {
        const std::string path = writeModel(dir, "unpadded", fixtures::saveUnpadded, kClasses);
        requireRefused(tryLoad(path), SLT_ERR_FORMAT, "not one integer stride");
    }
}

TEST_CASE("sidecars that do not match the module are refused with a message")
{
    TempDir dir;
    const auto refuse = [&](void (*save)(const std::string&), const std::string& sidecar, const std::string& fragment) {
        requireRefused(tryLoad(writeModel(dir, "m", save, sidecar)), SLT_ERR_FORMAT, fragment);
    };
    SECTION("fewer classes than logit channels")
    {
        refuse(fixtures::saveSegmentation, "[output]\nlogits = 0\n[[class]]\nid = 0\nname = \"A\"\n",
               "the logits have 3 channels but the sidecar lists 1 classes");
    }
    SECTION("a tuple output without a logits index")
    {
        refuse(fixtures::saveSegmentation, kClasses, "set output.logits");
    }
    SECTION("an index past the tuple")
    {
        refuse(fixtures::saveSegmentation, "[output]\nlogits = 0\nembedding = 2\n" + kClasses, "returns 2 values");
    }
    SECTION("a dict key the module does not return")
    {
        refuse(fixtures::saveSegmentationDict, "[output]\nlogits = \"scores\"\n" + kClasses, "no key \"scores\"");
    }
    SECTION("a selector on a single-tensor output")
    {
        refuse(fixtures::saveWithMcForward, "[output]\nlogits = 0\n" + kClasses, "returns one tensor");
    }
    SECTION("logits declared as probabilities")
    {
        refuse(fixtures::saveWithMcForward, "[output]\nactivation = \"none\"\n" + kClasses, "does not give probabilities");
    }
    SECTION("an embedding stride that does not divide the size multiple")
    {
        refuse(fixtures::saveSegmentation, "[output]\nlogits = 0\nembedding = 1\n" + kClasses,
               "does not divide input.size_multiple");
    }
    SECTION("dropout mode without dropout submodules")
    {
        refuse(fixtures::saveWithMcForward, "[stochastic]\nmode = \"dropout\"\n" + kClasses,
               "no submodule whose type name contains \"Dropout\"");
    }
    SECTION("dropout mode naming a submodule that does not exist")
    {
        refuse(fixtures::saveWithDropout,
               "[output]\nlogits = 0\n[stochastic]\nmode = \"dropout\"\nmodules = [\"decoder.drop\"]\n" + kClasses,
               "names 'decoder.drop', which is not a submodule");
    }
    SECTION("a dropout that does not change anything")
    {
        refuse(fixtures::saveWithInertDropout, "[output]\nlogits = 0\n[stochastic]\nmode = \"dropout\"\n" + kClasses,
               "gave identical outputs");
    }
    SECTION("mc_forward mode without the method")
    {
        refuse(fixtures::saveUnpadded, "[stochastic]\nmode = \"mc_forward\"\n" + kClasses, "no mc_forward");
    }
}

TEST_CASE("invalid sidecars are refused with file, line and column")
{
    TempDir dir;
    const std::string path = dir.file("m.pt");
    fixtures::saveWithMcForward(path);
    const std::string sidecar = dir.file("m.toml");
    const auto refuse = [&](const std::string& text, const std::string& fragment) {
        writeText(sidecar, text);
        requireRefused(tryLoad(path), SLT_ERR_FORMAT, fragment);
    };
    SECTION("no sidecar") { requireRefused(tryLoad(path), SLT_ERR_NOT_FOUND, "no sidecar"); }
    SECTION("two sidecars")
    {
        writeText(sidecar, kClasses);
        writeText(path + ".toml", kClasses);
        requireRefused(tryLoad(path), SLT_ERR_FORMAT, "two sidecars");
    }
    SECTION("not TOML") { refuse("[[class]\nid = 0\n", sidecar + ":1:"); }
    SECTION("no classes") { refuse("[input]\nsize = 32\n", "no [[class]] entries"); }
    SECTION("a class without a name") { refuse("[[class]]\nid = 3\n", sidecar + ":1:1: [[class]] needs a non-empty 'name'"); }
    SECTION("a repeated class id") { refuse(kClasses + "\n[[class]]\nid = 1\nname = \"Again\"\n", "class id 1 appears twice"); }
    SECTION("an unknown key") { refuse("[input]\nsise = 32\n" + kClasses, sidecar + ":2:1: unknown key 'input.sise'"); }
    SECTION("a zero std") { refuse("[input]\nstd = [1.0, 0.0, 1.0]\n" + kClasses, "'input.std' values must be > 0"); }
    SECTION("a size that is not a multiple") { refuse("[input]\nsize = 30\nsize_multiple = 4\n" + kClasses, "multiple of"); }
    SECTION("an empty range") { refuse("[input]\nrange = [1.0, 1.0]\n" + kClasses, "low < high"); }
    SECTION("an unknown activation") { refuse("[output]\nactivation = \"sigmoid\"\n" + kClasses, "'output.activation' must be"); }
    SECTION("an unknown stochastic mode") { refuse("[stochastic]\nmode = \"ensemble\"\n" + kClasses, "'stochastic.mode' must be"); }
    SECTION("a newer sidecar version") { refuse("version = 2\n" + kClasses, "unsupported sidecar version"); }
}

TEST_CASE("bad configs, devices and calls are refused with a message")
{
    SECTION("an unknown config key")
    {
        auto model = ModelProxy::create(entry()->get_factory(SLT_MODEL_FACTORY_ID), nullptr, "thread = 2");
        REQUIRE_FALSE(model.ok());
        REQUIRE(model.message().find("config:1:1: unexpected 'thread'") != std::string::npos);
    }
    SECTION("a device that is not there")
    {
        TempDir dir;
        const std::string path = writeModel(dir, "seg", fixtures::saveSegmentation, kSegmentationSidecar);
        for (const char* device : {"cuda:99", "banana"}) {
            ModelProxy model = makeModel(std::string("device = \"") + device + "\"");
            const auto status = model.load_checkpoint(path);
            INFO(status.message);
            REQUIRE_FALSE(status.ok());
            REQUIRE(status.message.find(std::string("device '") + device + "'") != std::string::npos);
        }
    }
    SECTION("describe and predict before a module is loaded")
    {
        ModelProxy model = makeModel();
        auto info = model.describe();
        REQUIRE_FALSE(info.ok());
        REQUIRE(info.message().find("no TorchScript module loaded") != std::string::npos);
        REQUIRE_FALSE(model.predict_shape(1, 32, 32, 1).ok());
    }
    SECTION("a size that is not a multiple, wrong image arrays, embeddings the module lacks")
    {
        TempDir dir;
        ModelProxy model = loadModel(writeModel(dir, "seg", fixtures::saveSegmentation, kSegmentationSidecar));
        auto shape = model.predict_shape(1, 31, 32, 1);
        REQUIRE_FALSE(shape.ok());
        REQUIRE(shape.status().code == SLT_ERR_INVALID_ARGUMENT);
        REQUIRE(shape.message().find("not a multiple of 2") != std::string::npos);
        std::vector<float> floats(32 * 32 * 3), probs(3 * 32 * 32);
        slt_array images = contiguous(floats.data(), SLT_DTYPE_F32, {1, 32, 32, 3});
        slt_array out = contiguous(probs.data(), SLT_DTYPE_F32, {1, 1, 3, 32, 32});
        requireRefused(model.predict(images, 1, 0, out), SLT_ERR_INVALID_ARGUMENT, "images");
        auto pixels = randomImages(1, 32, 32);
        images = contiguous(pixels.data(), SLT_DTYPE_U8, {1, 32, 32, 3});
        slt_array small = contiguous(probs.data(), SLT_DTYPE_F32, {1, 1, 3, 16, 32});
        requireRefused(model.predict(images, 1, 0, small), SLT_ERR_INVALID_ARGUMENT, "shape differs");
    }
    SECTION("embeddings from a module without one")
    {
        TempDir dir;
        ModelProxy model = loadModel(writeModel(dir, "mc", fixtures::saveWithMcForward, kClasses + "[stochastic]\nmode = \"mc_forward\"\n"));
        auto pixels = randomImages(1, 8, 8);
        std::vector<float> probs(3 * 8 * 8), emb(8);
        slt_array images = contiguous(pixels.data(), SLT_DTYPE_U8, {1, 8, 8, 3});
        slt_array out = contiguous(probs.data(), SLT_DTYPE_F32, {1, 1, 3, 8, 8});
        slt_array embeddings = contiguous(emb.data(), SLT_DTYPE_F32, {1, 8, 1, 1});
        const auto status = model.predict(images, 1, 0, out, &embeddings);
        INFO(status.message);
        REQUIRE_FALSE(status.ok());
        REQUIRE(emb == std::vector<float>(8, 0.0f));
    }
}

TEST_CASE("a module that fails on an input is reported, not crashed on")
{
    TempDir dir;
    ModelProxy model = loadModel(writeModel(dir, "limited", fixtures::saveSizeLimited, "[input]\nsize = 16\n" + kClasses));
    auto images = randomImages(1, 48, 48);
    std::vector<float> probs(3 * 48 * 48, -1.0f);
    slt_array in = contiguous(images.data(), SLT_DTYPE_U8, {1, 48, 48, 3});
    slt_array out = contiguous(probs.data(), SLT_DTYPE_F32, {1, 1, 3, 48, 48});
    const auto status = model.predict(in, 1, 0, out);
    requireRefused(status, SLT_ERR_INVALID_ARGUMENT, "tiles up to 32 pixels");
    REQUIRE(status.message.find('\n') == std::string::npos); // the error, not the script's traceback
    auto small = randomImages(1, 16, 16);
    requireSoftmax(predict(model, small, 1, 16, 16, 1, 0));
}

TEST_CASE("a failed load keeps the module loaded before")
{
    TempDir dir;
    ModelProxy model = loadModel(writeModel(dir, "seg", fixtures::saveSegmentation, kSegmentationSidecar));
    auto images = randomImages(1, 32, 32);
    const Prediction before = predict(model, images, 1, 32, 32, 1, 0);
    writeText(dir.file("junk.pt"), "junk");
    writeText(dir.file("junk.toml"), kClasses);
    REQUIRE_FALSE(model.load_checkpoint(dir.file("junk.pt")).ok());
    const std::string mismatched = writeModel(dir, "one", fixtures::saveSegmentation, "[output]\nlogits = 0\n[[class]]\nid = 0\nname = \"A\"\n");
    REQUIRE_FALSE(model.load_checkpoint(mismatched).ok());
    auto info = model.describe();
    REQUIRE(info.ok());
    REQUIRE(info->num_classes == 3);
    REQUIRE(predict(model, images, 1, 32, 32, 1, 0).probs == before.probs);
}
