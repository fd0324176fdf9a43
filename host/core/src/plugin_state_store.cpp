#include "plugin_state_store.hpp"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace slt::core {
namespace {

const QString kCrashReason = QStringLiteral(
    "the application stopped while loading/initialising it at the last start (crash); it stays quarantined "
    "until it is re-enabled or its library changes");

bool writeFile(const QString& path, const QByteArray& content)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    file.write(content);
    return file.commit();
}

QByteArray readFile(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

QString libraryFingerprint(const QString& libraryPath)
{
    const QFileInfo info(libraryPath);
    return QStringLiteral("%1|%2|%3")
        .arg(info.absoluteFilePath())
        .arg(info.exists() ? info.size() : -1)
        .arg(info.exists() ? info.lastModified().toMSecsSinceEpoch() : -1);
}

PluginStateStore::PluginStateStore(QString directory) : directory_(std::move(directory)) {}

QString PluginStateStore::file(const char* folder, const QString& id) const
{
    return QStringLiteral("%1/%2/%3").arg(directory_, QLatin1String(folder), id);
}

QStringList PluginStateStore::quarantineLeftoverMarks()
{
    QStringList ids;
    const QDir marks(directory_ + QStringLiteral("/loading"));
    for (const QString& id : marks.entryList(QDir::Files)) {
        // Line 1: library path, line 2: its fingerprint when the mark was written.
        const QList<QByteArray> lines = readFile(marks.filePath(id)).split('\n');
        const QString recorded = QString::fromUtf8(lines.value(1)).trimmed();
        const QString fingerprint = recorded.isEmpty() ? libraryFingerprint(QString::fromUtf8(lines.value(0)).trimmed()) : recorded;
        quarantine(id, fingerprint, kCrashReason);
        QFile::remove(marks.filePath(id));
        ids << id;
    }
    return ids;
}

void PluginStateStore::writeLoadingMark(const QString& id, const QString& libraryPath)
{
    // Written with a plain QFile + flush rather than QSaveFile: it must exist on disk before dlopen.
    const QString path = file("loading", id);
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile mark(path);
    if (mark.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        mark.write(libraryPath.toUtf8() + '\n' + libraryFingerprint(libraryPath).toUtf8() + '\n');
        mark.flush();
    }
}

void PluginStateStore::removeLoadingMark(const QString& id)
{
    QFile::remove(file("loading", id));
}

std::optional<QString> PluginStateStore::quarantineReason(const QString& id, const QString& libraryPath)
{
    const QString path = file("quarantine", id);
    if (!QFileInfo::exists(path))
        return std::nullopt;
    const QJsonObject record = QJsonDocument::fromJson(readFile(path)).object();
    if (record.value(QStringLiteral("fingerprint")).toString() != libraryFingerprint(libraryPath)) {
        QFile::remove(path);
        return std::nullopt;
    }
    const QString reason = record.value(QStringLiteral("reason")).toString();
    return reason.isEmpty() ? kCrashReason : reason;
}

void PluginStateStore::quarantine(const QString& id, const QString& fingerprint, const QString& reason)
{
    QJsonObject record;
    record.insert(QStringLiteral("fingerprint"), fingerprint);
    record.insert(QStringLiteral("reason"), reason);
    writeFile(file("quarantine", id), QJsonDocument(record).toJson());
}

void PluginStateStore::liftQuarantine(const QString& id)
{
    QFile::remove(file("quarantine", id));
}

bool PluginStateStore::wasProbed(const QString& id, const QString& libraryPath) const
{
    return QString::fromUtf8(readFile(file("probed", id))) == libraryFingerprint(libraryPath);
}

void PluginStateStore::rememberProbed(const QString& id, const QString& libraryPath)
{
    writeFile(file("probed", id), libraryFingerprint(libraryPath).toUtf8());
}

} // namespace slt::core
