#include "bench_metrics.hpp"

#include "bench_report.hpp"
#include "bench_support.hpp"

#include "slt/sdk/cpp/host/metric_proxy.hpp"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>

#include <boost/dll/shared_library.hpp>

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

namespace slt::bench {
namespace {

// Points per compute() call, as a host scoring a large bank in chunks would do.
constexpr int64_t kChunkPoints = 65536;

struct Shape {
    int64_t points = 1000000;
    int64_t samples = 20;
    int64_t classes = 9;
    int runs = 3;
};

// Sizes below 1 make no sense here.
int64_t option(const QStringList& args, const char* name, int64_t fallback)
{
    return std::max<qint64>(1, intOption(args, name, fallback));
}

// Softmax-like rows from a small LCG: every row sums to 1, one class dominates most rows.
std::vector<float> syntheticProbabilities(const Shape& s)
{
    std::vector<float> p(static_cast<size_t>(s.samples * s.points * s.classes));
    uint64_t state = 0x9E3779B97F4A7C15ull;
    for (size_t row = 0; row < p.size(); row += static_cast<size_t>(s.classes)) {
        float sum = 0;
        for (int64_t c = 0; c < s.classes; ++c) {
            state = state * 6364136223846793005ull + 1442695040888963407ull;
            const float u = static_cast<float>(state >> 40) / 16777216.0f;
            p[row + static_cast<size_t>(c)] = u * u * u * u;
            sum += p[row + static_cast<size_t>(c)];
        }
        for (int64_t c = 0; c < s.classes; ++c) p[row + static_cast<size_t>(c)] /= sum;
    }
    return p;
}

// One sequential pass summing every float: the memory-bandwidth floor of any metric.
double timeStreamingRead(const std::vector<float>& p, double* sink)
{
    QElapsedTimer timer;
    timer.start();
    float lanes[8] = {};
    for (size_t i = 0; i + 8 <= p.size(); i += 8)
        for (size_t k = 0; k < 8; ++k) lanes[k] += p[i + k];
    double total = 0;
    for (float lane : lanes) total += lane;
    *sink += total;
    return static_cast<double>(timer.nsecsElapsed()) / 1e6;
}

double timeMetrics(sdk::host::MetricSet& set, std::vector<float>& p, const Shape& s, std::vector<float>& out,
                   std::string* error)
{
    QElapsedTimer timer;
    timer.start();
    const auto columns = static_cast<int64_t>(set.columns());
    for (int64_t first = 0; first < s.points; first += kChunkPoints) {
        const int64_t count = std::min(kChunkPoints, s.points - first);
        slt_array chunk{p.data() + first * s.classes, SLT_DTYPE_F32, 3, {s.samples, count, s.classes},
                        {s.points * s.classes, s.classes, 1}};
        const auto status = set.compute(chunk, out.data() + first * columns, static_cast<size_t>(count * columns));
        if (!status) {
            *error = status.message;
            return 0;
        }
    }
    return static_cast<double>(timer.nsecsElapsed()) / 1e6;
}

} // namespace

int runMetrics(const QStringList& args)
{
    Shape s;
    s.points = option(args, "--points", s.points);
    s.samples = option(args, "--samples", s.samples);
    s.classes = option(args, "--classes", s.classes);
    s.runs = static_cast<int>(option(args, "--runs", s.runs));
    const QString path = QCoreApplication::applicationDirPath() + "/../lib/slt/plugins/standard/standard.so";
    if (!QFileInfo::exists(path)) {
        std::fprintf(stderr, "slt-bench metrics: %s is missing (build the 'standard' target)\n", qPrintable(path));
        return 1;
    }
    boost::dll::shared_library library(path.toStdString(), boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
    const slt_plugin_entry* entry = library.get<const slt_plugin_entry*()>(SLT_PLUGIN_ENTRY_SYMBOL)();
    if (!entry || entry->init(nullptr, nullptr) != SLT_OK) {
        std::fprintf(stderr, "slt-bench metrics: the standard metrics plugin did not initialise\n");
        return 1;
    }
    const void* factory = entry->get_factory(SLT_METRIC_FACTORY_ID);
    auto all = sdk::host::MetricSet::list(factory);
    if (!all) {
        std::fprintf(stderr, "slt-bench metrics: %s\n", all.message().c_str());
        return 1;
    }
    std::vector<std::string> names, withoutBald;
    for (const auto& metric : *all) {
        names.push_back(metric.name);
        if (metric.name != "bald") withoutBald.push_back(metric.name);
    }

    std::vector<float> p = syntheticProbabilities(s);
    double sink = 0;
    std::vector<double> reads;
    std::map<std::string, std::vector<double>> times;
    const std::vector<std::pair<std::string, std::vector<std::string>>> selections = {
        {"all_metrics_one_pass", names}, {"all_but_bald_one_pass", withoutBald}, {"bald_only", {"bald"}}};
    std::vector<float> out(static_cast<size_t>(s.points) * names.size());
    for (int run = 0; run < s.runs; ++run) {
        reads.push_back(timeStreamingRead(p, &sink));
        for (const auto& [label, selected] : selections) {
            auto set = sdk::host::MetricSet::create(factory, nullptr, selected);
            std::string error;
            if (set) times[label].push_back(timeMetrics(*set, p, s, out, &error));
            if (!set || !error.empty()) {
                std::fprintf(stderr, "slt-bench metrics: %s\n", set ? error.c_str() : set.message().c_str());
                return 1;
            }
        }
    }
    entry->deinit();

    const double read = median(reads);
    const QJsonObject extra{{"points", static_cast<qint64>(s.points)}, {"samples", static_cast<qint64>(s.samples)},
                            {"classes", static_cast<qint64>(s.classes)}, {"runs", s.runs},
                            {"chunk_points", static_cast<qint64>(kChunkPoints)},
                            {"array_mib", static_cast<double>(p.size() * sizeof(float)) / (1024.0 * 1024.0)},
                            {"checksum", sink}};
    print({"metrics", "streaming_read", read, "ms", std::nullopt, extra});
    const double pointsPerReadSecond = static_cast<double>(s.points) / (read / 1000.0);
    for (const auto& [label, selected] : selections) {
        const double ms = median(times[label]);
        QJsonObject withCount = extra;
        withCount.insert("metrics", static_cast<int>(selected.size()));
        withCount.insert("ms", ms);
        withCount.insert("slowdown_vs_read", ms / read);
        print({"metrics", QString::fromStdString(label) + "_points_per_s", static_cast<double>(s.points) / (ms / 1000.0),
               "points/s", pointsPerReadSecond, withCount});
    }
    return 0;
}

} // namespace slt::bench
