// Creating and opening project files, their meta data, settings and navigation history.
#include "project_file_check.hpp"
#include "project_schema.hpp"
#include "project_store_impl.hpp"

#include "slt/core/version.hpp"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QUrl>
#include <QUuid>

#include <sqlite3.h>

#include <cerrno>
#include <unistd.h>

namespace slt::core {
namespace {

using project::Connection;
using project::forEachRow;
using project::Statement;

constexpr int kBusyTimeoutMs = 5000;
// WAL pages between automatic checkpoints (SQLite's default is 1000). A checkpoint costs two syncs and runs
// inside the commit that crosses the limit; at ~4 pages per label action, 4000 pages keeps that to about one
// action in a thousand, off the p99 of label latency, for a WAL of at most ~16 MiB.
constexpr int kAutoCheckpointPages = 4000;

// The facts of `meta` that a store keeps in memory.
struct ProjectMeta {
    int formatVersion = 0;
    BankRef bank;
    ClassSchema schema;
    QString createdUtc;
    QString writtenByVersion;
    QString creator;
};

std::map<QString, QString> metaRows(const BankRef& bank, const ClassSchema& schema, const QString& annotator)
{
    return {{"format_version", QString::number(kProjectFormatVersion)},
            {"app_version", QString::fromLatin1(kAppVersion)},
            {"created_utc", QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)},
            {"annotator", annotator},
            {"bank_uuid", bank.uuid},
            {"bank_path", bank.path},
            {"bank_points", QString::number(bank.pointCount)},
            {"class_schema", schema.toToml()}};
}

Result<ProjectMeta> parseMeta(const std::map<QString, QString>& rows, const QString& path)
{
    using R = Result<ProjectMeta>;
    for (const char* key : {"format_version", "app_version", "created_utc", "annotator", "bank_uuid", "bank_path",
                            "bank_points", "class_schema"}) {
        if (!rows.count(QString::fromLatin1(key)))
            return R::failure(QStringLiteral("%1 is damaged: meta key '%2' is missing").arg(path, key));
    }
    ProjectMeta meta;
    bool numbers = true, ok = false;
    meta.formatVersion = rows.at("format_version").toInt(&ok);
    numbers &= ok;
    meta.bank.pointCount = rows.at("bank_points").toLongLong(&ok);
    numbers &= ok;
    if (!numbers)
        return R::failure(QStringLiteral("%1 is damaged: format_version or bank_points is not a number").arg(path));
    if (meta.formatVersion > kProjectFormatVersion)
        return R::failure(QStringLiteral("%1 has project format version %2, newer than version %3 that this SLT "
                                         "reads; open it with a newer SLT")
                              .arg(path)
                              .arg(meta.formatVersion)
                              .arg(kProjectFormatVersion));
    auto schema = ClassSchema::fromToml(rows.at("class_schema"), path + QStringLiteral(" (class schema)"));
    if (!schema)
        return R::failure(QStringLiteral("%1 is damaged: %2").arg(path, schema.error()));
    meta.schema = *schema;
    meta.bank.uuid = rows.at("bank_uuid");
    meta.bank.path = rows.at("bank_path");
    meta.createdUtc = rows.at("created_utc");
    meta.writtenByVersion = rows.at("app_version");
    meta.creator = rows.at("annotator");
    return meta;
}

// Reads and checks the project through a read-only connection. Without a write-ahead log beside the file it is
// opened "immutable", which creates no -wal/-shm files: a refused file stays exactly as it was.
Result<ProjectMeta> probeProject(const QString& path, const QString& expectedBankUuid, bool checkBank = true)
{
    using R = Result<ProjectMeta>;
    const auto header = project::checkProjectFile(path, kProjectFormatVersion);
    if (!header)
        return R::failure(header.error());
    const QString uri = QUrl::fromLocalFile(QFileInfo(path).absoluteFilePath()).toString(QUrl::FullyEncoded) +
                        (header->hasWalContent ? QStringLiteral("?mode=ro") : QStringLiteral("?mode=ro&immutable=1"));
    auto probe = Connection::open(uri, SQLITE_OPEN_READONLY);
    if (!probe)
        return R::failure(QStringLiteral("%1 cannot be opened: %2").arg(path, probe.error()));
    if (Status tables = project::checkProjectTables(*probe, path); !tables)
        return R::failure(tables.error());
    const auto rows = project::readMeta(*probe);
    if (!rows)
        return R::failure(QStringLiteral("%1 cannot be read: %2").arg(path, rows.error()));
    auto meta = parseMeta(*rows, path);
    if (meta && checkBank && meta->bank.uuid != expectedBankUuid)
        return R::failure(QStringLiteral("%1 is a project of bank %2 (%3), not of bank %4; open it with that bank")
                              .arg(path, meta->bank.uuid, meta->bank.path, expectedBankUuid));
    return meta;
}

Status applySynchronous(Connection& db, Synchronous mode)
{
    return db.exec(mode == Synchronous::Full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
}

Result<Connection> openForWriting(const QString& path, Synchronous mode)
{
    using R = Result<Connection>;
    // An absolute path never starts with "file:", so SQLite does not read it as a URI.
    auto db = Connection::open(QFileInfo(path).absoluteFilePath(), SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX);
    if (!db)
        return R::failure(QStringLiteral("%1 cannot be opened for writing: %2").arg(path, db.error()));
    if (db->isReadOnly())
        return R::failure(QStringLiteral("%1 is read-only; SLT writes every label to the project file, so it "
                                         "needs write permission")
                              .arg(path));
    const QByteArray busy = QStringLiteral("PRAGMA busy_timeout = %1").arg(kBusyTimeoutMs).toUtf8();
    const QByteArray autoCheckpoint = QStringLiteral("PRAGMA wal_autocheckpoint = %1").arg(kAutoCheckpointPages).toUtf8();
    for (Status set : {db->exec("PRAGMA journal_mode = WAL"), db->exec(busy.constData()),
                       db->exec(autoCheckpoint.constData()), applySynchronous(*db, mode)}) {
        if (!set)
            return R::failure(QStringLiteral("%1 cannot be opened for writing: %2").arg(path, set.error()));
    }
    return db;
}

Status checkNewProject(const QString& path, const BankRef& bank, const QString& annotator)
{
    const QFileInfo info(path);
    if (path.isEmpty())
        return Status::failure(QStringLiteral("a project needs a file name"));
    if (info.exists() || info.isSymLink())
        return Status::failure(QStringLiteral("%1 already exists; SLT never overwrites a project, choose another "
                                              "name")
                                   .arg(path));
    if (!info.absoluteDir().exists())
        return Status::failure(QStringLiteral("%1: the folder %2 does not exist").arg(path, info.absolutePath()));
    if (bank.uuid.trimmed().isEmpty())
        return Status::failure(QStringLiteral("a project needs the uuid of its bank"));
    if (bank.pointCount < 0)
        return Status::failure(QStringLiteral("the bank's point count %1 is negative").arg(bank.pointCount));
    if (annotator.trimmed().isEmpty())
        return Status::failure(QStringLiteral("a project needs an annotator name"));
    return {};
}

void removeDatabaseFiles(const QString& path)
{
    for (const char* suffix : {"", "-journal", "-wal", "-shm"})
        QFile::remove(path + QLatin1String(suffix));
}

// Moves the finished file into place without ever replacing an existing one (link fails on EEXIST).
Status publish(const QString& temporary, const QString& path)
{
    const QByteArray from = QFile::encodeName(temporary), to = QFile::encodeName(path);
    if (::link(from.constData(), to.constData()) == 0) {
        QFile::remove(temporary);
        return {};
    }
    if (errno == EEXIST)
        return Status::failure(QStringLiteral("%1 already exists; SLT never overwrites a project").arg(path));
    // File systems without hard links: QFile::rename also refuses an existing destination.
    if (QFile::rename(temporary, path))
        return {};
    return Status::failure(QStringLiteral("%1 cannot be written: renaming %2 failed").arg(path, temporary));
}

Status writeNewProject(const QString& temporary, const BankRef& bank, const ClassSchema& schema,
                       const QString& annotator)
{
    auto db = Connection::open(temporary, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX);
    if (!db)
        return Status::failure(db.error());
    if (Status created = project::createProjectTables(*db, metaRows(bank, schema, annotator)); !created)
        return created;
    return db->exec("PRAGMA journal_mode = WAL"); // persistent; closing the connection checkpoints everything
}

} // namespace

Status ProjectStore::Impl::checkThread() const
{
    if (std::this_thread::get_id() == owner)
        return {};
    return Status::failure(QStringLiteral("%1: a project store is used only by the thread that opened it; open "
                                          "another store for this thread")
                               .arg(path));
}

QString ProjectStore::Impl::failure(const QString& what, const QString& message) const
{
    return QStringLiteral("%1: %2 failed: %3").arg(path, what, message);
}

Result<ProjectStore> ProjectStore::create(const QString& path, const BankRef& bank, const ClassSchema& schema,
                                          const QString& annotator, const ProjectOptions& options)
{
    if (Status fresh = checkNewProject(path, bank, annotator); !fresh)
        return Result<ProjectStore>::failure(fresh.error());
    const QFileInfo info(path);
    const QString temporary = info.absoluteDir().filePath(
        QStringLiteral(".%1.creating-%2").arg(info.fileName(), QUuid::createUuid().toString(QUuid::Id128).left(12)));
    Status written = writeNewProject(temporary, bank, schema, annotator);
    if (written)
        written = publish(temporary, path);
    if (!written) {
        removeDatabaseFiles(temporary);
        return Result<ProjectStore>::failure(QStringLiteral("%1 cannot be created: %2").arg(path, written.error()));
    }
    ProjectOptions opening = options;
    opening.annotator = annotator;
    return open(path, bank.uuid, opening);
}

Result<BankRef> ProjectStore::bankOf(const QString& path)
{
    auto meta = probeProject(path, QString(), false);
    if (!meta)
        return Result<BankRef>::failure(meta.error());
    return meta->bank;
}

Result<ProjectStore> ProjectStore::open(const QString& path, const QString& expectedBankUuid,
                                        const ProjectOptions& options)
{
    using R = Result<ProjectStore>;
    auto meta = probeProject(path, expectedBankUuid);
    if (!meta)
        return R::failure(meta.error());
    auto db = openForWriting(path, options.synchronous);
    if (!db)
        return R::failure(db.error());
    auto impl = std::make_unique<Impl>(std::move(*db));
    impl->path = path;
    impl->bank = meta->bank;
    impl->schema = meta->schema;
    impl->formatVersion = meta->formatVersion;
    impl->createdUtc = meta->createdUtc;
    impl->writtenByVersion = meta->writtenByVersion;
    impl->annotator = options.annotator.trimmed().isEmpty() ? meta->creator : options.annotator;
    return ProjectStore(std::move(impl));
}

ProjectStore::ProjectStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ProjectStore::ProjectStore(ProjectStore&&) noexcept = default;
ProjectStore& ProjectStore::operator=(ProjectStore&&) noexcept = default;
ProjectStore::~ProjectStore() = default;

const QString& ProjectStore::path() const { return impl_->path; }
const BankRef& ProjectStore::bank() const { return impl_->bank; }
const ClassSchema& ProjectStore::classSchema() const { return impl_->schema; }
int ProjectStore::formatVersion() const { return impl_->formatVersion; }
const QString& ProjectStore::createdUtc() const { return impl_->createdUtc; }
const QString& ProjectStore::writtenByVersion() const { return impl_->writtenByVersion; }
const QString& ProjectStore::annotator() const { return impl_->annotator; }

Status ProjectStore::setAnnotator(const QString& annotator)
{
    if (annotator.trimmed().isEmpty())
        return Status::failure(QStringLiteral("an annotator name cannot be empty"));
    impl_->annotator = annotator;
    return {};
}

Status ProjectStore::setSynchronous(Synchronous mode)
{
    if (Status allowed = impl_->checkThread(); !allowed)
        return allowed;
    return applySynchronous(impl_->db, mode);
}

Status ProjectStore::checkpoint()
{
    if (Status allowed = impl_->checkThread(); !allowed)
        return allowed;
    // PASSIVE: copies what it can without waiting for other connections, and keeps the WAL file's size so the
    // next commits overwrite it in place (no file growth to sync).
    if (Status done = impl_->db.exec("PRAGMA wal_checkpoint(PASSIVE)"); !done)
        return Status::failure(impl_->failure(QStringLiteral("checkpoint"), done.error()));
    return {};
}

Result<RecordedAction> ProjectStore::record(const std::vector<LabelEdit>& edits)
{
    return impl_->recordEdits(edits);
}

namespace {
std::vector<LabelEdit> sameEdit(const std::vector<qint64>& points, LabelEventKind kind, int classId)
{
    std::vector<LabelEdit> edits;
    edits.reserve(points.size());
    for (qint64 point : points)
        edits.push_back({kind, point, classId});
    return edits;
}
} // namespace

Result<RecordedAction> ProjectStore::setClass(const std::vector<qint64>& points, int classId)
{
    return impl_->recordEdits(sameEdit(points, LabelEventKind::SetClass, classId));
}

Result<RecordedAction> ProjectStore::setClassAndLock(const std::vector<qint64>& points, int classId)
{
    // Per point: set_class then lock, so undo restores both the class and the lock flag.
    std::vector<LabelEdit> edits;
    for (qint64 point : points) {
        edits.push_back({LabelEventKind::SetClass, point, classId});
        edits.push_back({LabelEventKind::Lock, point, classId});
    }
    return impl_->recordEdits(edits);
}

Result<RecordedAction> ProjectStore::lock(const std::vector<qint64>& points)
{
    return impl_->recordEdits(sameEdit(points, LabelEventKind::Lock, kUnlabelledClass));
}

Result<RecordedAction> ProjectStore::unlock(const std::vector<qint64>& points)
{
    return impl_->recordEdits(sameEdit(points, LabelEventKind::Unlock, kUnlabelledClass));
}

Result<RecordedAction> ProjectStore::unlabel(const std::vector<qint64>& points)
{
    return impl_->recordEdits(sameEdit(points, LabelEventKind::Unlabel, kUnlabelledClass));
}

Result<RecordedAction> ProjectStore::undo() { return impl_->undo(); }
Result<RecordedAction> ProjectStore::redo() { return impl_->redo(); }

Result<bool> ProjectStore::canUndo()
{
    if (Status allowed = impl_->checkThread(); !allowed)
        return Result<bool>::failure(allowed.error());
    const auto target = impl_->undoTarget();
    return target ? Result<bool>(target->has_value()) : Result<bool>::failure(target.error());
}

Result<bool> ProjectStore::canRedo()
{
    if (Status allowed = impl_->checkThread(); !allowed)
        return Result<bool>::failure(allowed.error());
    const auto target = impl_->redoTarget();
    return target ? Result<bool>(target->has_value()) : Result<bool>::failure(target.error());
}

Result<LabelState> ProjectStore::label(qint64 point)
{
    if (Status allowed = impl_->checkThread(); !allowed)
        return Result<LabelState>::failure(allowed.error());
    if (point < 0 || point >= impl_->bank.pointCount)
        return Result<LabelState>::failure(
            QStringLiteral("point %1 is not in the bank (points 0..%2)").arg(point).arg(impl_->bank.pointCount - 1));
    const auto state = impl_->readLabel(point);
    if (!state)
        return Result<LabelState>::failure(impl_->failure(QStringLiteral("reading a label"), state.error()));
    return state;
}

Result<DerivedState> ProjectStore::derivedState() { return impl_->derivedState(); }
Result<std::vector<JournalEvent>> ProjectStore::journal(qint64 afterEvent) { return impl_->journal(afterEvent); }
Status ProjectStore::rebuildDerivedState() { return impl_->rebuildDerivedState(); }

Status ProjectStore::recordVisit(qint64 cluster)
{
    if (Status allowed = impl_->checkThread(); !allowed)
        return allowed;
    auto insert = impl_->db.prepare("INSERT INTO navigation(cluster, time_utc) VALUES (?1, ?2)");
    if (!insert)
        return Status::failure(impl_->failure(QStringLiteral("recording a visit"), insert.error()));
    const QString now = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
    if (Status inserted = (*insert)->bind(1, cluster).bind(2, now).run(); !inserted)
        return Status::failure(impl_->failure(QStringLiteral("recording a visit"), inserted.error()));
    return {};
}

Result<std::vector<qint64>> ProjectStore::visitedClusters()
{
    using R = Result<std::vector<qint64>>;
    if (Status allowed = impl_->checkThread(); !allowed)
        return R::failure(allowed.error());
    auto query = impl_->db.prepare("SELECT cluster FROM navigation ORDER BY id");
    if (!query)
        return R::failure(impl_->failure(QStringLiteral("reading the navigation history"), query.error()));
    std::vector<qint64> clusters;
    Statement& row = **query;
    Status read = forEachRow(row, [&] {
        clusters.push_back(row.integer(0));
        return Status();
    });
    if (!read)
        return R::failure(impl_->failure(QStringLiteral("reading the navigation history"), read.error()));
    return clusters;
}

Status ProjectStore::setSetting(const QString& key, const QString& value)
{
    if (Status allowed = impl_->checkThread(); !allowed)
        return allowed;
    if (key.trimmed().isEmpty())
        return Status::failure(QStringLiteral("a setting needs a key"));
    auto insert = impl_->db.prepare("INSERT OR REPLACE INTO settings(key, value) VALUES (?1, ?2)");
    if (!insert)
        return Status::failure(impl_->failure(QStringLiteral("saving a setting"), insert.error()));
    if (Status inserted = (*insert)->bind(1, key).bind(2, value).run(); !inserted)
        return Status::failure(impl_->failure(QStringLiteral("saving a setting"), inserted.error()));
    return {};
}

Result<std::optional<QString>> ProjectStore::setting(const QString& key)
{
    using R = Result<std::optional<QString>>;
    auto all = settings();
    if (!all)
        return R::failure(all.error());
    const auto found = all->find(key);
    return found == all->end() ? std::optional<QString>() : std::optional<QString>(found->second);
}

Result<std::map<QString, QString>> ProjectStore::settings()
{
    using R = Result<std::map<QString, QString>>;
    if (Status allowed = impl_->checkThread(); !allowed)
        return R::failure(allowed.error());
    auto query = impl_->db.prepare("SELECT key, value FROM settings");
    if (!query)
        return R::failure(impl_->failure(QStringLiteral("reading the settings"), query.error()));
    std::map<QString, QString> values;
    Statement& row = **query;
    Status read = forEachRow(row, [&] {
        values[row.text(0)] = row.text(1);
        return Status();
    });
    if (!read)
        return R::failure(impl_->failure(QStringLiteral("reading the settings"), read.error()));
    return values;
}

} // namespace slt::core
