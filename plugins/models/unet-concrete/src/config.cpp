// TOML config of the U-Net model: presets, keys, validation with line:column messages.
#include "config.hpp"

#include <slt/sdk/cpp/error.hpp>

#include <fmt/format.h>
#include <toml++/toml.h>

#include <functional>
#include <limits>
#include <map>
#include <sstream>

namespace slt::unet {
namespace {

using slt::sdk::Error;

const char* const kDefaultClassNames[] = {"Non-Informative", "Tumour",       "Stroma",
                                          "Necrosis",        "Vessel",       "Inflammation",
                                          "Tumour-Lumen",    "Mucin",        "Muscle"};

std::vector<ClassEntry> defaultClasses(int64_t count)
{
    std::vector<ClassEntry> classes;
    for (int32_t id = 0; id < count; ++id)
        classes.push_back({id, id < 9 ? kDefaultClassNames[id] : fmt::format("Class {}", id)});
    return classes;
}

[[noreturn]] void fail(const toml::node& where, const std::string& what)
{
    const toml::source_position at = where.source().begin;
    throw Error(SLT_ERR_FORMAT, fmt::format("{}:{}: {}", at.line, at.column, what));
}

// Applies the named preset's values; explicit keys are applied afterwards.
void applyPreset(UNetConfig& c, const std::string& preset, const toml::node* where)
{
    if (preset == "original") {
        c.depth = 4, c.width = 64, c.kernel = 5, c.convsPerLevel = 2, c.groups = 32, c.attention = true;
    } else if (preset == "small") {
        // Fast tests and 28×28 PathMNIST tiles (padded to 32).
        c.depth = 2, c.width = 16, c.kernel = 3, c.convsPerLevel = 1, c.groups = 8, c.attention = true;
    } else {
        if (where) fail(*where, "preset must be \"original\" or \"small\", not \"" + preset + "\"");
        throw Error(SLT_ERR_FORMAT, "unknown preset " + preset);
    }
    c.preset = preset;
}

template <class T>
T valueOf(const toml::node& node, const std::string& key)
{
    if constexpr (std::is_same_v<T, bool>) {
        if (!node.is_boolean()) fail(node, key + " must be true or false");
        return *node.value<bool>();
    } else if constexpr (std::is_same_v<T, std::string>) {
        if (!node.is_string()) fail(node, key + " must be a string");
        return *node.value<std::string>();
    } else if constexpr (std::is_integral_v<T>) {
        if (!node.is_integer()) fail(node, key + " must be an integer");
        const int64_t v = *node.value<int64_t>();
        if (v < std::numeric_limits<T>::min() || v > std::numeric_limits<T>::max()) fail(node, key + " is out of range");
        return static_cast<T>(v);
    } else {
        if (!node.is_number()) fail(node, key + " must be a number");
        return *node.value<double>();
    }
}

template <class T>
void inRange(const toml::node& node, const std::string& key, T v, T lo, T hi)
{
    if (v < lo || v > hi) fail(node, fmt::format("{} must be in [{}, {}], got {}", key, lo, hi, v));
}

std::vector<ClassEntry> parseClasses(const toml::node& node)
{
    const toml::array* list = node.as_array();
    if (!list) fail(node, "classes must be an array of names or of tables {id, name}");
    std::vector<ClassEntry> classes;
    for (const toml::node& item : *list) {
        ClassEntry entry;
        entry.id = static_cast<int32_t>(classes.size());
        if (item.is_string()) {
            entry.name = *item.value<std::string>();
        } else if (const toml::table* t = item.as_table()) {
            for (const auto& [k, v] : *t) {
                const std::string key(k.str());
                if (key == "id") entry.id = valueOf<int32_t>(v, "classes.id");
                else if (key == "name") entry.name = valueOf<std::string>(v, "classes.name");
                else fail(v, "unknown key classes." + key);
            }
            if (entry.id < 0) fail(item, "class ids of model outputs must be >= 0 (tissue classes)");
        } else {
            fail(item, "a class must be a name or a table {id, name}");
        }
        for (const ClassEntry& earlier : classes)
            if (earlier.id == entry.id) fail(item, fmt::format("class id {} appears twice", entry.id));
        classes.push_back(entry);
    }
    if (classes.size() < 2) fail(node, "a model needs at least 2 classes");
    return classes;
}

using Setter = std::function<void(ModelConfig&, const toml::node&)>;

const std::map<std::string, Setter>& architectureKeys()
{
    static const std::map<std::string, Setter> keys = {
        {"depth", [](ModelConfig& c, const toml::node& n) { c.net.depth = valueOf<int32_t>(n, "depth"); inRange(n, "depth", c.net.depth, 1, 7); }},
        {"width", [](ModelConfig& c, const toml::node& n) { c.net.width = valueOf<int32_t>(n, "width"); inRange(n, "width", c.net.width, 2, 1024); }},
        {"kernel", [](ModelConfig& c, const toml::node& n) {
             c.net.kernel = valueOf<int32_t>(n, "kernel");
             inRange(n, "kernel", c.net.kernel, 1, 11);
             if (c.net.kernel % 2 == 0) fail(n, "kernel must be odd");
         }},
        {"convs_per_level", [](ModelConfig& c, const toml::node& n) { c.net.convsPerLevel = valueOf<int32_t>(n, "convs_per_level"); inRange(n, "convs_per_level", c.net.convsPerLevel, 1, 4); }},
        {"attention", [](ModelConfig& c, const toml::node& n) { c.net.attention = valueOf<bool>(n, "attention"); }},
        {"groups", [](ModelConfig& c, const toml::node& n) { c.net.groups = valueOf<int32_t>(n, "groups"); inRange(n, "groups", c.net.groups, 1, 1024); }},
        {"negative_slope", [](ModelConfig& c, const toml::node& n) { c.net.negativeSlope = valueOf<double>(n, "negative_slope"); inRange(n, "negative_slope", c.net.negativeSlope, 0.0, 1.0); }},
        {"dropout_placement", [](ModelConfig& c, const toml::node& n) {
             const std::string p = valueOf<std::string>(n, "dropout_placement");
             if (p == "every") c.net.placement = DropoutPlacement::Every;
             else if (p == "decoder") c.net.placement = DropoutPlacement::Decoder;
             else fail(n, "dropout_placement must be \"every\" or \"decoder\", not \"" + p + "\"");
         }},
        {"decoder", [](ModelConfig& c, const toml::node& n) {
             const std::string d = valueOf<std::string>(n, "decoder");
             if (d == "symmetric") c.net.decoder = DecoderKind::Symmetric;
             else if (d == "light") c.net.decoder = DecoderKind::Light;
             else fail(n, "decoder must be \"symmetric\" or \"light\", not \"" + d + "\"");
         }},
        {"colour_to_head", [](ModelConfig& c, const toml::node& n) { c.net.colourToHead = valueOf<bool>(n, "colour_to_head"); }},
        {"dropout_init", [](ModelConfig& c, const toml::node& n) { c.net.dropoutInit = valueOf<double>(n, "dropout_init"); inRange(n, "dropout_init", c.net.dropoutInit, 1e-4, 0.9); }},
        {"dropout_temperature", [](ModelConfig& c, const toml::node& n) { c.net.temperature = valueOf<double>(n, "dropout_temperature"); inRange(n, "dropout_temperature", c.net.temperature, 1e-3, 10.0); }},
        {"length_scale", [](ModelConfig& c, const toml::node& n) { c.net.lengthScale = valueOf<double>(n, "length_scale"); inRange(n, "length_scale", c.net.lengthScale, 0.0, 1e3); }},
        {"dropout_regulariser", [](ModelConfig& c, const toml::node& n) { c.net.dropoutRegulariser = valueOf<double>(n, "dropout_regulariser"); inRange(n, "dropout_regulariser", c.net.dropoutRegulariser, 0.0, 1e6); }},
        {"input_height", [](ModelConfig& c, const toml::node& n) { c.net.inputHeight = valueOf<int32_t>(n, "input_height"); inRange(n, "input_height", c.net.inputHeight, 0, 1 << 16); }},
        {"input_width", [](ModelConfig& c, const toml::node& n) { c.net.inputWidth = valueOf<int32_t>(n, "input_width"); inRange(n, "input_width", c.net.inputWidth, 0, 1 << 16); }},
        {"num_classes", [](ModelConfig& c, const toml::node& n) {
             const int32_t count = valueOf<int32_t>(n, "num_classes");
             inRange(n, "num_classes", count, 2, 1000);
             c.net.classes = defaultClasses(count);
         }},
        {"classes", [](ModelConfig& c, const toml::node& n) { c.net.classes = parseClasses(n); }},
    };
    return keys;
}

const std::map<std::string, Setter>& runtimeKeys()
{
    static const std::map<std::string, Setter> keys = {
        {"threads", [](ModelConfig& c, const toml::node& n) { c.runtime.threads = valueOf<int32_t>(n, "threads"); inRange(n, "threads", c.runtime.threads, 0, 1024); }},
        {"device", [](ModelConfig& c, const toml::node& n) {
             c.runtime.device = valueOf<std::string>(n, "device");
             if (c.runtime.device != "cpu" && c.runtime.device != "cuda") fail(n, "device must be \"cpu\" or \"cuda\", not \"" + c.runtime.device + "\"");
         }},
        {"mc_strategy", [](ModelConfig& c, const toml::node& n) {
             c.runtime.mcStrategy = valueOf<std::string>(n, "mc_strategy");
             if (c.runtime.mcStrategy != "auto" && c.runtime.mcStrategy != "full-passes")
                 fail(n, "mc_strategy must be \"auto\" or \"full-passes\", not \"" + c.runtime.mcStrategy + "\"");
         }},
        {"mc_samples", [](ModelConfig& c, const toml::node& n) { c.runtime.mcSamples = valueOf<int32_t>(n, "mc_samples"); inRange(n, "mc_samples", c.runtime.mcSamples, 1, 10000); }},
        {"max_batch", [](ModelConfig& c, const toml::node& n) { c.runtime.maxBatch = valueOf<int32_t>(n, "max_batch"); inRange(n, "max_batch", c.runtime.maxBatch, 1, 4096); }},
        {"training", [](ModelConfig& c, const toml::node& n) {
             if (!n.is_table()) fail(n, "training must be a table ([training])");
             training::readTrainingSettings(*n.as_table(), c.training);
         }},
    };
    return keys;
}

toml::table parseToml(const std::string& text)
{
    try {
        return toml::parse(text);
    } catch (const toml::parse_error& e) {
        const toml::source_position at = e.source().begin;
        throw Error(SLT_ERR_FORMAT, fmt::format("{}:{}: {}", at.line, at.column, e.description()));
    }
}

ModelConfig parse(const std::string& text, bool allowRuntime)
{
    const toml::table root = parseToml(text);
    ModelConfig config;
    const toml::node* preset = root.get("preset");
    applyPreset(config.net, preset ? valueOf<std::string>(*preset, "preset") : "original", preset);
    config.net.classes = defaultClasses(9);
    for (const auto& [k, node] : root) {
        const std::string key(k.str());
        if (key == "preset") continue;
        if (auto it = architectureKeys().find(key); it != architectureKeys().end()) {
            it->second(config, node);
        } else if (auto rt = runtimeKeys().find(key); rt != runtimeKeys().end()) {
            if (!allowRuntime) fail(node, key + " is a runtime setting, not part of a stored architecture");
            rt->second(config, node);
        } else {
            fail(node, "unknown key " + key);
        }
    }
    if (root.contains("classes") && root.contains("num_classes")) fail(*root.get("num_classes"), "give classes or num_classes, not both");
    const int64_t multiple = config.net.sizeMultiple();
    for (const char* key : {"input_height", "input_width"}) {
        const int32_t side = std::string(key) == "input_height" ? config.net.inputHeight : config.net.inputWidth;
        if (side % multiple != 0) fail(*root.get(key), fmt::format("{} must be a multiple of 2^depth = {}", key, multiple));
    }
    return config;
}

std::string quoted(const std::string& s)
{
    std::ostringstream out;
    out << toml::value<std::string>(s);
    return out.str();
}

} // namespace

ModelConfig parseModelConfig(const std::string& tomlText) { return parse(tomlText, true); }

UNetConfig parseUNetConfig(const std::string& tomlText) { return parse(tomlText, false).net; }

std::string UNetConfig::architectureString() const
{
    return fmt::format("unet-concrete-dropout depth={} width={} kernel={} convs={}{} attention={} groups={} dropout={}{} classes={}",
                       depth, width, kernel, convsPerLevel, decoder == DecoderKind::Light ? " decoder=light" : "",
                       attention ? "on" : "off", groups, placementName(), colourToHead ? " colour_to_head=on" : "",
                       classes.size());
}

std::string UNetConfig::toToml() const
{
    std::string out = "# U-Net with Concrete Dropout (org.slt.model.unet-concrete): architecture of a checkpoint.\n";
    out += fmt::format("preset = {}\ndepth = {}\nwidth = {}\nkernel = {}\nconvs_per_level = {}\nattention = {}\n",
                       quoted(preset), depth, width, kernel, convsPerLevel, attention ? "true" : "false");
    out += fmt::format("groups = {}\nnegative_slope = {}\ndropout_placement = {}\ndecoder = {}\ncolour_to_head = {}\n",
                       groups, negativeSlope, quoted(placementName()), quoted(decoderName()), colourToHead ? "true" : "false");
    out += fmt::format("dropout_init = {}\n", dropoutInit);
    out += fmt::format("dropout_temperature = {}\nlength_scale = {}\ndropout_regulariser = {}\n", temperature,
                       lengthScale, dropoutRegulariser);
    out += fmt::format("input_height = {}\ninput_width = {}\nclasses = [\n", inputHeight, inputWidth);
    for (const ClassEntry& c : classes) out += fmt::format("  {{ id = {}, name = {} }},\n", c.id, quoted(c.name));
    out += "]\n";
    return out;
}

std::vector<std::string> UNetConfig::architectureDifferences(const UNetConfig& other) const
{
    std::vector<std::string> out;
    auto compare = [&](const char* name, auto mine, auto theirs) {
        if (mine != theirs) out.push_back(fmt::format("{}: checkpoint {}, model {}", name, theirs, mine));
    };
    compare("depth", depth, other.depth);
    compare("width", width, other.width);
    compare("kernel", kernel, other.kernel);
    compare("convs_per_level", convsPerLevel, other.convsPerLevel);
    compare("attention", attention, other.attention);
    compare("groups", groups, other.groups);
    compare("dropout_placement", placementName(), other.placementName());
    compare("decoder", decoderName(), other.decoderName());
    compare("colour_to_head", colourToHead, other.colourToHead);
    compare("negative_slope", negativeSlope, other.negativeSlope);
    compare("dropout_temperature", temperature, other.temperature);
    compare("classes", classes.size(), other.classes.size());
    if (classes.size() == other.classes.size())
        for (size_t i = 0; i < classes.size(); ++i)
            if (classes[i].id != other.classes[i].id)
                out.push_back(fmt::format("class id of output {}: checkpoint {}, model {}", i, other.classes[i].id, classes[i].id));
    return out;
}

} // namespace slt::unet
