// `slt-cli train` end to end on bad input: each case fails before any model is created or any training starts,
// with a clear message, exit 1 (2 for usage errors), no crash, the input files untouched and no output folder
// left behind. With the unet-concrete plugin built, a dry run and a one-epoch run on a few PathMNIST tiles.
#include "training_test_support.hpp"

#include "fixture_support.hpp"

#include <QCryptographicHash>
#include <QImage>

#include <unistd.h>

using namespace slt;

namespace {

struct Workspace {
    QTemporaryDir dir;
    QString emptyPlugins; // a plugin search path without any plugin

    Workspace()
    {
        emptyPlugins = dir.filePath(QStringLiteral("no-plugins"));
        QDir().mkpath(emptyPlugins);
    }
    QString path(const QString& name) const { return dir.filePath(name); }
    QString png(const QString& name, int size = 16) const
    {
        QImage image(size, size, QImage::Format_RGB888);
        image.fill(QColor(200, 100, 150));
        const QString path = dir.filePath(name);
        QDir().mkpath(QFileInfo(path).absolutePath());
        REQUIRE(image.save(path));
        return path;
    }
    QString file(const QString& name, const QByteArray& bytes) const { return test::writeFile(dir, name, bytes); }
};

QByteArray hashOf(const QString& path)
{
    QFile file(path);
    REQUIRE(file.open(QIODevice::ReadOnly));
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
}

test::CliRun train(const QStringList& args, const QProcessEnvironment& environment = QProcessEnvironment())
{
    test::IsolatedHome home;
    return test::runCli(QStringList{QStringLiteral("train")} + args, home, environment);
}

// Runs `train` on `data` into a fresh --out and checks the refusal: exit 1, `expected` in stderr, no crash,
// the data file unchanged, no output folder.
void expectRefused(const Workspace& w, const QString& data, const QString& expected, const QStringList& extra = {})
{
    const QByteArray before = hashOf(data);
    const QString out = w.path(QStringLiteral("out"));
    const test::CliRun run = train(QStringList{QStringLiteral("--data"), data, QStringLiteral("--out"), out,
                                               QStringLiteral("--plugin-path"), w.emptyPlugins} + extra);
    INFO(run.describe().toStdString());
    CHECK(run.exitStatus == QProcess::NormalExit);
    CHECK(run.exitCode == 1);
    CHECK(test::containsPattern(run.err, test::literal(expected)));
    CHECK(hashOf(data) == before);
    CHECK_FALSE(QFileInfo::exists(out));
}

void expectUsage(const QStringList& args, const QString& expected)
{
    const test::CliRun run = train(args);
    INFO(run.describe().toStdString());
    CHECK(run.exitStatus == QProcess::NormalExit);
    CHECK(run.exitCode == 2);
    CHECK(test::containsPattern(run.err, test::literal(expected)));
}

QString unetPluginDir()
{
    return QStringLiteral(SLT_PLUGIN_BUILD_DIR);
}

bool unetPluginBuilt()
{
    const bool built = QFileInfo(unetPluginDir() + QStringLiteral("/unet-concrete/unet-concrete.so")).isFile();
    if (!built)
        WARN("skipped: the unet-concrete plugin is not built in " << unetPluginDir().toStdString());
    return built;
}

QString pathMnist()
{
    return QStringLiteral(SLT_SHARED_DATA_DIR "/pathmnist_train_first1000");
}

} // namespace

TEST_CASE("train: a CSV with missing images names the first missing file and the count", "[cli]")
{
    Workspace w;
    w.png(QStringLiteral("a.png"));
    const QString csv = w.file(QStringLiteral("tiles.csv"), "image,label\na.png,1\ngone1.png,2\ngone2.png,2\n");
    expectRefused(w, csv, QStringLiteral("2 of 3 image(s) do not exist; the first is '%1' (named at '%2' line 3)")
                              .arg(w.path(QStringLiteral("gone1.png")), csv));
}

TEST_CASE("train: a slide OpenSlide cannot read is refused", "[cli]")
{
    Workspace w;
    w.file(QStringLiteral("broken.svs"), "not a slide at all");
    const QString csv = w.file(QStringLiteral("points.csv"), "image,x,y,label\nbroken.svs,100,200,Tumour\n");
    expectRefused(w, csv, QStringLiteral("OpenSlide cannot read '%1'").arg(w.path(QStringLiteral("broken.svs"))));
}

