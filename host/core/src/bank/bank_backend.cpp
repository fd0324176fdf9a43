#include "slt/core/bank/bank_backend.hpp"

#include "slt/core/plugin_manager.hpp"

#include <QFileInfo>
#include <QStringList>

namespace slt::core {

QString toQString(const sdk::host::Status& status)
{
    return QString::fromStdString(status.message);
}

QString BankBackend::formatName() const
{
    const QString name = factory && factory->format_name ? QString::fromUtf8(factory->format_name) : QStringLiteral("bank");
    return QStringLiteral("%1 (%2)").arg(name, pluginId);
}

std::vector<BankBackend> activeBankBackends(const PluginManager& manager)
{
    std::vector<BankBackend> backends;
    for (const PluginRecord& record : manager.plugins()) {
        if (record.state != PluginState::Active)
            continue;
        const QString& id = record.manifest.id;
        auto table = sdk::host::BankProxy::factory(manager.factory(id, SLT_BANK_FACTORY_ID));
        if (table)
            backends.push_back({id, *table, manager.host(id)});
    }
    return backends;
}

QString bankPluginId(const QString& backendName)
{
    return QStringLiteral("org.slt.bank.") + backendName;
}

namespace {

QString idList(const std::vector<BankBackend>& backends)
{
    QStringList ids;
    for (const BankBackend& b : backends)
        ids << b.pluginId;
    return ids.isEmpty() ? QStringLiteral("none") : ids.join(QStringLiteral(", "));
}

// Problems a probe cannot name well: the path itself is not a readable, non-empty file.
QString pathProblem(const QString& path)
{
    const QFileInfo info(path);
    if (!info.exists())
        return QStringLiteral("'%1' does not exist").arg(path);
    if (info.isDir())
        return QStringLiteral("'%1' is a folder, not a bank file").arg(path);
    if (!info.isFile())
        return QStringLiteral("'%1' is not a regular file").arg(path);
    if (!info.isReadable())
        return QStringLiteral("'%1' is not readable (permissions)").arg(path);
    if (info.size() == 0)
        return QStringLiteral("'%1' is empty (0 bytes): not a bank").arg(path);
    return {};
}

} // namespace

Result<BankBackend> bankBackendById(const std::vector<BankBackend>& backends, const QString& pluginId)
{
    for (const BankBackend& b : backends)
        if (b.pluginId == pluginId)
            return b;
    return Result<BankBackend>::failure(QStringLiteral("the bank plugin '%1' is not active (active bank plugins: %2); "
                                                       "run 'slt-cli plugins list' to see why")
                                            .arg(pluginId, idList(backends)));
}

Result<BankBackend> findBankBackend(const std::vector<BankBackend>& backends, const QString& path)
{
    if (const QString problem = pathProblem(path); !problem.isEmpty())
        return Result<BankBackend>::failure(problem);
    if (backends.empty())
        return Result<BankBackend>::failure(
            QStringLiteral("no bank plugin is active, so '%1' cannot be read; run 'slt-cli plugins list'").arg(path));
    const std::string utf8 = path.toStdString();
    const BankBackend* best = nullptr;
    float bestConfidence = 0.0f;
    QStringList tried;
    for (const BankBackend& b : backends) {
        const float confidence = sdk::host::BankProxy::probe(b.factory, utf8);
        tried << b.formatName();
        if (confidence > bestConfidence) {
            best = &b;
            bestConfidence = confidence;
        }
    }
    if (!best)
        return Result<BankBackend>::failure(QStringLiteral("'%1' is not a bank in any format this installation reads "
                                                           "(tried: %2)")
                                                .arg(path, tried.join(QStringLiteral(", "))));
    return *best;
}

Result<sdk::host::BankProxy> openBank(const BankBackend& backend, const QString& path, slt_bank_mode mode,
                                      const slt_bank_metadata* create)
{
    auto proxy = sdk::host::BankProxy::open(backend.factory, backend.host, path.toStdString(), mode, create);
    if (!proxy) {
        const char* verb = mode == SLT_BANK_CREATE ? "create" : "open";
        return Result<sdk::host::BankProxy>::failure(
            QStringLiteral("cannot %1 '%2' as %3: %4").arg(QLatin1String(verb), path, backend.formatName(),
                                                           toQString(proxy.status())));
    }
    return std::move(*proxy);
}

} // namespace slt::core
