#include "project_file_check.hpp"

#include <QFile>
#include <QFileInfo>

namespace slt::core::project {
namespace {

constexpr int kHeaderSize = 100;
const char kSqliteMagic[] = "SQLite format 3"; // followed by a NUL: 16 bytes

quint32 bigEndian32(const QByteArray& bytes, int offset)
{
    quint32 value = 0;
    for (int i = 0; i < 4; ++i)
        value = (value << 8) | static_cast<quint8>(bytes[offset + i]);
    return value;
}

// Size the header promises, or 0 when the header's page count is not trustworthy (written by an old SQLite).
qint64 promisedSize(const QByteArray& header)
{
    const quint32 pageSizeField = (static_cast<quint8>(header[16]) << 8) | static_cast<quint8>(header[17]);
    const qint64 pageSize = pageSizeField == 1 ? 65536 : pageSizeField;
    const bool countValid = bigEndian32(header, 24) == bigEndian32(header, 92);
    return countValid ? pageSize * bigEndian32(header, 28) : 0;
}

Result<QByteArray> readHeader(const QString& path)
{
    using R = Result<QByteArray>;
    const QFileInfo info(path);
    if (!info.exists())
        return R::failure(QStringLiteral("%1: no such file").arg(path));
    if (info.isDir())
        return R::failure(QStringLiteral("%1 is a folder, not an SLT project file").arg(path));
    if (info.size() == 0)
        return R::failure(QStringLiteral("%1 is empty (0 bytes), not an SLT project file").arg(path));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return R::failure(QStringLiteral("%1 cannot be read: %2").arg(path, file.errorString()));
    const QByteArray header = file.read(kHeaderSize);
    if (!header.startsWith(QByteArray(kSqliteMagic, sizeof kSqliteMagic)))
        return R::failure(QStringLiteral("%1 is not an SLT project file (not a SQLite database)").arg(path));
    if (header.size() < kHeaderSize)
        return R::failure(QStringLiteral("%1 is truncated: %2 bytes, shorter than a SQLite header")
                              .arg(path)
                              .arg(header.size()));
    return header;
}

} // namespace

Result<ProjectFileHeader> checkProjectFile(const QString& path, int newestReadable)
{
    using R = Result<ProjectFileHeader>;
    const auto header = readHeader(path);
    if (!header)
        return R::failure(header.error());
    const quint32 applicationId = bigEndian32(*header, 68);
    if (applicationId != kProjectApplicationId)
        return R::failure(QStringLiteral("%1 is a SQLite database but not an SLT project file (application id "
                                         "0x%2, a project has 0x%3)")
                              .arg(path)
                              .arg(applicationId, 8, 16, QLatin1Char('0'))
                              .arg(kProjectApplicationId, 8, 16, QLatin1Char('0')));
    ProjectFileHeader facts;
    facts.formatVersion = static_cast<int>(bigEndian32(*header, 60));
    if (facts.formatVersion > newestReadable)
        return R::failure(QStringLiteral("%1 has project format version %2, newer than version %3 that this SLT "
                                         "reads; open it with a newer SLT")
                              .arg(path)
                              .arg(facts.formatVersion)
                              .arg(newestReadable));
    if (facts.formatVersion < 1)
        return R::failure(QStringLiteral("%1 is damaged: project format version %2 is not valid")
                              .arg(path)
                              .arg(facts.formatVersion));
    const QFileInfo wal(path + QStringLiteral("-wal"));
    facts.hasWalContent = wal.exists() && wal.size() > 0;
    const qint64 promised = promisedSize(*header);
    // Pages not yet copied back from a write-ahead log may legitimately be missing from the main file.
    if (!facts.hasWalContent && promised > QFileInfo(path).size())
        return R::failure(QStringLiteral("%1 is truncated: its header promises %2 bytes, the file has %3")
                              .arg(path)
                              .arg(promised)
                              .arg(QFileInfo(path).size()));
    return facts;
}

} // namespace slt::core::project
