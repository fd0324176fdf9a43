#include "slt/core/bank/bank_verify.hpp"

#include "slt/core/bank/bank_checksums.hpp"
#include "slt/core/bank/bank_metadata.hpp"
#include "slt/core/bank/loaded_bank.hpp"

#include <map>
#include <optional>
#include <vector>

namespace slt::core {
namespace {

// Bytes per row of each column (crops are handled separately).
size_t rowBytes(const std::string& column, const BankMetadata& m)
{
    if (column == "mean_probs") return sizeof(float) * static_cast<size_t>(m.classes());
    if (column == "scores") return sizeof(float) * static_cast<size_t>(m.metrics());
    if (column == "embeddings") return sizeof(float) * static_cast<size_t>(m.embeddingDim);
    return 4; // image_index, x, y, predicted_class
}

// A columns struct that asks for exactly `column`, reading into `buffer`.
slt_bank_columns oneColumn(const std::string& column, int64_t count, std::vector<char>& buffer)
{
    slt_bank_columns c{};
    c.count = count;
    void* p = buffer.data();
    if (column == "image_index") c.image_index = static_cast<int32_t*>(p);
    else if (column == "x") c.x = static_cast<float*>(p);
    else if (column == "y") c.y = static_cast<float*>(p);
    else if (column == "predicted_class") c.predicted_class = static_cast<int32_t*>(p);
    else if (column == "mean_probs") c.mean_probs = static_cast<float*>(p);
    else if (column == "scores") c.scores = static_cast<float*>(p);
    else if (column == "embeddings") c.embeddings = static_cast<float*>(p);
    return c;
}

class Verifier {
public:
    Verifier(sdk::host::BankProxy& proxy, BankMetadata metadata, const BankProgress& progress)
        : proxy_(proxy), metadata_(std::move(metadata)), actual_(metadata_), progress_(progress)
    {
        report_.points = metadata_.numPoints;
    }

    VerifyReport run()
    {
        readStoredChecksums();
        checkImages();
        const auto columns = actual_.values();
        const int64_t total = metadata_.numPoints * static_cast<int64_t>(columns.size());
        int64_t done = 0;
        for (const auto& entry : columns) {
            const std::string& column = entry.first;
            const bool read = column == "crops" ? readCrops(done, total) : readColumn(column, done, total);
            done += metadata_.numPoints;
            if (read) compare(column);
        }
        return report_;
    }

private:
    void readStoredChecksums()
    {
        auto points = proxy_.attribute(kChecksumPointsKey);
        if (!points) {
            report_.checked << QStringLiteral("no checksums stored (written without SLT's bank writer): read check only");
            return;
        }
        report_.hasChecksums = true;
        if (*points != std::to_string(metadata_.numPoints))
            report_.problems << QStringLiteral("the checksums cover %1 points but the bank has %2")
                                    .arg(QString::fromStdString(*points)).arg(metadata_.numPoints);
        for (const auto& entry : actual_.values()) {
            auto stored = proxy_.attribute(checksumKey(entry.first));
            if (!stored) {
                report_.problems << QStringLiteral("the checksum of column '%1' is missing").arg(QString::fromStdString(entry.first));
                continue;
            }
            auto value = ColumnChecksums::parse(*stored);
            if (!value)
                report_.problems << QStringLiteral("the checksum of column '%1' is not 8 hex digits: '%2'")
                                        .arg(QString::fromStdString(entry.first), QString::fromStdString(*stored));
            else
                stored_[entry.first] = *value;
        }
    }

    void checkImages()
    {
        for (int64_t i = 0; i < metadata_.numImages; ++i) {
            if (!proxy_.image_name(i).empty())
                continue;
            report_.problems << QStringLiteral("image name %1 cannot be read").arg(i);
            return;
        }
    }

