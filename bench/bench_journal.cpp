#include "bench_journal.hpp"

#include "bench_report.hpp"

#include "slt/core/project/project_store.hpp"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>

#include <fcntl.h>
#include <unistd.h>

namespace slt::bench {
namespace {

using core::ProjectStore;

constexpr qint64 kBankPoints = 1000000;
constexpr int kClusterSize = 6;

struct Options {
    qint64 existingEvents = 100000;
    int samples = 2000;
    QString dir = QDir::currentPath();
};

bool parseOptions(const QStringList& args, Options* options)
{
    for (int i = 0; i < args.size(); ++i) {
        const QString& name = args[i];
        if (i + 1 >= args.size())
            return false;
        const QString value = args[++i];
        bool ok = true;
        if (name == "--events")
            options->existingEvents = value.toLongLong(&ok);
        else if (name == "--samples")
            options->samples = value.toInt(&ok);
        else if (name == "--dir")
            options->dir = value;
        else
            return false;
        if (!ok || options->existingEvents < 0 || options->samples < 1)
            return false;
    }
    return true;
}

// Nearest-rank percentile (p in 0..100) of the samples.
double percentile(std::vector<double> samples, double p)
{
    if (samples.empty())
        return 0;
    std::sort(samples.begin(), samples.end());
    const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(samples.size())));
    return samples[std::min(samples.size() - 1, rank == 0 ? 0 : rank - 1)];
}

// Random labels with varying values: fresh points and random classes, so no write is an identical-value
// no-op (an UPDATE writing the same values is much cheaper and would flatter the figures).
class ActionSource {
public:
    explicit ActionSource(unsigned seed) : random_(seed) {}
    std::vector<qint64> points(int count)
    {
        const qint64 first = std::uniform_int_distribution<qint64>(0, kBankPoints - count)(random_);
        std::vector<qint64> points;
        for (int i = 0; i < count; ++i)
            points.push_back(first + i);
        return points;
    }
    int classId() { return std::uniform_int_distribution<int>(0, 8)(random_); }

private:
    std::mt19937_64 random_;
};

// Fills the journal with about `events` events of mixed single and cluster actions (synchronous NORMAL).
bool prefill(ProjectStore& store, qint64 events, ActionSource& source)
{
    store.setSynchronous(core::Synchronous::Normal);
    qint64 written = 0;
    for (qint64 action = 0; written < events; ++action) {
        const int size = action % 2 == 0 ? 1 : kClusterSize;
        const auto recorded = store.setClass(source.points(size), source.classId());
        if (!recorded) {
            std::fprintf(stderr, "slt-bench journal: %s\n", qPrintable(recorded.error()));
            return false;
        }
        written += size;
    }
    return true;
}

// The floor for a durable commit on this disk: 4 KiB of fresh bytes at a fresh offset, then fdatasync.
class RawSync {
public:
    explicit RawSync(const QString& path)
        : fd_(::open(QFile::encodeName(path).constData(), O_RDWR | O_CREAT | O_TRUNC, 0644)), block_(4096)
    {
    }
    ~RawSync()
    {
        if (fd_ >= 0)
            ::close(fd_);
    }
    RawSync(const RawSync&) = delete;
    RawSync& operator=(const RawSync&) = delete;

    // Milliseconds for one pwrite + fdatasync; negative on failure.
    double sample()
    {
        std::generate(block_.begin(), block_.end(), [&] { return static_cast<char>(random_()); });
        const off_t offset = static_cast<off_t>(count_++ % 256) * 4096;
        QElapsedTimer timer;
        timer.start();
        const bool ok = fd_ >= 0 &&
                        ::pwrite(fd_, block_.data(), block_.size(), offset) == static_cast<ssize_t>(block_.size()) &&
                        ::fdatasync(fd_) == 0;
        return ok ? static_cast<double>(timer.nsecsElapsed()) / 1e6 : -1;
    }

private:
    int fd_;
    std::vector<char> block_;
    std::mt19937 random_{7};
    int count_ = 0;
};

struct Latencies {
    std::vector<double> single, cluster; // ms per action
    std::vector<double> raw;             // ms per raw fdatasync, interleaved with the actions
};

