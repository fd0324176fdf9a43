// slt-cli bank ... against the real plugins (org.slt.bank.hdf5, org.slt.bank.sqlite,
// org.slt.metric.standard): synth -> info -> verify -> dump, convert round trip, merge, determinism.
#include "cli_support.hpp"

#include "catch_qt.hpp"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

using namespace slt;
using test::runBank;

namespace {

void requireOk(const test::CliRun& run)
{
    INFO(run.describe().toStdString());
    REQUIRE(run.exitStatus == QProcess::NormalExit);
    REQUIRE(run.exitCode == 0);
}

void requireRefused(const test::CliRun& run, const QString& pattern)
{
    INFO(run.describe().toStdString());
    REQUIRE(run.exitStatus == QProcess::NormalExit);
    CHECK(run.exitCode == 1);
    CHECK(test::containsPattern(run.err, pattern));
}

} // namespace

TEST_CASE("synth, info --json, verify and dump agree with the bank")
{
    if (!test::realPluginsBuilt())
        return;
    QTemporaryDir dir;
    const QString bank = test::synthBank(dir, QStringLiteral("s.h5"), {QStringLiteral("--truth"), dir.filePath(QStringLiteral("t.csv"))});

    const test::CliRun info = runBank({QStringLiteral("info"), bank, QStringLiteral("--json")});
    requireOk(info);
    const QJsonObject o = QJsonDocument::fromJson(info.out.toUtf8()).object();
    CHECK(o.value(QStringLiteral("points")).toInt() == 600);
    CHECK(o.value(QStringLiteral("dim")).toInt() == 16);
    CHECK(o.value(QStringLiteral("classes")).toInt() == 5);
    CHECK(o.value(QStringLiteral("mc_samples")).toInt() == 8);
    CHECK(o.value(QStringLiteral("crop_size")).toInt() == 16);
    CHECK(o.value(QStringLiteral("format_version")).toInt() == 1);
    CHECK(o.value(QStringLiteral("backend")).toString() == QStringLiteral("org.slt.bank.hdf5"));
    CHECK(o.value(QStringLiteral("uuid")).toString().size() >= 32);
    CHECK(!o.value(QStringLiteral("created")).toString().isEmpty());
    CHECK(!o.value(QStringLiteral("checkpoint_hash")).toString().isEmpty());
    CHECK(o.value(QStringLiteral("images")).toInt() == 1);
    const QJsonArray metrics = o.value(QStringLiteral("metrics")).toArray();
    CHECK(metrics.size() == 7);
    CHECK(metrics.contains(QStringLiteral("bald")));
    CHECK(metrics.contains(QStringLiteral("variation_ratio")));

    requireOk(runBank({QStringLiteral("verify"), bank}));

    const QString csv = dir.filePath(QStringLiteral("d.csv"));
    requireOk(runBank({QStringLiteral("dump"), bank, QStringLiteral("--csv"), csv}));
    test::RealBackends backends;
    core::LoadedBank loaded = backends.load(bank);
    QFile file(csv);
    REQUIRE(file.open(QIODevice::ReadOnly | QIODevice::Text));
    QTextStream in(&file);
    QStringList header = in.readLine().split(QLatin1Char(','));
    REQUIRE(header.mid(0, 5) == QStringList({"point_id", "image", "x", "y", "predicted_class"}));
    REQUIRE(header.size() == 5 + 5 + 7);
    for (int m = 0; m < 7; ++m)
        CHECK(header[10 + m].toStdString() == loaded.metadata().metricNames[m]);
    for (int64_t i = 0; i < loaded.size(); ++i) {
        const QStringList f = in.readLine().split(QLatin1Char(','));
        REQUIRE(f.size() == header.size());
        REQUIRE(f[0].toLongLong() == i);
        REQUIRE(f[1].toStdString() == loaded.imageName(loaded.imageIndex()[i]));
        REQUIRE(f[2].toFloat() == loaded.x()[i]);
        REQUIRE(f[3].toFloat() == loaded.y()[i]);
        REQUIRE(f[4].toInt() == loaded.predictedClass()[i]);
        for (int c = 0; c < 5; ++c)
            REQUIRE(f[5 + c].toFloat() == loaded.meanProbs()[5 * i + c]);
        for (int m = 0; m < 7; ++m)
            REQUIRE(f[10 + m].toFloat() == loaded.scores()[7 * i + m]);
    }
}

TEST_CASE("convert hdf5 -> sqlite -> hdf5 keeps every column and crop exactly")
{
    if (!test::realPluginsBuilt())
        return;
    QTemporaryDir dir;
    const QString h5 = test::synthBank(dir, QStringLiteral("a.h5"));
    const QString db = dir.filePath(QStringLiteral("b.sqlite")), back = dir.filePath(QStringLiteral("c.h5"));
    requireOk(runBank({QStringLiteral("convert"), h5, db, QStringLiteral("--backend"), QStringLiteral("sqlite")}));
    requireOk(runBank({QStringLiteral("verify"), db}));
    requireOk(runBank({QStringLiteral("convert"), db, back}));
    requireOk(runBank({QStringLiteral("verify"), back}));
    test::RealBackends backends;
    CHECK(backends.reader(db).pluginId == QStringLiteral("org.slt.bank.sqlite"));
    core::LoadedBank a = backends.load(h5), b = backends.load(db), c = backends.load(back);
    test::requireSameBankContent(a, b);
    test::requireSameBankContent(a, c);
    CHECK(a.metadata().uuid == c.metadata().uuid);

    requireRefused(runBank({QStringLiteral("convert"), h5, db}), QStringLiteral("already exists.*--force"));
    requireRefused(runBank({QStringLiteral("convert"), h5, h5, QStringLiteral("--force")}), QStringLiteral("also an input"));
    requireOk(runBank({QStringLiteral("convert"), h5, db, QStringLiteral("--backend"), QStringLiteral("sqlite"), QStringLiteral("--force")}));
}