    bool readColumn(const std::string& column, int64_t done, int64_t total)
    {
        const size_t bytesPerRow = rowBytes(column, metadata_);
        std::vector<char> buffer(bytesPerRow * static_cast<size_t>(kBankBatchRows));
        for (int64_t first = 0; first < metadata_.numPoints; first += kBankBatchRows) {
            const int64_t count = std::min(kBankBatchRows, metadata_.numPoints - first);
            slt_bank_columns c = oneColumn(column, count, buffer);
            if (const auto s = proxy_.read_points(first, c); !s) {
                report_.problems << QStringLiteral("column '%1' cannot be read at rows %2..%3: %4")
                                        .arg(QString::fromStdString(column)).arg(first).arg(first + count - 1)
                                        .arg(toQString(s));
                return false;
            }
            actual_.addBytes(column, buffer.data(), bytesPerRow * static_cast<size_t>(count));
            report(progress_, done + first + count, total);
        }
        return true;
    }

    bool readCrops(int64_t done, int64_t total)
    {
        for (int64_t i = 0; i < metadata_.numPoints; ++i) {
            auto crop = proxy_.read_crop(i, SLT_CROP_RGB);
            if (!crop) {
                report_.problems << QStringLiteral("the crop of point %1 cannot be read: %2").arg(i).arg(toQString(crop.status()));
                return false;
            }
            if (crop->width != metadata_.cropWidth || crop->height != metadata_.cropHeight ||
                crop->bytes.size() != metadata_.cropBytes()) {
                report_.problems << QStringLiteral("the crop of point %1 is %2x%3 (%4 bytes), expected %5x%6")
                                        .arg(i).arg(crop->width).arg(crop->height).arg(crop->bytes.size())
                                        .arg(metadata_.cropWidth).arg(metadata_.cropHeight);
                return false;
            }
            actual_.addBytes("crops", crop->bytes.data(), crop->bytes.size());
            if ((i + 1) % kBankBatchRows == 0)
                report(progress_, done + i + 1, total);
        }
        return true;
    }

    void compare(const std::string& column)
    {
        const uint32_t actual = *actual_.value(column);
        const QString name = QString::fromStdString(column);
        const QString actualText = QString::fromStdString(ColumnChecksums::format(actual));
        const auto stored = stored_.find(column);
        if (!report_.hasChecksums) {
            report_.checked << QStringLiteral("%1: read ok (crc32 %2, nothing stored to compare)").arg(name, actualText);
        } else if (stored == stored_.end()) {
            return; // already reported as missing or malformed
        } else if (stored->second != actual) {
            report_.problems << QStringLiteral("column '%1' is corrupt: its data has crc32 %2 but the stored checksum is %3")
                                    .arg(name, actualText, QString::fromStdString(ColumnChecksums::format(stored->second)));
        } else {
            report_.checked << QStringLiteral("%1: crc32 %2 ok").arg(name, actualText);
        }
    }

    sdk::host::BankProxy& proxy_;
    BankMetadata metadata_;
    ColumnChecksums actual_;
    std::map<std::string, uint32_t> stored_;
    const BankProgress& progress_;
    VerifyReport report_;
};

} // namespace

Result<VerifyReport> verifyBank(const BankBackend& backend, const QString& path, const BankProgress& progress)
{
    auto proxy = openBank(backend, path, SLT_BANK_READ);
    if (!proxy)
        return Result<VerifyReport>::failure(proxy.error());
    auto raw = proxy->metadata();
    if (!raw)
        return Result<VerifyReport>::failure(QStringLiteral("'%1': %2").arg(path, toQString(raw.status())));
    BankMetadata metadata = BankMetadata::fromC(*raw);
    if (const QString problem = metadataProblem(metadata); !problem.isEmpty())
        return Result<VerifyReport>::failure(QStringLiteral("'%1' has inconsistent metadata: %2").arg(path, problem));
    if (!backend.storesCrops()) {
        metadata.cropWidth = 0; // a backend without crops cannot be asked for them
        metadata.cropHeight = 0;
    }
    return Verifier(*proxy, std::move(metadata), progress).run();
}

} // namespace slt::core
