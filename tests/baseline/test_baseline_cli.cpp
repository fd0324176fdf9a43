// `slt-cli baseline` end to end: reddish and bluish PNG tiles written by the test are told apart perfectly (whole
// tiles, point windows, and through a `train` configuration), the files have evaluate's key names, and every bad
// input gives a clear message, exit 1 (2 for usage errors), no crash, the inputs untouched and no output folder.
// On the PathMNIST subset (when present): 800 tiles against the last 200, well above chance.
#include "training_test_support.hpp"

#include "fixture_support.hpp"

#include <QCryptographicHash>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

#include <random>

using namespace slt;

namespace {

struct Workspace {
    QTemporaryDir dir;

    QString path(const QString& name) const { return dir.filePath(name); }
    QString file(const QString& name, const QByteArray& bytes) const { return test::writeFile(dir, name, bytes); }

    // A tile around `base` with uniform noise of +-`noise` per channel; `splitColour`, when valid, fills the right half.
    QString tile(const QString& name, QColor base, uint32_t seed, int size = 16, QColor rightHalf = QColor()) const
    {
        std::mt19937 random(seed);
        std::uniform_int_distribution<int> jitter(-25, 25);
        QImage image(size, size, QImage::Format_RGB888);
        for (int y = 0; y < size; ++y)
            for (int x = 0; x < size; ++x) {
                const QColor c = rightHalf.isValid() && x >= size / 2 ? rightHalf : base;
                image.setPixelColor(x, y, QColor(std::clamp(c.red() + jitter(random), 0, 255), std::clamp(c.green() + jitter(random), 0, 255),
                                                 std::clamp(c.blue() + jitter(random), 0, 255)));
            }
        const QString path = dir.filePath(name);
        QDir().mkpath(QFileInfo(path).absolutePath());
        REQUIRE(image.save(path));
        return path;
    }
};

const QColor kReddish(190, 70, 90);
const QColor kBluish(80, 70, 180);

// `count` reddish tiles of class 1 and `count` bluish ones of class 2, listed in a tiles CSV `name`.
QString redBlueCsv(const Workspace& w, const QString& name, int count, uint32_t seed)
{
    QByteArray csv = "image,label\n";
    for (int i = 0; i < count; ++i) {
        const QString red = QStringLiteral("%1-red-%2.png").arg(name).arg(i);
        const QString blue = QStringLiteral("%1-blue-%2.png").arg(name).arg(i);
        w.tile(red, kReddish, seed + 2 * static_cast<uint32_t>(i));
        w.tile(blue, kBluish, seed + 2 * static_cast<uint32_t>(i) + 1);
        csv += (red + QStringLiteral(",1\n") + blue + QStringLiteral(",2\n")).toUtf8();
    }
    return w.file(name + QStringLiteral(".csv"), csv);
}

test::CliRun baseline(const QStringList& args)
{
    test::IsolatedHome home;
    return test::runCli(QStringList{QStringLiteral("baseline")} + args, home);
}

QJsonObject readJson(const QString& path)
{
    QFile file(path);
    REQUIRE(file.open(QIODevice::ReadOnly));
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &error);
    INFO(error.errorString().toStdString());
    REQUIRE(document.isObject());
    return document.object();
}

QStringList readLines(const QString& path)
{
    QFile file(path);
    REQUIRE(file.open(QIODevice::ReadOnly));
    return QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
}

QByteArray hashOf(const QString& path)
{
    QFile file(path);
    REQUIRE(file.open(QIODevice::ReadOnly));
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
}

void expectPerfect(const test::CliRun& run, const QString& out, int testRows)
{
    INFO(run.describe().toStdString());
    REQUIRE(run.exitStatus == QProcess::NormalExit);
    REQUIRE(run.exitCode == 0);
    CHECK(test::containsPattern(run.out, QStringLiteral("accuracy 1\\.0000  kappa 1\\.0000  macro F1 1\\.0000")));
    const QJsonObject metrics = readJson(QDir(out).filePath(QStringLiteral("metrics.json")));
    CHECK(metrics.value(QStringLiteral("accuracy")).toDouble() == 1.0);
    CHECK(metrics.value(QStringLiteral("kappa")).toDouble() == 1.0);
    CHECK(metrics.value(QStringLiteral("test_count")).toInt() == testRows);
    CHECK(readLines(QDir(out).filePath(QStringLiteral("predictions.csv"))).size() == testRows + 1);
}

