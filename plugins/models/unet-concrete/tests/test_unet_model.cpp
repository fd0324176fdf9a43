// org.slt.model.unet-concrete through its built library and the host-side ModelProxy.
// Small images and the "small" preset keep every case well under a second.
#include <slt/sdk/cpp/host/model_proxy.hpp>

#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
#include <slt_test/plugin_under_test.hpp>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <regex>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using slt::sdk::host::ModelProxy;

const slt_plugin_entry* entry()
{
    static const slt_plugin_entry* loaded = slt::test::loadPluginEntry(SLT_UNET_PLUGIN_PATH);
    return loaded;
}

const void* factory() { return entry()->get_factory(SLT_MODEL_FACTORY_ID); }

ModelProxy makeModel(const std::string& config)
{
    auto model = ModelProxy::create(factory(), nullptr, config);
    INFO(model.message());
    REQUIRE(model.ok());
    return std::move(*model);
}

const std::string kSmall = "preset = \"small\"\nthreads = 1\n";

template <class T>
slt_array arrayOf(std::vector<T>& data, slt_dtype dtype, std::vector<int64_t> shape)
{
    slt_array a{};
    a.data = data.data();
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

struct Images {
    std::vector<uint8_t> pixels;
    int64_t batch, height, width;
    Images(int64_t b, int64_t h, int64_t w, uint32_t seed) : pixels(static_cast<size_t>(b * h * w * 3)), batch(b), height(h), width(w)
    {
        std::mt19937 random(seed);
        for (uint8_t& p : pixels) p = static_cast<uint8_t>(random() & 0xff);
    }
    slt_array array() { return arrayOf(pixels, SLT_DTYPE_U8, {batch, height, width, 3}); }
};

struct Prediction {
    std::vector<float> probs, embeddings;
    slt_predict_shape shape{};
};

Prediction predict(ModelProxy& model, Images& images, int32_t passes, uint64_t seed, bool withEmbeddings = true)
{
    auto shape = model.predict_shape(images.batch, images.height, images.width, passes);
    INFO(shape.message());
    REQUIRE(shape.ok());
    Prediction p;
    p.shape = *shape;
    std::vector<int64_t> probsShape(shape->probs, shape->probs + shape->ndim_probs);
    std::vector<int64_t> embShape(shape->embeddings, shape->embeddings + shape->ndim_embeddings);
    int64_t count = 1, embCount = 1;
    for (int64_t d : probsShape) count *= d;
    for (int64_t d : embShape) embCount *= d;
    p.probs.assign(static_cast<size_t>(count), -1.0f);
    p.embeddings.assign(static_cast<size_t>(embCount), -1.0f);
    slt_array probs = arrayOf(p.probs, SLT_DTYPE_F32, probsShape);
    slt_array embeddings = arrayOf(p.embeddings, SLT_DTYPE_F32, embShape);
    slt_array input = images.array();
    const auto status = model.predict(input, passes, seed, probs, withEmbeddings ? &embeddings : nullptr);
    INFO(status.message);
    REQUIRE(status.ok());
    return p;
}

// Softmax of pass t as a flat block of B*C*H*W values.
std::vector<float> pass(const Prediction& p, int64_t t)
{
    const size_t size = p.probs.size() / static_cast<size_t>(p.shape.probs[0]);
    return std::vector<float>(p.probs.begin() + static_cast<long>(t * size), p.probs.begin() + static_cast<long>((t + 1) * size));
}

double maxDifference(const std::vector<float>& a, const std::vector<float>& b)
{
    REQUIRE(a.size() == b.size());
    double worst = 0;
    for (size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::abs(double(a[i]) - double(b[i])));
    return worst;
}

struct TempDir {
    fs::path path;
    TempDir()
    {
        char pattern[] = "/tmp/slt-unet-test-XXXXXX";
        REQUIRE(mkdtemp(pattern) != nullptr);
        path = pattern;
    }
    ~TempDir()
    {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    std::string file(const std::string& name) const { return (path / name).string(); }
};

std::string readFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

void requireFailure(const slt::sdk::host::Status& status, slt_status code, const std::string& fragment)
{
    INFO(status.message);
    REQUIRE(status.code == code);
    REQUIRE(status.message.find(fragment) != std::string::npos);
}

void requireLocatedConfigError(const std::string& config, const std::string& fragment)
{
    auto model = ModelProxy::create(factory(), nullptr, config);
    REQUIRE_FALSE(model.ok());
    INFO(model.message());
    REQUIRE(model.status().code == SLT_ERR_FORMAT);
    REQUIRE(std::regex_search(model.message(), std::regex("\\d+:\\d+: ")));
    REQUIRE(model.message().find(fragment) != std::string::npos);
}

} // namespace

TEST_CASE("the entry is the U-Net model")
{
    REQUIRE(std::strcmp(entry()->id, "org.slt.model.unet-concrete") == 0);
    REQUIRE(factory() != nullptr);
}

TEST_CASE("describe reports both presets")
{
    auto small = makeModel(kSmall);
    auto info = small.describe();
    REQUIRE(info.ok());
    REQUIRE((info->capabilities & SLT_MODEL_STOCHASTIC) != 0);
    REQUIRE(std::string(info->architecture).find("depth=2 width=16 kernel=3") != std::string::npos);
    REQUIRE(info->num_classes == 9);
    REQUIRE(std::string(info->class_names[1]) == "Tumour");
    REQUIRE(info->size_multiple == 4);
    REQUIRE(info->embedding_dim == 16);
    REQUIRE(info->output_stride == 1);
    REQUIRE(info->embedding_stride == 1);
    REQUIRE(info->default_mc_samples == 20);

    auto original = makeModel("threads = 1");
    info = original.describe();
    REQUIRE(info.ok());
    REQUIRE(std::string(info->architecture).find("depth=4 width=64 kernel=5") != std::string::npos);
    REQUIRE(std::string(info->architecture).find("attention=on") != std::string::npos);
    REQUIRE(info->size_multiple == 16);
    REQUIRE(info->embedding_dim == 64);
}

TEST_CASE("classes from the config are the output channels")
{
    auto model = makeModel(kSmall + "classes = [{ id = 0, name = \"Background\" }, { id = 4, name = \"Tumour\" }, { id = 7, name = \"Stroma\" }]\n");
    auto info = model.describe();
    REQUIRE(info.ok());
    REQUIRE(info->num_classes == 3);
    REQUIRE(info->class_ids[1] == 4);
    REQUIRE(std::string(info->class_names[2]) == "Stroma");
    Images images(1, 8, 8, 1);
    REQUIRE(predict(model, images, 2, 1).shape.probs[2] == 3);
}

TEST_CASE("shapes of both presets")
{
    auto small = makeModel(kSmall);
    Images tiles(3, 32, 28, 2);
    const Prediction p = predict(small, tiles, 4, 7);
    REQUIRE(p.shape.ndim_probs == 5);
    REQUIRE(std::vector<int64_t>(p.shape.probs, p.shape.probs + 5) == std::vector<int64_t>{4, 3, 9, 32, 28});
    REQUIRE(p.shape.ndim_embeddings == 4);
    REQUIRE(std::vector<int64_t>(p.shape.embeddings, p.shape.embeddings + 4) == std::vector<int64_t>{3, 16, 32, 28});

    auto original = makeModel("threads = 1");
    Images one(1, 16, 32, 3);
    const Prediction q = predict(original, one, 2, 7);
    REQUIRE(std::vector<int64_t>(q.shape.probs, q.shape.probs + 5) == std::vector<int64_t>{2, 1, 9, 16, 32});
    REQUIRE(std::vector<int64_t>(q.shape.embeddings, q.shape.embeddings + 4) == std::vector<int64_t>{1, 64, 16, 32});
}

TEST_CASE("probabilities are a distribution at every pixel of every pass and embeddings are written")
{
    auto model = makeModel(kSmall);
    Images images(2, 16, 16, 3);
    const Prediction p = predict(model, images, 3, 11);
    const int64_t t = 3, b = 2, c = 9, hw = 16 * 16;
    for (int64_t pass = 0; pass < t; ++pass)
        for (int64_t image = 0; image < b; ++image)
            for (int64_t pixel = 0; pixel < hw; ++pixel) {
                double sum = 0;
                for (int64_t k = 0; k < c; ++k) {
                    const float v = p.probs[static_cast<size_t>(((pass * b + image) * c + k) * hw + pixel)];
                    REQUIRE(v >= 0.0f);
                    sum += v;
                }
                REQUIRE(sum == Approx(1.0).margin(1e-5));
            }
    for (float e : p.embeddings) REQUIRE(std::isfinite(e));
    REQUIRE(std::any_of(p.embeddings.begin(), p.embeddings.end(), [](float e) { return e != -1.0f; }));
}

TEST_CASE("MC passes differ and the same seed repeats them exactly while another seed changes them")
{
    for (const char* placement : {"decoder", "every"}) {
        INFO(placement);
        auto model = makeModel(kSmall + "dropout_placement = \"" + placement + "\"\n");
        Images images(2, 16, 16, 4);
        const Prediction a = predict(model, images, 3, 42);
        const Prediction again = predict(model, images, 3, 42);
        const Prediction other = predict(model, images, 3, 43);
        REQUIRE(a.probs == again.probs);
        REQUIRE(a.embeddings == again.embeddings);
        REQUIRE(maxDifference(pass(a, 0), pass(a, 1)) > 1e-4);
        REQUIRE(maxDifference(pass(a, 1), pass(a, 2)) > 1e-4);
        REQUIRE(maxDifference(a.probs, other.probs) > 1e-4);
    }
}

TEST_CASE("one pass is deterministic whatever the seed")
{
    for (const char* placement : {"decoder", "every"}) {
        auto model = makeModel(kSmall + "dropout_placement = \"" + placement + "\"\n");
        Images images(2, 8, 12, 5);
        const Prediction a = predict(model, images, 1, 1);
        const Prediction b = predict(model, images, 1, 999);
        REQUIRE(a.probs == b.probs);
        REQUIRE(a.embeddings == b.embeddings);
    }
}

TEST_CASE("the decoder loop gives the numbers of full passes")
{
    const std::string variant = GENERATE(std::string("decoder = \"symmetric\"\n"), std::string("decoder = \"light\"\n"),
                                         std::string("colour_to_head = true\n"));
    INFO(variant);
    const std::string config = kSmall + variant;
    auto loop = makeModel(config);
    TempDir dir;
    REQUIRE(loop.save_checkpoint(dir.file("m.pt")).ok());
    auto full = makeModel(config + "mc_strategy = \"full-passes\"\nmax_batch = 1\n");
    REQUIRE(full.load_checkpoint(dir.file("m.pt")).ok());
    Images images(3, 16, 16, 6);
    // max_batch = 1 draws the masks image by image instead of for the whole chunk (another order
    // from the same seed), so only the deterministic pass is comparable with the loop.
    REQUIRE(maxDifference(predict(loop, images, 1, 5).probs, predict(full, images, 1, 5).probs) < 1e-5);
    const Prediction a = predict(loop, images, 4, 5);

    auto fullSameChunks = makeModel(config + "mc_strategy = \"full-passes\"\n");
    REQUIRE(fullSameChunks.load_checkpoint(dir.file("m.pt")).ok());
    const Prediction c = predict(fullSameChunks, images, 4, 5);
    REQUIRE(maxDifference(a.probs, c.probs) < 1e-5);
    REQUIRE(maxDifference(a.embeddings, c.embeddings) < 1e-4);
}

TEST_CASE("a saved checkpoint loads into a fresh model and predicts the same")
{
    TempDir dir;
    const std::string path = dir.file("model.pt");
    auto first = makeModel(kSmall + "dropout_placement = \"every\"\n");
    REQUIRE(first.save_checkpoint(path).ok());
    REQUIRE(fs::exists(path));
    REQUIRE(fs::exists(path + ".toml"));
    REQUIRE_FALSE(fs::exists(path + ".part"));

    // The sidecar is a valid config: the host creates the model from it, then loads the weights.
    // Same thread count: oneDNN may split a convolution differently on another count.
    auto second = makeModel(readFile(path + ".toml") + "threads = 1\n");
    Images images(2, 16, 16, 8);
    REQUIRE(maxDifference(predict(first, images, 3, 9).probs, predict(second, images, 3, 9).probs) > 1e-6);
    REQUIRE(second.load_checkpoint(path).ok());
    const Prediction a = predict(first, images, 3, 9);
    const Prediction b = predict(second, images, 3, 9);
    REQUIRE(a.probs == b.probs);
    REQUIRE(a.embeddings == b.embeddings);
}

TEST_CASE("a checkpoint of another architecture is refused naming each difference and the model is unchanged")
{
    TempDir dir;
    const std::string path = dir.file("wide.pt");
    REQUIRE(makeModel(kSmall).save_checkpoint(path).ok());

    auto narrow = makeModel(kSmall + "width = 8\nkernel = 5\n");
    Images images(1, 8, 8, 9);
    const Prediction before = predict(narrow, images, 2, 3);
    const auto status = narrow.load_checkpoint(path);
    requireFailure(status, SLT_ERR_FORMAT, "width: checkpoint 16, model 8");
    REQUIRE(status.message.find("kernel: checkpoint 3, model 5") != std::string::npos);
    REQUIRE(predict(narrow, images, 2, 3).probs == before.probs);

    auto fewerClasses = makeModel(kSmall + "num_classes = 4\n");
    requireFailure(fewerClasses.load_checkpoint(path), SLT_ERR_FORMAT, "classes: checkpoint 9, model 4");
    auto otherPlacement = makeModel(kSmall + "dropout_placement = \"every\"\n");
    requireFailure(otherPlacement.load_checkpoint(path), SLT_ERR_FORMAT, "dropout_placement: checkpoint decoder, model every");
    auto lightDecoder = makeModel(kSmall + "decoder = \"light\"\n");
    requireFailure(lightDecoder.load_checkpoint(path), SLT_ERR_FORMAT, "decoder: checkpoint symmetric, model light");
    auto colourHead = makeModel(kSmall + "colour_to_head = true\n");
    requireFailure(colourHead.load_checkpoint(path), SLT_ERR_FORMAT, "colour_to_head: checkpoint false, model true");
}

TEST_CASE("corrupt or truncated or missing checkpoints are refused with a message")
{
    TempDir dir;
    const std::string good = dir.file("good.pt");
    auto model = makeModel(kSmall);
    REQUIRE(model.save_checkpoint(good).ok());
    const std::string bytes = readFile(good);

    const std::string truncated = dir.file("truncated.pt");
    std::ofstream(truncated, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
    requireFailure(model.load_checkpoint(truncated), SLT_ERR_FORMAT, "corrupt or truncated");

    const std::string garbage = dir.file("garbage.pt");
    std::ofstream(garbage, std::ios::binary) << "this is not a checkpoint";
    requireFailure(model.load_checkpoint(garbage), SLT_ERR_FORMAT, "corrupt or truncated");

    std::string flipped = bytes;
    for (size_t i = bytes.size() / 3; i < bytes.size() / 3 + 64; ++i) flipped[i] = static_cast<char>(~flipped[i]);
    const std::string damaged = dir.file("damaged.pt");
    std::ofstream(damaged, std::ios::binary) << flipped;
    requireFailure(model.load_checkpoint(damaged), SLT_ERR_FORMAT, "corrupt");

    requireFailure(model.load_checkpoint(dir.file("absent.pt")), SLT_ERR_NOT_FOUND, "does not exist");
    REQUIRE(readFile(good) == bytes); // inputs untouched
    REQUIRE(model.load_checkpoint(good).ok());
}

TEST_CASE("bad configs are refused with line:column")
{
    requireLocatedConfigError("depth = \"four\"", "depth must be an integer");
    requireLocatedConfigError("preset = \"huge\"", "preset must be");
    requireLocatedConfigError("\n\nwidht = 16", "unknown key widht");
    requireLocatedConfigError("kernel = 4", "kernel must be odd");
    requireLocatedConfigError("depth = 0", "depth must be in [1, 7]");
    requireLocatedConfigError("dropout_placement = \"encoder\"", "dropout_placement must be");
    requireLocatedConfigError("mc_strategy = \"batched\"", "mc_strategy must be");
    requireLocatedConfigError("decoder = \"heavy\"", "decoder must be \"symmetric\" or \"light\"");
    requireLocatedConfigError("colour_to_head = \"yes\"", "colour_to_head must be true or false");
    requireLocatedConfigError("device = \"tpu\"", "device must be");
    requireLocatedConfigError("classes = [\"only one\"]", "at least 2 classes");
    requireLocatedConfigError("classes = [{ id = 1, name = \"a\" }, { id = 1, name = \"b\" }]", "appears twice");
    requireLocatedConfigError("preset = \"small\"\ninput_height = 30", "multiple of 2^depth = 4");
    requireLocatedConfigError("depth = [", "");
}

TEST_CASE("device cuda without CUDA is a clear error")
{
    auto model = ModelProxy::create(factory(), nullptr, kSmall + "device = \"cuda\"\n");
    if (model.ok()) SUCCEED("this machine has CUDA");
    else {
        INFO(model.message());
        REQUIRE(model.status().code == SLT_ERR_UNSUPPORTED);
        REQUIRE(model.message().find("no CUDA device") != std::string::npos);
    }
}

TEST_CASE("wrong image sizes or dtypes or output shapes are refused")
{
    auto model = makeModel(kSmall);
    auto shape = model.predict_shape(1, 30, 32, 2);
    REQUIRE_FALSE(shape.ok());
    REQUIRE(shape.status().code == SLT_ERR_INVALID_ARGUMENT);
    REQUIRE(shape.message().find("30x32") != std::string::npos);
    REQUIRE(shape.message().find("multiple of 4") != std::string::npos);

    Images odd(1, 30, 32, 1);
    std::vector<float> probs(2 * 9 * 30 * 32);
    slt_array out = arrayOf(probs, SLT_DTYPE_F32, {2, 1, 9, 30, 32});
    slt_array in = odd.array();
    requireFailure(model.predict(in, 2, 0, out), SLT_ERR_INVALID_ARGUMENT, "multiple of 4");

    Images good(1, 8, 8, 1);
    std::vector<float> wrong(2 * 9 * 8 * 4);
    slt_array wrongOut = arrayOf(wrong, SLT_DTYPE_F32, {2, 1, 9, 8, 4});
    slt_array goodIn = good.array();
    requireFailure(model.predict(goodIn, 2, 0, wrongOut), SLT_ERR_INVALID_ARGUMENT, "out_probs");

    std::vector<float> floatPixels(8 * 8 * 3);
    slt_array floatIn = arrayOf(floatPixels, SLT_DTYPE_F32, {1, 8, 8, 3});
    std::vector<float> right(2 * 9 * 8 * 8);
    slt_array rightOut = arrayOf(right, SLT_DTYPE_F32, {2, 1, 9, 8, 8});
    REQUIRE(model.predict(floatIn, 2, 0, rightOut).code == SLT_ERR_INVALID_ARGUMENT);
}

TEST_CASE("a cancelled job stops prediction")
{
    auto model = makeModel(kSmall + "max_batch = 1\n");
    Images images(4, 8, 8, 1);
    std::vector<float> probs(2 * 4 * 9 * 8 * 8);
    slt_array out = arrayOf(probs, SLT_DTYPE_F32, {2, 4, 9, 8, 8});
    slt_array in = images.array();
    slt_job job{};
    job.struct_size = sizeof job;
    job.is_cancelled = [](const slt_job*) { return 1; };
    const auto status = model.predict(in, 2, 0, out, nullptr, &job);
    REQUIRE(status.code == SLT_ERR_CANCELLED);
}