// Alternates single-point and 6-point actions; with `raw`, a raw fdatasync follows each action, so that the
// baseline sees the same disk conditions (a shared machine's disk latency drifts within seconds).
bool measure(ProjectStore& store, core::Synchronous mode, int samples, ActionSource& source, RawSync* raw,
             Latencies* out)
{
    store.setSynchronous(mode);
    QElapsedTimer timer;
    for (int i = 0; i < samples; ++i) {
        const int size = i % 2 == 0 ? 1 : kClusterSize;
        const std::vector<qint64> points = source.points(size);
        const int classId = source.classId();
        timer.start();
        const auto recorded = store.setClass(points, classId);
        const double ms = static_cast<double>(timer.nsecsElapsed()) / 1e6;
        if (!recorded) {
            std::fprintf(stderr, "slt-bench journal: %s\n", qPrintable(recorded.error()));
            return false;
        }
        (size == 1 ? out->single : out->cluster).push_back(ms);
        if (raw) {
            const double rawMs = raw->sample();
            if (rawMs < 0) {
                std::fprintf(stderr, "slt-bench journal: the raw pwrite + fdatasync failed\n");
                return false;
            }
            out->raw.push_back(rawMs);
        }
    }
    return true;
}

void report(const QString& metric, double value, std::optional<double> baseline, const QJsonObject& context)
{
    Figure figure;
    figure.bench = "journal";
    figure.metric = metric;
    figure.value = value;
    figure.unit = "ms";
    figure.baseline = baseline;
    figure.extra = context;
    print(figure);
}

void reportLatencies(const QString& mode, const Latencies& latencies, const std::vector<double>& raw,
                     const QJsonObject& context)
{
    // Only FULL pays an fdatasync per commit, so only FULL is compared with the raw fdatasync.
    const bool synced = mode == "full";
    const double rawP50 = percentile(raw, 50), rawP99 = percentile(raw, 99);
    for (const auto& [name, samples] : {std::pair{"1pt", &latencies.single}, std::pair{"6pt", &latencies.cluster}}) {
        const QString prefix = QStringLiteral("append_%1_%2_").arg(mode, QLatin1String(name));
        report(prefix + "p50", percentile(*samples, 50), synced ? std::optional(rawP50) : std::nullopt, context);
        report(prefix + "p99", percentile(*samples, 99), synced ? std::optional(rawP99) : std::nullopt, context);
    }
}

} // namespace

int runJournal(const QStringList& args)
{
    Options options;
    if (!parseOptions(args, &options)) {
        std::fprintf(stderr, "usage: slt-bench journal [--events N] [--samples N] [--dir DIR]\n");
        return 2;
    }
    QTemporaryDir scratch(QDir(options.dir).filePath("slt-bench-journal-XXXXXX"));
    if (!scratch.isValid()) {
        std::fprintf(stderr, "slt-bench journal: cannot create a folder in %s\n", qPrintable(options.dir));
        return 1;
    }
    const core::BankRef bank{"bench-journal-bank", "bench.h5", kBankPoints};
    auto store = ProjectStore::create(scratch.filePath("bench.sltp"), bank,
                                      core::ClassSchema::sltDefault(), "bench");
    if (!store) {
        std::fprintf(stderr, "slt-bench journal: %s\n", qPrintable(store.error()));
        return 1;
    }
    ActionSource source(42);
    if (!prefill(*store, options.existingEvents, source))
        return 1;
    const QJsonObject context{{"existing_events", static_cast<double>(options.existingEvents)},
                              {"samples", options.samples}};
    RawSync raw(scratch.filePath("raw.bin"));
    Latencies full, normal;
    if (!measure(*store, core::Synchronous::Full, options.samples, source, &raw, &full) ||
        !measure(*store, core::Synchronous::Normal, options.samples, source, nullptr, &normal))
        return 1;
    reportLatencies("full", full, full.raw, context);
    reportLatencies("normal", normal, full.raw, context);
    report("fdatasync_4k_p50", percentile(full.raw, 50), std::nullopt, context);
    report("fdatasync_4k_p99", percentile(full.raw, 99), std::nullopt, context);
    return 0;
}

} // namespace slt::bench
