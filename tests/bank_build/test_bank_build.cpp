// `slt-cli bank build` with the fixture model: points, values recomputed from the fixture's formula and
// the metric plugin, sharding + merge, resume after an interruption.
#include "build_fixture.hpp"
#include "fixture_formula.hpp"

#include <slt/core/bank_build/bank_builder.hpp>
#include <slt/sdk/cpp/host/metric_proxy.hpp>
#include <slt/core/plugin_manager.hpp>
#include <slt/core/bank/metric_plugins.hpp>

#include <catch2/catch.hpp>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <algorithm>

using namespace slt::test;

namespace {

const QColor kColours[] = {QColor(200, 30, 30), QColor(30, 200, 30), QColor(30, 30, 200), QColor(120, 120, 40), QColor(90, 90, 90)};

// Five 16x16 tiles of distinct colours in `folder`/tiles.
QString writeTiles(const QString& folder, int count = 5)
{
    const QString tiles = QDir(folder).filePath(QStringLiteral("tiles"));
    QDir().mkpath(tiles);
    for (int i = 0; i < count; ++i)
        writePng(QDir(tiles).filePath(QStringLiteral("tile%1.png").arg(i)), 16, 16, kColours[i % 5]);
    return tiles;
}

void requireOk(const CliRun& run)
{
    INFO(run.describe().toStdString());
    REQUIRE(run.exitStatus == QProcess::NormalExit);
    REQUIRE(run.exitCode == 0);
}

} // namespace

TEST_CASE("centre points: values equal the metric plugin on the fixture's probabilities", "[bankbuild]")
{
    IsolatedHome home;
    QTemporaryDir dir;
    const QString tiles = writeTiles(dir.path());
    const QString ckpt = writeCheckpoint(dir.path());
    const QString bank = dir.filePath(QStringLiteral("b.h5"));
    requireOk(runBuild(home, {QStringLiteral("--model"), ckpt, QStringLiteral("--images"), tiles, QStringLiteral("--out"), bank,
                              QStringLiteral("--mc"), QStringLiteral("6"), QStringLiteral("--metrics"), QStringLiteral("bald,entropy,msp"),
                              QStringLiteral("--batch"), QStringLiteral("1"), QStringLiteral("--seed"), QStringLiteral("7"),
                              QStringLiteral("--crop-size"), QStringLiteral("8")}));
    const BankContent content = readBankContent(bank);
    REQUIRE(content.points.size() == 5);
    CHECK(content.mcSamples == 6);
    CHECK(content.metrics == std::vector<std::string>{"bald", "entropy", "msp"});
    CHECK(content.modelId.find("org.slt.test.fixture-model fixture-colour") == 0);
    CHECK(content.checkpointHash.size() == 64);

    // The metric plugin on the fixture's probabilities at (8, 8), recomputed here from the formula.
    slt::core::PluginManagerOptions options;
    options.searchPath = {QStringLiteral(SLT_PLUGIN_BUILD_DIR)};
    options.stateDirectory = home.stateDirectory();
    slt::core::PluginManager manager(options);
    manager.discover();
    auto plugin = slt::core::metricPluginById(slt::core::activeMetricPlugins(manager), QStringLiteral("org.slt.metric.standard"));
    REQUIRE(plugin);
    auto set = slt::sdk::host::MetricSet::create(plugin->factory, plugin->host, {"bald", "entropy", "msp"});
    REQUIRE(set);
    const slt::fixture::FixtureConfig config;
    for (const BankPoint& p : content.points) {
        INFO(p.imageName);
        CHECK(p.x == 8);
        CHECK(p.y == 8);
        const int index = QString::fromStdString(p.imageName).mid(4, 1).toInt();
        const QColor colour = kColours[index];
        const uint8_t rgb[3] = {static_cast<uint8_t>(colour.red()), static_cast<uint8_t>(colour.green()), static_cast<uint8_t>(colour.blue())};
        std::vector<float> probs(6 * 3);
        std::vector<double> mean(3, 0.0);
        for (int t = 0; t < 6; ++t) {
            slt::fixture::pixelProbabilities(config, rgb, slt::core::mcSeed(7, static_cast<uint64_t>(index)), t, 0, 8, 8, probs.data() + t * 3);
            for (int c = 0; c < 3; ++c)
                mean[c] += probs[t * 3 + c];
        }
        for (int c = 0; c < 3; ++c)
            CHECK(p.meanProbs[c] == Approx(mean[c] / 6).epsilon(1e-6));
        slt_array view{probs.data(), SLT_DTYPE_F32, 3, {6, 1, 3}, {3, 3, 1}};
        auto expected = set->compute(view);
        REQUIRE(expected);
        CHECK(p.scores == *expected);
        // Embedding: bilinear at stride 2, pixel 8 lies at (8 + 0.5) / 2 - 0.5 = 3.75 embedding pixels; the
        // colour channels are uniform, the position channel is (row + column) / 16.
        CHECK(p.embedding[0] == Approx(colour.red() / 255.0).epsilon(1e-6));
        CHECK(p.embedding[3] == Approx((3.75 + 3.75) / 16.0).epsilon(1e-6));
        REQUIRE(p.crop.size() == 8 * 8 * 3);
        CHECK(p.crop[0] == colour.red());
    }
    CHECK(runBank(home, {QStringLiteral("verify"), bank}).exitCode == 0);
}

