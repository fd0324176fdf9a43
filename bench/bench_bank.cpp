#include "bench_bank.hpp"

#include "bench_report.hpp"
#include "bench_support.hpp"

#include "slt/core/bank/bank_writer.hpp"
#include "slt/core/bank/loaded_bank.hpp"
#include "slt/core/bank/synthetic_bank.hpp"
#include "slt/core/plugin_manager.hpp"

#include <hdf5.h>

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>

namespace slt::bench {
namespace {

// VmRSS of this process in bytes.
double residentBytes()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray& line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').front().toDouble() * 1024.0;
    return 0;
}

// Drops the file's pages from the page cache (no root needed), so a run reads from the disk.
void evict(const QString& path)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY);
    if (fd < 0)
        return;
    ::fdatasync(fd);
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    ::close(fd);
}

struct ByteRange {
    uint64_t offset;
    uint64_t size;
};

// The file byte ranges of the chunks holding rows [0, rows) of an HDF5 dataset (HDF5 C API).
std::vector<ByteRange> chunkRanges(const QString& path, const char* dataset, uint64_t usefulBytes)
{
    std::vector<ByteRange> ranges;
    const hid_t file = H5Fopen(QFile::encodeName(path).constData(), H5F_ACC_RDONLY, H5P_DEFAULT);
    if (file < 0)
        return ranges;
    const hid_t data = H5Dopen2(file, dataset, H5P_DEFAULT);
    const hid_t space = H5Dget_space(data);
    hsize_t chunks = 0;
    H5Dget_num_chunks(data, space, &chunks);
    uint64_t total = 0;
    for (hsize_t i = 0; i < chunks && total < usefulBytes; ++i) {
        hsize_t offset[2] = {0, 0};
        unsigned filter = 0;
        haddr_t address = 0;
        hsize_t size = 0;
        if (H5Dget_chunk_info(data, space, i, offset, &filter, &address, &size) < 0)
            break;
        const uint64_t take = std::min<uint64_t>(size, usefulBytes - total); // the last chunk is partly used
        ranges.push_back({address, take});
        total += take;
    }
    H5Sclose(space);
    H5Dclose(data);
    H5Fclose(file);
    return ranges;
}

// The baseline: pread() of the same bytes into freshly allocated (not zeroed) buffers, like LoadedBank.
double timeRawRead(const QString& path, const std::vector<ByteRange>& ranges, uint64_t bytes)
{
    QElapsedTimer timer;
    timer.start();
    std::unique_ptr<char[]> buffer(new char[bytes]);
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY);
    uint64_t at = 0;
    for (const ByteRange& range : ranges) {
        uint64_t done = 0;
        while (done < range.size) {
            const ssize_t n = ::pread(fd, buffer.get() + at + done, range.size - done, static_cast<off_t>(range.offset + done));
            if (n <= 0)
                break;
            done += static_cast<uint64_t>(n);
        }
        at += range.size;
    }
    ::close(fd);
    return static_cast<double>(timer.nsecsElapsed()) / 1e6;
}

double timeOpen(const core::BankBackend& backend, const QString& path, size_t* bytes)
{
    QElapsedTimer timer;
    timer.start();
    auto bank = core::LoadedBank::load(backend, path, core::ColumnEmbeddings | core::ColumnScores);
    const double ms = static_cast<double>(timer.nsecsElapsed()) / 1e6;
    if (!bank) {
        std::fprintf(stderr, "slt-bench bank-open: %s\n", qPrintable(bank.error()));
        return -1;
    }
    *bytes = bank->columnBytes();
    return ms;
}

} // namespace