TEST_CASE("merge of two shards of one run gives N1 + N2 points in order; shards of different runs are refused")
{
    if (!test::realPluginsBuilt())
        return;
    QTemporaryDir dir;
    const QString full = test::synthBank(dir, QStringLiteral("full.h5"));
    const QString a = test::synthBank(dir, QStringLiteral("a.h5"), {QStringLiteral("--points"), QStringLiteral("350")});
    const QString b = test::synthBank(dir, QStringLiteral("b.sqlite"), {QStringLiteral("--points"), QStringLiteral("250"),
                                                                       QStringLiteral("--first-point"), QStringLiteral("350"),
                                                                       QStringLiteral("--backend"), QStringLiteral("sqlite")});
    const QString merged = dir.filePath(QStringLiteral("m.h5"));
    requireOk(runBank({QStringLiteral("merge"), merged, a, b}));
    requireOk(runBank({QStringLiteral("verify"), merged}));
    test::RealBackends backends;
    core::LoadedBank whole = backends.load(full), joined = backends.load(merged);
    CHECK(joined.size() == 350 + 250);
    test::requireSameBankContent(whole, joined);

    const QString other = test::synthBank(dir, QStringLiteral("other.h5"), {QStringLiteral("--seed"), QStringLiteral("99")});
    const QString refused = dir.filePath(QStringLiteral("refused.h5"));
    const test::CliRun run = runBank({QStringLiteral("merge"), refused, a, other});
    requireRefused(run, QStringLiteral("not shards of one run: checkpoint hash differs"));
    CHECK(run.err.contains(a));
    CHECK(run.err.contains(other));
    CHECK_FALSE(QFile::exists(refused));

    // A converted copy keeps the uuid: merging it with its original would duplicate every point.
    const QString copy = dir.filePath(QStringLiteral("a-copy.sqlite"));
    requireOk(runBank({QStringLiteral("convert"), a, copy, QStringLiteral("--backend"), QStringLiteral("sqlite")}));
    const test::CliRun twice = runBank({QStringLiteral("merge"), refused, a, copy});
    requireRefused(twice, QStringLiteral("are the same bank"));
    CHECK_FALSE(QFile::exists(refused));
}

TEST_CASE("the same seed gives the same content; another seed another")
{
    if (!test::realPluginsBuilt())
        return;
    QTemporaryDir dir;
    const QString a = test::synthBank(dir, QStringLiteral("a.h5"));
    const QString b = test::synthBank(dir, QStringLiteral("b.h5"));
    const QString c = test::synthBank(dir, QStringLiteral("c.h5"), {QStringLiteral("--seed"), QStringLiteral("2")});
    test::RealBackends backends;
    core::LoadedBank bankA = backends.load(a), bankB = backends.load(b), bankC = backends.load(c);
    test::requireSameBankContent(bankA, bankB);
    CHECK(bankA.metadata().uuid != bankB.metadata().uuid);
    CHECK_FALSE(std::equal(bankA.embeddings().begin(), bankA.embeddings().end(), bankC.embeddings().begin()));
}

TEST_CASE("every bank sub-command has --help and usage errors exit 2")
{
    for (const char* command : {"synth", "info", "verify", "convert", "merge", "dump"}) {
        const test::CliRun help = runBank({QLatin1String(command), QStringLiteral("--help")});
        INFO(help.describe().toStdString());
        CHECK(help.exitCode == 0);
        CHECK(help.out.contains(QStringLiteral("Usage: slt-cli bank %1").arg(QLatin1String(command))));
    }
    CHECK(runBank({QStringLiteral("--help")}).exitCode == 0);
    CHECK(runBank({}).exitCode == 2);
    CHECK(runBank({QStringLiteral("frobnicate")}).exitCode == 2);
    CHECK(runBank({QStringLiteral("info")}).exitCode == 2);
    CHECK(runBank({QStringLiteral("synth"), QStringLiteral("--points"), QStringLiteral("10")}).exitCode == 2);
    const test::CliRun bad = runBank({QStringLiteral("synth"), QStringLiteral("--points"), QStringLiteral("-3"),
                                      QStringLiteral("--out"), QStringLiteral("x.h5")});
    CHECK(bad.exitCode == 2);
    CHECK(bad.err.contains(QStringLiteral("--points must be an integer")));
    CHECK(runBank({QStringLiteral("dump"), QStringLiteral("x.h5")}).exitCode == 2);
}