TEST_CASE("localmax on a tile with spots: one point per spot, plateau background not exploding", "[bankbuild]")
{
    IsolatedHome home;
    QTemporaryDir dir;
    const QString tiles = QDir(dir.path()).filePath(QStringLiteral("tiles"));
    QDir().mkpath(tiles);
    // Grey background (high uncertainty would be uniform); two pure colour spots are confident, so the
    // uncertainty peaks are on the background. With noise 0 every background pixel is equal: a plateau.
    writePng(QDir(tiles).filePath(QStringLiteral("a.png")), 32, 32, QColor(128, 128, 128),
             {{8, 8, QColor(255, 0, 0)}, {24, 24, QColor(0, 255, 0)}});
    const QString ckpt = writeCheckpoint(dir.path(), QStringLiteral("noise_permille = 0\nembedding_stride = 1\n"));
    const QString bank = dir.filePath(QStringLiteral("b.h5"));
    requireOk(runBuild(home, {QStringLiteral("--model"), ckpt, QStringLiteral("--images"), tiles, QStringLiteral("--out"), bank,
                              QStringLiteral("--mc"), QStringLiteral("2"), QStringLiteral("--metrics"), QStringLiteral("entropy"),
                              QStringLiteral("--points"), QStringLiteral("localmax"), QStringLiteral("--window"), QStringLiteral("5"),
                              QStringLiteral("--crop-size"), QStringLiteral("0")}));
    const BankContent content = readBankContent(bank);
    // The background is one plateau (the spots' windows cut holes in it but it stays connected).
    REQUIRE(content.points.size() == 1);
    // Embedding at stride 1 is the pixel's own colour.
    CHECK(content.points[0].embedding[0] == Approx(128 / 255.0).epsilon(1e-6));
}

TEST_CASE("grid points and sharded builds merged equal a single build", "[bankbuild]")
{
    IsolatedHome home;
    QTemporaryDir dir;
    const QString tiles = writeTiles(dir.path());
    const QString ckpt = writeCheckpoint(dir.path());
    const QStringList common{QStringLiteral("--model"), ckpt, QStringLiteral("--images"), tiles, QStringLiteral("--mc"), QStringLiteral("4"),
                             QStringLiteral("--points"), QStringLiteral("grid"), QStringLiteral("--grid-step"), QStringLiteral("8"),
                             QStringLiteral("--batch"), QStringLiteral("2"), QStringLiteral("--crop-size"), QStringLiteral("6")};
    const QString single = dir.filePath(QStringLiteral("single.h5"));
    requireOk(runBuild(home, common + QStringList{QStringLiteral("--out"), single}));
    QStringList shards;
    for (int i = 0; i < 3; ++i) {
        shards << dir.filePath(QStringLiteral("s%1.h5").arg(i));
        requireOk(runBuild(home, common + QStringList{QStringLiteral("--out"), shards.back(), QStringLiteral("--shard"), QStringLiteral("%1/3").arg(i)}));
    }
    const QString merged = dir.filePath(QStringLiteral("merged.h5"));
    requireOk(runBank(home, QStringList{QStringLiteral("merge"), merged} + shards));
    auto a = readBankContent(single).points, b = readBankContent(merged).points;
    REQUIRE(a.size() == 5 * 4); // 16 / 8 = 2 cells per axis
    CHECK(a.front().x == 4);
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    CHECK(a == b);
}

TEST_CASE("an interrupted build resumed equals a clean build", "[bankbuild]")
{
    IsolatedHome home;
    QTemporaryDir dir;
    const QString tiles = writeTiles(dir.path(), 7);
    const QString ckpt = writeCheckpoint(dir.path());
    for (const QString& backend : {QStringLiteral("hdf5"), QStringLiteral("sqlite")}) {
        INFO(backend.toStdString());
        const QStringList common{QStringLiteral("--model"), ckpt, QStringLiteral("--images"), tiles, QStringLiteral("--mc"), QStringLiteral("3"),
                                 QStringLiteral("--batch"), QStringLiteral("2"), QStringLiteral("--points"), QStringLiteral("grid"),
                                 QStringLiteral("--grid-step"), QStringLiteral("8"), QStringLiteral("--backend"), backend};
        const QString clean = dir.filePath(QStringLiteral("clean-") + backend);
        requireOk(runBuild(home, common + QStringList{QStringLiteral("--out"), clean}));
        const QString resumed = dir.filePath(QStringLiteral("resumed-") + backend);
        const CliRun stopped = runBuild(home, common + QStringList{QStringLiteral("--out"), resumed, QStringLiteral("--stop-after-items"), QStringLiteral("2")});
        CHECK(stopped.exitCode == 1);
        CHECK(stopped.err.contains(QStringLiteral("--resume")));
        CHECK_FALSE(QFile::exists(resumed));
        REQUIRE(QFile::exists(resumed + QStringLiteral(".partial")));
        const CliRun refused = runBuild(home, common + QStringList{QStringLiteral("--out"), resumed});
        CHECK(refused.exitCode == 1);
        CHECK(refused.err.contains(QStringLiteral("--resume")));
        requireOk(runBuild(home, common + QStringList{QStringLiteral("--out"), resumed, QStringLiteral("--resume")}));
        CHECK_FALSE(QFile::exists(resumed + QStringLiteral(".partial")));
        CHECK(readBankContent(clean).points == readBankContent(resumed).points); // same order too
        CHECK(runBank(home, {QStringLiteral("verify"), resumed}).exitCode == 0);
        const CliRun again = runBuild(home, common + QStringList{QStringLiteral("--out"), resumed, QStringLiteral("--resume")});
        CHECK(again.exitCode == 0);
        CHECK(again.err.contains(QStringLiteral("already complete")));
    }
}

