#include "slt/core/bank/synthetic_bank.hpp"

#include "slt/core/bank/bank_copy.hpp"
#include "slt/core/bank/bank_writer.hpp"
#include "slt/core/class_schema.hpp"
#include "synthetic_model.hpp"

#include <QFile>
#include <QFileInfo>

#include <array>
#include <cstdio>
#include <memory>

namespace slt::core {
namespace {

using synthetic::Purpose;
using synthetic::Random;

// The "checkpoint" of a synthetic bank is its generator: version, seed, D, C and T.
std::string checkpointHash(const SyntheticBankOptions& o)
{
    uint64_t h = synthetic::mix64(static_cast<uint64_t>(synthetic::kGeneratorVersion));
    for (uint64_t v : {o.seed, static_cast<uint64_t>(o.dim), static_cast<uint64_t>(o.classes),
                       static_cast<uint64_t>(o.mcSamples)})
        h = synthetic::mix64(h ^ v);
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(h));
    return text;
}

BankMetadata syntheticMetadata(const SyntheticBankOptions& o, const std::vector<std::string>& metricNames)
{
    BankMetadata m;
    m.modelId = "org.slt.synthetic/gaussian-mixture-v" + std::to_string(synthetic::kGeneratorVersion);
    m.checkpointHash = checkpointHash(o);
    m.mcSamples = o.mcSamples;
    for (const ClassInfo& c : ClassSchema::withTissueClasses(o.classes).tissueClasses()) {
        m.classIds.push_back(c.id);
        m.classNames.push_back(c.name.toStdString());
        m.classColours.push_back(c.colour.toStdString());
    }
    m.metricNames = metricNames;
    m.embeddingDim = o.dim;
    m.cropWidth = o.cropSize;
    m.cropHeight = o.cropSize;
    return m;
}

std::vector<std::array<uint8_t, 3>> classColours(const BankMetadata& m)
{
    std::vector<std::array<uint8_t, 3>> colours;
    for (const std::string& name : m.classColours) { // "#rrggbb"; grey when unreadable
        unsigned r = 128, g = 128, b = 128;
        if (name.size() != 7 || std::sscanf(name.c_str(), "#%2x%2x%2x", &r, &g, &b) != 3)
            r = g = b = 128;
        colours.push_back({static_cast<uint8_t>(r), static_cast<uint8_t>(g), static_cast<uint8_t>(b)});
    }
    return colours;
}

struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
};

// One batch of generated points; buffers reused from batch to batch.
struct Batch {
    std::vector<int32_t> imageIndex, predicted, truth;
    std::vector<float> x, y, passProbs, meanProbs, scores, embeddings;
    std::vector<uint8_t> crops;

    Batch(const SyntheticBankOptions& o, int32_t metrics, int64_t rows)
        : imageIndex(rows), predicted(rows), truth(rows), x(rows), y(rows), passProbs(rows * o.mcSamples * o.classes),
          meanProbs(rows * o.classes), scores(rows * metrics), embeddings(rows * o.dim),
          crops(static_cast<size_t>(rows) * o.cropSize * o.cropSize * 3)
    {
    }
};

class Synthesizer {
public:
    Synthesizer(const SyntheticBankOptions& options, MetricScorer scorer, BankWriter writer)
        : o_(options), model_(options.seed, options.dim, options.classes), scorer_(std::move(scorer)),
          writer_(std::move(writer)), colours_(classColours(writer_.metadata())),
          firstImage_(options.firstPoint / options.pointsPerImage)
    {
    }

    Status run(std::FILE* truth, const BankProgress& progress)
    {
        if (Status s = writeImages(); !s)
            return s;
        if (Status s = writer_.setAttribute(kRunIdAttribute, runId()); !s)
            return s;
        Batch batch(o_, scorer_.count(), std::min(o_.points, o_.batchRows));
        for (int64_t first = 0; first < o_.points; first += o_.batchRows) {
            const int64_t count = std::min(o_.batchRows, o_.points - first);
            generate(first, count, batch);
            if (Status s = score(count, batch); !s)
                return s;
            if (Status s = append(count, batch); !s)
                return s;
            if (truth)
                for (int64_t i = 0; i < count; ++i)
                    std::fprintf(truth, "%lld,%d\n", static_cast<long long>(first + i), batch.truth[i]);
            report(progress, first + count, o_.points);
        }
        return writer_.finish();
    }

private:
    std::string runId() const
    {
        return "synthetic-" + checkpointHash(o_) + "-crop" + std::to_string(o_.cropSize);
    }

    Status writeImages()
    {
        const int64_t last = o_.points > 0 ? (o_.firstPoint + o_.points - 1) / o_.pointsPerImage : firstImage_ - 1;
        std::vector<std::string> names;
        for (int64_t image = firstImage_; image <= last; ++image) {
            char name[40];
            std::snprintf(name, sizeof name, "synthetic_%04lld.png", static_cast<long long>(image));
            names.push_back(name);
        }
        return writer_.appendImages(names);
    }

