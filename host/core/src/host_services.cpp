// The host services offered to plugins: slt.log/1, slt.settings/1 and slt.paths/1. Every call may come
// from any plugin thread, so shared state is read under the runtime's mutex.
#include "plugin_runtime.hpp"

#include "slt/core/plugin_settings.hpp"
#include "slt/core/version.hpp"

#include <QDir>
#include <QLoggingCategory>
#include <QStandardPaths>

#include <cstring>

Q_LOGGING_CATEGORY(sltPluginLog, "slt.plugin")

namespace slt::core {
namespace {

PluginRuntime* runtimeOf(const slt_host* host)
{
    return host ? static_cast<PluginRuntime*>(host->host_data) : nullptr;
}

void logMessage(const slt_host* host, slt_log_level level, const char* message)
{
    PluginRuntime* runtime = runtimeOf(host);
    if (!runtime || !message)
        return;
    const QString text = QStringLiteral("[%1] %2").arg(runtime->manifest.id, QString::fromUtf8(message));
    switch (level) {
    case SLT_LOG_DEBUG: qCDebug(sltPluginLog).noquote() << text; break;
    case SLT_LOG_INFO: qCInfo(sltPluginLog).noquote() << text; break;
    case SLT_LOG_WARNING: qCWarning(sltPluginLog).noquote() << text; break;
    default: qCCritical(sltPluginLog).noquote() << text; break;
    }
}

// Looks up a key; SLT_ERR_NOT_FOUND for a key the manifest does not declare.
slt_status lookup(const slt_host* host, const char* key, QVariant* value)
{
    PluginRuntime* runtime = runtimeOf(host);
    if (!runtime || !key)
        return SLT_ERR_INVALID_ARGUMENT;
    std::lock_guard<std::mutex> lock(runtime->mutex);
    auto it = runtime->settings.constFind(QString::fromUtf8(key));
    if (it == runtime->settings.constEnd())
        return SLT_ERR_NOT_FOUND;
    *value = it.value();
    return SLT_OK;
}

slt_status getString(const slt_host* host, const char* key, char* out, size_t capacity, size_t* required)
{
    QVariant value;
    if (slt_status status = lookup(host, key, &value))
        return status;
    QString text = value.toString();
    if (value.typeId() == QMetaType::Bool)
        text = value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    const QByteArray utf8 = text.toUtf8();
    const size_t needed = static_cast<size_t>(utf8.size()) + 1;
    if (required)
        *required = needed;
    if (out && capacity > 0) {
        const size_t copied = std::min(capacity - 1, static_cast<size_t>(utf8.size()));
        std::memcpy(out, utf8.constData(), copied);
        out[copied] = '\0';
    }
    return capacity >= needed ? SLT_OK : SLT_ERR_BUFFER_TOO_SMALL;
}

slt_status getInt(const slt_host* host, const char* key, int64_t* out)
{
    QVariant value;
    if (slt_status status = lookup(host, key, &value))
        return status;
    if (value.typeId() != QMetaType::LongLong)
        return SLT_ERR_FORMAT;
    if (out)
        *out = value.toLongLong();
    return SLT_OK;
}

slt_status getDouble(const slt_host* host, const char* key, double* out)
{
    QVariant value;
    if (slt_status status = lookup(host, key, &value))
        return status;
    // An int setting is also readable as a double; text and bools are not.
    if (value.typeId() != QMetaType::Double && value.typeId() != QMetaType::LongLong)
        return SLT_ERR_FORMAT;
    if (out)
        *out = value.toDouble();
    return SLT_OK;
}

slt_status getBool(const slt_host* host, const char* key, int* out)
{
    QVariant value;
    if (slt_status status = lookup(host, key, &value))
        return status;
    if (value.typeId() != QMetaType::Bool)
        return SLT_ERR_FORMAT;
    if (out)
        *out = value.toBool() ? 1 : 0;
    return SLT_OK;
}

const char* getPath(const slt_host* host, slt_path_kind kind)
{
    PluginRuntime* runtime = runtimeOf(host);
    if (!runtime || kind < SLT_PATH_PLUGIN_DIR || kind > SLT_PATH_TEMP_DIR)
        return nullptr;
    const std::string& path = runtime->paths[static_cast<size_t>(kind)];
    if (kind != SLT_PATH_PLUGIN_DIR) {
        // Writable folders are created on first use, not for every plugin at every start.
        std::lock_guard<std::mutex> lock(runtime->mutex);
        QDir().mkpath(QString::fromStdString(path));
    }
    return path.c_str();
}

const slt_log_service kLogService = {sizeof(slt_log_service), &logMessage};
const slt_settings_service kSettingsService = {sizeof(slt_settings_service), &getString, &getInt, &getDouble, &getBool};
const slt_paths_service kPathsService = {sizeof(slt_paths_service), &getPath};

const void* getService(const slt_host* host, const char* serviceId)
{
    if (!host || !serviceId)
        return nullptr;
    if (std::strcmp(serviceId, SLT_SERVICE_LOG) == 0)
        return &kLogService;
    if (std::strcmp(serviceId, SLT_SERVICE_SETTINGS) == 0)
        return &kSettingsService;
    if (std::strcmp(serviceId, SLT_SERVICE_PATHS) == 0)
        return &kPathsService;
    return nullptr;
}

std::string localPath(const QString& path)
{
    return QDir::cleanPath(path).toStdString();
}

} // namespace

void setUpHost(PluginRuntime& runtime, const QString& hostName, const QString& pluginDirectory,
               const QString& processTempDirectory)
{
    const QString& id = runtime.manifest.id;
    runtime.hostName = hostName.toStdString();
    runtime.hostVersion = kAppVersion;
    runtime.paths[SLT_PATH_PLUGIN_DIR] = localPath(pluginDirectory);
    runtime.paths[SLT_PATH_DATA_DIR] =
        localPath(QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + QStringLiteral("/slt/plugin-data/") + id);
    runtime.paths[SLT_PATH_CACHE_DIR] =
        localPath(QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation) + QStringLiteral("/slt/plugins/") + id);
    runtime.paths[SLT_PATH_TEMP_DIR] = localPath(processTempDirectory + QLatin1Char('/') + id);

    runtime.host.struct_size = sizeof(slt_host);
    runtime.host.abi_major = SLT_ABI_MAJOR;
    runtime.host.abi_minor = SLT_ABI_MINOR;
    runtime.host.host_name = runtime.hostName.c_str();
    runtime.host.host_version = runtime.hostVersion.c_str();
    runtime.host.host_data = &runtime;
    runtime.host.get_service = &getService;
}

} // namespace slt::core
