#include "slt/core/bank/bank_copy.hpp"

#include "slt/core/bank/bank_writer.hpp"
#include "slt/core/bank/loaded_bank.hpp"

#include <QFileInfo>

#include <cstring>
#include <optional>

namespace slt::core {
namespace {

// An input bank opened for streaming.
struct Source {
    QString path;
    std::optional<sdk::host::BankProxy> proxy;
    BankMetadata metadata;
    bool crops = false; // the backend can give crops and the bank has them
};

Result<Source> openSource(const BankBackend& backend, const QString& path)
{
    auto proxy = openBank(backend, path, SLT_BANK_READ);
    if (!proxy)
        return Result<Source>::failure(proxy.error());
    auto raw = proxy->metadata();
    if (!raw)
        return Result<Source>::failure(QStringLiteral("'%1': %2").arg(path, toQString(raw.status())));
    Source source;
    source.path = path;
    source.metadata = BankMetadata::fromC(*raw);
    if (const QString problem = metadataProblem(source.metadata); !problem.isEmpty())
        return Result<Source>::failure(QStringLiteral("'%1' has inconsistent metadata: %2").arg(path, problem));
    source.crops = backend.storesCrops() && source.metadata.hasCrops();
    if (!source.crops) {
        source.metadata.cropWidth = 0;
        source.metadata.cropHeight = 0;
    }
    source.proxy.emplace(std::move(*proxy));
    return source;
}

// One batch of every column, owned.
struct Batch {
    std::vector<int32_t> imageIndex, predictedClass;
    std::vector<float> x, y, meanProbs, scores, embeddings;
    std::vector<uint8_t> crops;