TEST_CASE("train: labels outside the schema are refused with the line", "[cli]")
{
    Workspace w;
    w.png(QStringLiteral("a.png"));
    const QString csv = w.file(QStringLiteral("tiles.csv"), "image,label\na.png,1\na.png,9\n");
    expectRefused(w, csv, QStringLiteral("line 3: class id 9 is not in the class schema"));
    const QString named = w.file(QStringLiteral("named.csv"), "image,label\na.png,Osteoid\n");
    expectRefused(w, named, QStringLiteral("line 2: label 'Osteoid' is neither a class id nor a class name"));
    // with a schema of two classes, id 5 is outside too
    const QString schema = w.file(QStringLiteral("two.toml"),
                                  "[[class]]\nid = 0\nname = \"benign\"\ncolour = \"#00ff00\"\n"
                                  "[[class]]\nid = 1\nname = \"malignant\"\ncolour = \"#ff0000\"\n");
    const QString five = w.file(QStringLiteral("five.csv"), "image,label\na.png,malignant\na.png,5\n");
    expectRefused(w, five, QStringLiteral("line 3: class id 5 is not in the class schema (0 benign, 1 malignant)"),
                  {QStringLiteral("--classes"), schema});
}

TEST_CASE("train: malformed CSV, JSON and GeoJSON name the line", "[cli]")
{
    Workspace w;
    w.png(QStringLiteral("a.png"));
    const QString csv = w.file(QStringLiteral("bad.csv"), "image,x,y,label\na.png,1,2,1\na.png,1,2\n");
    expectRefused(w, csv, QStringLiteral("line 3: expected 4 fields like the header, got 3"));
    const QString json = w.file(QStringLiteral("bad.json"), "{\n \"a.png\": [\n  {\"class_id\": 1, \"coord\": [1, 2]},\n  {\"class_id\": 1 \"coord\": [3, 4]}\n ]\n}\n");
    expectRefused(w, json, QStringLiteral("line 4, column"));
    const QString geojson = w.file(QStringLiteral("a.geojson"),
                                   "{\"type\": \"FeatureCollection\", \"features\": [\n"
                                   "{\"type\": \"Feature\", \"geometry\": {\"type\": \"Point\", \"coordinates\": [1, 1]}, \"properties\": {}}]}\n");
    expectRefused(w, geojson, QStringLiteral("feature 1: the point has no classification name"));
    const QString truncated = w.file(QStringLiteral("a.geojson"), "{\"type\": \"FeatureCollection\",\n\"features\": [\n");
    expectRefused(w, truncated, QStringLiteral("line 3, column"));
}

