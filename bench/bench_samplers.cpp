#include "bench_samplers.hpp"

#include "bench_report.hpp"
#include "bench_support.hpp"

#include "slt/sdk/cpp/host/sampler_proxy.hpp"
#include "slt/sdk/abi.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include <dlfcn.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace slt::bench {
namespace {

using Clock = std::chrono::steady_clock;

// N points around 100 Gaussian cluster centres (spread 1 per coordinate, noise 0.25), seeded.
std::vector<float> clusteredEmbeddings(int64_t points, int64_t dim, uint64_t seed)
{
    constexpr int64_t kClusters = 100;
    std::mt19937_64 generator(seed);
    std::normal_distribution<float> centre(0.0f, 1.0f), noise(0.0f, 0.25f);
    std::vector<float> centres(static_cast<size_t>(kClusters * dim));
    for (float& c : centres) c = centre(generator);
    std::vector<float> data(static_cast<size_t>(points * dim));
    for (int64_t i = 0; i < points; ++i) {
        const int64_t cluster = static_cast<int64_t>(generator() % kClusters);
        for (int64_t d = 0; d < dim; ++d)
            data[static_cast<size_t>(i * dim + d)] = centres[static_cast<size_t>(cluster * dim + d)] + noise(generator);
    }
    return data;
}

// One streaming read of the matrix: the sum of all floats, with 16 independent partial sums so the
// loop vectorises and is limited by memory bandwidth only. Returns milliseconds; `sink` keeps the sum.
double timeStreamingRead(const std::vector<float>& data, double* sink)
{
    const auto start = Clock::now();
    float lane[16] = {};
    size_t i = 0;
    for (; i + 16 <= data.size(); i += 16)
        for (int l = 0; l < 16; ++l) lane[l] += data[i + static_cast<size_t>(l)];
    for (; i < data.size(); ++i) lane[0] += data[i];
    double total = 0;
    for (float l : lane) total += l;
    *sink += total;
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// A host whose settings service answers integer settings from a map (bool settings fall back to
// their defaults).
struct BenchHost {
    static inline std::map<std::string, int64_t> ints;
    static slt_status getInt(const slt_host*, const char* key, int64_t* out)
    {
        const auto found = ints.find(key);
        if (found == ints.end()) return SLT_ERR_NOT_FOUND;
        *out = found->second;
        return SLT_OK;
    }
    static const void* service(const slt_host*, const char* id)
    {
        static const slt_settings_service settings = {sizeof(slt_settings_service), nullptr, &getInt, nullptr, nullptr};
        return std::strcmp(id, SLT_SERVICE_SETTINGS) == 0 ? &settings : nullptr;
    }
    slt_host host{sizeof(slt_host), SLT_ABI_MAJOR, SLT_ABI_MINOR, "slt-bench", "0", nullptr, &service};
};

// The bundled sampler plugin `name`, created through the SDK's host-side proxy.
std::optional<sdk::host::SamplerProxy> loadSampler(const char* name, const slt_host* host)
{
    const QString path = QCoreApplication::applicationDirPath() + QString("/../lib/slt/plugins/%1/%1.so").arg(name);
    void* library = dlopen(path.toUtf8().constData(), RTLD_NOW | RTLD_LOCAL); // kept loaded until exit
    if (!library) {
        std::fprintf(stderr, "slt-bench: cannot load %s: %s (build the '%s' target)\n", qPrintable(path), dlerror(), name);
        return std::nullopt;
    }
    auto entryFn = reinterpret_cast<slt_plugin_entry_fn>(dlsym(library, SLT_PLUGIN_ENTRY_SYMBOL));
    const slt_plugin_entry* entry = entryFn ? entryFn() : nullptr;
    if (!entry || entry->init(host, nullptr) != SLT_OK) {
        std::fprintf(stderr, "slt-bench: %s is not a working plugin\n", qPrintable(path));
        return std::nullopt;
    }
    auto proxy = sdk::host::SamplerProxy::create(entry->get_factory(SLT_SAMPLER_FACTORY_ID), host);
    if (!proxy) {
        std::fprintf(stderr, "slt-bench: %s\n", proxy.message().c_str());
        return std::nullopt;
    }
    return std::move(*proxy);
}

struct Embeddings {
    std::vector<float> data;
    slt_array view{};
    Embeddings(int64_t points, int64_t dim, uint64_t seed) : data(clusteredEmbeddings(points, dim, seed))
    {
        view.data = data.data();
        view.dtype = SLT_DTYPE_F32;
        view.ndim = 2;
        view.shape[0] = points;
        view.shape[1] = dim;
        view.strides[0] = dim;
        view.strides[1] = 1;
    }
    slt_sampler_input input(uint64_t seed) const
    {
        slt_sampler_input in{};
        in.struct_size = sizeof in;
        in.num_points = view.shape[0];
        in.embeddings = &view;
        in.seed = seed;
        return in;
    }
};

// A job that records when each progress report (one per centre) arrived.
struct ProgressClock {
    slt_job job{sizeof(slt_job), this, &report, nullptr};
    std::vector<Clock::time_point> stamps;
    static void report(const slt_job* job, uint64_t, uint64_t, const char*)
    {
        static_cast<ProgressClock*>(job->host_data)->stamps.push_back(Clock::now());
    }
};

} // namespace

int runKCenter(const QStringList& args)
{
    const auto options = parseIntOptions("slt-bench kcenter", args, {{"--points", 1000000}, {"--dim", 64}, {"--centres", 1000},
                                             {"--threads", 0}, {"--seed", 1}});
    if (!options) return 2;
    const int64_t points = options->at("--points"), dim = options->at("--dim"), centres = options->at("--centres");
    const uint64_t seed = static_cast<uint64_t>(options->at("--seed"));
    if (points < 2 || dim < 1 || centres < 2) {
        std::fprintf(stderr, "slt-bench kcenter: needs --points >= 2, --dim >= 1, --centres >= 2\n");
        return 2;
    }
    BenchHost host;
    BenchHost::ints["threads"] = options->at("--threads");
    auto sampler = loadSampler("kcenter", &host.host);
    if (!sampler) return 1;
    const Embeddings embeddings(points, dim, seed);

    // Reads before and after the select, so a change of load on a shared machine hits both sides.
    double sink = 0;
    std::vector<double> reads;
    for (int run = 0; run < 5; ++run) reads.push_back(timeStreamingRead(embeddings.data, &sink));
    ProgressClock clock;
    const auto start = Clock::now();
    auto picks = sampler->select(embeddings.input(seed), centres, &clock.job);
    const double total = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    for (int run = 0; run < 5; ++run) reads.push_back(timeStreamingRead(embeddings.data, &sink));
    const double read = median(reads);
    if (!picks || clock.stamps.size() < 2) {
        std::fprintf(stderr, "slt-bench kcenter: select failed: %s\n", picks.message().c_str());
        return 1;
    }
    // Centre i + 1 is reported one distance pass after centre i: the intervals are the passes.
    std::vector<double> passes;
    for (size_t i = 1; i < clock.stamps.size(); ++i)
        passes.push_back(std::chrono::duration<double, std::milli>(clock.stamps[i] - clock.stamps[i - 1]).count());
    const double mean = std::chrono::duration<double, std::milli>(clock.stamps.back() - clock.stamps.front()).count() /
                        static_cast<double>(passes.size());
    const QJsonObject extra{{"points", static_cast<double>(points)}, {"dim", static_cast<double>(dim)},
                            {"centres", static_cast<double>(picks->size())},
                            {"threads_setting", static_cast<double>(options->at("--threads"))},
                            {"baseline_is", "median of 10 single-thread streaming reads (sum of all floats), 5 before and 5 after the select"},
                            {"checksum", sink}};
    print({"kcenter", "per_centre_mean", mean, "ms", read, extra});
    print({"kcenter", "per_centre_median", median(passes), "ms", read, extra});
    print({"kcenter", "select_total", total, "ms", std::nullopt, extra});
    return 0;
}

int runTypicality(const QStringList& args)
{
    const auto options = parseIntOptions("slt-bench typicality", args, {{"--points", 1000000}, {"--dim", 64}, {"--budget", 100}, {"--seed", 1}});
    if (!options) return 2;
    const int64_t points = options->at("--points"), dim = options->at("--dim"), budget = options->at("--budget");
    const uint64_t seed = static_cast<uint64_t>(options->at("--seed"));
    if (points < 1 || dim < 1 || budget < 1) {
        std::fprintf(stderr, "slt-bench typicality: needs --points, --dim and --budget >= 1\n");
        return 2;
    }
    BenchHost host;
    auto sampler = loadSampler("typicality", &host.host);
    if (!sampler) return 1;
    const Embeddings embeddings(points, dim, seed);

    double sink = 0;
    const double read = timeStreamingRead(embeddings.data, &sink);
    const auto start = Clock::now();
    auto picks = sampler->select(embeddings.input(seed), budget);
    const double total = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    if (!picks) {
        std::fprintf(stderr, "slt-bench typicality: select failed: %s\n", picks.message().c_str());
        return 1;
    }
    const QJsonObject extra{{"points", static_cast<double>(points)}, {"dim", static_cast<double>(dim)},
                            {"budget", static_cast<double>(budget)}, {"picked", static_cast<double>(picks->size())},
                            {"streaming_read_ms", read}, {"checksum", sink}};
    print({"typicality", "select_total", total, "ms", std::nullopt, extra});
    return 0;
}

} // namespace slt::bench
