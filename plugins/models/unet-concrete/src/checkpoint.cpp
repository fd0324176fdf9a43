// Checkpoint archive + TOML sidecar, validated on load (LibTorch alone checks no shapes).
#include "checkpoint.hpp"

#include <slt/sdk/cpp/error.hpp>

#include <fmt/format.h>

#include <filesystem>
#include <cstdint>
#include <fstream>
#include <map>

namespace slt::unet {
namespace {

using slt::sdk::Error;
namespace fs = std::filesystem;

constexpr const char* kFormat = "slt-unet-concrete/1";

std::string archiveKey(const char* kind, const std::string& name)
{
    std::string k = std::string(kind) + "__";
    for (char ch : name) {
        if (ch == '.') k += "__";
        else k += ch;
    }
    return k;
}

std::string shapeText(const torch::Tensor& t) { return fmt::format("[{}]", fmt::join(t.sizes(), ", ")); }

struct NamedTensor {
    std::string name; // dotted module name, for messages
    torch::Tensor tensor;
    bool isBuffer;
};

// Every parameter and buffer of the network, by archive key.
std::map<std::string, NamedTensor> tensorsOf(UNet& net)
{
    std::map<std::string, NamedTensor> out;
    for (const auto& item : net->named_parameters()) out.emplace(archiveKey("p", item.key()), NamedTensor{item.key(), item.value(), false});
    for (const auto& item : net->named_buffers()) out.emplace(archiveKey("b", item.key()), NamedTensor{item.key(), item.value(), true});
    return out;
}

// FNV-1a over the bytes of every tensor in key order. The archive's zip layer does not verify its CRCs,
// so damaged weights would otherwise load silently.
int64_t checksum(const std::map<std::string, torch::Tensor>& tensors)
{
    uint64_t h = 1469598103934665603ull;
    for (const auto& [name, tensor] : tensors) {
        const torch::Tensor bytes = tensor.detach().to(torch::kCPU).contiguous();
        const auto* data = static_cast<const uint8_t*>(bytes.data_ptr());
        const size_t size = bytes.numel() * bytes.element_size();
        for (size_t i = 0; i < size; ++i) h = (h ^ data[i]) * 1099511628211ull;
    }
    return static_cast<int64_t>(h);
}

void writeText(const fs::path& path, const std::string& text)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) throw Error(SLT_ERR_IO, "cannot write '" + path.string() + "'");
}

void replaceFile(const fs::path& from, const fs::path& to)
{
    std::error_code ec;
    fs::rename(from, to, ec);
    if (ec) throw Error(SLT_ERR_IO, "cannot rename '" + from.string() + "' to '" + to.string() + "': " + ec.message());
}

torch::serialize::InputArchive openArchive(const std::string& path)
{
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) throw Error(SLT_ERR_NOT_FOUND, "checkpoint '" + path + "' does not exist");
    torch::serialize::InputArchive archive;
    try {
        archive.load_from(path, torch::kCPU);
    } catch (const std::exception&) {
        throw Error(SLT_ERR_FORMAT,
                    "checkpoint '" + path + "' is corrupt or truncated (not a readable LibTorch archive)");
    }
    return archive;
}

std::string readString(torch::serialize::InputArchive& archive, const std::string& path, const char* name)
{
    c10::IValue value;
    if (!archive.try_read(name, value) || !value.isString())
        throw Error(SLT_ERR_FORMAT, fmt::format("checkpoint '{}' lacks '{}': not an SLT U-Net checkpoint", path, name));
    return value.toStringRef();
}

CheckpointContent readHeader(torch::serialize::InputArchive& archive, const std::string& path)
{
    const std::string format = readString(archive, path, "slt_format");
    if (format != kFormat)
        throw Error(SLT_ERR_FORMAT, fmt::format("checkpoint '{}' has format '{}', expected '{}'", path, format, kFormat));
    CheckpointContent content;
    try {
        content.config = parseUNetConfig(readString(archive, path, "slt_config"));
    } catch (const Error& e) {
        throw Error(SLT_ERR_FORMAT, fmt::format("checkpoint '{}': stored architecture: {}", path, e.what()));
    }
    content.extra = readString(archive, path, "slt_extra");
    return content;
}

