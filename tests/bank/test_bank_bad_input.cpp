// Bad input to slt-cli bank info / verify / dump / convert: each gives a clear message on stderr, a
// non-zero exit (never a signal, never a hang: runCli kills after 60 s, which reads as a crash) and
// leaves the input byte-identical.
#include "cli_support.hpp"

#include "catch_qt.hpp"

#include <hdf5.h>
#include <sqlite3.h>

#include <QDir>
#include <QFile>

using namespace slt;

namespace {

// Runs the read-only commands on `path`; each must fail with `pattern` on stderr, input untouched.
void requireEveryCommandRefuses(const QString& path, const QString& pattern)
{
    const QByteArray before = test::fileHash(path);
    QTemporaryDir out;
    const QList<QStringList> commands = {
        {QStringLiteral("info"), path},
        {QStringLiteral("info"), path, QStringLiteral("--json")},
        {QStringLiteral("verify"), path},
        {QStringLiteral("dump"), path, QStringLiteral("--csv"), out.filePath(QStringLiteral("d.csv"))},
        {QStringLiteral("convert"), path, out.filePath(QStringLiteral("c.h5"))},
    };
    for (const QStringList& args : commands) {
        const test::CliRun run = test::runBank(args);
        INFO("slt-cli bank " << args.join(QLatin1Char(' ')).toStdString() << "\n" << run.describe().toStdString());
        REQUIRE(run.started);
        CHECK(run.exitStatus == QProcess::NormalExit);
        CHECK(run.exitCode == 1);
        CHECK(test::containsPattern(run.err, pattern));
        CHECK(test::fileHash(path) == before);
    }
    CHECK_FALSE(QFile::exists(out.filePath(QStringLiteral("c.h5"))));
}

void writeBytes(const QString& path, const QByteArray& bytes)
{
    QFile file(path);
    REQUIRE(file.open(QIODevice::WriteOnly));
    REQUIRE(file.write(bytes) == bytes.size());
}

void flipByte(const QString& path, qint64 offset)
{
    QFile file(path);
    REQUIRE(file.open(QIODevice::ReadWrite));
    REQUIRE(file.seek(offset));
    char byte = 0;
    REQUIRE(file.getChar(&byte));
    REQUIRE(file.seek(offset));
    REQUIRE(file.putChar(static_cast<char>(byte ^ 0x5a)));
}

// File offset of the first chunk of a dataset (HDF5 C API), and its size.
std::pair<haddr_t, hsize_t> firstChunk(const QString& path, const char* dataset)
{
    const hid_t file = H5Fopen(QFile::encodeName(path).constData(), H5F_ACC_RDONLY, H5P_DEFAULT);
    REQUIRE(file >= 0);
    const hid_t data = H5Dopen2(file, dataset, H5P_DEFAULT);
    REQUIRE(data >= 0);
    const hid_t space = H5Dget_space(data);
    hsize_t offset[2] = {0, 0};
    unsigned filter = 0;
    haddr_t address = 0;
    hsize_t size = 0;
    const herr_t status = H5Dget_chunk_info(data, space, 0, offset, &filter, &address, &size);
    H5Sclose(space);
    H5Dclose(data);
    H5Fclose(file);
    REQUIRE(status >= 0);
    return {address, size};
}

void deleteDataset(const QString& path, const char* dataset)
{
    const hid_t file = H5Fopen(QFile::encodeName(path).constData(), H5F_ACC_RDWR, H5P_DEFAULT);
    REQUIRE(file >= 0);
    const herr_t status = H5Ldelete(file, dataset, H5P_DEFAULT);
    H5Fclose(file);
    REQUIRE(status >= 0);
}

void setFormatVersion(const QString& path, int64_t version)
{
    const hid_t file = H5Fopen(QFile::encodeName(path).constData(), H5F_ACC_RDWR, H5P_DEFAULT);
    REQUIRE(file >= 0);
    const hid_t attribute = H5Aopen(file, "format_version", H5P_DEFAULT);
    REQUIRE(attribute >= 0);
    const herr_t status = H5Awrite(attribute, H5T_NATIVE_INT64, &version);
    H5Aclose(attribute);
    H5Fclose(file);
    REQUIRE(status >= 0);
}

} // namespace