    void generate(int64_t first, int64_t count, Batch& b)
    {
        const int32_t C = o_.classes, T = o_.mcSamples;
        const size_t cropBytes = static_cast<size_t>(o_.cropSize) * o_.cropSize * 3;
        for (int64_t i = 0; i < count; ++i) {
            const uint64_t point = static_cast<uint64_t>(o_.firstPoint + first + i);
            float* passes = b.passProbs.data() + static_cast<size_t>(i) * T * C;
            model_.drawPoint(point, b.embeddings.data() + static_cast<size_t>(i) * o_.dim, T, passes);
            b.predicted[i] = synthetic::meanProbabilities(passes, T, C, b.meanProbs.data() + static_cast<size_t>(i) * C);
            Random truth(o_.seed, point, Purpose::Truth);
            b.truth[i] = synthetic::sampleTruth(b.meanProbs.data() + static_cast<size_t>(i) * C, C, truth);
            Random position(o_.seed, point, Purpose::Position);
            b.imageIndex[i] = static_cast<int32_t>(static_cast<int64_t>(point) / o_.pointsPerImage - firstImage_);
            b.x[i] = static_cast<float>(std::floor(position.uniform(0, 4096)));
            b.y[i] = static_cast<float>(std::floor(position.uniform(0, 4096)));
            if (cropBytes > 0) {
                Random crop(o_.seed, point, Purpose::Crop);
                synthetic::paintCrop(o_.cropSize, b.truth[i], colours_[b.truth[i]], crop, b.crops.data() + i * cropBytes);
            }
        }
    }

    // The pass probabilities are stored point-major [N, T, C]; the metric sees them as [T, N, C] through
    // strides, so nothing is transposed.
    Status score(int64_t count, Batch& b)
    {
        slt_array probs{};
        probs.data = b.passProbs.data();
        probs.dtype = SLT_DTYPE_F32;
        probs.ndim = 3;
        probs.shape[0] = o_.mcSamples;
        probs.shape[1] = count;
        probs.shape[2] = o_.classes;
        probs.strides[0] = o_.classes;
        probs.strides[1] = static_cast<int64_t>(o_.mcSamples) * o_.classes;
        probs.strides[2] = 1;
        return scorer_.compute(probs, b.scores.data());
    }

    Status append(int64_t count, Batch& b)
    {
        slt_bank_points p{};
        p.count = count;
        p.image_index = b.imageIndex.data();
        p.x = b.x.data();
        p.y = b.y.data();
        p.predicted_class = b.predicted.data();
        p.mean_probs = b.meanProbs.data();
        p.scores = b.scores.data();
        p.embeddings = o_.dim > 0 ? b.embeddings.data() : nullptr;
        p.crops = o_.cropSize > 0 ? b.crops.data() : nullptr;
        return writer_.appendPoints(p);
    }

    const SyntheticBankOptions& o_;
    synthetic::MixtureModel model_;
    MetricScorer scorer_;
    BankWriter writer_;
    std::vector<std::array<uint8_t, 3>> colours_;
    int64_t firstImage_;
};

} // namespace

QString syntheticOptionsProblem(const SyntheticBankOptions& o)
{
    if (o.points < 0) return QStringLiteral("the number of points must not be negative");
    if (o.dim < 1 || o.dim > 65536) return QStringLiteral("the embedding dim must be in 1..65536");
    if (o.classes < 2 || o.classes > 1000) return QStringLiteral("the number of classes must be in 2..1000");
    if (o.mcSamples < 1 || o.mcSamples > 10000) return QStringLiteral("the number of MC samples must be in 1..10000");
    if (o.cropSize < 0 || o.cropSize > 1024) return QStringLiteral("the crop size must be in 0..1024");
    if (o.firstPoint < 0) return QStringLiteral("the first point must not be negative");
    if (o.pointsPerImage < 1 || o.batchRows < 1) return QStringLiteral("points per image and batch rows must be >= 1");
    return {};
}

Status synthesizeBank(const SyntheticBankOptions& options, const BankBackend& backend, const MetricPlugin& metrics,
                      const QString& path, const QString& truthCsvPath, const BankProgress& progress,
                      bool replaceExisting)
{
    if (const QString problem = syntheticOptionsProblem(options); !problem.isEmpty())
        return Status::failure(problem);
    if (!replaceExisting && QFileInfo::exists(path))
        return Status::failure(QStringLiteral("'%1' already exists").arg(path));
    if (options.cropSize > 0 && !backend.storesCrops())
        return Status::failure(QStringLiteral("%1 stores no crops; use crop size 0").arg(backend.formatName()));
    auto scorer = MetricScorer::create(metrics, options.mcSamples);
    if (!scorer)
        return Status::failure(scorer.error());
    auto writer = BankWriter::create(backend, path, syntheticMetadata(options, scorer->names()));
    if (!writer)
        return Status::failure(writer.error());
    std::unique_ptr<std::FILE, FileCloser> truth;
    if (!truthCsvPath.isEmpty()) {
        truth.reset(std::fopen(QFile::encodeName(truthCsvPath).constData(), "w"));
        if (!truth)
            return Status::failure(QStringLiteral("cannot write '%1'").arg(truthCsvPath));
        std::fputs("point_id,true_class\n", truth.get());
    }
    Synthesizer synthesizer(options, std::move(*scorer), std::move(*writer));
    if (Status s = synthesizer.run(truth.get(), progress); !s)
        return s;
    if (truth && (std::ferror(truth.get()) || std::fclose(truth.release()) != 0))
        return Status::failure(QStringLiteral("writing '%1' failed (disk full?)").arg(truthCsvPath));
    return {};
}

} // namespace slt::core
