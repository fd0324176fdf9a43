#include "bank_cli_support.hpp"

#include <QCoreApplication>
#include <QFileInfo>

#include <unistd.h>

namespace slt::cli {

core::PluginManagerOptions frontEndPluginOptions(const Context& context)
{
    core::PluginManagerOptions options;
    options.searchPath = context.pluginPaths;
    options.hostName = QStringLiteral("slt-cli");
    const QString self = QCoreApplication::applicationDirPath() + QStringLiteral("/slt-cli");
    if (QFileInfo(self).isExecutable())
        options.probeExecutable = self; // a crashing plugin is quarantined, not fatal
    return options;
}

BankPlugins::BankPlugins(const Context& context)
{
    manager_ = std::make_unique<core::PluginManager>(frontEndPluginOptions(context));
    manager_->discover();
    backends_ = core::activeBankBackends(*manager_);
    metrics_ = core::activeMetricPlugins(*manager_);
}

core::Result<core::BankBackend> BankPlugins::writableBackend(const QString& name) const
{
    auto backend = core::bankBackendById(backends_, core::bankPluginId(name));
    if (backend && !backend->canWrite())
        return core::Result<core::BankBackend>::failure(
            QStringLiteral("%1 is read-only; choose a writable --backend (hdf5 or sqlite)").arg(backend->formatName()));
    return backend;
}

core::Result<core::BankBackend> BankPlugins::readerFor(const QString& path) const
{
    return core::findBankBackend(backends_, path);
}

std::optional<qint64> integerOption(CommandLevel& level, const QCommandLineOption& option, qint64 fallback,
                                    qint64 minimum, qint64 maximum)
{
    if (!level.parser().isSet(option))
        return fallback;
    const QString text = level.parser().value(option);
    bool ok = false;
    const qint64 value = text.toLongLong(&ok);
    if (!ok || value < minimum || value > maximum) {
        level.usageError(QStringLiteral("--%1 must be an integer in %2..%3, got '%4'")
                             .arg(option.names().constFirst()).arg(minimum).arg(maximum).arg(text));
        return std::nullopt;
    }
    return value;
}

int fail(const QString& command, const QString& message)
{
    printErr(QStringLiteral("slt-cli bank %1: %2\n").arg(command, message));
    return ExitFailure;
}

QString outputProblem(const QString& output, const QStringList& inputs, bool force)
{
    const QFileInfo out(output);
    for (const QString& input : inputs)
        if (out.exists() && out.canonicalFilePath() == QFileInfo(input).canonicalFilePath())
            return QStringLiteral("the output '%1' is also an input; write to another file").arg(output);
    if (out.isDir())
        return QStringLiteral("the output '%1' is a folder").arg(output);
    if (out.exists() && !force)
        return QStringLiteral("'%1' already exists; use --force to replace it").arg(output);
    if (!QFileInfo(out.absolutePath()).isDir())
        return QStringLiteral("the folder of '%1' does not exist").arg(output);
    return {};
}

ProgressLine::ProgressLine(QString label, bool forced) : label_(std::move(label)), enabled_(forced || isatty(STDERR_FILENO))
{
    timer_.start();
}

ProgressLine::~ProgressLine()
{
    if (shown_)
        printErr(QStringLiteral("\n"));
}

core::BankProgress ProgressLine::callback()
{
    if (!enabled_)
        return {};
    return [this](int64_t done, int64_t total) { show(done, total); };
}

void ProgressLine::show(int64_t done, int64_t total)
{
    if (shown_ && done < total && timer_.elapsed() < 200)
        return;
    timer_.restart();
    shown_ = true;
    const double percent = total > 0 ? 100.0 * static_cast<double>(done) / static_cast<double>(total) : 100.0;
    printErr(QStringLiteral("\r%1: %2 / %3 points (%4 %)").arg(label_).arg(done).arg(total).arg(percent, 0, 'f', 1));
}

} // namespace slt::cli