TEST_CASE("a missing file, a folder and an empty file are refused with a message")
{
    QTemporaryDir dir;
    const test::CliRun missing = test::runBank({QStringLiteral("info"), dir.filePath(QStringLiteral("nope.h5"))});
    CHECK(missing.exitCode == 1);
    CHECK(missing.err.contains(QStringLiteral("does not exist")));
    const test::CliRun folder = test::runBank({QStringLiteral("verify"), dir.path()});
    CHECK(folder.exitCode == 1);
    CHECK(folder.err.contains(QStringLiteral("is a folder")));
    const QString empty = dir.filePath(QStringLiteral("empty.h5"));
    writeBytes(empty, {});
    requireEveryCommandRefuses(empty, QStringLiteral("is empty"));
}

TEST_CASE("a file in no bank format names the formats tried")
{
    if (!test::realPluginsBuilt())
        return;
    QTemporaryDir dir;
    const QString text = dir.filePath(QStringLiteral("notes.h5"));
    writeBytes(text, QByteArray("these are notes, not a bank\n").repeated(100));
    requireEveryCommandRefuses(text, QStringLiteral("not a bank.*tried:.*org\\.slt\\.bank\\.hdf5.*org\\.slt\\.bank\\.sqlite"));
}

TEST_CASE("an SQLite file that is not a bank is refused")
{
    if (!test::realPluginsBuilt())
        return;
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("other.sqlite"));
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(QFile::encodeName(path).constData(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db, "CREATE TABLE recipes(name TEXT); INSERT INTO recipes VALUES('bread');", nullptr, nullptr,
                         nullptr) == SQLITE_OK);
    sqlite3_close(db);
    requireEveryCommandRefuses(path, QStringLiteral("not a.*bank|no .*bank"));
}

TEST_CASE("a truncated bank is refused")
{
    if (!test::realPluginsBuilt())
        return;
    QTemporaryDir dir;
    const QString bank = test::synthBank(dir, QStringLiteral("t.h5"));
    QFile file(bank);
    REQUIRE(file.resize(file.size() / 2));
    requireEveryCommandRefuses(bank, QStringLiteral("t\\.h5"));
}

TEST_CASE("flipped bytes in the superblock: the bank does not open")
{
    if (!test::realPluginsBuilt())
        return;
    QTemporaryDir dir;
    const QString bank = test::synthBank(dir, QStringLiteral("f.h5"));
    for (qint64 offset = 8; offset < 48; offset += 3) // versions, sizes, base and end-of-file addresses
        flipByte(bank, offset);
    requireEveryCommandRefuses(bank, QStringLiteral("f\\.h5"));
}

TEST_CASE("flipped bytes inside the embeddings data: verify names the column")
{
    if (!test::realPluginsBuilt())
        return;
    QTemporaryDir dir;
    const QString bank = test::synthBank(dir, QStringLiteral("e.h5"));
    const auto [address, size] = firstChunk(bank, "/points/embeddings");
    const hsize_t written = 600 * 16 * sizeof(float); // synthBank: 600 points, D = 16; the chunk may be larger
    flipByte(bank, static_cast<qint64>(address + std::min(size, written) / 2));
    const QByteArray before = test::fileHash(bank);
    const test::CliRun run = test::runBank({QStringLiteral("verify"), bank});
    INFO(run.describe().toStdString());
    CHECK(run.exitStatus == QProcess::NormalExit);
    CHECK(run.exitCode == 1);
    CHECK(run.err.contains(QStringLiteral("column 'embeddings' is corrupt")));
    CHECK_FALSE(run.err.contains(QStringLiteral("column 'scores'")));
    CHECK(test::fileHash(bank) == before);
}

TEST_CASE("a bank with a missing dataset is refused")
{
    if (!test::realPluginsBuilt())
        return;
    QTemporaryDir dir;
    const QString bank = test::synthBank(dir, QStringLiteral("m.h5"));
    deleteDataset(bank, "/points/scores");
    requireEveryCommandRefuses(bank, QStringLiteral("scores"));
}

TEST_CASE("a wrong or newer format version is refused")
{
    if (!test::realPluginsBuilt())
        return;
    QTemporaryDir dir;
    const QString newer = test::synthBank(dir, QStringLiteral("newer.h5"));
    setFormatVersion(newer, 99);
    requireEveryCommandRefuses(newer, QStringLiteral("version"));
    const QString wrong = test::synthBank(dir, QStringLiteral("wrong.h5"));
    setFormatVersion(wrong, 0);
    requireEveryCommandRefuses(wrong, QStringLiteral("version"));
}