TEST_CASE("train: an unwritable --out is refused before anything is created", "[cli]")
{
    Workspace w;
    w.png(QStringLiteral("a.png"));
    const QString csv = w.file(QStringLiteral("tiles.csv"), "image,label\na.png,1\n");
    const QString blocker = w.file(QStringLiteral("blocker"), "a file where a folder should be");
    const QString out = blocker + QStringLiteral("/run");
    const test::CliRun run = train({QStringLiteral("--data"), csv, QStringLiteral("--out"), out, QStringLiteral("--plugin-path"), w.emptyPlugins});
    INFO(run.describe().toStdString());
    CHECK(run.exitCode == 1);
    CHECK(test::containsPattern(run.err, test::literal(QStringLiteral("the output '%1' cannot be a folder").arg(out))));
    if (geteuid() != 0) { // root writes anywhere: only a non-root run can test permissions
        const QString locked = w.path(QStringLiteral("locked"));
        QDir().mkpath(locked);
        QFile::setPermissions(locked, QFileDevice::ReadOwner | QFileDevice::ExeOwner);
        const test::CliRun denied = train({QStringLiteral("--data"), csv, QStringLiteral("--out"), locked + QStringLiteral("/run"),
                                           QStringLiteral("--plugin-path"), w.emptyPlugins});
        CHECK(denied.exitCode == 1);
        CHECK(test::containsPattern(denied.err, QStringLiteral("cannot write into the output folder")));
        QFile::setPermissions(locked, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    }
}

TEST_CASE("train: an output folder with a previous run needs --resume, and --resume needs a last.pt", "[cli]")
{
    Workspace w;
    w.png(QStringLiteral("a.png"));
    const QString csv = w.file(QStringLiteral("tiles.csv"), "image,label\na.png,1\n");
    const QString out = w.path(QStringLiteral("run"));
    QDir().mkpath(out);
    const QString last = w.file(QStringLiteral("run/last.pt"), "previous run");
    const test::CliRun again = train({QStringLiteral("--data"), csv, QStringLiteral("--out"), out, QStringLiteral("--plugin-path"), w.emptyPlugins});
    CHECK(again.exitCode == 1);
    CHECK(test::containsPattern(again.err, QStringLiteral("holds a previous run.*--resume")));
    CHECK(hashOf(last) == QCryptographicHash::hash("previous run", QCryptographicHash::Sha256));
    const test::CliRun nothing = train({QStringLiteral("--data"), csv, QStringLiteral("--out"), w.path(QStringLiteral("fresh")),
                                        QStringLiteral("--resume"), QStringLiteral("--plugin-path"), w.emptyPlugins});
    CHECK(nothing.exitCode == 1);
    CHECK(test::containsPattern(nothing.err, QStringLiteral("nothing to resume")));
    const test::CliRun noBase = train({QStringLiteral("--data"), csv, QStringLiteral("--out"), w.path(QStringLiteral("fresh")),
                                       QStringLiteral("--fine-tune"), w.path(QStringLiteral("none.pt")), QStringLiteral("--plugin-path"), w.emptyPlugins});
    CHECK(noBase.exitCode == 1);
    CHECK(test::containsPattern(noBase.err, QStringLiteral("checkpoint to fine-tune from.*does not exist")));
}

TEST_CASE("train: a missing model plugin is named, after the data checks passed", "[cli]")
{
    Workspace w;
    w.png(QStringLiteral("a.png"));
    const QString csv = w.file(QStringLiteral("tiles.csv"), "image,label\na.png,1\n");
    expectRefused(w, csv, QStringLiteral("the model plugin 'org.slt.model.unet-concrete' is not installed"));
    expectRefused(w, csv, QStringLiteral("the model plugin 'org.example.nothing' is not installed"),
                  {QStringLiteral("--model"), QStringLiteral("org.example.nothing")});
}

TEST_CASE("train: bad data-parallel variables are refused", "[cli]")
{
    Workspace w;
    w.png(QStringLiteral("a.png"));
    const QString csv = w.file(QStringLiteral("tiles.csv"), "image,label\na.png,1\n");
    QProcessEnvironment environment;
    environment.insert(QStringLiteral("RANK"), QStringLiteral("1"));
    environment.insert(QStringLiteral("WORLD_SIZE"), QStringLiteral("2"));
    const test::CliRun run = train({QStringLiteral("--data"), csv, QStringLiteral("--out"), w.path(QStringLiteral("out")),
                                    QStringLiteral("--plugin-path"), w.emptyPlugins},
                                   environment);
    INFO(run.describe().toStdString());
    CHECK(run.exitCode == 1);
    CHECK(test::containsPattern(run.err, QStringLiteral("MASTER_ADDR")));
}

TEST_CASE("train: usage errors exit 2 and a bad config names its line", "[cli]")
{
    Workspace w;
    const QString csv = w.file(QStringLiteral("tiles.csv"), "image,label\n");
    const QString out = w.path(QStringLiteral("out"));
    expectUsage({QStringLiteral("--out"), out}, QStringLiteral("no training data"));
    expectUsage({QStringLiteral("--data"), csv}, QStringLiteral("no output folder"));
    expectUsage({QStringLiteral("--data"), csv, QStringLiteral("--out"), out, QStringLiteral("--epochs"), QStringLiteral("0")},
                QStringLiteral("--epochs must be an integer in 1.."));
    expectUsage({QStringLiteral("--data"), csv, QStringLiteral("--out"), out, QStringLiteral("--val-split"), QStringLiteral("1")},
                QStringLiteral("--val-split must be a number in [0, 1)"));
    expectUsage({QStringLiteral("--data"), csv, QStringLiteral("--out"), out, QStringLiteral("--format"), QStringLiteral("xml")},
                QStringLiteral("unknown data format 'xml'"));
    expectUsage({QStringLiteral("--data"), csv, QStringLiteral("--out"), out, QStringLiteral("--resume"), QStringLiteral("--fine-tune"), csv},
                QStringLiteral("give one of them"));
    expectUsage({QStringLiteral("--data"), csv, QStringLiteral("--out"), out, QStringLiteral("extra")}, QStringLiteral("slt-cli train"));

    const QString config = w.file(QStringLiteral("train.toml"), "epochs = 3\n[data]\ntrain = \"tiles.csv\"\nvalsplit = 0.1\n");
    const test::CliRun run = train({QStringLiteral("--config"), config});
    INFO(run.describe().toStdString());
    CHECK(run.exitCode == 1);
    CHECK(test::containsPattern(run.err, test::literal(config + QStringLiteral(":4:1: unknown key 'data.valsplit'"))));

    const test::CliRun empty = train({QStringLiteral("--data"), csv, QStringLiteral("--out"), out, QStringLiteral("--plugin-path"), w.emptyPlugins});
    CHECK(empty.exitCode == 1);
    CHECK(test::containsPattern(empty.err, QStringLiteral("holds no labelled point")));
}

TEST_CASE("train: dry run and a one-epoch run with the unet-concrete plugin on PathMNIST tiles", "[cli][model]")
{
    if (!unetPluginBuilt())
        return;
    if (!QFileInfo(pathMnist() + QStringLiteral("/labels.csv")).isFile()) {
        WARN("skipped: " << pathMnist().toStdString() << " is absent (SLT_SHARED_DATA_DIR)");
        return;
    }
    Workspace w;
    // 40 tiles: a small copy of labels.csv pointing at the shared images.
    QFile all(pathMnist() + QStringLiteral("/labels.csv"));
    REQUIRE(all.open(QIODevice::ReadOnly));
    QByteArray subset = all.readLine();
    for (int i = 0; i < 40; ++i)
        subset += all.readLine();
    const QString csv = w.file(QStringLiteral("labels.csv"), subset);
    const QStringList common{QStringLiteral("--config"), QStringLiteral(SLT_EXAMPLES_DIR "/pathmnist-train.toml"),
                             QStringLiteral("--data"), csv,
                             QStringLiteral("--plugin-path"), unetPluginDir(),
                             QStringLiteral("--epochs"), QStringLiteral("1"), QStringLiteral("--threads"), QStringLiteral("2")};
    test::IsolatedHome home;
    const QString images = pathMnist() + QStringLiteral("/images");
    // The example config resolves images next to the CSV; the copy lives elsewhere, so point a link there.
    REQUIRE(QFile::link(images, w.path(QStringLiteral("images"))));

    const QString dryOut = w.path(QStringLiteral("dry"));
    const test::CliRun dry = test::runCli(QStringList{QStringLiteral("train")} + common +
                                              QStringList{QStringLiteral("--out"), dryOut, QStringLiteral("--dry-run")},
                                          home);
    INFO(dry.describe().toStdString());
    REQUIRE(dry.exitCode == 0);
    CHECK(test::containsPattern(dry.err, QStringLiteral("training +[0-9]+ sample")));
    CHECK(test::containsPattern(dry.err, QStringLiteral("dry run; nothing trained")));
    CHECK_FALSE(QFileInfo::exists(dryOut));

    const QString out = w.path(QStringLiteral("run"));
    const test::CliRun run = test::runCli(QStringList{QStringLiteral("train")} + common + QStringList{QStringLiteral("--out"), out}, home);
    INFO(run.describe().toStdString());
    REQUIRE(run.exitCode == 0);
    CHECK(test::containsPattern(run.out, QStringLiteral("1/1")));
    CHECK(QFileInfo(out + QStringLiteral("/best.pt")).isFile());
    CHECK(QFileInfo(out + QStringLiteral("/last.pt")).isFile());
    CHECK(QFileInfo(out + QStringLiteral("/train_config.toml")).isFile());
}
