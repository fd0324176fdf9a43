// Writes a new bank: images and points appended in batches, per-column CRC32 checksums kept on the way
// and stored as attributes at the end (see bank_checksums.hpp). The bank is written to a temporary file
// beside the destination and renamed onto it by finish(), so an existing file is only replaced by a
// complete bank and a failed or abandoned write leaves nothing behind.
#pragma once

#include "slt/core/bank/bank_backend.hpp"
#include "slt/core/bank/bank_checksums.hpp"
#include "slt/core/bank/bank_metadata.hpp"
#include "slt/core/result.hpp"

#include <memory>
#include <string>
#include <vector>

namespace slt::core {

class BankWriter {
public:
    // Creates the bank with `metadata` (uuid / createdUtc empty: the backend generates them).
    static Result<BankWriter> create(const BankBackend& backend, const QString& path, const BankMetadata& metadata);

    BankWriter(BankWriter&&) noexcept;
    BankWriter& operator=(BankWriter&&) noexcept;
    ~BankWriter(); // without finish(): closes and removes the temporary file

    // The metadata as the backend reports it after creation (uuid, format version...).
    const BankMetadata& metadata() const { return metadata_; }
    int64_t images() const { return images_; }
    int64_t points() const { return checksums_.points(); }

    Status appendImages(const std::vector<std::string>& names);
    // Every image index must be < images(); `crops` RGB [count, h, w, 3] when the bank has crops.
    Status appendPoints(slt_bank_points batch);
    Status setAttribute(const std::string& key, const std::string& value);

    // Stores the checksums, flushes, closes and moves the file to its destination.
    Status finish();

private:
    BankWriter(sdk::host::BankProxy proxy, BankMetadata metadata, QString temporaryPath, QString path);
    QString checkBatch(const slt_bank_points& batch) const;
    void abandon();
    Status finishedError() const;

    std::unique_ptr<sdk::host::BankProxy> proxy_; // null once finished or moved from
    BankMetadata metadata_;
    ColumnChecksums checksums_;
    QString temporaryPath_;
    QString path_;
    int64_t images_ = 0;
};

} // namespace slt::core
