// What the bank sub-commands share: the plugin manager as the front end uses it, backend selection by
// --backend name or by probing a file, option parsing of counts, and progress lines on stderr.
#pragma once

#include "command_line.hpp"

#include <slt/core/bank/bank_backend.hpp>
#include <slt/core/bank/bank_progress.hpp>
#include <slt/core/bank/metric_plugins.hpp>
#include <slt/core/plugin_manager.hpp>

#include <QElapsedTimer>

#include <memory>
#include <optional>

namespace slt::cli {

// The discovered plugins of this run plus the bank and metric plugins among them.
class BankPlugins {
public:
    explicit BankPlugins(const Context& context);
    const std::vector<core::BankBackend>& backends() const { return backends_; }
    const std::vector<core::MetricPlugin>& metrics() const { return metrics_; }
    const core::PluginManager& manager() const { return *manager_; }

    // --backend NAME ("hdf5") -> the active writable plugin org.slt.bank.NAME, or a message.
    core::Result<core::BankBackend> writableBackend(const QString& name) const;
    // The backend that reads `path` (probing), or a message.
    core::Result<core::BankBackend> readerFor(const QString& path) const;

private:
    std::unique_ptr<core::PluginManager> manager_;
    std::vector<core::BankBackend> backends_;
    std::vector<core::MetricPlugin> metrics_;
};

// The plugin manager as the commands use it: the given search path (or the default one) and the crash probe
// running this very executable in a child process.
core::PluginManagerOptions frontEndPluginOptions(const Context& context);

// Reads an integer option in [minimum, maximum]; prints a usage error and returns nullopt otherwise.
std::optional<qint64> integerOption(CommandLevel& level, const QCommandLineOption& option, qint64 fallback,
                                    qint64 minimum, qint64 maximum);

// "slt-cli bank <name>: <message>" on stderr; returns ExitFailure.
int fail(const QString& command, const QString& message);

// Refuses an existing output unless --force; refuses an output that is one of the inputs even then.
// Returns an empty string when writing `output` is fine.
QString outputProblem(const QString& output, const QStringList& inputs, bool force);

// Progress on stderr, at most five updates a second, only when stderr is a terminal or forced.
class ProgressLine {
public:
    ProgressLine(QString label, bool forced);
    ~ProgressLine(); // ends the line
    core::BankProgress callback();

private:
    void show(int64_t done, int64_t total);
    QString label_;
    bool enabled_;
    bool shown_ = false;
    QElapsedTimer timer_;
};

} // namespace slt::cli
