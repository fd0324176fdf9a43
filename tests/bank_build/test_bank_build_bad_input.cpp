// Bad input to `slt-cli bank build`: a message, exit 1 (2 for usage errors), and no bank left behind.
#include "build_fixture.hpp"

#include <catch2/catch.hpp>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

using namespace slt::test;

namespace {

struct Setup {
    IsolatedHome home;
    QTemporaryDir dir;
    QString tiles, ckpt, out;
    Setup()
    {
        tiles = QDir(dir.path()).filePath(QStringLiteral("tiles"));
        QDir().mkpath(tiles);
        writePng(QDir(tiles).filePath(QStringLiteral("a.png")), 16, 16, QColor(10, 200, 10));
        ckpt = writeCheckpoint(dir.path());
        out = dir.filePath(QStringLiteral("out.h5"));
    }
    CliRun build(const QStringList& extra, const QString& model = {}, const QString& images = {})
    {
        return runBuild(home, QStringList{QStringLiteral("--model"), model.isEmpty() ? ckpt : model, QStringLiteral("--images"),
                                          images.isEmpty() ? tiles : images, QStringLiteral("--out"), out, QStringLiteral("--mc"), QStringLiteral("2")} +
                                  extra);
    }
    void requireRefused(const CliRun& run, int code, const QString& fragment)
    {
        INFO(run.describe().toStdString());
        REQUIRE(run.exitStatus == QProcess::NormalExit);
        CHECK(run.exitCode == code);
        CHECK(run.err.contains(fragment, Qt::CaseInsensitive));
        CHECK_FALSE(QFile::exists(out));
        CHECK_FALSE(QFile::exists(out + QStringLiteral(".partial")));
        CHECK(QDir(dir.path()).entryList(QDir::Hidden | QDir::Files).filter(QStringLiteral("partial")).isEmpty());
    }
};

} // namespace

TEST_CASE("bad input: missing and corrupt checkpoints, unreadable model config", "[bankbuild][bad]")
{
    Setup s;
    s.requireRefused(s.build({}, s.dir.filePath(QStringLiteral("missing.ckpt"))), 1, QStringLiteral("does not exist"));
    QFile corrupt(s.dir.filePath(QStringLiteral("corrupt.ckpt")));
    REQUIRE(corrupt.open(QIODevice::WriteOnly));
    corrupt.write("slt-fixture-model 1\nclasses = many\n");
    corrupt.close();
    // The plugin's own message (with its line number) is passed through.
    s.requireRefused(s.build({}, corrupt.fileName()), 1, QStringLiteral("line 2: expected an integer"));
    s.requireRefused(s.build({QStringLiteral("--model-config"), s.dir.filePath(QStringLiteral("missing.toml"))}), 1,
                     QStringLiteral("cannot read the model config"));
}

TEST_CASE("bad input: unknown metric, unknown model plugin, metric needing more passes", "[bankbuild][bad]")
{
    Setup s;
    s.requireRefused(s.build({QStringLiteral("--metrics"), QStringLiteral("bald,nonsense")}), 1, QStringLiteral("unknown metric 'nonsense'"));
    s.requireRefused(runBuild(s.home, {QStringLiteral("--model-plugin"), QStringLiteral("org.example.none"), QStringLiteral("--model"), s.ckpt,
                                       QStringLiteral("--images"), s.tiles, QStringLiteral("--out"), s.out}),
                     1, QStringLiteral("org.example.none"));
}

