#include "slt/core/bank/bank_writer.hpp"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>

#include <cstdio>

namespace slt::core {
namespace {

// "<dir>/.<name>.partial-<pid>": beside the destination (same file system, so rename is atomic), hidden.
QString temporaryPathFor(const QString& path)
{
    const QFileInfo info(path);
    return info.absolutePath() + QStringLiteral("/.") + info.fileName() +
           QStringLiteral(".partial-%1").arg(QCoreApplication::applicationPid());
}

} // namespace

BankWriter::BankWriter(sdk::host::BankProxy proxy, BankMetadata metadata, QString temporaryPath, QString path)
    : proxy_(std::make_unique<sdk::host::BankProxy>(std::move(proxy))), metadata_(metadata), checksums_(metadata), temporaryPath_(std::move(temporaryPath)),
      path_(std::move(path))
{
}

BankWriter::BankWriter(BankWriter&&) noexcept = default;
BankWriter& BankWriter::operator=(BankWriter&&) noexcept = default;

BankWriter::~BankWriter()
{
    abandon();
}

void BankWriter::abandon()
{
    if (!proxy_)
        return;
    proxy_->close();
    proxy_.reset();
    QFile::remove(temporaryPath_);
}

Status BankWriter::finishedError() const
{
    return Status::failure(QStringLiteral("'%1': the bank writer was already finished").arg(path_));
}

Result<BankWriter> BankWriter::create(const BankBackend& backend, const QString& path, const BankMetadata& metadata)
{
    if (!backend.canWrite())
        return Result<BankWriter>::failure(QStringLiteral("%1 cannot write banks").arg(backend.formatName()));
    const QString temporary = temporaryPathFor(path);
    QFile::remove(temporary); // a leftover of a crashed run with the same pid
    const BankMetadataView view(metadata);
    auto proxy = openBank(backend, temporary, SLT_BANK_CREATE, view.get());
    if (!proxy)
        return Result<BankWriter>::failure(proxy.error());
    auto created = proxy->metadata();
    if (!created) {
        proxy->close();
        QFile::remove(temporary);
        return Result<BankWriter>::failure(QStringLiteral("'%1': %2").arg(path, toQString(created.status())));
    }
    return BankWriter(std::move(*proxy), BankMetadata::fromC(*created), temporary, path);
}

Status BankWriter::appendImages(const std::vector<std::string>& names)
{
    if (!proxy_)
        return finishedError();
    if (names.empty())
        return {};
    if (const auto s = proxy_->append_images(names); !s)
        return Status::failure(QStringLiteral("'%1': %2").arg(path_, toQString(s)));
    images_ += static_cast<int64_t>(names.size());
    return {};
}

QString BankWriter::checkBatch(const slt_bank_points& b) const
{
    if (b.count < 0)
        return QStringLiteral("negative batch size");
    if (!b.image_index || !b.x || !b.y || !b.predicted_class || !b.mean_probs || (metadata_.metrics() > 0 && !b.scores) ||
        (metadata_.embeddingDim > 0 && !b.embeddings) || (metadata_.hasCrops() && !b.crops))
        return QStringLiteral("a column of the batch is missing");
    for (int64_t i = 0; i < b.count; ++i) {
        if (b.image_index[i] < 0 || b.image_index[i] >= images_)
            return QStringLiteral("point %1 refers to image %2 but the bank has %3 images")
                .arg(points() + i).arg(b.image_index[i]).arg(images_);
        if (b.predicted_class[i] < 0 || b.predicted_class[i] >= metadata_.classes())
            return QStringLiteral("point %1 has predicted class %2 outside 0..%3")
                .arg(points() + i).arg(b.predicted_class[i]).arg(metadata_.classes() - 1);
    }
    return {};
}

Status BankWriter::appendPoints(slt_bank_points batch)
{
    if (!proxy_)
        return finishedError();
    if (const QString problem = checkBatch(batch); !problem.isEmpty())
        return Status::failure(QStringLiteral("'%1': %2").arg(path_, problem));
    if (batch.count == 0)
        return {};
    if (!metadata_.hasCrops())
        batch.crops = nullptr;
    if (const auto s = proxy_->append_points(batch); !s)
        return Status::failure(QStringLiteral("'%1': %2").arg(path_, toQString(s)));
    checksums_.addPoints(batch);
    return {};
}

Status BankWriter::setAttribute(const std::string& key, const std::string& value)
{
    if (!proxy_)
        return finishedError();
    if (const auto s = proxy_->set_attribute(key, value); !s)
        return Status::failure(QStringLiteral("'%1': %2").arg(path_, toQString(s)));
    return {};
}

Status BankWriter::finish()
{
    if (!proxy_)
        return finishedError();
    for (const auto& [column, crc] : checksums_.values())
        if (Status s = setAttribute(checksumKey(column), ColumnChecksums::format(crc)); !s)
            return s;
    if (Status s = setAttribute(kChecksumPointsKey, std::to_string(points())); !s)
        return s;
    const auto closed = proxy_->close();
    proxy_.reset();
    if (!closed) {
        QFile::remove(temporaryPath_);
        return Status::failure(QStringLiteral("'%1': %2").arg(path_, toQString(closed)));
    }
    // rename(2) replaces an existing destination atomically; callers decide whether that is allowed.
    if (std::rename(QFile::encodeName(temporaryPath_).constData(), QFile::encodeName(path_).constData()) != 0) {
        QFile::remove(temporaryPath_);
        return Status::failure(QStringLiteral("cannot move the finished bank to '%1'").arg(path_));
    }
    return {};
}

} // namespace slt::core
