// slt-cli label: a scripted session gives the expected JSON; bad action lines give "line N: ..." and a
// non-zero exit with nothing applied after them; a project opened on another bank is refused.
#include "engine_test_support.hpp"
#include "fixture_support.hpp"

#include <catch2/catch.hpp>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using slt::test::CliRun;

namespace {

CliRun label(const QStringList& args)
{
    slt::test::IsolatedHome home;
    return slt::test::runCli(QStringList{QStringLiteral("--plugin-path"), QStringLiteral(SLT_PLUGIN_BUILD_DIR),
                                         QStringLiteral("label")} + args,
                             home);
}

QString writeActions(const QString& folder, const QString& name, const QString& text)
{
    QFile file(folder + QLatin1Char('/') + name);
    REQUIRE(file.open(QIODevice::WriteOnly));
    file.write(text.toUtf8());
    return file.fileName();
}

QJsonObject jsonOf(const CliRun& run)
{
    INFO(run.describe().toStdString());
    REQUIRE(run.exitCode == 0);
    const QJsonDocument doc = QJsonDocument::fromJson(run.out.toUtf8());
    REQUIRE(doc.isObject());
    return doc.object();
}

QStringList createArgs(const slt::test::EngineBank& bank, const QString& project)
{
    return {QStringLiteral("--project"), project, QStringLiteral("--bank"), bank.path(), QStringLiteral("--create"),
            QStringLiteral("--budget"), QStringLiteral("40"), QStringLiteral("--seed"), QStringLiteral("3"),
            QStringLiteral("--json")};
}

} // namespace

TEST_CASE("slt-cli label: a scripted session prints the cluster, statistics and coverage")
{
    if (!slt::test::enginePluginsBuilt()) return;
    slt::test::EngineBank bank(800);
    const QString project = bank.folder() + QStringLiteral("/p.sltp");
    const QJsonObject created = jsonOf(label(createArgs(bank, project)));
    const qint64 first = created[QStringLiteral("cluster")][QStringLiteral("id")].toInteger();
    REQUIRE(created[QStringLiteral("sampler")] == QStringLiteral("org.slt.sampler.uncertainty"));
    REQUIRE(created[QStringLiteral("cluster_count")].toInt() >= 7);
    const QString actions = writeActions(bank.folder(), QStringLiteral("a.txt"),
                                         QStringLiteral("# first cluster\nlabel 2\nlabel-one 0 artefact\nnext\n\nagree\nback\n"));
    const QJsonObject after = jsonOf(label({QStringLiteral("--project"), project, QStringLiteral("--actions"), actions,
                                            QStringLiteral("--json")}));
    REQUIRE(after[QStringLiteral("actions_applied")].toInt() == 5);
    const QJsonObject cluster = after[QStringLiteral("cluster")].toObject();
    REQUIRE(cluster[QStringLiteral("id")].toInteger() == first);
    REQUIRE(cluster[QStringLiteral("assessed")].toBool());
    const QJsonArray crops = cluster[QStringLiteral("crops")].toArray();
    REQUIRE(crops[0].toObject()[QStringLiteral("class")].toInt() == -3);
    for (int i = 1; i < crops.size(); ++i) {
        REQUIRE(crops[i].toObject()[QStringLiteral("class")].toInt() == 2);
        REQUIRE(crops[i].toObject()[QStringLiteral("locked")].toBool());
        REQUIRE(crops[i].toObject()[QStringLiteral("attenuated")].toDouble() == 0.0);
    }
    const QJsonObject stats = after[QStringLiteral("statistics")].toObject();
    REQUIRE(stats[QStringLiteral("artefacts")].toInt() == 1);
    REQUIRE(stats[QStringLiteral("classes")].toArray()[2].toObject()[QStringLiteral("count")].toInt() >= crops.size() - 1);
    const QJsonObject coverage = after[QStringLiteral("coverage")].toObject();
    REQUIRE(coverage[QStringLiteral("assessed_clusters")].toInt() == 2);
    REQUIRE(!coverage[QStringLiteral("reached")].toBool());
}

