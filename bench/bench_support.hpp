// What several benchmarks share: command-line options, the bundled plugins, and a synthetic bank on disk.
#pragma once

#include "slt/core/bank/bank_backend.hpp"
#include "slt/core/bank/metric_plugins.hpp"
#include "slt/core/plugin_manager.hpp"
#include "slt/core/result.hpp"

#include <QStringList>
#include <QTemporaryDir>

#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace slt::bench {

// `--name VALUE` from the arguments, or the fallback.
qint64 intOption(const QStringList& args, const char* name, qint64 fallback);
QString textOption(const QStringList& args, const char* name);
// Removes "name value" from `args` and returns the value; nullopt when absent, an empty string when the value
// is missing. For commands that parse the rest with parseIntOptions().
std::optional<QString> takeTextOption(QStringList& args, const char* name);
// Strict `--name value` pairs for benchmarks whose options are all non-negative integers: `defaults` names every
// accepted option; anything else prints "`command`: bad option ..." with the options and defaults, and gives nullopt.
std::optional<std::map<QString, int64_t>> parseIntOptions(const char* command, const QStringList& args,
                                                          std::map<QString, int64_t> defaults);

// The bundled plugins, discovered with a throw-away state folder (no probe process).
struct BundledPlugins {
    QTemporaryDir state;
    std::unique_ptr<core::PluginManager> manager;
    std::vector<core::BankBackend> banks;
    std::vector<core::MetricPlugin> metrics;
    BundledPlugins();
};

// An HDF5 synthetic bank without crops (points × dim × classes, seed 1) at `path`, scored by the standard
// metrics; the time it took is printed on stderr as `what: synthesized ...`.
core::Status synthesizeBenchBank(const BundledPlugins& plugins, const QString& path, qint64 points, int dim,
                                 const char* what, int classes = 9);

// One streaming pass over `count` floats (their sum, so the compiler keeps the loop): the baseline of the
// benchmarks whose work is bounded by reading an embedding matrix. Milliseconds.
double timeStreamingRead(const float* data, size_t count);

} // namespace slt::bench