int runBankOpen(const QStringList& args)
{
    const int runs = static_cast<int>(std::max<qint64>(1, intOption(args, "--runs", 5)));
    BundledPlugins plugins;
    QTemporaryDir temporary;
    QString path = textOption(args, "--bank");
    if (path.isEmpty()) {
        path = temporary.filePath(QStringLiteral("bench.h5"));
        const core::Status made = synthesizeBenchBank(plugins, path, intOption(args, "--points", 1000000),
                                                      static_cast<int>(intOption(args, "--dim", 64)),
                                                      "slt-bench bank-open", static_cast<int>(intOption(args, "--classes", 9)));
        if (!made) {
            std::fprintf(stderr, "slt-bench bank-open: %s\n", qPrintable(made.error()));
            return 1;
        }
    }
    auto backend = core::findBankBackend(plugins.banks, path);
    if (!backend) {
        std::fprintf(stderr, "slt-bench bank-open: %s\n", qPrintable(backend.error()));
        return 1;
    }

    // RSS first, in a fresh state: the increase is what holding the bank costs.
    const double rssBefore = residentBytes();
    size_t arrayBytes = 0;
    {
        auto bank = core::LoadedBank::load(*backend, path, core::ColumnEmbeddings | core::ColumnScores);
        if (!bank) {
            std::fprintf(stderr, "slt-bench bank-open: %s\n", qPrintable(bank.error()));
            return 1;
        }
        arrayBytes = bank->columnBytes();
        const double rssAfter = residentBytes();
        QJsonObject extra{{"points", static_cast<qint64>(bank->size())}, {"array_mib", arrayBytes / 1048576.0},
                          {"rss_before_mib", rssBefore / 1048576.0}, {"backend", backend->pluginId}};
        print({"bank-open", "rss_after_open", rssAfter / 1048576.0, "MiB", arrayBytes / 1048576.0, extra});
        print({"bank-open", "rss_increase", (rssAfter - rssBefore) / 1048576.0, "MiB", arrayBytes / 1048576.0, extra});
    }

    // Baseline ranges: the embeddings' and scores' chunks when HDF5, else the same number of bytes.
    std::vector<ByteRange> ranges;
    {
        auto probe = core::LoadedBank::load(*backend, path, core::ColumnEmbeddings);
        const uint64_t embeddingBytes = probe ? probe->columnBytes() : 0;
        const uint64_t scoreBytes = static_cast<uint64_t>(arrayBytes) - embeddingBytes;
        if (backend->pluginId == core::bankPluginId(QStringLiteral("hdf5"))) {
            ranges = chunkRanges(path, "/points/embeddings", embeddingBytes);
            for (const ByteRange& r : chunkRanges(path, "/points/scores", scoreBytes))
                ranges.push_back(r);
        } else {
            ranges.push_back({0, static_cast<uint64_t>(arrayBytes)});
        }
    }
    uint64_t rawBytes = 0;
    for (const ByteRange& r : ranges)
        rawBytes += r.size;

    std::vector<double> coldOpen, coldRaw, warmOpen, warmRaw;
    for (int i = 0; i < runs; ++i) {
        size_t bytes = 0;
        evict(path);
        coldOpen.push_back(timeOpen(*backend, path, &bytes));
        evict(path);
        coldRaw.push_back(timeRawRead(path, ranges, rawBytes));
        warmOpen.push_back(timeOpen(*backend, path, &bytes));
        warmRaw.push_back(timeRawRead(path, ranges, rawBytes));
    }
    QJsonObject extra{{"runs", runs}, {"array_mib", arrayBytes / 1048576.0}, {"raw_mib", rawBytes / 1048576.0},
                      {"backend", backend->pluginId}};
    print({"bank-open", "open_cold_median", median(coldOpen), "ms", median(coldRaw), extra});
    print({"bank-open", "open_warm_median", median(warmOpen), "ms", median(warmRaw), extra});
    return 0;
}