TEST_CASE("slt-cli label: a bad action line stops the script with its line number")
{
    if (!slt::test::enginePluginsBuilt()) return;
    slt::test::EngineBank bank(800);
    const QString project = bank.folder() + QStringLiteral("/p.sltp");
    jsonOf(label(createArgs(bank, project)));
    const struct {
        const char* script;
        const char* message;
    } cases[] = {
        {"label 1\nfly away\nlabel 2\n", "line 2: unknown action 'fly'"},
        {"label 1\nlabel 9\n", "line 2: '9' is not a class"},
        {"label-one 99 1\n", "line 1: crop 99 is not in the current cluster"},
        {"label 1\nlabel-one x 1\n", "line 2: crop index 'x' is not a number"},
        {"label\n", "line 1: 'label' takes 1 argument(s), got 0"},
        {"unlabel\nnext\n", "line 2: finish labelling first"},
        {"goto 100000\n", "line 1: no cluster 100000"},
    };
    for (const auto& c : cases) {
        const QString actions = writeActions(bank.folder(), QStringLiteral("bad.txt"), QString::fromLatin1(c.script));
        const CliRun run = label({QStringLiteral("--project"), project, QStringLiteral("--actions"), actions});
        INFO(run.describe().toStdString());
        REQUIRE(run.exitCode == 1);
        REQUIRE(run.err.contains(QLatin1String(c.message)));
    }
    // The first case applied "label 1" and stopped: "label 2" of line 3 never ran.
    const QJsonObject state = jsonOf(label({QStringLiteral("--project"), project, QStringLiteral("--json")}));
    for (const QJsonValue& crop : state[QStringLiteral("cluster")][QStringLiteral("crops")].toArray())
        REQUIRE(crop.toObject()[QStringLiteral("class")].toInt() != 2);
    const CliRun missing = label({QStringLiteral("--project"), project, QStringLiteral("--actions"), bank.folder() + QStringLiteral("/none.txt")});
    REQUIRE(missing.exitCode == 1);
    REQUIRE(missing.err.contains(QLatin1String("cannot read actions")));
}

TEST_CASE("slt-cli label: refusals and usage errors")
{
    if (!slt::test::enginePluginsBuilt()) return;
    slt::test::EngineBank bank(800);
    slt::test::EngineBank other(700, 9);
    const QString project = bank.folder() + QStringLiteral("/p.sltp");
    jsonOf(label(createArgs(bank, project)));
    const CliRun wrongBank = label({QStringLiteral("--project"), project, QStringLiteral("--bank"), other.path()});
    INFO(wrongBank.describe().toStdString());
    REQUIRE(wrongBank.exitCode == 1);
    REQUIRE(wrongBank.err.contains(QLatin1String("not of bank")));
    const CliRun again = label(createArgs(bank, project));
    REQUIRE(again.exitCode == 1);
    REQUIRE(label({QStringLiteral("--bank"), bank.path()}).exitCode == 2);
    REQUIRE(label({QStringLiteral("--project"), project, QStringLiteral("--create")}).exitCode == 2);
    REQUIRE(label({QStringLiteral("--project"), project, QStringLiteral("--budget"), QStringLiteral("5")}).exitCode == 2);
    REQUIRE(label(createArgs(bank, bank.folder() + QStringLiteral("/q.sltp")) + QStringList{QStringLiteral("--navigation"), QStringLiteral("zigzag")}).exitCode == 2);
    const CliRun badPrecision = label(createArgs(bank, bank.folder() + QStringLiteral("/s.sltp")) +
                                      QStringList{QStringLiteral("--attenuation-precision"), QStringLiteral("fast")});
    REQUIRE(badPrecision.exitCode == 2);
    REQUIRE(badPrecision.err.contains(QLatin1String("auto, exact or coded")));
    REQUIRE(!QFile::exists(bank.folder() + QStringLiteral("/s.sltp")));
    const CliRun badSampler = label(createArgs(bank, bank.folder() + QStringLiteral("/r.sltp")) +
                                    QStringList{QStringLiteral("--sampler"), QStringLiteral("org.example.none")});
    REQUIRE(badSampler.exitCode == 1);
    REQUIRE(badSampler.err.contains(QLatin1String("no active sampler plugin")));
    REQUIRE(!QFile::exists(bank.folder() + QStringLiteral("/r.sltp")));
    REQUIRE(label({QStringLiteral("--project"), bank.folder() + QStringLiteral("/missing.sltp")}).exitCode == 1);
}

TEST_CASE("slt-cli label: the attenuation precision is chosen at --create, reported and kept on reopening")
{
    if (!slt::test::enginePluginsBuilt()) return;
    slt::test::EngineBank bank(600);
    const QString automatic = bank.folder() + QStringLiteral("/auto.sltp");
    const QJsonObject small = jsonOf(label(createArgs(bank, automatic)));
    REQUIRE(small[QStringLiteral("attenuation_precision")] == QStringLiteral("exact")); // 600 points: below 2^24 coordinates
    REQUIRE(small[QStringLiteral("attenuation_error_bound")].toDouble() < 1e-5);

    const QString coded = bank.folder() + QStringLiteral("/coded.sltp");
    const QJsonObject created = jsonOf(label(createArgs(bank, coded) +
                                             QStringList{QStringLiteral("--attenuation-precision"), QStringLiteral("coded")}));
    REQUIRE(created[QStringLiteral("attenuation_precision")] == QStringLiteral("coded"));
    const double bound = created[QStringLiteral("attenuation_error_bound")].toDouble();
    REQUIRE(bound > 1e-5);
    const QString actions = writeActions(bank.folder(), QStringLiteral("agree.txt"), QStringLiteral("agree\n"));
    const QJsonObject reopened = jsonOf(label({QStringLiteral("--project"), coded, QStringLiteral("--actions"), actions,
                                               QStringLiteral("--json")}));
    REQUIRE(reopened[QStringLiteral("attenuation_precision")] == QStringLiteral("coded"));
    REQUIRE(reopened[QStringLiteral("attenuation_error_bound")].toDouble() == bound);
}