// Runs the baseline and checks a refusal: exit `code`, `expected` in stderr, no output folder, inputs unchanged.
void expectRefused(const Workspace& w, const QStringList& args, const QString& expected, int code = 1,
                   const QStringList& inputs = {})
{
    std::vector<QByteArray> before;
    for (const QString& input : inputs)
        before.push_back(hashOf(input));
    const test::CliRun run = baseline(args);
    INFO(run.describe().toStdString());
    CHECK(run.exitStatus == QProcess::NormalExit);
    CHECK(run.exitCode == code);
    CHECK(test::containsPattern(run.err, test::literal(expected)));
    CHECK_FALSE(QFileInfo::exists(w.path(QStringLiteral("out"))));
    for (qsizetype i = 0; i < inputs.size(); ++i)
        CHECK(hashOf(inputs[i]) == before[static_cast<size_t>(i)]);
}

QString pathMnist()
{
    return QStringLiteral(SLT_SHARED_DATA_DIR "/pathmnist_train_first1000");
}

} // namespace

TEST_CASE("baseline: reddish and bluish tiles are told apart perfectly", "[cli]")
{
    Workspace w;
    const QString train = redBlueCsv(w, QStringLiteral("train"), 6, 1);
    const QString test = redBlueCsv(w, QStringLiteral("test"), 4, 100);
    const QString out = w.path(QStringLiteral("out"));
    const test::CliRun run = baseline({QStringLiteral("--data"), train, QStringLiteral("--test"), test, QStringLiteral("--out"), out});
    expectPerfect(run, out, 8);

    const QJsonObject metrics = readJson(QDir(out).filePath(QStringLiteral("metrics.json")));
    CHECK(metrics.value(QStringLiteral("method")).toString() == QStringLiteral("colour-histogram-nearest-centroid"));
    CHECK(metrics.value(QStringLiteral("bins")).toInt() == 8);
    CHECK(metrics.value(QStringLiteral("window")).toInt() == 0);
    CHECK(metrics.value(QStringLiteral("train_count")).toInt() == 12);
    for (const char* key : {"macro_f1", "weighted_f1", "balanced_accuracy"})
        CHECK(metrics.value(QLatin1String(key)).toDouble() == 1.0);
    const QJsonArray perClass = metrics.value(QStringLiteral("per_class")).toArray();
    REQUIRE(perClass.size() == metrics.value(QStringLiteral("classes")).toInt());
    const QJsonObject first = perClass.at(1).toObject();
    CHECK(first.value(QStringLiteral("class_id")).toInt() == 1);
    CHECK_FALSE(first.value(QStringLiteral("name")).toString().isEmpty());
    CHECK(first.value(QStringLiteral("support")).toInt() == 4);
    CHECK(first.value(QStringLiteral("recall")).toDouble() == 1.0);
    const QJsonArray confusion = metrics.value(QStringLiteral("confusion_matrix")).toArray();
    CHECK(confusion.at(1).toArray().at(1).toInt() == 4);
    CHECK(confusion.at(2).toArray().at(2).toInt() == 4);

    const QStringList rows = readLines(QDir(out).filePath(QStringLiteral("predictions.csv")));
    CHECK(rows.at(0) == QStringLiteral("sample,image,x,y,true_class,predicted_class"));
    CHECK(rows.at(1) == QStringLiteral("0,%1,8,8,1,1").arg(w.path(QStringLiteral("test-red-0.png"))));
    CHECK(rows.at(2) == QStringLiteral("1,%1,8,8,2,2").arg(w.path(QStringLiteral("test-blue-0.png"))));
}

