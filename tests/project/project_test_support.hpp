// Shared helpers of the project store tests: a temporary folder with a bank reference, raw SQLite access to
// damage files on purpose, and fingerprints that prove a refused file was left untouched.
#pragma once

#include <catch2/catch.hpp>

#include <slt/core/project/project_store.hpp>

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>

#include <sqlite3.h>

namespace slt::test {

inline core::BankRef testBank(qint64 points = 1000)
{
    return {QStringLiteral("7f1c1f5e-3a8e-4d47-9b1e-2d0c5a6b7e01"), QStringLiteral("banks/run-12.h5"), points};
}

class ProjectFolder {
public:
    ProjectFolder() { REQUIRE(dir_.isValid()); }
    QString path(const QString& name = QStringLiteral("project.sltp")) const { return dir_.filePath(name); }
    QStringList entries() const
    {
        return QDir(dir_.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot, QDir::Name);
    }

    core::ProjectStore create(const QString& name = QStringLiteral("project.sltp"), qint64 points = 1000)
    {
        auto store = core::ProjectStore::create(path(name), testBank(points), core::ClassSchema::sltDefault(),
                                                QStringLiteral("annotator-a"));
        INFO(store.error().toStdString());
        REQUIRE(store.ok());
        return std::move(*store);
    }

private:
    QTemporaryDir dir_;
};

// Content hash, size and modification time of a file: equal before and after means untouched.
inline QByteArray fingerprint(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return QByteArray("unreadable");
    const QByteArray hash = QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256).toHex();
    const QFileInfo info(path);
    return hash + ' ' + QByteArray::number(info.size()) + ' ' +
           QByteArray::number(info.lastModified().toMSecsSinceEpoch());
}

// Runs SQL on a file through a plain SQLite connection (to build or damage files on purpose); "" = success.
inline QString rawExec(const QString& path, const QString& sql)
{
    sqlite3* db = nullptr;
    QString error;
    if (sqlite3_open(QFile::encodeName(path).constData(), &db) != SQLITE_OK) {
        error = QString::fromUtf8(sqlite3_errmsg(db));
    } else {
        char* message = nullptr;
        if (sqlite3_exec(db, sql.toUtf8().constData(), nullptr, nullptr, &message) != SQLITE_OK)
            error = message ? QString::fromUtf8(message) : QStringLiteral("failed");
        sqlite3_free(message);
    }
    sqlite3_close(db);
    return error;
}

inline void writeBytes(const QString& path, const QByteArray& bytes)
{
    QFile file(path);
    REQUIRE(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    REQUIRE(file.write(bytes) == bytes.size());
}

inline std::string text(const QString& value)
{
    return value.toStdString();
}

} // namespace slt::test