TEST_CASE("contrast peaks on a tile with spots: the expected peaks, suppressed and margin points dropped", "[bankbuild][contrast]")
{
    IsolatedHome home;
    QTemporaryDir dir;
    const QString tiles = QDir(dir.path()).filePath(QStringLiteral("tiles"));
    QDir().mkpath(tiles);
    // A confident red background (flat, low entropy) with uncertain spots, each an entropy peak far higher
    // than h. The fixture's logits are 4 r + 0.25 c for channel value r and class c, so (160, 144, 128) gives
    // equal logits, the highest entropy: the peak at (20, 10). Grey at (24, 10) is 4 px from it and is
    // suppressed; (200, 128, 128), the least uncertain spot, at (8, 24) is 18.4 px away and kept; (1, 1)
    // lies inside the edge margin.
    const std::vector<Spot> spots{{20, 10, QColor(160, 144, 128)}, {24, 10, QColor(128, 128, 128)},
                                  {8, 24, QColor(200, 128, 128)}, {1, 1, QColor(160, 144, 128)}};
    for (const QString& name : {QStringLiteral("a.png"), QStringLiteral("b.png")})
        writePng(QDir(tiles).filePath(name), 32, 32, QColor(255, 0, 0), spots);
    const QString ckpt = writeCheckpoint(dir.path(), QStringLiteral("noise_permille = 0\n"));
    const QString bank = dir.filePath(QStringLiteral("b.h5"));
    const QStringList common{QStringLiteral("--model"), ckpt, QStringLiteral("--images"), tiles, QStringLiteral("--mc"), QStringLiteral("2"),
                             QStringLiteral("--metrics"), QStringLiteral("entropy,msp"), QStringLiteral("--points"), QStringLiteral("contrast"),
                             QStringLiteral("--min-distance"), QStringLiteral("8"), QStringLiteral("--edge-margin"), QStringLiteral("3"),
                             QStringLiteral("--batch"), QStringLiteral("1"), QStringLiteral("--crop-size"), QStringLiteral("0")};
    requireOk(runBuild(home, common + QStringList{QStringLiteral("--out"), bank}));
    const BankContent content = readBankContent(bank);
    REQUIRE(content.points.size() == 4);
    for (int image = 0; image < 2; ++image) {
        const BankPoint& first = content.points[static_cast<size_t>(2 * image)];
        const BankPoint& second = content.points[static_cast<size_t>(2 * image + 1)];
        CHECK(first.x == 20);
        CHECK(first.y == 10);
        CHECK(second.x == 8);
        CHECK(second.y == 24);
        CHECK(first.scores[0] > second.scores[0]); // highest entropy first
    }
    CHECK(runBank(home, {QStringLiteral("verify"), bank}).exitCode == 0);

    // The contrast options are part of build/args: resuming with another --contrast is refused, both listed.
    const QString partial = dir.filePath(QStringLiteral("p.h5"));
    const CliRun stopped = runBuild(home, common + QStringList{QStringLiteral("--out"), partial, QStringLiteral("--stop-after-items"), QStringLiteral("1")});
    CHECK(stopped.exitCode == 1);
    const CliRun other = runBuild(home, common + QStringList{QStringLiteral("--out"), partial, QStringLiteral("--resume"),
                                                             QStringLiteral("--contrast"), QStringLiteral("0.1")});
    INFO(other.describe().toStdString());
    CHECK(other.exitCode == 1);
    CHECK(other.err.contains(QStringLiteral("points=contrast step=32 window=15 margin=3 smooth=0 max=0 contrast=0.05 min-distance=8")));
    CHECK(other.err.contains(QStringLiteral("contrast=0.1 min-distance=8")));
    requireOk(runBuild(home, common + QStringList{QStringLiteral("--out"), partial, QStringLiteral("--resume")}));
    CHECK(readBankContent(partial).points == content.points);
}