TEST_CASE("baseline: windows around points tell the halves of a two-coloured tile apart", "[cli]")
{
    Workspace w;
    w.tile(QStringLiteral("half-1.png"), kReddish, 5, 32, kBluish);
    w.tile(QStringLiteral("half-2.png"), kReddish, 6, 32, kBluish);
    const QString train = w.file(QStringLiteral("train.csv"), "image,x,y,label\nhalf-1.png,4,10,1\nhalf-1.png,27,20,2\nhalf-1.png,8,30,1\n");
    const QString test = w.file(QStringLiteral("test.csv"), "image,x,y,label\nhalf-2.png,0,0,1\nhalf-2.png,31,31,2\nhalf-2.png,20,5,2\nhalf-2.png,10,16,1\n");
    const QString out = w.path(QStringLiteral("out"));
    const test::CliRun run = baseline({QStringLiteral("--data"), train, QStringLiteral("--test"), test, QStringLiteral("--out"), out,
                                       QStringLiteral("--window"), QStringLiteral("8"), QStringLiteral("--bins"), QStringLiteral("4")});
    expectPerfect(run, out, 4);
    const QStringList rows = readLines(QDir(out).filePath(QStringLiteral("predictions.csv")));
    CHECK(rows.at(2) == QStringLiteral("0,%1,31,31,2,2").arg(w.path(QStringLiteral("half-2.png"))));
    CHECK(readJson(QDir(out).filePath(QStringLiteral("metrics.json"))).value(QStringLiteral("window")).toInt() == 8);

    // Whole tiles: every test tile is one feature of its majority class, so the halves cannot be told apart.
    const QString whole = w.path(QStringLiteral("whole"));
    const test::CliRun mixed = baseline({QStringLiteral("--data"), train, QStringLiteral("--test"), test, QStringLiteral("--out"), whole});
    REQUIRE(mixed.exitCode == 0);
    CHECK(readLines(QDir(whole).filePath(QStringLiteral("predictions.csv"))).size() == 2);
}

TEST_CASE("baseline: a train configuration gives the classes, the columns and both data sets", "[cli]")
{
    Workspace w;
    w.file(QStringLiteral("two.toml"), "[[class]]\nid = 0\nname = \"red stain\"\ncolour = \"#ff0000\"\n"
                                       "[[class]]\nid = 1\nname = \"blue stain\"\ncolour = \"#0000ff\"\n");
    QByteArray train = "file,kind\n", test = "file,kind\n";
    for (int i = 0; i < 5; ++i) {
        w.tile(QStringLiteral("tiles/r%1.png").arg(i), kReddish, 40 + i);
        w.tile(QStringLiteral("tiles/b%1.png").arg(i), kBluish, 60 + i);
        QByteArray& rows = i < 3 ? train : test;
        rows += QStringLiteral("r%1.png,red stain\nb%1.png,1\n").arg(i).toUtf8();
    }
    w.file(QStringLiteral("train.csv"), train);
    w.file(QStringLiteral("test.csv"), test);
    const QString config = w.file(QStringLiteral("config.toml"), "classes = \"two.toml\"\n[data]\nimage_column = \"file\"\n"
                                                                 "label_column = \"kind\"\nimages_dir = \"tiles\"\n"
                                                                 "train = [\"train.csv\"]\nvalidation = [\"test.csv\"]\n");
    const QString out = w.path(QStringLiteral("out"));
    const test::CliRun run = baseline({QStringLiteral("--config"), config, QStringLiteral("--out"), out});
    expectPerfect(run, out, 4);
    const QJsonObject metrics = readJson(QDir(out).filePath(QStringLiteral("metrics.json")));
    CHECK(metrics.value(QStringLiteral("classes")).toInt() == 2);
    CHECK(metrics.value(QStringLiteral("per_class")).toArray().at(0).toObject().value(QStringLiteral("name")).toString() ==
          QStringLiteral("red stain"));
}

