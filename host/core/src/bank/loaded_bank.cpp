#include "slt/core/bank/loaded_bank.hpp"

#include <new>

namespace slt::core {

QString metadataProblem(const BankMetadata& m)
{
    if (m.numPoints < 0 || m.numImages < 0)
        return QStringLiteral("negative point or image count (%1 points, %2 images)").arg(m.numPoints).arg(m.numImages);
    if (m.classes() < 1)
        return QStringLiteral("no classes");
    if (m.classNames.size() != m.classIds.size() || m.classColours.size() != m.classIds.size())
        return QStringLiteral("the class schema has %1 ids but %2 names and %3 colours")
            .arg(m.classIds.size()).arg(m.classNames.size()).arg(m.classColours.size());
    if (m.embeddingDim < 0 || m.cropWidth < 0 || m.cropHeight < 0)
        return QStringLiteral("negative embedding dim or crop size");
    return {};
}

LoadedBank::LoadedBank(BankBackend backend, sdk::host::BankProxy proxy, BankMetadata metadata)
    : backend_(std::move(backend)), proxy_(std::move(proxy)), metadata_(std::move(metadata))
{
}

Result<LoadedBank> LoadedBank::load(const BankBackend& backend, const QString& path, unsigned columns,
                                    const slt_job* job)
{
    auto proxy = openBank(backend, path, SLT_BANK_READ);
    if (!proxy)
        return Result<LoadedBank>::failure(proxy.error());
    auto raw = proxy->metadata();
    if (!raw)
        return Result<LoadedBank>::failure(QStringLiteral("'%1': %2").arg(path, toQString(raw.status())));
    BankMetadata metadata = BankMetadata::fromC(*raw);
    if (const QString problem = metadataProblem(metadata); !problem.isEmpty())
        return Result<LoadedBank>::failure(QStringLiteral("'%1' has inconsistent metadata: %2").arg(path, problem));
    LoadedBank bank(backend, std::move(*proxy), std::move(metadata));
    if (Status s = bank.allocate(columns); !s)
        return Result<LoadedBank>::failure(QStringLiteral("'%1': %2").arg(path, s.error()));
    if (Status s = bank.readAll(job); !s)
        return Result<LoadedBank>::failure(QStringLiteral("'%1': %2").arg(path, s.error()));
    return bank;
}

Status LoadedBank::allocate(unsigned columns)
{
    const int64_t n = metadata_.numPoints;
    columns_ = columns & AllColumns;
    if (metadata_.embeddingDim == 0)
        columns_ &= ~static_cast<unsigned>(ColumnEmbeddings);
    if (metadata_.metrics() == 0)
        columns_ &= ~static_cast<unsigned>(ColumnScores);
    try {
        if (columns_ & ColumnImageIndex) imageIndex_ = ColumnBuffer<int32_t>(n);
        if (columns_ & ColumnX) x_ = ColumnBuffer<float>(n);
        if (columns_ & ColumnY) y_ = ColumnBuffer<float>(n);
        if (columns_ & ColumnPredictedClass) predictedClass_ = ColumnBuffer<int32_t>(n);
        if (columns_ & ColumnMeanProbs) meanProbs_ = ColumnBuffer<float>(n * metadata_.classes());
        if (columns_ & ColumnScores) scores_ = ColumnBuffer<float>(n * metadata_.metrics());
        if (columns_ & ColumnEmbeddings) embeddings_ = ColumnBuffer<float>(n * metadata_.embeddingDim);
    } catch (const std::bad_alloc&) {
        return Status::failure(QStringLiteral("not enough memory for the columns of %1 points").arg(n));
    }
    return {};
}

// One read_points call for all chosen columns over all rows: each column streams into its final buffer.
Status LoadedBank::readAll(const slt_job* job)
{
    if (metadata_.numPoints == 0 || columns_ == 0)
        return {};
    slt_bank_columns columns{};
    columns.count = metadata_.numPoints;
    columns.image_index = imageIndex_.data();
    columns.x = x_.data();
    columns.y = y_.data();
    columns.predicted_class = predictedClass_.data();
    columns.mean_probs = meanProbs_.data();
    columns.scores = scores_.data();
    columns.embeddings = embeddings_.data();
    const auto status = proxy_->read_points(0, columns, job);
    if (!status)
        return Status::failure(toQString(status));
    return {};
}

size_t LoadedBank::columnBytes() const
{
    return imageIndex_.bytes() + x_.bytes() + y_.bytes() + predictedClass_.bytes() + meanProbs_.bytes() +
           scores_.bytes() + embeddings_.bytes();
}

Result<sdk::host::CropBytes> LoadedBank::crop(int64_t index, slt_crop_format format)
{
    if (index < 0 || index >= metadata_.numPoints)
        return Result<sdk::host::CropBytes>::failure(
            QStringLiteral("point %1 is out of range (the bank has %2 points)").arg(index).arg(metadata_.numPoints));
    auto crop = proxy_->read_crop(index, format);
    if (!crop)
        return Result<sdk::host::CropBytes>::failure(toQString(crop.status()));
    return std::move(*crop);
}

std::string LoadedBank::imageName(int64_t index)
{
    return proxy_->image_name(index);
}

} // namespace slt::core
