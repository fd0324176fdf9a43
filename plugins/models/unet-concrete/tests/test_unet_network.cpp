// The network and checkpoint code directly: Concrete Dropout's learned p and regulariser, the
// deterministic encoder of the decoder placement, and tensor-shape checks LibTorch does not do.
#include "checkpoint.hpp"
#include "network.hpp"

#include <slt/sdk/cpp/error.hpp>

#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>

namespace {

using namespace slt::unet;

UNetConfig smallConfig(const std::string& extra = {})
{
    return parseUNetConfig("preset = \"small\"\n" + extra);
}

std::string tempPath(const std::string& name)
{
    return (std::filesystem::temp_directory_path() / ("slt-unet-network-" + std::to_string(::getpid()) + "-" + name)).string();
}

void removeCheckpoint(const std::string& path)
{
    std::filesystem::remove(path);
    std::filesystem::remove(path + ".toml");
}

} // namespace

TEST_CASE("every Concrete Dropout layer starts at p = 0.1 and placement decides which convs have one")
{
    torch::set_num_threads(1);
    UNet decoder(smallConfig());
    UNet every(smallConfig("dropout_placement = \"every\"\n"));
    const auto decoderPs = decoder->dropoutProbabilities();
    const auto everyPs = every->dropoutProbabilities();
    // small: depth 2, 1 conv per level, attention on. Decoder: per level psi + residual + 1 conv.
    REQUIRE(decoderPs.size() == 2 * 3);
    // every adds per encoder level 1 conv + residual, and 2 middle convs.
    REQUIRE(everyPs.size() == 2 * 3 + 2 * 2 + 2);
    for (const auto& [name, p] : everyPs) {
        INFO(name);
        REQUIRE(p == Approx(0.1).epsilon(1e-6));
    }
    // A light decoder level has psi, the 1×1 fuse and one k×k conv (no residual conv).
    UNet light(smallConfig("decoder = \"light\"\nconvs_per_level = 2\n"));
    const auto lightPs = light->dropoutProbabilities();
    REQUIRE(lightPs.size() == 2 * 3);
    REQUIRE(lightPs[1].first == "dec1_fuse");
}

TEST_CASE("a light decoder does about a third of the symmetric decoder's multiply-adds")
{
    // Weights of the k×k convs dominate: per level the symmetric decoder holds 2F·F·k² + F·F·k² (two convs), the
    // light one 2F·F (fuse) + F·F·k².
    auto decoderWeights = [](UNet& net) {
        int64_t count = 0;
        for (const auto& item : net->named_parameters())
            if (item.key().rfind("dec", 0) == 0) count += item.value().numel();
        return count;
    };
    UNet symmetric(parseUNetConfig("depth = 2\nwidth = 16\n"));
    UNet light(parseUNetConfig("depth = 2\nwidth = 16\ndecoder = \"light\"\n"));
    const double share = static_cast<double>(decoderWeights(light)) / static_cast<double>(decoderWeights(symmetric));
    REQUIRE(share > 0.3);
    REQUIRE(share < 0.4);
}

TEST_CASE("the regulariser follows Gal et al. and its gradient moves p")
{
    UNet net(smallConfig());
    net->train();
    const torch::Tensor small = net->regularisation(100000);
    const torch::Tensor large = net->regularisation(100);
    REQUIRE(std::isfinite(small.item<double>()));
    // Both terms scale with 1/N: the same network regularised for a dataset 1000x smaller is 1000x larger.
    REQUIRE(large.item<double>() == Approx(small.item<double>() * 1000).epsilon(1e-4));
    // At p = 0.1 the dropout term (negative entropy) dominates and pushes p up towards 0.5.
    large.backward();
    for (const auto& item : net->named_parameters()) {
        if (item.key().find("p_logit") == std::string::npos) continue;
        INFO(item.key());
        REQUIRE(item.value().grad().defined());
        REQUIRE(item.value().grad().item<double>() < 0);
    }
}

TEST_CASE("with decoder placement the encoder is deterministic even when stochastic")
{
    UNet net(smallConfig());
    net->eval();
    net->setStochastic(true);
    torch::NoGradGuard noGrad;
    const torch::Tensor x = torch::randn({2, 3, 16, 16});
    const auto a = net->encode(x);
    const auto b = net->encode(x);
    REQUIRE(torch::equal(a.bottom, b.bottom));
    REQUIRE(a.skips.size() == 2);
    const auto da = net->decode(a);
    const auto db = net->decode(a);
    REQUIRE_FALSE(torch::equal(da.logits, db.logits));
    REQUIRE(da.features.sizes() == torch::IntArrayRef({2, 16, 16, 16}));
}

TEST_CASE("a checkpoint whose tensor has another shape is refused naming the tensor")
{
    UNet net(smallConfig());
    const std::string path = tempPath("shape.pt");
    // Same stored architecture, one tensor of the wrong shape: written by hand.
    torch::serialize::OutputArchive archive;
    archive.write("slt_format", c10::IValue(std::string("slt-unet-concrete/1")));
    archive.write("slt_config", c10::IValue(net->config().toToml()));
    archive.write("slt_extra", c10::IValue(std::string()));
    for (const auto& item : net->named_parameters()) {
        std::string key = "p__" + item.key();
        for (size_t at = key.find('.'); at != std::string::npos; at = key.find('.')) key.replace(at, 1, "__");
        const bool victim = item.key() == "head.weight";
        archive.write(key, victim ? torch::zeros({3, 3}) : item.value().detach());
    }
    archive.save_to(path);
    UNet other(smallConfig());
    try {
        loadCheckpoint(other, path);
        FAIL("loaded");
    } catch (const slt::sdk::Error& e) {
        INFO(e.what());
        REQUIRE(e.status() == SLT_ERR_FORMAT);
        REQUIRE(std::string(e.what()).find("head.weight: checkpoint [3, 3], model [9, 16, 1, 1]") != std::string::npos);
    }
    std::filesystem::remove(path);
}

TEST_CASE("a checkpoint round trip copies every tensor")
{
    UNet saved(smallConfig());
    const std::string path = tempPath("roundtrip.pt");
    saveCheckpoint(saved, path);
    UNet loaded(smallConfig());
    loadCheckpoint(loaded, path);
    const auto mine = saved->named_parameters();
    const auto theirs = loaded->named_parameters();
    REQUIRE(mine.size() == theirs.size());
    for (const auto& item : mine) {
        INFO(item.key());
        REQUIRE(torch::equal(item.value(), theirs[item.key()]));
    }
    removeCheckpoint(path);
}

TEST_CASE("the header of a checkpoint gives its architecture and extra text")
{
    UNet net(smallConfig("width = 12\nclasses = [\"a\", \"b\", \"c\"]\n"));
    const std::string path = tempPath("header.pt");
    saveCheckpoint(net, path, "epoch = 3\n");
    const CheckpointContent content = readCheckpointHeader(path);
    REQUIRE(content.config.width == 12);
    REQUIRE(content.config.classes.size() == 3);
    REQUIRE(content.config.classes[2].name == "c");
    REQUIRE(content.extra == "epoch = 3\n");
    REQUIRE(net->config().architectureDifferences(content.config).empty());
    removeCheckpoint(path);
}
