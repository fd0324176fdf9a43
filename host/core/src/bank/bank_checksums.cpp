#include "slt/core/bank/bank_checksums.hpp"

#include <zlib.h>

#include <cstdio>
#include <limits>

namespace slt::core {
namespace {

// zlib's crc32 takes a uInt length: feed large columns in pieces.
uint32_t updateCrc(uint32_t crc, const void* data, size_t bytes)
{
    const auto* p = static_cast<const Bytef*>(data);
    constexpr size_t kPiece = std::numeric_limits<uInt>::max() / 2;
    while (bytes > 0) {
        const size_t n = bytes < kPiece ? bytes : kPiece;
        crc = static_cast<uint32_t>(crc32(crc, p, static_cast<uInt>(n)));
        p += n;
        bytes -= n;
    }
    return crc;
}

} // namespace

const std::vector<std::string>& checksumColumnNames()
{
    static const std::vector<std::string> names = {"image_index", "x", "y", "predicted_class", "mean_probs",
                                                   "scores", "embeddings", "crops"};
    return names;
}

std::string checksumKey(const std::string& column)
{
    return "checksum/" + column;
}

ColumnChecksums::ColumnChecksums(const BankMetadata& shape) : shape_(shape)
{
    for (const std::string& column : checksumColumnNames()) {
        if (column == "scores" && shape.metrics() == 0) continue;
        if (column == "embeddings" && shape.embeddingDim == 0) continue;
        if (column == "crops" && !shape.hasCrops()) continue;
        entries_.push_back({column, static_cast<uint32_t>(crc32(0L, Z_NULL, 0))});
    }
}

ColumnChecksums::Entry* ColumnChecksums::find(const std::string& column)
{
    for (Entry& e : entries_)
        if (e.column == column)
            return &e;
    return nullptr;
}

void ColumnChecksums::addBytes(const std::string& column, const void* data, size_t bytes)
{
    if (Entry* e = find(column); e && data)
        e->crc = updateCrc(e->crc, data, bytes);
}

void ColumnChecksums::addPoints(const slt_bank_points& b)
{
    const auto n = static_cast<size_t>(b.count);
    addBytes("image_index", b.image_index, n * sizeof(int32_t));
    addBytes("x", b.x, n * sizeof(float));
    addBytes("y", b.y, n * sizeof(float));
    addBytes("predicted_class", b.predicted_class, n * sizeof(int32_t));
    addBytes("mean_probs", b.mean_probs, n * static_cast<size_t>(shape_.classes()) * sizeof(float));
    addBytes("scores", b.scores, n * static_cast<size_t>(shape_.metrics()) * sizeof(float));
    addBytes("embeddings", b.embeddings, n * static_cast<size_t>(shape_.embeddingDim) * sizeof(float));
    addBytes("crops", b.crops, n * shape_.cropBytes());
    points_ += b.count;
}

std::vector<std::pair<std::string, uint32_t>> ColumnChecksums::values() const
{
    std::vector<std::pair<std::string, uint32_t>> out;
    for (const Entry& e : entries_)
        out.emplace_back(e.column, e.crc);
    return out;
}

std::optional<uint32_t> ColumnChecksums::value(const std::string& column) const
{
    for (const Entry& e : entries_)
        if (e.column == column)
            return e.crc;
    return std::nullopt;
}

std::string ColumnChecksums::format(uint32_t crc)
{
    char text[9];
    std::snprintf(text, sizeof text, "%08x", static_cast<unsigned>(crc));
    return text;
}

std::optional<uint32_t> ColumnChecksums::parse(const std::string& text)
{
    if (text.size() != 8)
        return std::nullopt;
    uint32_t value = 0;
    for (char c : text) {
        int digit = -1;
        if (c >= '0' && c <= '9') digit = c - '0';
        else if (c >= 'a' && c <= 'f') digit = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F') digit = c - 'A' + 10;
        if (digit < 0)
            return std::nullopt;
        value = (value << 4) | static_cast<uint32_t>(digit);
    }
    return value;
}

} // namespace slt::core
