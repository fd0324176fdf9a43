#include "bench_support.hpp"

#include "slt/core/bank/synthetic_bank.hpp"

#include <QElapsedTimer>

#include <cstdio>

namespace slt::bench {

qint64 intOption(const QStringList& args, const char* name, qint64 fallback)
{
    const int at = args.indexOf(QLatin1String(name));
    return at >= 0 && at + 1 < args.size() ? args.at(at + 1).toLongLong() : fallback;
}

QString textOption(const QStringList& args, const char* name)
{
    const int at = args.indexOf(QLatin1String(name));
    return at >= 0 && at + 1 < args.size() ? args.at(at + 1) : QString();
}

std::optional<QString> takeTextOption(QStringList& args, const char* name)
{
    const int at = args.indexOf(QLatin1String(name));
    if (at < 0) return std::nullopt;
    const QString value = at + 1 < args.size() ? args.at(at + 1) : QString();
    args.erase(args.begin() + at, args.begin() + std::min<int>(at + 2, static_cast<int>(args.size())));
    return value;
}

std::optional<std::map<QString, int64_t>> parseIntOptions(const char* command, const QStringList& args,
                                                          std::map<QString, int64_t> defaults)
{
    for (int i = 0; i < args.size(); i += 2) {
        bool ok = false;
        const int64_t value = i + 1 < args.size() ? args.at(i + 1).toLongLong(&ok) : 0;
        if (!defaults.count(args.at(i)) || !ok || value < 0) {
            std::fprintf(stderr, "%s: bad option '%s'; options and defaults:", command, qPrintable(args.at(i)));
            for (const auto& [name, fallback] : defaults)
                std::fprintf(stderr, " %s %lld", qPrintable(name), static_cast<long long>(fallback));
            std::fprintf(stderr, "\n");
            return std::nullopt;
        }
        defaults[args.at(i)] = value;
    }
    return defaults;
}

BundledPlugins::BundledPlugins()
{
    core::PluginManagerOptions options;
    options.stateDirectory = state.path();
    options.hostName = QStringLiteral("slt-bench");
    manager = std::make_unique<core::PluginManager>(options);
    manager->discover();
    banks = core::activeBankBackends(*manager);
    metrics = core::activeMetricPlugins(*manager);
}

core::Status synthesizeBenchBank(const BundledPlugins& plugins, const QString& path, qint64 points, int dim,
                                 const char* what, int classes)
{
    auto hdf5 = core::bankBackendById(plugins.banks, core::bankPluginId(QStringLiteral("hdf5")));
    if (!hdf5)
        return core::Status::failure(hdf5.error());
    auto metrics = core::metricPluginById(plugins.metrics, QLatin1String(core::kStandardMetricPlugin));
    if (!metrics)
        return core::Status::failure(metrics.error());
    core::SyntheticBankOptions synth;
    synth.points = points;
    synth.dim = dim;
    synth.classes = classes;
    synth.cropSize = 0;
    QElapsedTimer timer;
    timer.start();
    if (core::Status s = core::synthesizeBank(synth, *hdf5, *metrics, path); !s)
        return s;
    std::fprintf(stderr, "%s: synthesized %lld points in %.1f s\n", what, static_cast<long long>(points),
                 timer.elapsed() / 1000.0);
    return {};
}

double timeStreamingRead(const float* data, size_t count)
{
    QElapsedTimer timer;
    timer.start();
    // Eight independent sums so the loop vectorises without -ffast-math.
    float lanes[8] = {};
    size_t i = 0;
    for (; i + 8 <= count; i += 8)
        for (int l = 0; l < 8; ++l)
            lanes[l] += data[i + l];
    float sum = 0;
    for (; i < count; ++i)
        sum += data[i];
    for (float lane : lanes)
        sum += lane;
    const double ms = static_cast<double>(timer.nsecsElapsed()) / 1e6;
    if (sum == 0.123456f) // keeps the sum alive
        std::fprintf(stderr, " ");
    return ms;
}

} // namespace slt::bench