TEST_CASE("baseline: a test class absent from training is allowed, never predicted, and noted", "[cli]")
{
    Workspace w;
    const QString train = redBlueCsv(w, QStringLiteral("train"), 3, 1);
    w.tile(QStringLiteral("green.png"), QColor(60, 180, 70), 9);
    const QString test = w.file(QStringLiteral("test.csv"), "image,label\ntrain-red-0.png,1\ngreen.png,3\n");
    const QString out = w.path(QStringLiteral("out"));
    const test::CliRun run = baseline({QStringLiteral("--data"), train, QStringLiteral("--test"), test, QStringLiteral("--out"), out});
    INFO(run.describe().toStdString());
    REQUIRE(run.exitCode == 0);
    CHECK(test::containsPattern(run.err, QStringLiteral("note: class 3 \\(.*\\) has 1 test sample\\(s\\) but none in the training data: it is never predicted")));
    const QJsonObject metrics = readJson(QDir(out).filePath(QStringLiteral("metrics.json")));
    CHECK(metrics.value(QStringLiteral("accuracy")).toDouble() == 0.5);
    CHECK(metrics.value(QStringLiteral("notes")).toArray().size() == 1);
    const QStringList rows = readLines(QDir(out).filePath(QStringLiteral("predictions.csv")));
    REQUIRE(rows.size() == 3);
    CHECK_FALSE(rows.at(2).endsWith(QStringLiteral(",3")));
}

TEST_CASE("baseline: missing and unreadable data are refused", "[cli][bad-input]")
{
    Workspace w;
    const QString train = redBlueCsv(w, QStringLiteral("train"), 2, 1);
    const QString out = w.path(QStringLiteral("out"));
    const QString absent = w.path(QStringLiteral("absent.csv"));
    expectRefused(w, {QStringLiteral("--data"), absent, QStringLiteral("--test"), train, QStringLiteral("--out"), out},
                  QStringLiteral("training data: "), 1, {train});
    expectRefused(w, {QStringLiteral("--data"), train, QStringLiteral("--test"), absent, QStringLiteral("--out"), out},
                  QStringLiteral("test data: "), 1, {train});
    CHECK_FALSE(QFileInfo::exists(absent));

    const QString gone = w.file(QStringLiteral("gone.csv"), "image,label\ntrain-red-0.png,1\nnowhere-1.png,2\nnowhere-2.png,2\n");
    expectRefused(w, {QStringLiteral("--data"), train, QStringLiteral("--test"), gone, QStringLiteral("--out"), out},
                  QStringLiteral("2 of 3 image(s) do not exist; the first is '%1'").arg(w.path(QStringLiteral("nowhere-1.png"))), 1, {gone});

    const QString corrupt = w.file(QStringLiteral("corrupt.png"), "not a png");
    const QString corruptCsv = w.file(QStringLiteral("corrupt.csv"), "image,label\ncorrupt.png,1\n");
    expectRefused(w, {QStringLiteral("--data"), corruptCsv, QStringLiteral("--test"), train, QStringLiteral("--out"), out},
                  w.path(QStringLiteral("corrupt.png")), 1, {corrupt, corruptCsv});

    const QString badConfig = w.file(QStringLiteral("bad.toml"), "[data]\nimage_colum = \"file\"\n");
    expectRefused(w, {QStringLiteral("--config"), badConfig, QStringLiteral("--data"), train, QStringLiteral("--test"), train,
                      QStringLiteral("--out"), out},
                  QStringLiteral("image_colum"), 1, {badConfig});
    expectRefused(w, {QStringLiteral("--config"), w.path(QStringLiteral("none.toml")), QStringLiteral("--out"), out},
                  QStringLiteral("cannot read the configuration"), 1);
}

TEST_CASE("baseline: labels outside the schema are refused with the line", "[cli][bad-input]")
{
    Workspace w;
    const QString train = redBlueCsv(w, QStringLiteral("train"), 2, 1);
    const QString outside = w.file(QStringLiteral("outside.csv"), "image,label\ntrain-red-0.png,1\ntrain-red-1.png,42\n");
    const QString out = w.path(QStringLiteral("out"));
    expectRefused(w, {QStringLiteral("--data"), train, QStringLiteral("--test"), outside, QStringLiteral("--out"), out},
                  QStringLiteral("line 3: class id 42 is not in the class schema"), 1, {outside});
    const QString named = w.file(QStringLiteral("named.csv"), "image,label\ntrain-red-0.png,Osteoid\n");
    expectRefused(w, {QStringLiteral("--data"), named, QStringLiteral("--test"), train, QStringLiteral("--out"), out},
                  QStringLiteral("label 'Osteoid' is neither a class id nor a class name"), 1, {named});
}