TEST_CASE("bad input: empty folder, unreadable image, unreadable slide", "[bankbuild][bad]")
{
    Setup s;
    const QString empty = s.dir.filePath(QStringLiteral("empty"));
    QDir().mkpath(empty);
    s.requireRefused(s.build({}, {}, empty), 1, QStringLiteral("holds no images"));
    QFile broken(QDir(s.tiles).filePath(QStringLiteral("b.png")));
    REQUIRE(broken.open(QIODevice::WriteOnly));
    broken.write("\x89PNG\r\n\x1a\nnot really");
    broken.close();
    s.requireRefused(s.build({QStringLiteral("--batch"), QStringLiteral("4")}), 1, QStringLiteral("b.png"));
    const QString slides = s.dir.filePath(QStringLiteral("slides"));
    QDir().mkpath(slides);
    QFile fake(QDir(slides).filePath(QStringLiteral("fake.svs")));
    REQUIRE(fake.open(QIODevice::WriteOnly));
    fake.write("not a slide");
    fake.close();
    s.requireRefused(runBuild(s.home, {QStringLiteral("--model"), s.ckpt, QStringLiteral("--slides"), slides, QStringLiteral("--out"), s.out}),
                     1, QStringLiteral("OpenSlide cannot read"));
}

TEST_CASE("bad input: usage errors exit 2", "[bankbuild][bad]")
{
    Setup s;
    for (const QString& shard : {QStringLiteral("3/3"), QStringLiteral("1-2"), QStringLiteral("a/b"), QStringLiteral("0/0")})
        s.requireRefused(s.build({QStringLiteral("--shard"), shard}), 2, QStringLiteral("--shard"));
    s.requireRefused(s.build({QStringLiteral("--points"), QStringLiteral("peaks")}), 2, QStringLiteral("--points"));
    s.requireRefused(runBuild(s.home, {QStringLiteral("--model"), s.ckpt, QStringLiteral("--out"), s.out}), 2, QStringLiteral("--images"));
}

TEST_CASE("bad input: contrast options out of range or without --points contrast exit 2", "[bankbuild][bad][contrast]")
{
    Setup s;
    const QStringList contrast{QStringLiteral("--points"), QStringLiteral("contrast")};
    for (const QString& h : {QStringLiteral("0"), QStringLiteral("-0.05"), QStringLiteral("abc"), QStringLiteral("nan"), QStringLiteral("inf")})
        s.requireRefused(s.build(contrast + QStringList{QStringLiteral("--contrast"), h}), 2, QStringLiteral("--contrast"));
    for (const QString& d : {QStringLiteral("0"), QStringLiteral("-3"), QStringLiteral("2.5")})
        s.requireRefused(s.build(contrast + QStringList{QStringLiteral("--min-distance"), d}), 2, QStringLiteral("--min-distance"));
    for (const QString& strategy : {QStringLiteral("centre"), QStringLiteral("grid"), QStringLiteral("localmax")}) {
        s.requireRefused(s.build({QStringLiteral("--points"), strategy, QStringLiteral("--contrast"), QStringLiteral("0.1")}), 2,
                         QStringLiteral("--points contrast"));
        s.requireRefused(s.build({QStringLiteral("--points"), strategy, QStringLiteral("--min-distance"), QStringLiteral("8")}), 2,
                         QStringLiteral("--points contrast"));
    }
    s.requireRefused(s.build({QStringLiteral("--contrast"), QStringLiteral("0.1")}), 2, QStringLiteral("--points contrast")); // default centre
}

TEST_CASE("bad input: a point option the chosen strategy does not read exits 2 naming the strategies that do", "[bankbuild][bad]")
{
    Setup s;
    struct Case {
        const char* strategy;
        const char* option;
        const char* value;
        const char* expected;
    };
    const Case cases[] = {
        {"centre", "--grid-step", "8", "--grid-step needs --points grid"},
        {"localmax", "--grid-step", "8", "--grid-step needs --points grid"},
        {"grid", "--window", "5", "--window needs --points localmax"},
        {"contrast", "--window", "5", "--window needs --points localmax"},
        {"centre", "--edge-margin", "4", "--edge-margin needs --points grid, localmax or contrast"},
        {"grid", "--smoothing", "2", "--smoothing needs --points localmax or contrast"},
        {"centre", "--max-points-per-tile", "3", "--max-points-per-tile needs --points localmax or contrast"},
    };
    for (const Case& c : cases) {
        INFO(c.strategy << " " << c.option);
        s.requireRefused(s.build({QStringLiteral("--points"), QLatin1String(c.strategy), QLatin1String(c.option), QLatin1String(c.value)}), 2,
                         QLatin1String(c.expected));
    }
}