namespace {

// One in-memory batch of a real synthetic bank, written again and again.
struct SourceBatch {
    core::BankMetadata metadata;
    std::vector<int32_t> imageIndex, predicted;
    std::vector<float> x, y, probs, scores, embeddings;
    std::vector<uint8_t> crops;
    int64_t rows = 0;
};

std::optional<SourceBatch> makeSource(BundledPlugins& plugins, const QTemporaryDir& dir)
{
    core::SyntheticBankOptions o;
    o.points = core::kBankBatchRows;
    const QString path = dir.filePath(QStringLiteral("source.h5"));
    auto hdf5 = core::bankBackendById(plugins.banks, core::bankPluginId(QStringLiteral("hdf5")));
    auto metrics = core::metricPluginById(plugins.metrics, QLatin1String(core::kStandardMetricPlugin));
    if (!hdf5 || !metrics || !core::synthesizeBank(o, *hdf5, *metrics, path))
        return std::nullopt;
    auto bank = core::LoadedBank::load(*hdf5, path);
    if (!bank)
        return std::nullopt;
    SourceBatch s;
    s.metadata = bank->metadata();
    s.rows = bank->size();
    s.imageIndex.assign(bank->imageIndex().begin(), bank->imageIndex().end());
    s.predicted.assign(bank->predictedClass().begin(), bank->predictedClass().end());
    s.x.assign(bank->x().begin(), bank->x().end());
    s.y.assign(bank->y().begin(), bank->y().end());
    s.probs.assign(bank->meanProbs().begin(), bank->meanProbs().end());
    s.scores.assign(bank->scores().begin(), bank->scores().end());
    s.embeddings.assign(bank->embeddings().begin(), bank->embeddings().end());
    for (int64_t i = 0; i < s.rows; ++i) {
        auto crop = bank->crop(i, SLT_CROP_RGB);
        if (!crop)
            return std::nullopt;
        s.crops.insert(s.crops.end(), crop->bytes.begin(), crop->bytes.end());
    }
    return s;
}

// Writes `points` points (the source batch repeated) with `backend`; returns seconds, or -1.
double timeWrite(const core::BankBackend& backend, const SourceBatch& source, bool crops, int64_t points,
                 const QString& path)
{
    core::BankMetadata m = source.metadata;
    m.uuid.clear();
    m.createdUtc.clear();
    if (!crops)
        m.cropWidth = m.cropHeight = 0;
    QElapsedTimer timer;
    timer.start();
    auto writer = core::BankWriter::create(backend, path, m);
    if (!writer || !writer->appendImages({"bench_0000.png"}))
        return -1;
    std::vector<int32_t> image(static_cast<size_t>(source.rows), 0);
    for (int64_t done = 0; done < points; done += source.rows) {
        slt_bank_points p{};
        p.count = std::min(source.rows, points - done);
        p.image_index = image.data();
        p.x = source.x.data();
        p.y = source.y.data();
        p.predicted_class = source.predicted.data();
        p.mean_probs = source.probs.data();
        p.scores = source.scores.data();
        p.embeddings = source.embeddings.data();
        p.crops = crops ? source.crops.data() : nullptr;
        if (const core::Status s = writer->appendPoints(p); !s) {
            std::fprintf(stderr, "slt-bench bank-write: %s\n", qPrintable(s.error()));
            return -1;
        }
    }
    if (const core::Status s = writer->finish(); !s) {
        std::fprintf(stderr, "slt-bench bank-write: %s\n", qPrintable(s.error()));
        return -1;
    }
    return static_cast<double>(timer.nsecsElapsed()) / 1e9;
}

// The baseline: write() of the same column bytes (crops as raw RGB) to a plain file, then fsync.
double timeRawWrite(const SourceBatch& source, bool crops, int64_t points, const QString& path)
{
    QElapsedTimer timer;
    timer.start();
    const int fd = ::open(QFile::encodeName(path).constData(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    for (int64_t done = 0; done < points; done += source.rows) {
        const auto rows = static_cast<size_t>(std::min(source.rows, points - done));
        const size_t C = static_cast<size_t>(source.metadata.classes()), M = static_cast<size_t>(source.metadata.metrics()),
                     D = static_cast<size_t>(source.metadata.embeddingDim);
        const std::pair<const void*, size_t> columns[] = {
            {source.imageIndex.data(), rows * 4}, {source.x.data(), rows * 4}, {source.y.data(), rows * 4},
            {source.predicted.data(), rows * 4}, {source.probs.data(), rows * C * 4}, {source.scores.data(), rows * M * 4},
            {source.embeddings.data(), rows * D * 4}, {source.crops.data(), crops ? rows * source.metadata.cropBytes() : 0}};
        for (const auto& [data, bytes] : columns)
            if (bytes > 0 && ::write(fd, data, bytes) != static_cast<ssize_t>(bytes))
                std::fprintf(stderr, "slt-bench bank-write: raw write failed\n");
    }
    ::fsync(fd);
    ::close(fd);
    return static_cast<double>(timer.nsecsElapsed()) / 1e9;
}

} // namespace

int runBankWrite(const QStringList& args)
{
    const int64_t points = std::max<qint64>(1, intOption(args, "--points", 200000));
    const int runs = static_cast<int>(std::max<qint64>(1, intOption(args, "--runs", 3)));
    BundledPlugins plugins;
    QTemporaryDir dir;
    const auto source = makeSource(plugins, dir);
    if (!source) {
        std::fprintf(stderr, "slt-bench bank-write: cannot build the source batch (hdf5 and standard metric plugins needed)\n");
        return 1;
    }
    int status = 0;
    for (const char* name : {"hdf5", "sqlite"}) {
        auto backend = core::bankBackendById(plugins.banks, core::bankPluginId(QLatin1String(name)));
        if (!backend) {
            std::fprintf(stderr, "slt-bench bank-write: %s\n", qPrintable(backend.error()));
            status = 1;
            continue;
        }
        for (bool crops : {false, true}) {
            std::vector<double> bank, raw;
            for (int r = 0; r < runs; ++r) {
                const QString path = dir.filePath(QStringLiteral("w_%1_%2_%3").arg(QLatin1String(name)).arg(crops).arg(r));
                bank.push_back(timeWrite(*backend, *source, crops, points, path));
                raw.push_back(timeRawWrite(*source, crops, points, path + QStringLiteral(".raw")));
                QFile::remove(path);
                QFile::remove(path + QStringLiteral(".raw"));
            }
            if (*std::min_element(bank.begin(), bank.end()) < 0) {
                status = 1;
                continue;
            }
            // points/s: a higher value is better, so the ratio is bank rate / raw rate.
            QJsonObject extra{{"points", static_cast<qint64>(points)}, {"runs", runs}, {"crops", crops},
                              {"crop_size", crops ? source->metadata.cropWidth : 0}, {"dim", source->metadata.embeddingDim}};
            print({"bank-write", QStringLiteral("%1%2_points_per_s").arg(QLatin1String(name), crops ? "_crops" : ""),
                   points / median(bank), "points/s", points / median(raw), extra});
        }
    }
    return status;
}

} // namespace slt::bench
