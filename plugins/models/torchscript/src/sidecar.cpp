#include "sidecar.hpp"

#include <slt/sdk/cpp/error.hpp>

#include <toml++/toml.h>

#include <filesystem>
#include <initializer_list>
#include <set>

namespace slt::torchscript {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail(const std::string& origin, const toml::source_region& where, const std::string& message)
{
    throw sdk::Error(SLT_ERR_FORMAT, origin + ":" + std::to_string(where.begin.line) + ":" +
                                         std::to_string(where.begin.column) + ": " + message);
}

// Reads one sidecar, remembering where it came from for every message.
class Reader {
public:
    Reader(const toml::table& root, std::string origin) : root_(root), origin_(std::move(origin)) {}

    Sidecar read()
    {
        Sidecar s;
        onlyKeys(root_, "", {"version", "description", "input", "output", "stochastic", "class"});
        if (const toml::node* version = root_.get("version")) {
            const auto* number = version->as_integer();
            if (!number || number->get() != 1)
                fail(origin_, version->source(), "unsupported sidecar version: this plugin reads version = 1");
        }
        s.description = optionalString(root_, "description", "");
        readClasses(s);
        if (const toml::table* input = subTable("input")) readInput(*input, s);
        if (const toml::table* output = subTable("output")) readOutput(*output, s);
        if (const toml::table* stochastic = subTable("stochastic")) readStochastic(*stochastic, s);
        return s;
    }

private:
    void onlyKeys(const toml::table& table, const std::string& prefix, std::initializer_list<const char*> allowed)
    {
        const std::set<std::string> known(allowed.begin(), allowed.end());
        for (const auto& [key, node] : table) {
            (void)node;
            if (!known.count(std::string(key.str())))
                fail(origin_, key.source(), "unknown key '" + prefix + std::string(key.str()) + "'");
        }
    }

    const toml::table* subTable(const char* name)
    {
        const toml::node* node = root_.get(name);
        if (!node) return nullptr;
        if (!node->is_table()) fail(origin_, node->source(), std::string("'") + name + "' must be a table [" + name + "]");
        return node->as_table();
    }

    std::string optionalString(const toml::table& table, const char* key, const std::string& fallback)
    {
        const toml::node* node = table.get(key);
        if (!node) return fallback;
        if (!node->is_string()) fail(origin_, node->source(), std::string("'") + key + "' must be a string");
        return node->as_string()->get();
    }

    int64_t integer(const toml::node& node, const std::string& what, int64_t min, int64_t max)
    {
        const auto* value = node.as_integer();
        if (!value) fail(origin_, node.source(), what + " must be an integer");
        if (value->get() < min || value->get() > max)
            fail(origin_, node.source(), what + " must be in [" + std::to_string(min) + ", " + std::to_string(max) + "]");
        return value->get();
    }

    double number(const toml::node& node, const std::string& what)
    {
        if (const auto* f = node.as_floating_point()) return f->get();
        if (const auto* i = node.as_integer()) return static_cast<double>(i->get());
        fail(origin_, node.source(), what + " must be a number");
    }

    template <size_t N>
    std::array<double, N> numbers(const toml::node& node, const std::string& what)
    {
        const toml::array* list = node.as_array();
        if (!list || list->size() != N)
            fail(origin_, node.source(), what + " must be an array of " + std::to_string(N) + " numbers");
        std::array<double, N> out{};
        for (size_t i = 0; i < N; ++i) out[i] = number(*list->get(i), what);
        return out;
    }

    void readClasses(Sidecar& s)
    {
        const toml::node* node = root_.get("class");
        const toml::array* list = node ? node->as_array() : nullptr;
        if (!list || list->empty())
            fail(origin_, node ? node->source() : root_.source(),
                 "no [[class]] entries: list the classes in output-channel order, each with 'id' and 'name'");
        std::set<int64_t> ids;
        for (const toml::node& entryNode : *list) {
            const toml::table* entry = entryNode.as_table();
            if (!entry) fail(origin_, entryNode.source(), "'class' must be an array of tables [[class]]");
            onlyKeys(*entry, "class.", {"id", "name", "colour", "description"});
            const toml::node* id = entry->get("id");
            if (!id) fail(origin_, entry->source(), "[[class]] needs an integer 'id'");
            sdk::ClassInfo info;
            info.id = static_cast<int32_t>(integer(*id, "'id'", -1000000, 1000000));
            info.name = optionalString(*entry, "name", "");
            info.colour = optionalString(*entry, "colour", "");
            if (info.name.empty()) fail(origin_, entry->source(), "[[class]] needs a non-empty 'name'");
            if (!ids.insert(info.id).second)
                fail(origin_, id->source(), "class id " + std::to_string(info.id) + " appears twice");
            s.classes.push_back(info);
        }
    }

    void readInput(const toml::table& input, Sidecar& s)
    {
        onlyKeys(input, "input.", {"size", "size_multiple", "range", "mean", "std", "channels"});
        if (const toml::node* multiple = input.get("size_multiple"))
            s.size_multiple = static_cast<int32_t>(integer(*multiple, "'input.size_multiple'", 1, 4096));
        if (const toml::node* size = input.get("size")) readSize(*size, s);
        if (const toml::node* range = input.get("range")) {
            s.input_range = numbers<2>(*range, "'input.range'");
            if (!(s.input_range[0] < s.input_range[1]))
                fail(origin_, range->source(), "'input.range' must be [low, high] with low < high");
        }
        if (const toml::node* mean = input.get("mean")) s.mean = numbers<3>(*mean, "'input.mean'");
        if (const toml::node* stdNode = input.get("std")) {
            s.std = numbers<3>(*stdNode, "'input.std'");
            for (double v : s.std)
                if (!(v > 0.0)) fail(origin_, stdNode->source(), "'input.std' values must be > 0");
        }
        const std::string channels = optionalString(input, "channels", "rgb");
        if (channels != "rgb" && channels != "bgr")
            fail(origin_, input.get("channels")->source(), "'input.channels' must be \"rgb\" or \"bgr\"");
        s.bgr = channels == "bgr";
    }

