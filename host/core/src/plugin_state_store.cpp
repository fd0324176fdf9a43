#include "plugin_state_store.hpp"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QSysInfo>

#include <cerrno>
#include <csignal>
#include <unistd.h>

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

// The start time of process `pid` in clock ticks since boot (field 22 of /proc/<pid>/stat), or empty where
// /proc is missing. With the pid it names one process even after the pid has been reused.
QString processStartTicks(qint64 pid)
{
    const QByteArray stat = readFile(QStringLiteral("/proc/%1/stat").arg(pid));
    const qsizetype afterName = stat.lastIndexOf(')'); // the command name may hold spaces and parentheses
    if (afterName < 0)
        return {};
    const QList<QByteArray> fields = stat.mid(afterName + 2).split(' '); // fields from 3 (state) on
    return fields.size() > 19 ? QString::fromLatin1(fields[19]) : QString();
}

bool processRuns(qint64 pid, const QString& startTicks)
{
    if (pid <= 0 || (::kill(static_cast<pid_t>(pid), 0) != 0 && errno != EPERM))
        return false;
    const QString running = processStartTicks(pid);
    return startTicks.isEmpty() || running.isEmpty() || running == startTicks; // same pid, same process
}

QString hostName()
{
    return QSysInfo::machineHostName();
}

// A loading mark's file name and content: "<id>@<host>@<pid>"; lines path, fingerprint, start ticks.
struct LoadingMark {
    QString id;
    QString host;        // empty for a bare mark of an earlier version
    qint64 pid = 0;
    QString libraryPath;
    QString fingerprint; // as written; may be empty in a bare mark
    QString startTicks;

    static LoadingMark read(const QString& path)
    {
        LoadingMark mark;
        const QStringList name = QFileInfo(path).fileName().split(QLatin1Char('@'));
        mark.id = name.value(0);
        if (name.size() == 3) {
            mark.host = name[1];
            mark.pid = name[2].toLongLong();
        }
        const QList<QByteArray> lines = readFile(path).split('\n');
        mark.libraryPath = QString::fromUtf8(lines.value(0)).trimmed();
        mark.fingerprint = QString::fromUtf8(lines.value(1)).trimmed();
        mark.startTicks = QString::fromUtf8(lines.value(2)).trimmed();
        return mark;
    }

    // True when the process that wrote it died while loading (so far as this host can tell).
    bool leftByCrash() const
    {
        if (host.isEmpty())
            return true; // bare mark: one process per state directory was the rule then
        if (host != hostName())
            return false;
        return pid != QCoreApplication::applicationPid() && !processRuns(pid, startTicks);
    }
};

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
    for (const QString& name : marks.entryList(QDir::Files)) {
        const LoadingMark mark = LoadingMark::read(marks.filePath(name));
        if (!mark.leftByCrash())
            continue;
        quarantine(mark.id, mark.fingerprint.isEmpty() ? libraryFingerprint(mark.libraryPath) : mark.fingerprint, kCrashReason);
        QFile::remove(marks.filePath(name));
        if (!ids.contains(mark.id))
            ids << mark.id;
    }
    return ids;
}

void PluginStateStore::writeLoadingMark(const QString& id, const QString& libraryPath)
{
    // Written with a plain QFile + flush rather than QSaveFile: it must exist on disk before dlopen.
    const QString path = ownLoadingMark(id);
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile mark(path);
    if (mark.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        mark.write(libraryPath.toUtf8() + '\n' + libraryFingerprint(libraryPath).toUtf8() + '\n' +
                   processStartTicks(QCoreApplication::applicationPid()).toUtf8() + '\n');
        mark.flush();
    }
}

void PluginStateStore::removeLoadingMark(const QString& id)
{
    QFile::remove(ownLoadingMark(id));
}

QString PluginStateStore::ownLoadingMark(const QString& id) const
{
    return file("loading", QStringLiteral("%1@%2@%3").arg(id, hostName()).arg(QCoreApplication::applicationPid()));
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