    Batch(const BankMetadata& m, int64_t rows)
        : imageIndex(rows), predictedClass(rows), x(rows), y(rows), meanProbs(rows * m.classes()),
          scores(rows * m.metrics()), embeddings(rows * m.embeddingDim), crops(static_cast<size_t>(rows) * m.cropBytes())
    {
    }
};

Status readBatch(Source& source, int64_t first, int64_t count, Batch& batch)
{
    slt_bank_columns c{};
    c.count = count;
    c.image_index = batch.imageIndex.data();
    c.x = batch.x.data();
    c.y = batch.y.data();
    c.predicted_class = batch.predictedClass.data();
    c.mean_probs = batch.meanProbs.data();
    c.scores = source.metadata.metrics() > 0 ? batch.scores.data() : nullptr;
    c.embeddings = source.metadata.embeddingDim > 0 ? batch.embeddings.data() : nullptr;
    if (const auto s = source.proxy->read_points(first, c); !s)
        return Status::failure(QStringLiteral("'%1': %2").arg(source.path, toQString(s)));
    const size_t cropBytes = source.metadata.cropBytes();
    for (int64_t i = 0; source.crops && i < count; ++i) {
        auto crop = source.proxy->read_crop(first + i, SLT_CROP_RGB);
        if (!crop)
            return Status::failure(QStringLiteral("'%1': point %2: %3").arg(source.path).arg(first + i).arg(toQString(crop.status())));
        if (crop->bytes.size() != cropBytes)
            return Status::failure(QStringLiteral("'%1': the crop of point %2 has %3 bytes, expected %4")
                                       .arg(source.path).arg(first + i).arg(crop->bytes.size()).arg(cropBytes));
        std::memcpy(batch.crops.data() + static_cast<size_t>(i) * cropBytes, crop->bytes.data(), cropBytes);
    }
    return {};
}

Status copyImages(Source& source, BankWriter& writer)
{
    std::vector<std::string> names;
    for (int64_t i = 0; i < source.metadata.numImages; ++i) {
        names.push_back(source.proxy->image_name(i));
        if (names.back().empty())
            return Status::failure(QStringLiteral("'%1': image name %2 cannot be read").arg(source.path).arg(i));
        if (names.size() == static_cast<size_t>(kBankBatchRows) || i + 1 == source.metadata.numImages) {
            if (Status s = writer.appendImages(names); !s)
                return s;
            names.clear();
        }
    }
    return {};
}

// Appends every point of `source`, adding `imageOffset` to the image indices.
Status copyPoints(Source& source, BankWriter& writer, int32_t imageOffset, int64_t done, int64_t total,
                  const BankProgress& progress)
{
    const int64_t n = source.metadata.numPoints;
    Batch batch(source.metadata, std::min(n, kBankBatchRows));
    for (int64_t first = 0; first < n; first += kBankBatchRows) {
        const int64_t count = std::min(kBankBatchRows, n - first);
        if (Status s = readBatch(source, first, count, batch); !s)
            return s;
        for (int64_t i = 0; i < count; ++i)
            batch.imageIndex[i] += imageOffset;
        slt_bank_points p{};
        p.count = count;
        p.image_index = batch.imageIndex.data();
        p.x = batch.x.data();
        p.y = batch.y.data();
        p.predicted_class = batch.predictedClass.data();
        p.mean_probs = batch.meanProbs.data();
        p.scores = batch.scores.data();
        p.embeddings = source.metadata.embeddingDim > 0 ? batch.embeddings.data() : nullptr;
        p.crops = source.crops ? batch.crops.data() : nullptr;
        if (Status s = writer.appendPoints(p); !s)
            return s;
        report(progress, done + first + count, total);
    }
    return {};
}

Status copyRunId(Source& source, BankWriter& writer)
{
    auto runId = source.proxy->attribute(kRunIdAttribute);
    return runId ? writer.setAttribute(kRunIdAttribute, *runId) : Status();
}

} // namespace

Status appendBank(const BankBackend& from, const QString& input, BankWriter& writer, const BankProgress& progress)
{
    auto source = openSource(from, input);
    if (!source)
        return Status::failure(source.error());
    const auto offset = static_cast<int32_t>(writer.images());
    if (Status s = copyImages(*source, writer); !s)
        return s;
    return copyPoints(*source, writer, offset, 0, source->metadata.numPoints, progress);
}

namespace {

Status refuseExisting(const QString& output, bool replaceExisting)
{
    if (!replaceExisting && QFileInfo::exists(output))
        return Status::failure(QStringLiteral("'%1' already exists").arg(output));
    return {};
}

template <class T>
QString describe(const std::vector<T>& values)
{
    QStringList items;
    for (const T& v : values) {
        if constexpr (std::is_same_v<T, std::string>) items << QString::fromStdString(v);
        else items << QString::number(v);
    }
    return QStringLiteral("[") + items.join(QStringLiteral(", ")) + QStringLiteral("]");
}

// The first way in which two shards are not of one run, or empty.
QString firstDifference(Source& a, Source& b)
{
    const BankMetadata& x = a.metadata;
    const BankMetadata& y = b.metadata;
    auto differ = [](const QString& what, const QString& u, const QString& v) {
        return QStringLiteral("%1 differs ('%2' vs '%3')").arg(what, u, v);
    };
    if (x.modelId != y.modelId)
        return differ(QStringLiteral("model id"), QString::fromStdString(x.modelId), QString::fromStdString(y.modelId));
    if (x.checkpointHash != y.checkpointHash)
        return differ(QStringLiteral("checkpoint hash"), QString::fromStdString(x.checkpointHash), QString::fromStdString(y.checkpointHash));
    if (x.mcSamples != y.mcSamples)
        return differ(QStringLiteral("MC sample count"), QString::number(x.mcSamples), QString::number(y.mcSamples));
    if (x.metricNames != y.metricNames)
        return differ(QStringLiteral("metric names"), describe(x.metricNames), describe(y.metricNames));
    if (x.classIds != y.classIds || x.classNames != y.classNames || x.classColours != y.classColours)
        return differ(QStringLiteral("class schema"), describe(x.classNames), describe(y.classNames));
    if (x.embeddingDim != y.embeddingDim)
        return differ(QStringLiteral("embedding dim"), QString::number(x.embeddingDim), QString::number(y.embeddingDim));
    if (x.cropWidth != y.cropWidth || x.cropHeight != y.cropHeight)
        return differ(QStringLiteral("crop size"), QStringLiteral("%1x%2").arg(x.cropWidth).arg(x.cropHeight),
                      QStringLiteral("%1x%2").arg(y.cropWidth).arg(y.cropHeight));
    auto runA = a.proxy->attribute(kRunIdAttribute);
    auto runB = b.proxy->attribute(kRunIdAttribute);
    if (runA.ok() != runB.ok() || (runA && *runA != *runB))
        return differ(QStringLiteral("run id (attribute build/run_id)"), runA ? QString::fromStdString(*runA) : QStringLiteral("none"),
                      runB ? QString::fromStdString(*runB) : QStringLiteral("none"));
    return {};
}

} // namespace

Status convertBank(const BankBackend& from, const QString& input, const BankBackend& to, const QString& output,
                   const BankProgress& progress, bool replaceExisting)
{
    if (Status s = refuseExisting(output, replaceExisting); !s)
        return s;
    auto source = openSource(from, input);
    if (!source)
        return Status::failure(source.error());
    BankMetadata metadata = source->metadata;
    if (!to.storesCrops()) {
        metadata.cropWidth = 0;
        metadata.cropHeight = 0;
    }
    auto writer = BankWriter::create(to, output, metadata);
    if (!writer)
        return Status::failure(writer.error());
    if (!to.storesCrops())
        source->crops = false;
    if (Status s = copyImages(*source, *writer); !s)
        return s;
    if (Status s = copyPoints(*source, *writer, 0, 0, source->metadata.numPoints, progress); !s)
        return s;
    if (Status s = copyRunId(*source, *writer); !s)
        return s;
    return writer->finish();
}

Status mergeBanks(const std::vector<MergeInput>& inputs, const BankBackend& to, const QString& output,
                  const BankProgress& progress, bool replaceExisting)
{
    if (inputs.empty())
        return Status::failure(QStringLiteral("no input banks to merge"));
    if (Status s = refuseExisting(output, replaceExisting); !s)
        return s;
    std::vector<Source> sources;
    int64_t total = 0;
    for (const MergeInput& input : inputs) {
        auto source = openSource(input.backend, input.path);
        if (!source)
            return Status::failure(source.error());
        // A converted copy keeps its uuid: merging it with the original would duplicate every point.
        for (const Source& earlier : sources) {
            if (earlier.metadata.uuid == source->metadata.uuid)
                return Status::failure(QStringLiteral("'%1' and '%2' are the same bank (uuid %3): each shard may be merged once")
                                           .arg(earlier.path, source->path, QString::fromStdString(source->metadata.uuid)));
        }
        if (!sources.empty())
            if (const QString difference = firstDifference(sources.front(), *source); !difference.isEmpty())
                return Status::failure(QStringLiteral("'%1' and '%2' are not shards of one run: %3")
                                           .arg(sources.front().path, source->path, difference));
        total += source->metadata.numPoints;
        sources.push_back(std::move(*source));
    }
    BankMetadata metadata = sources.front().metadata;
    metadata.uuid.clear();
    metadata.createdUtc.clear();
    auto writer = BankWriter::create(to, output, metadata);
    if (!writer)
        return Status::failure(writer.error());
    int64_t done = 0;
    for (Source& source : sources) {
        const auto imageOffset = static_cast<int32_t>(writer->images());
        if (Status s = copyImages(source, *writer); !s)
            return s;
        if (Status s = copyPoints(source, *writer, imageOffset, done, total, progress); !s)
            return s;
        done += source.metadata.numPoints;
    }
    if (Status s = copyRunId(sources.front(), *writer); !s)
        return s;
    return writer->finish();
}

} // namespace slt::core
