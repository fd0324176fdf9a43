// `slt-cli train` end to end on bad input: each case fails before any model is created or any training starts,
// with a clear message, exit 1 (2 for usage errors), no crash, the input files untouched and no output folder
// left behind. With the unet-concrete plugin built, a dry run and a one-epoch run on a few PathMNIST tiles.
#include "training_test_support.hpp"

#include "fixture_support.hpp"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QImage>

#include <csignal>

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

namespace {

QString countingModelDir()
{
    return QStringLiteral(SLT_COUNTING_MODEL_DIR);
}

// `count` tiles of class `label` named <prefix><i>.png, as CSV rows.
QByteArray tileRows(const Workspace& w, const QString& prefix, int count, int label)
{
    QByteArray rows;
    for (int i = 0; i < count; ++i) {
        const QString name = QStringLiteral("%1%2.png").arg(prefix).arg(i);
        w.png(name);
        rows += QStringLiteral("%1,%2\n").arg(name).arg(label).toUtf8();
    }
    return rows;
}

QStringList epochLog(const QString& out)
{
    QFile file(out + QStringLiteral("/epochs.log"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
}

QStringList countingArgs(const QString& csv, const QString& out)
{
    return {QStringLiteral("--data"), csv, QStringLiteral("--out"), out, QStringLiteral("--model"),
            QStringLiteral("org.slt.test.counting-model"), QStringLiteral("--plugin-path"), countingModelDir()};
}

} // namespace

TEST_CASE("train: a full run through a trainable model plugin writes the table, checkpoints and config", "[cli][counting]")
{
    Workspace w;
    const QString csv = w.file(QStringLiteral("tiles.csv"), "image,label\n" + tileRows(w, QStringLiteral("a"), 8, 2) +
                                                                tileRows(w, QStringLiteral("b"), 4, 5));
    const QString out = w.path(QStringLiteral("run"));
    const test::CliRun run = train(countingArgs(csv, out) + QStringList{QStringLiteral("--epochs"), QStringLiteral("3"),
                                                                        QStringLiteral("--val-split"), QStringLiteral("0.25")});
    INFO(run.describe().toStdString());
    REQUIRE(run.exitCode == 0);
    CHECK(test::containsPattern(run.err, QStringLiteral("training +9 sample\\(s\\), 9 point")));
    CHECK(test::containsPattern(run.err, QStringLiteral("validation 3 sample\\(s\\).*per class held out")));
    CHECK(test::containsPattern(run.out, QStringLiteral("1/3 .*\\n.*2/3 .*\\n.*3/3 ")));
    CHECK(test::containsPattern(run.out, QStringLiteral("1/3 +1\\.0000 +- +0\\.6667")));
    CHECK(epochLog(out) == QStringList({QStringLiteral("epoch 0 size 9 weight 9"), QStringLiteral("epoch 1 size 9 weight 9"),
                                        QStringLiteral("epoch 2 size 9 weight 9")}));
    for (const char* name : {"best.pt", "last.pt", "train_config.toml"})
        CHECK(QFileInfo(out + QLatin1Char('/') + QLatin1String(name)).isFile());
    // the written configuration repeats the run
    const QString again = w.path(QStringLiteral("again"));
    const test::CliRun repeat = train({QStringLiteral("--config"), out + QStringLiteral("/train_config.toml"), QStringLiteral("--out"), again,
                                       QStringLiteral("--plugin-path"), countingModelDir()});
    INFO(repeat.describe().toStdString());
    CHECK(repeat.exitCode == 0);
    CHECK(epochLog(again) == epochLog(out));
}

TEST_CASE("train: rehearsal mixes old samples in after the warm-up, with class weights", "[cli][counting]")
{
    Workspace w;
    const QString fresh = w.file(QStringLiteral("new.csv"), "image,label\n" + tileRows(w, QStringLiteral("n"), 12, 1));
    const QString old = w.file(QStringLiteral("old.csv"), "image,label\n" + tileRows(w, QStringLiteral("o"), 20, 3));
    const QString config = w.file(QStringLiteral("train.toml"), "[rehearsal]\nwarmup_epochs = 2\nhalf_life = 1.0\nweight = 0.5\n");
    const QString out = w.path(QStringLiteral("run"));
    const test::CliRun run = train(countingArgs(fresh, out) +
                                   QStringList{QStringLiteral("--config"), config, QStringLiteral("--rehearsal"), old,
                                               QStringLiteral("--epochs"), QStringLiteral("4"), QStringLiteral("--val-split"), QStringLiteral("0"),
                                               QStringLiteral("--class-weighting"), QStringLiteral("inverse")});
    INFO(run.describe().toStdString());
    REQUIRE(run.exitCode == 0);
    CHECK(test::containsPattern(run.err, QStringLiteral("rehearsal +20 old sample")));
    // warm-up epochs 0 and 1: new only; epoch 2: share 1; epoch 3: share 0.5, 12 old at weight 0.5
    CHECK(epochLog(out) == QStringList({QStringLiteral("weights 1 1.33333 1 0.8 1 1 1 1 1"),
                                        QStringLiteral("epoch 0 size 12 weight 12"), QStringLiteral("epoch 1 size 12 weight 12"),
                                        QStringLiteral("epoch 2 size 12 weight 12"), QStringLiteral("epoch 3 size 24 weight 18")}));
}

TEST_CASE("train: Ctrl-C stops with a resumable checkpoint and the command that resumes", "[cli][counting]")
{
    Workspace w;
    const QString csv = w.file(QStringLiteral("tiles.csv"), "image,label\n" + tileRows(w, QStringLiteral("t"), 10, 4));
    const QString model = w.file(QStringLiteral("model.toml"), "delay_ms = 60\n");
    const QString out = w.path(QStringLiteral("run"));
    test::IsolatedHome home;
    QProcess process;
    process.setProcessEnvironment(home.environment());
    process.start(QStringLiteral(SLT_CLI_PATH),
                  QStringList{QStringLiteral("train")} + countingArgs(csv, out) +
                      QStringList{QStringLiteral("--model-config"), model, QStringLiteral("--epochs"), QStringLiteral("4"),
                                  QStringLiteral("--val-split"), QStringLiteral("0")});
    REQUIRE(process.waitForStarted(10000));
    // interrupt once the first epoch is done and the second is under way
    QElapsedTimer waited;
    waited.start();
    while (epochLog(out).isEmpty() && waited.elapsed() < 30000)
        process.waitForFinished(50);
    REQUIRE(process.state() == QProcess::Running);
    ::kill(static_cast<pid_t>(process.processId()), SIGINT);
    REQUIRE(process.waitForFinished(30000));
    const QString err = QString::fromUtf8(process.readAllStandardError());
    INFO(err.toStdString());
    CHECK(process.exitStatus() == QProcess::NormalExit);
    CHECK(process.exitCode() == 1);
    CHECK(test::containsPattern(err, QStringLiteral("training stopped by Ctrl-C")));
    CHECK(test::containsPattern(err, test::literal(QStringLiteral("slt-cli train --config %1/train_config.toml --resume").arg(out))));
    const int finished = static_cast<int>(epochLog(out).size());
    CHECK(finished >= 1);
    CHECK(finished < 4);
    REQUIRE(QFileInfo(out + QStringLiteral("/last.pt")).isFile());

    const test::CliRun resumed = train({QStringLiteral("--config"), out + QStringLiteral("/train_config.toml"), QStringLiteral("--resume"),
                                        QStringLiteral("--plugin-path"), countingModelDir()});
    INFO(resumed.describe().toStdString());
    CHECK(resumed.exitCode == 0);
    const QStringList log = epochLog(out);
    REQUIRE(log.size() == 4); // the interrupted run's epochs plus the rest, none twice
    CHECK(log.last() == QLatin1String("epoch 3 size 10 weight 10"));
}
