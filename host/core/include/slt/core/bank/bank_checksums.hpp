// Per-column CRC32 checksums of a bank (docs/bank-format.md, "Checksums"): zlib's crc32 over each column's
// bytes in row order (little-endian values as in memory), computed incrementally batch by batch. Stored in
// the bank attributes "checksum/<column>" (8 lowercase hex digits) plus "checksum/points" (the number of
// points the checksums cover, decimal). Crops are checksummed as decoded RGB bytes [h, w, 3].
#pragma once

#include "slt/core/bank/bank_metadata.hpp"

#include <slt/sdk/bank.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace slt::core {

inline constexpr const char* kChecksumPointsKey = "checksum/points";

// The column names used in checksum keys, in verification order; "crops" last.
const std::vector<std::string>& checksumColumnNames();
std::string checksumKey(const std::string& column); // "checksum/embeddings"

// Running checksums of the columns of one bank's shape (C, M, D, crops or not).
class ColumnChecksums {
public:
    explicit ColumnChecksums(const BankMetadata& shape);

    // Adds a batch written or read in row order. `crops` may be null when the bank has none.
    void addPoints(const slt_bank_points& batch);
    // Adds one column's bytes (verification reads columns one at a time).
    void addBytes(const std::string& column, const void* data, size_t bytes);

    int64_t points() const { return points_; }
    void setPoints(int64_t points) { points_ = points; }
    // (column, crc) for every column this bank has.
    std::vector<std::pair<std::string, uint32_t>> values() const;
    std::optional<uint32_t> value(const std::string& column) const;

    static std::string format(uint32_t crc);                           // "0a1b2c3d"
    static std::optional<uint32_t> parse(const std::string& text);     // nullopt unless 8 hex digits

private:
    struct Entry {
        std::string column;
        uint32_t crc;
    };
    Entry* find(const std::string& column);

    BankMetadata shape_;
    std::vector<Entry> entries_;
    int64_t points_ = 0;
};

} // namespace slt::core