TEST_CASE("baseline: no test data, or test data without a labelled point, is refused", "[cli][bad-input]")
{
    Workspace w;
    const QString train = redBlueCsv(w, QStringLiteral("train"), 2, 1);
    const QString out = w.path(QStringLiteral("out"));
    expectRefused(w, {QStringLiteral("--data"), train, QStringLiteral("--out"), out}, QStringLiteral("no test data"), 2);
    expectRefused(w, {QStringLiteral("--test"), train, QStringLiteral("--out"), out}, QStringLiteral("no training data"), 2);
    expectRefused(w, {QStringLiteral("--data"), train, QStringLiteral("--test"), train}, QStringLiteral("no output folder"), 2);
    const QString header = w.file(QStringLiteral("header.csv"), "image,label\n");
    expectRefused(w, {QStringLiteral("--data"), train, QStringLiteral("--test"), header, QStringLiteral("--out"), out},
                  QStringLiteral("the test data holds no labelled point"), 1, {header});
    expectRefused(w, {QStringLiteral("--data"), header, QStringLiteral("--test"), train, QStringLiteral("--out"), out},
                  QStringLiteral("the training data holds no labelled point"), 1, {header});
}

TEST_CASE("baseline: bins outside [2, 64], bad windows and bad formats are usage errors", "[cli][bad-input]")
{
    Workspace w;
    const QString train = redBlueCsv(w, QStringLiteral("train"), 1, 1);
    const QString out = w.path(QStringLiteral("out"));
    const QStringList base{QStringLiteral("--data"), train, QStringLiteral("--test"), train, QStringLiteral("--out"), out};
    for (const char* bins : {"1", "65", "0", "eight"})
        expectRefused(w, base + QStringList{QStringLiteral("--bins"), QLatin1String(bins)},
                      QStringLiteral("--bins must be an integer in 2..64, got '%1'").arg(QLatin1String(bins)), 2);
    expectRefused(w, base + QStringList{QStringLiteral("--window"), QStringLiteral("-3")}, QStringLiteral("--window must be an integer"), 2);
    expectRefused(w, base + QStringList{QStringLiteral("--format"), QStringLiteral("excel")}, QStringLiteral("excel"), 2);
    expectRefused(w, base + QStringList{QStringLiteral("extra")}, QStringLiteral("extra"), 2);
}

TEST_CASE("baseline: a file where the output folder should be is refused and left alone", "[cli][bad-input]")
{
    Workspace w;
    const QString train = redBlueCsv(w, QStringLiteral("train"), 1, 1);
    const QString blocker = w.file(QStringLiteral("blocker"), "a file in the way");
    const test::CliRun run = baseline({QStringLiteral("--data"), train, QStringLiteral("--test"), train, QStringLiteral("--out"), blocker});
    INFO(run.describe().toStdString());
    CHECK(run.exitCode == 1);
    CHECK(test::containsPattern(run.err, test::literal(QStringLiteral("the output '%1' exists and is not a folder").arg(blocker))));
    CHECK(hashOf(blocker) == QCryptographicHash::hash("a file in the way", QCryptographicHash::Sha256));
    const test::CliRun inside = baseline({QStringLiteral("--data"), train, QStringLiteral("--test"), train, QStringLiteral("--out"),
                                          blocker + QStringLiteral("/out")});
    CHECK(inside.exitCode == 1);
    CHECK(test::containsPattern(inside.err, QStringLiteral("cannot create the output folder")));
}

