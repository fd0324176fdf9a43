// Every kind of file that open() must refuse: a clear message, no crash, and the file (and its folder) untouched.
#include "project_test_support.hpp"

#include <unistd.h>

using namespace slt::core;
using slt::test::ProjectFolder;
using slt::test::text;

namespace {

// Opens `path`, expects a refusal containing every fragment, and checks the folder and file are unchanged.
void expectRefused(ProjectFolder& folder, const QString& path, const QStringList& fragments,
                   const QString& bankUuid = slt::test::testBank().uuid)
{
    const QStringList entries = folder.entries();
    const QByteArray before = slt::test::fingerprint(path);
    auto store = ProjectStore::open(path, bankUuid);
    REQUIRE_FALSE(store.ok());
    INFO(text(store.error()));
    for (const QString& fragment : fragments)
        CHECK(store.error().contains(fragment));
    CHECK(slt::test::fingerprint(path) == before);
    CHECK(folder.entries() == entries); // no -wal, -shm or journal files appeared
}

// A closed project with a few labels, so that it has pages beyond the first.
QString writeProject(ProjectFolder& folder, const QString& name = QStringLiteral("project.sltp"))
{
    ProjectStore store = folder.create(name);
    for (qint64 point = 0; point < 200; ++point)
        REQUIRE(store.setClass({point}, static_cast<int>(point % 9)).ok());
    return folder.path(name);
}

} // namespace

TEST_CASE("bad project: missing file, folder and empty file", "[project][bad-input]")
{
    ProjectFolder folder;
    expectRefused(folder, folder.path("nowhere.sltp"), {"nowhere.sltp", "no such file"});
    REQUIRE(QDir().mkpath(folder.path("folder.sltp")));
    expectRefused(folder, folder.path("folder.sltp"), {"is a folder"});
    slt::test::writeBytes(folder.path("empty.sltp"), {});
    expectRefused(folder, folder.path("empty.sltp"), {"is empty (0 bytes)"});
}

TEST_CASE("bad project: files that are not SQLite", "[project][bad-input]")
{
    ProjectFolder folder;
    slt::test::writeBytes(folder.path("notes.sltp"), "# my notes\nnot a database at all\n");
    expectRefused(folder, folder.path("notes.sltp"), {"not an SLT project file", "not a SQLite database"});
    slt::test::writeBytes(folder.path("short.sltp"), QByteArray("SQLite format 3\0\x10\x00", 18));
    expectRefused(folder, folder.path("short.sltp"), {"truncated", "18 bytes"});
}

TEST_CASE("bad project: a SQLite database that is not a project", "[project][bad-input]")
{
    ProjectFolder folder;
    REQUIRE(slt::test::rawExec(folder.path("other.db"), "CREATE TABLE points(id INTEGER PRIMARY KEY, x REAL); "
                                                        "INSERT INTO points VALUES (1, 2.0)")
                .isEmpty());
    expectRefused(folder, folder.path("other.db"), {"is a SQLite database but not an SLT project file"});

    // The project's application id but none of its tables.
    REQUIRE(slt::test::rawExec(folder.path("hollow.sltp"), "PRAGMA application_id = 1397511248; "
                                                           "PRAGMA user_version = 1; CREATE TABLE t(x)")
                .isEmpty());
    expectRefused(folder, folder.path("hollow.sltp"), {"is damaged", "'meta' is missing"});
}

TEST_CASE("bad project: a project from a newer format version", "[project][bad-input]")
{
    ProjectFolder folder;
    const QString path = writeProject(folder);
    REQUIRE(slt::test::rawExec(path, "PRAGMA user_version = 7").isEmpty());
    expectRefused(folder, path, {"project format version 7", "version 1", "newer SLT"});
}

TEST_CASE("bad project: a newer format version recorded only in meta", "[project][bad-input]")
{
    ProjectFolder folder;
    const QString path = writeProject(folder);
    REQUIRE(slt::test::rawExec(path, "UPDATE meta SET value = '3' WHERE key = 'format_version'").isEmpty());
    expectRefused(folder, path, {"project format version 3", "version 1"});
}

TEST_CASE("bad project: truncated files", "[project][bad-input]")
{
    ProjectFolder folder;
    const QString path = writeProject(folder);
    QFile file(path);
    const qint64 size = file.size();
    REQUIRE(size > 8192);
    REQUIRE(file.resize(size / 2));
    expectRefused(folder, path, {"is truncated", QString::number(size / 2)});
    REQUIRE(file.resize(60));
    expectRefused(folder, path, {"truncated"});
}

TEST_CASE("bad project: another bank's project names the bank it expects", "[project][bad-input]")
{
    ProjectFolder folder;
    const QString path = writeProject(folder);
    expectRefused(folder, path, {slt::test::testBank().uuid, "banks/run-12.h5", "0000-other"}, "0000-other");
}

TEST_CASE("bad project: damaged meta data", "[project][bad-input]")
{
    ProjectFolder folder;
    const QString path = writeProject(folder, "schema.sltp");
    REQUIRE(slt::test::rawExec(path, "UPDATE meta SET value = '[[class]\nid = ' WHERE key = 'class_schema'").isEmpty());
    expectRefused(folder, path, {"is damaged", "class schema"});

    const QString second = writeProject(folder, "meta.sltp");
    REQUIRE(slt::test::rawExec(second, "DELETE FROM meta WHERE key = 'bank_uuid'").isEmpty());
    expectRefused(folder, second, {"is damaged", "bank_uuid"});
}

TEST_CASE("bad project: a write-protected project file", "[project][bad-input]")
{
    if (geteuid() == 0) {
        WARN("skipped: write protection does not apply to root");
        return;
    }
    ProjectFolder folder;
    const QString path = writeProject(folder);
    REQUIRE(QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::ReadGroup | QFileDevice::ReadOther));
    expectRefused(folder, path, {"is read-only", "write permission"});
}