// Reads every tensor the network needs, collecting every problem before giving up.
std::map<std::string, torch::Tensor> readTensors(torch::serialize::InputArchive& archive, UNet& net,
                                                 const std::string& path)
{
    std::map<std::string, torch::Tensor> read;
    std::vector<std::string> problems;
    for (const auto& [key, mine] : tensorsOf(net)) {
        torch::Tensor stored;
        if (!archive.try_read(key, stored, mine.isBuffer) || !stored.defined()) {
            problems.push_back(mine.name + ": missing");
        } else if (stored.sizes() != mine.tensor.sizes()) {
            problems.push_back(fmt::format("{}: checkpoint {}, model {}", mine.name, shapeText(stored), shapeText(mine.tensor)));
        } else if (stored.scalar_type() != mine.tensor.scalar_type()) {
            problems.push_back(mine.name + ": different element type");
        } else {
            read.emplace(key, stored);
        }
    }
    c10::IValue count;
    if (archive.try_read("slt_count", count) && count.isInt() && count.toInt() != static_cast<int64_t>(read.size()) &&
        problems.empty())
        problems.push_back(fmt::format("the checkpoint holds {} tensors, the model {}", count.toInt(), read.size()));
    if (!problems.empty())
        throw Error(SLT_ERR_FORMAT, fmt::format("checkpoint '{}' does not fit the model: {}", path, fmt::join(problems, "; ")));
    c10::IValue stored;
    if (!archive.try_read("slt_checksum", stored) || !stored.isInt() || stored.toInt() != checksum(read))
        throw Error(SLT_ERR_FORMAT, fmt::format("checkpoint '{}' is corrupt: its weights do not match their checksum", path));
    return read;
}

} // namespace

void saveCheckpoint(UNet& net, const std::string& path, const std::string& extra)
{
    torch::serialize::OutputArchive archive;
    archive.write("slt_format", c10::IValue(std::string(kFormat)));
    archive.write("slt_config", c10::IValue(net->config().toToml()));
    archive.write("slt_extra", c10::IValue(extra));
    const std::map<std::string, NamedTensor> tensors = tensorsOf(net);
    archive.write("slt_count", c10::IValue(static_cast<int64_t>(tensors.size())));
    std::map<std::string, torch::Tensor> plain;
    for (const auto& [key, named] : tensors) {
        archive.write(key, named.tensor.detach().to(torch::kCPU), named.isBuffer);
        plain.emplace(key, named.tensor);
    }
    archive.write("slt_checksum", c10::IValue(checksum(plain)));

    const fs::path target(path);
    const fs::path temporary = fs::path(path + ".part");
    try {
        archive.save_to(temporary.string());
    } catch (const std::exception& e) {
        throw Error(SLT_ERR_IO, "cannot write checkpoint '" + path + "': " + e.what());
    }
    const fs::path sidecar(path + ".toml");
    writeText(sidecar.string() + ".part", net->config().toToml());
    replaceFile(temporary, target);
    replaceFile(sidecar.string() + ".part", sidecar);
}

CheckpointContent readCheckpointHeader(const std::string& path)
{
    torch::serialize::InputArchive archive = openArchive(path);
    return readHeader(archive, path);
}

CheckpointContent loadCheckpoint(UNet& net, const std::string& path)
{
    torch::serialize::InputArchive archive = openArchive(path);
    CheckpointContent content = readHeader(archive, path);
    const std::vector<std::string> differences = net->config().architectureDifferences(content.config);
    if (!differences.empty())
        throw Error(SLT_ERR_FORMAT, fmt::format("checkpoint '{}' has a different architecture: {}", path,
                                                fmt::join(differences, "; ")));
    const std::map<std::string, torch::Tensor> stored = readTensors(archive, net, path);
    torch::NoGradGuard noGrad;
    for (auto& [key, mine] : tensorsOf(net)) mine.tensor.copy_(stored.at(key));
    return content;
}

} // namespace slt::unet
