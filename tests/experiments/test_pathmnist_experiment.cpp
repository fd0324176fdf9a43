// docs/examples/pathmnist/run.sh, the experiment of docs/results.md, run as a user runs it: on a small budget
// the trained U-Net must beat the colour-histogram baseline on the 200 held-out tiles (accuracy and kappa), and
// the bank, the evaluation and the baseline must cover exactly those tiles. Bad input to the script is refused
// with a message and exit 1 (2 for usage errors) before anything is trained.
#include "fixture_support.hpp"

#include <catch2/catch.hpp>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

using namespace slt;

namespace {

// Epochs of the small budget: half of docs/results.md's run (accuracy 0.68 against the baseline's 0.60 there).
constexpr int kBudgetEpochs = 30;

QString pathMnist()
{
    return QStringLiteral(SLT_SHARED_DATA_DIR "/pathmnist_train_first1000");
}

struct ScriptRun {
    int exitCode = -1;
    bool crashed = false;
    QString out;
    QString err;
    std::string describe() const
    {
        return QStringLiteral("exit %1%2\n--- stdout\n%3\n--- stderr\n%4")
            .arg(exitCode)
            .arg(crashed ? QStringLiteral(" (crashed)") : QString())
            .arg(out.right(4000), err.right(4000))
            .toStdString();
    }
};

ScriptRun runScript(const QStringList& args, const QString& cli = QStringLiteral(SLT_CLI_PATH), int timeoutMs = 30000)
{
    const test::IsolatedHome home;
    QProcessEnvironment environment = home.environment();
    environment.insert(QStringLiteral("SLT_CLI"), cli);
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral("bash"), QStringList{QStringLiteral(SLT_PATHMNIST_SCRIPT)} + args);
    ScriptRun run;
    if (!process.waitForStarted() || !process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        run.err = QStringLiteral("did not finish within %1 s").arg(timeoutMs / 1000);
        return run;
    }
    run.crashed = process.exitStatus() == QProcess::CrashExit;
    run.exitCode = process.exitCode();
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

QJsonObject readJson(const QString& path)
{
    QFile file(path);
    INFO(path.toStdString());
    REQUIRE(file.open(QIODevice::ReadOnly));
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll());
    REQUIRE(document.isObject());
    return document.object();
}

// A folder that looks like the subset (labels.csv + images/) with the given labels.csv text.
QString fakeSubset(const QTemporaryDir& dir, const QByteArray& labels)
{
    const QString root = dir.filePath(QStringLiteral("subset"));
    REQUIRE(QDir().mkpath(root + QStringLiteral("/images")));
    QFile file(root + QStringLiteral("/labels.csv"));
    REQUIRE(file.open(QIODevice::WriteOnly));
    file.write(labels);
    return root;
}

void requireRefused(const ScriptRun& run, int exitCode, const QString& pattern)
{
    INFO(run.describe());
    REQUIRE_FALSE(run.crashed);
    REQUIRE(run.exitCode == exitCode);
    REQUIRE(test::containsPattern(run.err, pattern));
}

} // namespace