TEST_CASE("baseline: PathMNIST, 800 tiles against the last 200, is well above chance", "[cli][pathmnist]")
{
    const QString subset = pathMnist();
    if (!QFileInfo::exists(subset + QStringLiteral("/labels.csv"))) {
        WARN("skipped: " << subset.toStdString() << " is absent (SLT_SHARED_DATA_DIR)");
        return;
    }
    Workspace w;
    const QStringList lines = readLines(subset + QStringLiteral("/labels.csv"));
    REQUIRE(lines.size() == 1001);
    const QString images = subset + QStringLiteral("/images");
    const QString train = w.file(QStringLiteral("train.csv"), (lines.mid(0, 801).join(QLatin1Char('\n')) + QLatin1Char('\n')).toUtf8());
    const QString test = w.file(QStringLiteral("test.csv"), (QStringList{lines.at(0)} + lines.mid(801)).join(QLatin1Char('\n')).toUtf8() + "\n");
    // The example configuration's columns and classes; images_dir points at the subset (the CSVs live elsewhere).
    QFile example(QStringLiteral(SLT_EXAMPLES_DIR "/pathmnist-train.toml"));
    REQUIRE(example.open(QIODevice::ReadOnly));
    QString config = QString::fromUtf8(example.readAll());
    config.replace(QStringLiteral("images_dir = \"images\""), QStringLiteral("images_dir = \"%1\"").arg(images));
    config.replace(QStringLiteral("classes = \"pathmnist-classes.toml\""),
                   QStringLiteral("classes = \"%1\"").arg(QStringLiteral(SLT_EXAMPLES_DIR "/pathmnist-classes.toml")));
    const QString configPath = w.file(QStringLiteral("pathmnist.toml"), config.toUtf8());
    const QString out = w.path(QStringLiteral("out"));
    const test::CliRun run = baseline({QStringLiteral("--config"), configPath, QStringLiteral("--data"), train, QStringLiteral("--test"), test,
                                       QStringLiteral("--out"), out});
    INFO(run.describe().toStdString());
    REQUIRE(run.exitCode == 0);
    const QJsonObject metrics = readJson(QDir(out).filePath(QStringLiteral("metrics.json")));
    const double accuracy = metrics.value(QStringLiteral("accuracy")).toDouble();
    WARN("PathMNIST colour baseline (800 train / 200 test, 8 bins): accuracy " << accuracy << ", kappa "
         << metrics.value(QStringLiteral("kappa")).toDouble() << ", macro F1 " << metrics.value(QStringLiteral("macro_f1")).toDouble());
    CHECK(metrics.value(QStringLiteral("train_count")).toInt() == 800);
    CHECK(metrics.value(QStringLiteral("test_count")).toInt() == 200);
    CHECK(accuracy > 3.0 / 9.0); // three times chance
}

TEST_CASE("baseline: points on a whole-slide image give one window each, read through OpenSlide", "[cli][slide]")
{
    const QString slide = QDir::cleanPath(QStringLiteral(SLT_SHARED_DATA_DIR "/wsi_openslide/CMU-1-Small-Region.svs"));
    if (!QFileInfo::exists(slide)) {
        WARN("skipped: " << slide.toStdString() << " is absent (SLT_SHARED_DATA_DIR)");
        return;
    }
    Workspace w;
    const QString train = w.file(QStringLiteral("train.csv"), QStringLiteral("image,x,y,label\n%1,300,300,1\n%1,1500,1000,2\n%1,100,2000,1\n")
                                                                  .arg(slide).toUtf8());
    const QString test = w.file(QStringLiteral("test.csv"), QStringLiteral("image,x,y,label\n%1,310,290,1\n%1,1490,1010,2\n").arg(slide).toUtf8());
    const QString out = w.path(QStringLiteral("out"));
    const test::CliRun run = baseline({QStringLiteral("--data"), train, QStringLiteral("--test"), test, QStringLiteral("--out"), out,
                                       QStringLiteral("--window"), QStringLiteral("64")});
    INFO(run.describe().toStdString());
    REQUIRE(run.exitCode == 0);
    const QJsonObject metrics = readJson(QDir(out).filePath(QStringLiteral("metrics.json")));
    CHECK(metrics.value(QStringLiteral("train_count")).toInt() == 3);
    CHECK(metrics.value(QStringLiteral("test_count")).toInt() == 2);
    const QStringList rows = readLines(QDir(out).filePath(QStringLiteral("predictions.csv")));
    REQUIRE(rows.size() == 3);
    CHECK(rows.at(1).startsWith(QStringLiteral("0,%1,310,290,1,").arg(slide)));
    CHECK(rows.at(2).startsWith(QStringLiteral("1,%1,1490,1010,2,").arg(slide)));
}
