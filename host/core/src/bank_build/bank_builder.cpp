#include "slt/core/bank_build/bank_builder.hpp"

#include "metric_columns.hpp"
#include "model_session.hpp"
#include "point_records.hpp"
#include "slt/core/bank/bank_copy.hpp"
#include "slt/core/bank/bank_writer.hpp"
#include "slt/core/training_data/image_access.hpp"
#include "slt/core/class_schema.hpp"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <optional>

namespace slt::core {
namespace {

constexpr const char* kArgsKey = "build/args";
constexpr const char* kStateKey = "build/state";
constexpr const char* kProgressKey = "build/progress";
constexpr int32_t kDefaultSlideTile = 512;

uint64_t mixSeed(uint64_t a, uint64_t b)
{
    return mcSeed(a, b);
}

Result<std::string> fileSha256(const QString& path)
{
    QFile file(path);
    if (!QFileInfo(path).isFile() || !file.open(QIODevice::ReadOnly))
        return Result<std::string>::failure(QStringLiteral("the checkpoint '%1' does not exist or cannot be read").arg(path));
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!hash.addData(&file))
        return Result<std::string>::failure(QStringLiteral("cannot read the checkpoint '%1'").arg(path));
    return hash.result().toHex().toStdString();
}

const char* strategyName(PointStrategy s)
{
    switch (s) {
    case PointStrategy::Centre: return "centre";
    case PointStrategy::Grid: return "grid";
    case PointStrategy::LocalMax: return "localmax";
    case PointStrategy::ContrastPeaks: return "contrast";
    }
    return "?";
}

// Where the next run continues: work item `item`, tile `tile` of it.
struct Position {
    int64_t item = 0;
    int64_t tile = 0;
};

std::optional<Position> parsePosition(const std::string& text)
{
    static const QRegularExpression pattern(QStringLiteral("^item=(\\d+) tile=(\\d+)$"));
    const auto m = pattern.match(QString::fromStdString(text));
    if (!m.hasMatch())
        return std::nullopt;
    return Position{m.captured(1).toLongLong(), m.captured(2).toLongLong()};
}

using training_data::ImageAccess;
using training_data::ImageKind;

const uint8_t* pixelAt(const RgbImage& image, int64_t x, int64_t y)
{
    return image.pixels.data() + (y * image.width + x) * 3;
}

// Pads `image` on the right and bottom to multiples of `multiple` by repeating the last column and row.
RgbImage paddedTo(const RgbImage& image, int32_t multiple)
{
    const int64_t w = (image.width + multiple - 1) / multiple * multiple, h = (image.height + multiple - 1) / multiple * multiple;
    if (w == image.width && h == image.height)
        return image;
    RgbImage out;
    out.width = w;
    out.height = h;
    out.pixels.resize(static_cast<size_t>(w) * h * 3);
    for (int64_t y = 0; y < h; ++y)
        for (int64_t x = 0; x < w; ++x)
            std::memcpy(out.pixels.data() + (y * w + x) * 3, pixelAt(image, std::min(x, image.width - 1), std::min(y, image.height - 1)), 3);
    return out;
}

// A crop reader on an in-memory image: pixels outside repeat the nearest edge pixel.
CropReader clampedCrop(const RgbImage& image, int32_t size)
{
    return [&image, size](int64_t left, int64_t top, uint8_t* out) {
        for (int32_t y = 0; y < size; ++y)
            for (int32_t x = 0; x < size; ++x) {
                const int64_t sx = std::clamp<int64_t>(left + x, 0, image.width - 1);
                const int64_t sy = std::clamp<int64_t>(top + y, 0, image.height - 1);
                std::memcpy(out + (static_cast<size_t>(y) * size + x) * 3, pixelAt(image, sx, sy), 3);
            }
        return Status();
    };
}

CropReader slideCrop(ImageAccess& images, const QString& slide, int32_t size)
{
    return [&images, slide, size](int64_t left, int64_t top, uint8_t* out) {
        auto region = images.readSlideRegion(slide, left, top, size, size);
        if (!region)
            return Status::failure(region.error());
        std::memcpy(out, region->pixels.data(), region->pixels.size());
        return Status();
    };
}

class Builder {
public:
    Builder(const BankBuildOptions& o, const BankBuildServices& services, std::vector<BuildInput> inputs, ModelSession model,
            MetricColumns scores, std::optional<MetricColumns> mapMetric, std::string checkpointHash)
        : o_(o), services_(services), inputs_(std::move(inputs)), model_(std::move(model)), scores_(std::move(scores)),
          mapMetric_(std::move(mapMetric)), checkpointHash_(std::move(checkpointHash)), passes_(o.mcSamples),
          records_(model_.description().classes(), passes_, model_.description().embeddingDim, o.cropSize)
    {
        const int64_t perItem = o.inputKind == BuildInputKind::Images ? o.batch : 1;
        totalItems_ = (static_cast<int64_t>(inputs_.size()) + perItem - 1) / perItem;
        for (int64_t item = 0; item < totalItems_; ++item)
            if (o.shard.takes(item))
                shardItems_.push_back(item);
        args_ = argumentsText();
    }