    void readSize(const toml::node& size, Sidecar& s)
    {
        if (size.is_integer()) {
            s.input_height = s.input_width = static_cast<int32_t>(integer(size, "'input.size'", 1, 65536));
        } else {
            const toml::array* list = size.as_array();
            if (!list || list->size() != 2)
                fail(origin_, size.source(), "'input.size' must be an integer or [height, width]");
            s.input_height = static_cast<int32_t>(integer(*list->get(0), "'input.size' height", 1, 65536));
            s.input_width = static_cast<int32_t>(integer(*list->get(1), "'input.size' width", 1, 65536));
        }
        if (s.input_height % s.size_multiple != 0 || s.input_width % s.size_multiple != 0)
            fail(origin_, size.source(),
                 "'input.size' must be a multiple of 'input.size_multiple' (" + std::to_string(s.size_multiple) + ")");
    }

    OutputSelector selector(const toml::table& output, const char* key)
    {
        OutputSelector out;
        const toml::node* node = output.get(key);
        if (!node) return out;
        if (node->is_integer()) {
            out.kind = OutputSelector::Kind::Index;
            out.index = integer(*node, std::string("'output.") + key + "'", 0, 1023);
        } else if (node->is_string()) {
            out.kind = OutputSelector::Kind::Key;
            out.key = node->as_string()->get();
        } else {
            fail(origin_, node->source(),
                 std::string("'output.") + key + "' must be a tuple index (integer) or a dict key (string)");
        }
        return out;
    }

    void readOutput(const toml::table& output, Sidecar& s)
    {
        onlyKeys(output, "output.", {"logits", "embedding", "activation"});
        s.logits = selector(output, "logits");
        s.embedding = selector(output, "embedding");
        const std::string activation = optionalString(output, "activation", "softmax");
        if (activation == "softmax") s.activation = Activation::Softmax;
        else if (activation == "none") s.activation = Activation::None;
        else if (activation == "exp") s.activation = Activation::Exp;
        else
            fail(origin_, output.get("activation")->source(),
                 "'output.activation' must be \"softmax\" (logits), \"none\" (probabilities) or \"exp\" "
                 "(log-probabilities)");
    }

    void readStochastic(const toml::table& stochastic, Sidecar& s)
    {
        onlyKeys(stochastic, "stochastic.", {"mode", "modules", "samples"});
        const std::string mode = optionalString(stochastic, "mode", "none");
        if (mode == "none") s.stochastic = StochasticMode::None;
        else if (mode == "dropout") s.stochastic = StochasticMode::Dropout;
        else if (mode == "mc_forward") s.stochastic = StochasticMode::McForward;
        else
            fail(origin_, stochastic.get("mode")->source(),
                 "'stochastic.mode' must be \"none\", \"dropout\" or \"mc_forward\"");
        if (const toml::node* samples = stochastic.get("samples"))
            s.mc_samples = static_cast<int32_t>(integer(*samples, "'stochastic.samples'", 1, 10000));
        if (const toml::node* modules = stochastic.get("modules")) {
            const toml::array* list = modules->as_array();
            if (!list || s.stochastic != StochasticMode::Dropout)
                fail(origin_, modules->source(),
                     "'stochastic.modules' is an array of submodule paths, for mode = \"dropout\" only");
            for (const toml::node& name : *list) {
                if (!name.is_string() || name.as_string()->get().empty())
                    fail(origin_, name.source(), "'stochastic.modules' entries must be non-empty strings");
                s.dropout_modules.push_back(name.as_string()->get());
            }
        }
    }

    const toml::table& root_;
    std::string origin_;
};

} // namespace

std::string OutputSelector::describe() const
{
    switch (kind) {
    case Kind::Index: return "output " + std::to_string(index);
    case Kind::Key: return "output \"" + key + "\"";
    case Kind::Absent: break;
    }
    return "the output";
}

Sidecar parseSidecar(const std::string& text, const std::string& origin)
{
    toml::table root;
    try {
        // Debian's toml++ is built with exceptions: a syntax error arrives as parse_error.
        root = toml::parse(text, origin);
    } catch (const toml::parse_error& error) {
        fail(origin, error.source(), std::string(error.description()));
    }
    return Reader(root, origin).read();
}

std::string sidecarPathFor(const std::string& modulePath)
{
    return fs::path(modulePath).replace_extension(".toml").string();
}

std::string findSidecar(const std::string& modulePath)
{
    const std::string stemForm = sidecarPathFor(modulePath);
    const std::string appendedForm = modulePath + ".toml";
    std::error_code ec;
    const bool haveStem = stemForm != modulePath && fs::is_regular_file(stemForm, ec);
    const bool haveAppended = fs::is_regular_file(appendedForm, ec);
    if (haveStem && haveAppended)
        throw sdk::Error(SLT_ERR_FORMAT, "two sidecars for '" + modulePath + "': '" + stemForm + "' and '" +
                                             appendedForm + "'; keep one");
    if (haveStem) return stemForm;
    if (haveAppended) return appendedForm;
    throw sdk::Error(SLT_ERR_NOT_FOUND,
                     "no sidecar for the TorchScript module '" + modulePath + "': write '" + stemForm +
                         "' with the classes ([[class]] id, name in output-channel order), [input] and [output]");
}

} // namespace slt::torchscript
