// Private to slt_core: the crash guard's files in the state directory.
//   loading/<id>@<host>@<pid>
//                    written before a plugin is loaded and initialised, removed after init returns; one
//                    left over at start means that process died there. Marks are per process because several
//                    processes may share a state directory (two trainings, the app and slt-cli, an array job on a
//                    cluster with a shared home): a mark whose process still runs is someone else's load in
//                    progress, not a crash. Marks of other hosts are left to those hosts, which can tell.
//                    A bare loading/<id> (written by earlier versions) always counts as a crash.
//   quarantine/<id>  a plugin that crashed, with its library's fingerprint: lifted when the library file
//                    changes or the user re-enables the plugin.
//   probed/<id>      the library fingerprint that last survived a probe process, so a normal start does
//                    not spawn one again.
#pragma once

#include <QString>
#include <QStringList>

#include <optional>

namespace slt::core {

// "path|size|mtime(ms)": changes whenever the library file is replaced or rebuilt.
QString libraryFingerprint(const QString& libraryPath);

class PluginStateStore {
public:
    explicit PluginStateStore(QString directory);

    const QString& directory() const { return directory_; }

    // Turns every leftover loading mark of a process of this host that no longer runs into a quarantine
    // record; returns the ids concerned.
    QStringList quarantineLeftoverMarks();

    void writeLoadingMark(const QString& id, const QString& libraryPath);
    void removeLoadingMark(const QString& id);

    // The recorded reason when `id` is quarantined and its library is unchanged. A record for a library
    // that has changed since is removed (the plugin gets another chance).
    std::optional<QString> quarantineReason(const QString& id, const QString& libraryPath);
    void quarantine(const QString& id, const QString& libraryFingerprint, const QString& reason);
    void liftQuarantine(const QString& id);

    bool wasProbed(const QString& id, const QString& libraryPath) const;
    void rememberProbed(const QString& id, const QString& libraryPath);

private:
    QString file(const char* folder, const QString& id) const;
    QString ownLoadingMark(const QString& id) const;

    QString directory_;
};

} // namespace slt::core