    Result<BankBuildSummary> run();

private:
    std::string argumentsText() const;
    std::string runId() const;
    BankMetadata metadata() const;
    Result<bool> alreadyComplete();
    Status openWriter();
    Status resumeWriter(const QString& partial);
    Status processImageBlock(int64_t item);
    Status processSlide(int64_t item, int64_t firstTile);
    Status pointsOfBatch(const std::vector<const RgbImage*>& tiles, std::vector<TileContext>& contexts, uint64_t seed);
    Status appendRecords();
    Status stopHere(const Position& next, const QString& why);
    QString stoppedAfterError(const Status& error);
    bool shouldStop() const;
    void reportProgress(int64_t itemsDone);

    const BankBuildOptions& o_;
    const BankBuildServices& services_;
    std::vector<BuildInput> inputs_;
    ModelSession model_;
    MetricColumns scores_;
    std::optional<MetricColumns> mapMetric_;
    std::string checkpointHash_;
    int32_t passes_;
    PointRecords records_;
    int64_t totalItems_ = 0;
    std::vector<int64_t> shardItems_;
    std::string args_;
    std::optional<BankWriter> writer_;
    bool finished_ = false; // the writer was finished as an interrupted build
    Position start_;
    int64_t itemsThisRun_ = 0;
    int64_t pointsAtStart_ = 0;
    QElapsedTimer timer_;
};

std::string Builder::argumentsText() const
{
    QCryptographicHash inputs(QCryptographicHash::Sha256);
    for (const BuildInput& input : inputs_)
        inputs.addData(QByteArray::fromStdString(input.name + '\n'));
    std::string metrics;
    for (const std::string& m : scores_.names())
        metrics += (metrics.empty() ? "" : ",") + m;
    const PointOptions& p = o_.points;
    char points[200];
    std::snprintf(points, sizeof points, "%s step=%d window=%d margin=%d smooth=%g max=%d", strategyName(p.strategy), p.gridStep,
                  p.window, p.edgeMargin, static_cast<double>(p.smoothingSigma), p.maxPointsPerTile);
    // Only contrast builds name the contrast options, so the arguments of the other strategies read as before.
    if (p.strategy == PointStrategy::ContrastPeaks)
        std::snprintf(points + std::strlen(points), sizeof points - std::strlen(points), " contrast=%g min-distance=%d",
                      static_cast<double>(p.contrast), p.minDistance);
    return "model=" + o_.modelPluginId.toStdString() + "\ncheckpoint=" + checkpointHash_ +
           "\ninputs=" + (o_.inputKind == BuildInputKind::Images ? "images:" : "slides:") + inputs.result().toHex().toStdString() +
           "\nmc=" + std::to_string(passes_) + "\nmetrics=" + metrics + "\npoints=" + points +
           "\nbatch=" + std::to_string(o_.batch) + "\nseed=" + std::to_string(o_.seed) + "\ncrop=" + std::to_string(o_.cropSize) +
           "\nshard=" + std::to_string(o_.shard.index) + "/" + std::to_string(o_.shard.count) + "\n";
}

// The same for every shard of one run (the shard line excluded), so `bank merge` accepts the shards.
std::string Builder::runId() const
{
    const std::string shared = args_.substr(0, args_.rfind("shard="));
    return "build-" + QCryptographicHash::hash(QByteArray::fromStdString(shared), QCryptographicHash::Sha256).toHex().left(16).toStdString();
}

BankMetadata Builder::metadata() const
{
    const ModelDescription& d = model_.description();
    BankMetadata m;
    m.modelId = o_.modelPluginId.toStdString() + " " + d.architecture;
    m.checkpointHash = checkpointHash_;
    m.mcSamples = passes_;
    const std::vector<ClassInfo> colours = ClassSchema::withTissueClasses(d.classes()).tissueClasses();
    for (int32_t c = 0; c < d.classes(); ++c) {
        m.classIds.push_back(d.classIds[static_cast<size_t>(c)]);
        m.classNames.push_back(d.classNames[static_cast<size_t>(c)]);
        m.classColours.push_back(colours[static_cast<size_t>(c)].colour.toStdString());
    }
    m.metricNames = scores_.names();
    m.embeddingDim = d.embeddingDim;
    m.cropWidth = m.cropHeight = o_.cropSize;
    return m;
}

// True when <out> exists, is complete and was built with the same arguments.
Result<bool> Builder::alreadyComplete()
{
    if (!QFileInfo::exists(o_.output))
        return false;
    auto bank = openBank(services_.backend, o_.output, SLT_BANK_READ);
    if (!bank)
        return Result<bool>::failure(bank.error());
    auto args = bank->attribute(kArgsKey);
    auto state = bank->attribute(kStateKey);
    if (!args || !state || *state != "complete" || *args != args_)
        return Result<bool>::failure(QStringLiteral("'%1' already exists and is not a finished build with these arguments; "
                                                    "remove it or choose another --out")
                                         .arg(o_.output));
    return true;
}

Status Builder::openWriter()
{
    const QString partial = partialBankPath(o_.output);
    if (o_.resume && QFileInfo::exists(partial))
        return resumeWriter(partial);
    if (QFileInfo::exists(partial))
        return Status::failure(QStringLiteral("'%1' holds an interrupted build; continue it with --resume or delete it").arg(partial));
    auto writer = BankWriter::create(services_.backend, partial, metadata());
    if (!writer)
        return Status::failure(writer.error());
    writer_.emplace(std::move(*writer));
    if (Status s = writer_->setAttribute(kRunIdAttribute, runId()); !s)
        return s;
    return writer_->setAttribute(kArgsKey, args_);
}

Status Builder::resumeWriter(const QString& partial)
{
    auto bank = openBank(services_.backend, partial, SLT_BANK_READ);
    if (!bank)
        return Status::failure(QStringLiteral("cannot resume from '%1': %2").arg(partial, bank.error()));
    auto args = bank->attribute(kArgsKey);
    auto progress = bank->attribute(kProgressKey);
    auto raw = bank->metadata();
    const auto position = progress ? parsePosition(*progress) : std::nullopt;
    if (!args || !position || !raw)
        return Status::failure(QStringLiteral("'%1' is not an interrupted bank build (no build/args or build/progress)").arg(partial));
    if (*args != args_)
        return Status::failure(QStringLiteral("cannot resume from '%1': it was started with other arguments:\n%2\nnow:\n%3")
                                   .arg(partial, QString::fromStdString(*args), QString::fromStdString(args_)));
    BankMetadata m = metadata();
    m.uuid = raw->uuid ? raw->uuid : "";
    m.createdUtc = raw->created_utc ? raw->created_utc : "";
    bank->close();
    auto writer = BankWriter::create(services_.backend, partial, m);
    if (!writer)
        return Status::failure(writer.error());
    writer_.emplace(std::move(*writer));
    if (Status s = appendBank(services_.backend, partial, *writer_); !s)
        return s;
    start_ = *position;
    if (services_.note)
        services_.note(QStringLiteral("resuming '%1': %2 images and %3 points done").arg(partial).arg(writer_->images()).arg(writer_->points()));
    if (Status s = writer_->setAttribute(kRunIdAttribute, runId()); !s)
        return s;
    return writer_->setAttribute(kArgsKey, args_);
}

bool Builder::shouldStop() const
{
    return (services_.cancelled && services_.cancelled->load()) || (o_.stopAfterItems > 0 && itemsThisRun_ >= o_.stopAfterItems);
}

void Builder::reportProgress(int64_t itemsDone)
{
    if (services_.progress)
        services_.progress({itemsDone, static_cast<int64_t>(shardItems_.size()), writer_->images(), writer_->points()});
}

Status Builder::appendRecords()
{
    if (records_.count() > 0) {
        slt_array probs = records_.passProbabilities();
        if (Status s = scores_.compute(probs, records_.scores(scores_.count())); !s)
            return s;
    }
    Status s = writer_->appendPoints(records_.view());
    records_.clear();
    return s;
}

// Candidate points, per-point values and crops of one predicted batch into records_.
Status Builder::pointsOfBatch(const std::vector<const RgbImage*>& tiles, std::vector<TileContext>& contexts, uint64_t seed)
{
    auto prediction = model_.predict(tiles, passes_, seed);
    if (!prediction)
        return Status::failure(prediction.error());
    for (TileContext& tile : contexts) {
        std::vector<float> map;
        if (needsUncertaintyMap(o_.points.strategy)) {
            auto computed = uncertaintyMap(*prediction, tile.item, *mapMetric_);
            if (!computed)
                return Status::failure(computed.error());
            map = std::move(*computed);
        }
        const UncertaintyMap view{map.data(), static_cast<int32_t>(prediction->width), static_cast<int32_t>(prediction->height),
                                  prediction->outputStride};
        const auto points = candidatePoints(o_.points, tile.validWidth, tile.validHeight, view);
        if (Status s = records_.add(*prediction, tile, points); !s)
            return s;
    }
    return {};
}

Status Builder::processImageBlock(int64_t item)
{
    const int64_t first = item * o_.batch, end = std::min<int64_t>(first + o_.batch, static_cast<int64_t>(inputs_.size()));
    std::vector<RgbImage> images, tiles;
    std::vector<std::string> names;
    for (int64_t i = first; i < end; ++i) {
        auto image = services_.images->readImage(inputs_[static_cast<size_t>(i)].path);
        if (!image)
            return Status::failure(image.error());
        tiles.push_back(paddedTo(*image, model_.description().sizeMultiple));
        images.push_back(std::move(*image));
        names.push_back(inputs_[static_cast<size_t>(i)].name);
    }
    const auto imageBase = static_cast<int32_t>(writer_->images());
    // One predict() per run of equally sized tiles; its seed names the run's first image.
    for (size_t runStart = 0; runStart < tiles.size();) {
        size_t runEnd = runStart + 1;
        while (runEnd < tiles.size() && tiles[runEnd].width == tiles[runStart].width && tiles[runEnd].height == tiles[runStart].height)
            ++runEnd;
        std::vector<const RgbImage*> batch;
        std::vector<TileContext> contexts;
        for (size_t k = runStart; k < runEnd; ++k) {
            batch.push_back(&tiles[k]);
            contexts.push_back({static_cast<int64_t>(k - runStart), static_cast<int32_t>(images[k].width),
                                static_cast<int32_t>(images[k].height), imageBase + static_cast<int32_t>(k), 0, 0,
                                clampedCrop(images[k], o_.cropSize)});
        }
        if (Status s = pointsOfBatch(batch, contexts, mixSeed(o_.seed, static_cast<uint64_t>(first + static_cast<int64_t>(runStart)))); !s)
            return s;
        runStart = runEnd;
    }
    if (Status s = writer_->appendImages(names); !s)
        return s;
    return appendRecords();
}

Status Builder::processSlide(int64_t item, int64_t firstTile)
{
    const BuildInput& input = inputs_[static_cast<size_t>(item)];
    auto slide = services_.images->probe(input.path, ImageKind::Slide);
    if (!slide)
        return Status::failure(slide.error());
    const ModelDescription& d = model_.description();
    const auto roundUp = [&](int32_t v) { return (v + d.sizeMultiple - 1) / d.sizeMultiple * d.sizeMultiple; };
    const int32_t tileW = roundUp(d.inputWidth > 0 ? d.inputWidth : kDefaultSlideTile);
    const int32_t tileH = roundUp(d.inputHeight > 0 ? d.inputHeight : kDefaultSlideTile);
    const int64_t across = (slide->width + tileW - 1) / tileW, down = (slide->height + tileH - 1) / tileH;
    const int64_t tileCount = across * down;
    if (firstTile == 0)
        if (Status s = writer_->appendImages({input.name}); !s)
            return s;
    const auto imageIndex = static_cast<int32_t>(writer_->images() - 1);
    for (int64_t t0 = firstTile; t0 < tileCount; t0 += o_.batch) {
        if (t0 > firstTile && shouldStop())
            return stopHere({item, t0}, QStringLiteral("cancelled"));
        std::vector<RgbImage> tiles;
        std::vector<TileContext> contexts;
        for (int64_t t = t0; t < std::min(tileCount, t0 + o_.batch); ++t) {
            const int64_t x = (t % across) * tileW, y = (t / across) * tileH;
            auto region = services_.images->readSlideRegion(input.path, x, y, tileW, tileH);
            if (!region)
                return Status::failure(region.error());
            tiles.push_back(std::move(*region));
            contexts.push_back({t - t0, static_cast<int32_t>(std::min<int64_t>(tileW, slide->width - x)),
                                static_cast<int32_t>(std::min<int64_t>(tileH, slide->height - y)), imageIndex, x, y,
                                slideCrop(*services_.images, input.path, o_.cropSize)});
        }
        std::vector<const RgbImage*> batch;
        for (const RgbImage& tile : tiles)
            batch.push_back(&tile);
        if (Status s = pointsOfBatch(batch, contexts, mixSeed(mixSeed(o_.seed, static_cast<uint64_t>(item)), static_cast<uint64_t>(t0))); !s)
            return s;
        if (Status s = appendRecords(); !s)
            return s;
        start_ = {item, t0 + static_cast<int64_t>(tiles.size())};
    }
    return {};
}

// Finishes the partial bank as resumable at `next`.
Status Builder::stopHere(const Position& next, const QString& why)
{
    const std::string progress = "item=" + std::to_string(next.item) + " tile=" + std::to_string(next.tile);
    if (Status s = writer_->setAttribute(kProgressKey, progress); !s)
        return s;
    if (Status s = writer_->setAttribute(kStateKey, "interrupted"); !s)
        return s;
    finished_ = true;
    if (Status s = writer_->finish(); !s)
        return s;
    return Status::failure(QStringLiteral("%1; the partial bank '%2' holds the %3 work items done, rerun with --resume to continue")
                               .arg(why, partialBankPath(o_.output))
                               .arg(std::lower_bound(shardItems_.begin(), shardItems_.end(), next.item) - shardItems_.begin()));
}

// After a failed item: nothing kept when the bank is still empty, else a resumable partial bank.
QString Builder::stoppedAfterError(const Status& error)
{
    if (finished_) // a cancel inside a slide already finished the partial bank
        return error.error();
    if (writer_->images() == 0) {
        writer_.reset(); // removes the temporary file
        return error.error();
    }
    return error.error() + QStringLiteral("\n") + stopHere(start_, QStringLiteral("stopped")).error();
}

Result<BankBuildSummary> Builder::run()
{
    timer_.start();
    BankBuildSummary summary;
    summary.partialPath = partialBankPath(o_.output);
    summary.itemsTotal = static_cast<int64_t>(shardItems_.size());
    if (o_.resume) {
        auto done = alreadyComplete();
        if (!done)
            return Result<BankBuildSummary>::failure(done.error());
        if (*done) {
            summary.complete = summary.alreadyComplete = true;
            return summary;
        }
    }
    if (Status s = openWriter(); !s)
        return Result<BankBuildSummary>::failure(s.error());
    pointsAtStart_ = writer_->points();
    const auto firstIndex = std::lower_bound(shardItems_.begin(), shardItems_.end(), start_.item) - shardItems_.begin();
    QString failure;
    for (auto k = static_cast<size_t>(firstIndex); k < shardItems_.size(); ++k) {
        const int64_t item = shardItems_[k];
        start_ = {item, item == start_.item ? start_.tile : 0};
        if (shouldStop()) {
            failure = stopHere(start_, services_.cancelled && services_.cancelled->load() ? QStringLiteral("cancelled")
                                                                                            : QStringLiteral("stopped as asked")).error();
            break;
        }
        if (Status s = o_.inputKind == BuildInputKind::Images ? processImageBlock(item) : processSlide(item, start_.tile); !s) {
            failure = stoppedAfterError(s);
            break;
        }
        ++itemsThisRun_;
        reportProgress(static_cast<int64_t>(k) + 1);
    }
    if (!failure.isEmpty())
        return Result<BankBuildSummary>::failure(failure);
    summary.images = writer_->images();
    summary.points = writer_->points();
    summary.pointsThisRun = summary.points - pointsAtStart_;
    summary.itemsDone = summary.itemsTotal;
    if (Status s = writer_->setAttribute(kProgressKey, "item=" + std::to_string(totalItems_) + " tile=0"); !s)
        return Result<BankBuildSummary>::failure(s.error());
    if (Status s = writer_->setAttribute(kStateKey, "complete"); !s)
        return Result<BankBuildSummary>::failure(s.error());
    if (Status s = writer_->finish(); !s)
        return Result<BankBuildSummary>::failure(s.error());
    if (std::rename(QFile::encodeName(summary.partialPath).constData(), QFile::encodeName(o_.output).constData()) != 0)
        return Result<BankBuildSummary>::failure(QStringLiteral("cannot move the finished bank '%1' to '%2'").arg(summary.partialPath, o_.output));
    summary.complete = true;
    summary.seconds = static_cast<double>(timer_.elapsed()) / 1000.0;
    return summary;
}

Result<std::vector<BuildInput>> listInputs(const BankBuildOptions& o)
{
    if (o.inputKind == BuildInputKind::Slides)
        return slidesInFolder(o.inputPath);
    return QFileInfo(o.inputPath).isDir() ? imagesInFolder(o.inputPath) : imagesFromCsv(o.inputPath);
}

QString optionsProblem(const BankBuildOptions& o)
{
    if (o.batch < 1) return QStringLiteral("the batch size must be at least 1");
    if (o.cropSize < 0 || o.cropSize > 1024) return QStringLiteral("the crop size must be in 0..1024");
    if (o.points.gridStep < 1 || o.points.window < 1 || o.points.edgeMargin < 0 || o.points.maxPointsPerTile < 0 || o.points.smoothingSigma < 0 ||
        !(o.points.contrast > 0) || !std::isfinite(o.points.contrast) || o.points.minDistance < 1)
        return QStringLiteral("point options out of range");
    if (o.shard.count < 1 || o.shard.index < 0 || o.shard.index >= o.shard.count) return QStringLiteral("the shard must be i/n with 0 <= i < n");
    return {};
}

} // namespace