TEST_CASE("pathmnist: a briefly trained U-Net beats the colour-histogram baseline on the held-out tiles", "[pathmnist]")
{
    if (!QFileInfo(pathMnist() + QStringLiteral("/labels.csv")).isFile()) {
        WARN("skipped: " << pathMnist().toStdString() << " is absent (SLT_SHARED_DATA_DIR)");
        return;
    }
    if (!QFileInfo(QStringLiteral(SLT_PLUGIN_BUILD_DIR "/unet-concrete/unet-concrete.so")).isFile()) {
        WARN("skipped: the unet-concrete plugin is not built (SLT_BUILD_TORCH_PLUGINS=OFF)");
        return;
    }
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("experiment"));
    const ScriptRun run = runScript({pathMnist(), out, QStringLiteral("--epochs"), QString::number(kBudgetEpochs),
                                     QStringLiteral("--threads"), QStringLiteral("2")},
                                    QStringLiteral(SLT_CLI_PATH), 25 * 60 * 1000);
    INFO(run.describe());
    REQUIRE(run.exitCode == 0);

    const QJsonObject model = readJson(out + QStringLiteral("/evaluation/metrics.json"));
    const QJsonObject colour = readJson(out + QStringLiteral("/baseline/metrics.json"));
    REQUIRE(model.value(QStringLiteral("points")).toInt() == 200);
    REQUIRE(colour.value(QStringLiteral("test_count")).toInt() == 200);
    REQUIRE(colour.value(QStringLiteral("train_count")).toInt() == 800);
    const double modelAccuracy = model.value(QStringLiteral("accuracy")).toDouble();
    const double colourAccuracy = colour.value(QStringLiteral("accuracy")).toDouble();
    const double modelKappa = model.value(QStringLiteral("kappa")).toDouble();
    const double colourKappa = colour.value(QStringLiteral("kappa")).toDouble();
    WARN("held-out accuracy: U-Net " << modelAccuracy << " after " << kBudgetEpochs << " epochs, colour baseline "
                                     << colourAccuracy << "; kappa " << modelKappa << " vs " << colourKappa);
    CHECK(modelAccuracy > colourAccuracy);
    CHECK(modelKappa > colourKappa);
    // Every uncertainty score of the bank was evaluated.
    const QJsonObject scores = model.value(QStringLiteral("metrics")).toObject();
    for (const char* score : {"bald", "entropy", "msp"})
        CHECK(scores.contains(QLatin1String(score)));
    CHECK(QFileInfo(out + QStringLiteral("/evaluation/report.html")).isFile());
}

TEST_CASE("pathmnist: the script refuses bad arguments and data before training", "[pathmnist]")
{
    QTemporaryDir dir;
    requireRefused(runScript({}), 2, QStringLiteral("usage: "));
    requireRefused(runScript({dir.path(), dir.filePath(QStringLiteral("o")), QStringLiteral("--epochs"), QStringLiteral("many")}), 2,
                   QStringLiteral("--epochs needs a non-negative integer"));
    requireRefused(runScript({dir.path(), dir.filePath(QStringLiteral("o")), QStringLiteral("--fast")}), 2,
                   QStringLiteral("unknown argument '--fast'"));
    requireRefused(runScript({dir.filePath(QStringLiteral("nowhere")), dir.filePath(QStringLiteral("o"))}), 1,
                   QStringLiteral("is not the PathMNIST subset"));
    requireRefused(runScript({dir.path(), dir.filePath(QStringLiteral("o")), QStringLiteral("--epochs"), QStringLiteral("1")},
                             dir.filePath(QStringLiteral("no-cli"))),
                   1, QStringLiteral("slt-cli not found"));

    const QString tooSmall = fakeSubset(dir, "filename,label_index\na.png,0\nb.png,1\n");
    const QString out = dir.filePath(QStringLiteral("small-out"));
    requireRefused(runScript({tooSmall, out}), 1, QStringLiteral("labels.csv has 2 rows; the experiment needs 1000"));
    CHECK_FALSE(QFileInfo::exists(out + QStringLiteral("/model")));

    QTemporaryDir other;
    const QString noColumns = fakeSubset(other, "name,class\na.png,0\n");
    requireRefused(runScript({noColumns, other.filePath(QStringLiteral("o"))}), 1, QStringLiteral("lacks filename or label_index"));

    // An output folder that already holds something is never written into.
    const QString busy = dir.filePath(QStringLiteral("busy"));
    REQUIRE(QDir().mkpath(busy));
    QFile keep(busy + QStringLiteral("/keep.txt"));
    REQUIRE(keep.open(QIODevice::WriteOnly));
    keep.write("mine");
    keep.close();
    requireRefused(runScript({tooSmall, busy}), 1, QStringLiteral("is not empty; choose a new output folder"));
    CHECK(QDir(busy).entryList(QDir::NoDotAndDotDot | QDir::AllEntries) == QStringList{QStringLiteral("keep.txt")});
}