uint64_t mcSeed(uint64_t seed, uint64_t index)
{
    uint64_t z = seed ^ (index + 0x9E3779B97F4A7C15ull + (seed << 6) + (seed >> 2));
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

QString partialBankPath(const QString& output)
{
    return output + QStringLiteral(".partial");
}

Result<BankBuildSummary> buildBank(const BankBuildOptions& options, const BankBuildServices& services)
{
    using R = Result<BankBuildSummary>;
    if (const QString problem = optionsProblem(options); !problem.isEmpty())
        return R::failure(problem);
    if (!services.plugins || !services.images)
        return R::failure(QStringLiteral("bank build needs the plugin manager and an image reader"));
    if (options.cropSize > 0 && !services.backend.storesCrops())
        return R::failure(QStringLiteral("%1 stores no crops; use --crop-size 0").arg(services.backend.formatName()));
    auto inputs = listInputs(options);
    if (!inputs)
        return R::failure(inputs.error());
    auto hash = fileSha256(options.checkpoint);
    if (!hash)
        return R::failure(hash.error());
    auto model = ModelSession::load(*services.plugins, options.modelPluginId, options.checkpoint, options.modelConfigToml);
    if (!model)
        return R::failure(model.error());
    BankBuildOptions o = options;
    if (o.mcSamples <= 0)
        o.mcSamples = model->description().defaultMcSamples;
    if (o.metrics.empty())
        o.metrics = {"bald", "entropy", "msp"};
    auto scores = MetricColumns::create(services.metricPlugins, o.metrics, o.mcSamples);
    if (!scores)
        return R::failure(scores.error());
    std::optional<MetricColumns> mapMetric;
    if (needsUncertaintyMap(o.points.strategy)) {
        auto first = MetricColumns::create(services.metricPlugins, {o.metrics.front()}, o.mcSamples);
        if (!first)
            return R::failure(first.error());
        mapMetric.emplace(std::move(*first));
    }
    Builder builder(o, services, std::move(*inputs), std::move(*model), std::move(*scores), std::move(mapMetric), *hash);
    return builder.run();
}

} // namespace slt::core
