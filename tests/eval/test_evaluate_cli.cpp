// `slt-cli evaluate` end to end on synthetic banks: the files it writes, what the report must show (wrong points
// are more uncertain, calibration lowers the ECE), AUROC and AURC equal to an independent computation from
// `bank dump`, calibration maps stored in the bank, and every bad input refused with a message, exit 1 (2 for
// usage errors) and the bank untouched.
#include "cli_support.hpp"

#include "catch_qt.hpp"

#include <slt/core/bank/bank_backend.hpp>
#include <slt/core/eval/score_calibration.hpp>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <algorithm>
#include <map>

using namespace slt;

namespace {

test::CliRun runEvaluate(const QStringList& args)
{
    test::IsolatedHome home;
    return test::runCli(QStringList{QStringLiteral("evaluate")} + args, home);
}

// A synthetic bank with its truth file; REQUIREs success.
struct SynthBank {
    QString bank;
    QString truth;
};

SynthBank synth(const QTemporaryDir& dir, int points, const QString& name = QStringLiteral("b.h5"))
{
    SynthBank b{dir.filePath(name), dir.filePath(name + QStringLiteral(".truth.csv"))};
    test::IsolatedHome home;
    const test::CliRun run = test::runCli({QStringLiteral("bank"), QStringLiteral("synth"), QStringLiteral("--points"), QString::number(points),
                                           QStringLiteral("--dim"), QStringLiteral("8"), QStringLiteral("--classes"), QStringLiteral("5"),
                                           QStringLiteral("--mc"), QStringLiteral("10"), QStringLiteral("--crop-size"), QStringLiteral("0"),
                                           QStringLiteral("--seed"), QStringLiteral("3"), QStringLiteral("--out"), b.bank,
                                           QStringLiteral("--truth"), b.truth},
                                          home);
    INFO(run.describe().toStdString());
    REQUIRE(run.exitCode == 0);
    return b;
}

QJsonObject readJson(const QString& path)
{
    QFile file(path);
    REQUIRE(file.open(QIODevice::ReadOnly));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &error);
    INFO(error.errorString().toStdString());
    REQUIRE(doc.isObject());
    return doc.object();
}

// `bank dump` parsed: the predicted class and every score column per point.
struct Dump {
    std::vector<int32_t> predicted;
    std::map<QString, std::vector<double>> scores;
};

Dump dumpBank(const QString& bank, const QTemporaryDir& dir)
{
    const QString csv = dir.filePath(QStringLiteral("dump.csv"));
    const test::CliRun run = test::runBank({QStringLiteral("dump"), bank, QStringLiteral("--csv"), csv});
    INFO(run.describe().toStdString());
    REQUIRE(run.exitCode == 0);
    QFile file(csv);
    REQUIRE(file.open(QIODevice::ReadOnly));
    const QStringList header = QString::fromUtf8(file.readLine().trimmed()).split(QLatin1Char(','));
    const int predictedColumn = header.indexOf(QStringLiteral("predicted_class"));
    REQUIRE(predictedColumn >= 0);
    int firstScore = predictedColumn + 1;
    while (firstScore < header.size() && QRegularExpression(QStringLiteral("^p\\d+$")).match(header[firstScore]).hasMatch())
        ++firstScore;
    Dump dump;
    while (!file.atEnd()) {
        const QStringList fields = QString::fromUtf8(file.readLine().trimmed()).split(QLatin1Char(','));
        REQUIRE(fields.size() == header.size());
        dump.predicted.push_back(fields[predictedColumn].toInt());
        for (int c = firstScore; c < header.size(); ++c)
            dump.scores[header[c]].push_back(fields[c].toDouble());
    }
    return dump;
}

std::vector<int32_t> readTruth(const QString& path)
{
    QFile file(path);
    REQUIRE(file.open(QIODevice::ReadOnly));
    file.readLine();
    std::vector<int32_t> truth;
    while (!file.atEnd()) {
        const QList<QByteArray> fields = file.readLine().trimmed().split(',');
        REQUIRE(fields.size() == 2);
        REQUIRE(fields[0].toLongLong() == static_cast<qint64>(truth.size()));
        truth.push_back(fields[1].toInt());
    }
    return truth;
}

// The independent computation, written apart from the library: sort by the oriented score, walk the explicit
// groups of equal scores. AUROC: each wrong point of a group beats every right point of earlier groups and
// ties with the right points of its own group. AURC: for every k, the expected errors among the k most
// confident points when ties are ordered at random (the group's error share times the points taken from it).
struct Independent {
    double auroc = 0;
    double aurc = 0;
};

Independent independent(const std::vector<double>& uncertainty, const std::vector<uint8_t>& wrong)
{
    std::vector<std::pair<double, uint8_t>> points;
    for (size_t i = 0; i < wrong.size(); ++i)
        points.emplace_back(uncertainty[i], wrong[i]);
    std::sort(points.begin(), points.end());
    double rightBefore = 0, wins = 0, errorsBefore = 0, riskSum = 0, nWrong = 0, nRight = 0;
    size_t taken = 0;
    for (size_t first = 0; first < points.size();) {
        size_t last = first;
        double groupWrong = 0, groupRight = 0;
        for (; last < points.size() && points[last].first == points[first].first; ++last)
            (points[last].second ? groupWrong : groupRight) += 1;
        wins += groupWrong * (rightBefore + 0.5 * groupRight);
        const double size = groupWrong + groupRight;
        for (double j = 1; j <= size; ++j) {
            ++taken;
            riskSum += (errorsBefore + groupWrong * j / size) / static_cast<double>(taken);
        }
        rightBefore += groupRight;
        errorsBefore += groupWrong;
        nWrong += groupWrong;
        nRight += groupRight;
        first = last;
    }
    return {wins / (nWrong * nRight), riskSum / static_cast<double>(points.size())};
}

void requireRefused(const QStringList& args, const QString& bank, const QString& pattern, int exitCode = 1)
{
    const QByteArray before = test::fileHash(bank);
    const test::CliRun run = runEvaluate(args);
    INFO("slt-cli evaluate " << args.join(QLatin1Char(' ')).toStdString() << "\n" << run.describe().toStdString());
    REQUIRE(run.started);
    CHECK(run.exitStatus == QProcess::NormalExit);
    CHECK(run.exitCode == exitCode);
    CHECK(test::containsPattern(run.err, pattern));
    CHECK(test::fileHash(bank) == before);
}

void writeText(const QString& path, const QByteArray& text)
{
    QFile file(path);
    REQUIRE(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    REQUIRE(file.write(text) == text.size());
}

QByteArray readBytes(const QString& path)
{
    QFile file(path);
    REQUIRE(file.open(QIODevice::ReadOnly));
    return file.readAll();
}

} // namespace

TEST_CASE("evaluate on a synthetic bank: files, separation, calibration and an independent AUROC/AURC", "[eval][cli]")
{
    if (!test::realPluginsBuilt())
        return;
    QTemporaryDir dir;
    const SynthBank b = synth(dir, 20000);
    const QByteArray bankBefore = test::fileHash(b.bank);
    const QString out = dir.filePath(QStringLiteral("report"));
    const test::CliRun run = runEvaluate({QStringLiteral("--bank"), b.bank, QStringLiteral("--truth"), b.truth, QStringLiteral("--out"), out,
                                          QStringLiteral("--seed"), QStringLiteral("4")});
    INFO(run.describe().toStdString());
    REQUIRE(run.exitCode == 0);
    CHECK(test::fileHash(b.bank) == bankBefore); // without --store-calibration the bank is only read

    const QJsonObject json = readJson(QDir(out).filePath(QStringLiteral("metrics.json")));
    for (const char* key : {"accuracy", "macro_f1", "weighted_f1", "kappa", "balanced_accuracy"})
        CHECK(json.value(QLatin1String(key)).isDouble());
    CHECK(json.value(QStringLiteral("per_class")).toArray().size() == 5);
    CHECK(json.value(QStringLiteral("points")).toInteger() == 20000);
    const QJsonObject temperature = json.value(QStringLiteral("temperature_scaling")).toObject();
    CHECK(temperature.value(QStringLiteral("temperature")).toDouble() > 0);
    CHECK(temperature.value(QStringLiteral("ece_after")).toDouble() < temperature.value(QStringLiteral("ece_before")).toDouble());

    const QTemporaryDir dumpDir;
    const Dump dump = dumpBank(b.bank, dumpDir);
    const std::vector<int32_t> truth = readTruth(b.truth);
    REQUIRE(truth.size() == dump.predicted.size());
    std::vector<uint8_t> wrong(truth.size());
    for (size_t i = 0; i < truth.size(); ++i)
        wrong[i] = truth[i] != dump.predicted[i]; // synthetic class ids equal their probability columns

    const QJsonObject metrics = json.value(QStringLiteral("metrics")).toObject();
    CHECK(static_cast<size_t>(metrics.size()) == dump.scores.size());
    for (const auto& [name, values] : dump.scores) {
        INFO("score " << name.toStdString());
        const QJsonObject m = metrics.value(name).toObject();
        REQUIRE(!m.isEmpty());
        const bool higher = m.value(QStringLiteral("higher_is_more_uncertain")).toBool();
        CHECK(higher == (name != QLatin1String("margin"))); // the standard plugin's declared directions
        std::vector<double> oriented(values.size());
        for (size_t i = 0; i < values.size(); ++i)
            oriented[i] = higher ? values[i] : -values[i];
        const Independent expected = independent(oriented, wrong);
        CHECK(std::abs(m.value(QStringLiteral("auroc")).toDouble() - expected.auroc) < 1e-6);
        CHECK(std::abs(m.value(QStringLiteral("aurc")).toDouble() - expected.aurc) < 1e-6);
        CHECK(m.value(QStringLiteral("auroc")).toDouble() > 0.6);                    // wrong points are more uncertain
        CHECK(m.value(QStringLiteral("eaurc")).toDouble() < m.value(QStringLiteral("aurc")).toDouble());
        CHECK(m.value(QStringLiteral("ece_after")).toDouble() < m.value(QStringLiteral("ece_before")).toDouble());
        for (const QString& file : {QStringLiteral("risk_coverage_%1.csv"), QStringLiteral("reliability_%1.csv"),
                                    QStringLiteral("reliability_%1.png"), QStringLiteral("histogram_%1.png")})
            CHECK(QFileInfo(QDir(out).filePath(file.arg(name))).size() > 0);
    }
    for (const char* file : {"per_class.csv", "confusion_matrix.csv", "reliability_temperature.csv", "risk_coverage.png",
                             "reliability_temperature.png", "report.html"})
        CHECK(QFileInfo(QDir(out).filePath(QLatin1String(file))).size() > 0);
    // Every image the page shows exists next to it.
    const QString html = QString::fromUtf8(readBytes(QDir(out).filePath(QStringLiteral("report.html"))));
    QRegularExpressionMatchIterator images = QRegularExpression(QStringLiteral("<img[^>]*src=\"([^\"]+)\"")).globalMatch(html);
    int shown = 0;
    while (images.hasNext()) {
        const QString src = images.next().captured(1);
        CHECK(QFileInfo::exists(QDir(out).filePath(src)));
        ++shown;
    }
    CHECK(shown == 2 + 2 * static_cast<int>(dump.scores.size()));
    CHECK(run.out.contains(QStringLiteral("report.html")));
}

TEST_CASE("evaluate is deterministic for a seed and honours --metrics and --bins", "[eval][cli]")
{
    if (!test::realPluginsBuilt())
        return;
    QTemporaryDir dir;
    const SynthBank b = synth(dir, 3000);
    auto evaluateInto = [&](const QString& name, const QStringList& extra) {
        const QString out = dir.filePath(name);
        const test::CliRun run = runEvaluate(QStringList{QStringLiteral("--bank"), b.bank, QStringLiteral("--truth"), b.truth,
                                                         QStringLiteral("--out"), out} + extra);
        INFO(run.describe().toStdString());
        REQUIRE(run.exitCode == 0);
        return readJson(QDir(out).filePath(QStringLiteral("metrics.json")));
    };
    const QStringList options{QStringLiteral("--metrics"), QStringLiteral("margin,bald"), QStringLiteral("--bins"), QStringLiteral("10"),
                              QStringLiteral("--seed"), QStringLiteral("9"), QStringLiteral("--calibration-split"), QStringLiteral("0.3")};
    QJsonObject first = evaluateInto(QStringLiteral("a"), options), second = evaluateInto(QStringLiteral("b"), options);
    first.remove(QStringLiteral("bank"));
    second.remove(QStringLiteral("bank"));
    CHECK(first == second);
    CHECK(first.value(QStringLiteral("metrics")).toObject().keys() == QStringList{QStringLiteral("bald"), QStringLiteral("margin")});
    CHECK(first.value(QStringLiteral("bins")).toInt() == 10);
    CHECK(first.value(QStringLiteral("metrics")).toObject().value(QStringLiteral("bald")).toObject()
              .value(QStringLiteral("reliability_before")).toObject().value(QStringLiteral("bins")).toArray().size() == 10);
    const qint64 calibration = first.value(QStringLiteral("calibration_points")).toInteger();
    CHECK(calibration > 700);
    CHECK(calibration < 1100);
    const QJsonObject other = evaluateInto(QStringLiteral("c"), {QStringLiteral("--seed"), QStringLiteral("10")});
    CHECK(other.value(QStringLiteral("calibration_points")).toInteger() != 0);
    CHECK(other.value(QStringLiteral("metrics")).toObject().size() == 7);
}

TEST_CASE("evaluate --store-calibration stores a map per score that reads back", "[eval][cli]")
{
    if (!test::realPluginsBuilt())
        return;
    QTemporaryDir dir;
    const SynthBank b = synth(dir, 2000);
    const test::CliRun run = runEvaluate({QStringLiteral("--bank"), b.bank, QStringLiteral("--truth"), b.truth, QStringLiteral("--out"),
                                          dir.filePath(QStringLiteral("r")), QStringLiteral("--metrics"), QStringLiteral("msp,margin"),
                                          QStringLiteral("--store-calibration")});
    INFO(run.describe().toStdString());
    REQUIRE(run.exitCode == 0);
    const test::RealBackends backends;
    auto bank = core::openBank(backends.reader(b.bank), b.bank, SLT_BANK_READ);
    REQUIRE(bank.ok());
    for (const char* name : {"msp", "margin"}) {
        auto text = bank->attribute(std::string("calibration/") + name);
        REQUIRE(text.ok());
        const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(*text));
        auto map = core::eval::calibrationFromJson(doc.object());
        INFO(map.error().toStdString());
        REQUIRE(map.ok());
        CHECK(map->metric == QLatin1String(name));
        CHECK(map->higherIsMoreUncertain == (QLatin1String(name) == QLatin1String("msp")));
        CHECK(map->fitPoints > 700);
        // More uncertain, more errors: the map is monotone in the score's direction.
        const double confident = map->higherIsMoreUncertain ? 0.0 : 1.0, uncertain = 1.0 - confident;
        CHECK(map->probabilityOfError(confident) <= map->probabilityOfError(uncertain));
    }
    CHECK_FALSE(bank->attribute("calibration/bald").ok());
    // The points and their checksums are untouched.
    const test::CliRun verify = test::runBank({QStringLiteral("verify"), b.bank});
    INFO(verify.describe().toStdString());
    CHECK(verify.exitCode == 0);
}

TEST_CASE("evaluate bad input: message, exit 1, bank untouched", "[eval][cli]")
{
    if (!test::realPluginsBuilt())
        return;
    QTemporaryDir dir;
    const SynthBank b = synth(dir, 300);
    const QString out = dir.filePath(QStringLiteral("out"));
    const QString csv = dir.filePath(QStringLiteral("bad.csv"));
    auto args = [&](const QString& truth, const QStringList& extra = {}) {
        return QStringList{QStringLiteral("--bank"), b.bank, QStringLiteral("--truth"), truth, QStringLiteral("--out"), out} + extra;
    };
    QByteArray good = readBytes(b.truth);

    writeText(csv, good + "300,1\n");
    requireRefused(args(csv), b.bank, QStringLiteral("point id 300 is not in the bank"));
    writeText(csv, good.left(good.lastIndexOf('\n', good.size() - 2) + 1)); // the last row dropped
    requireRefused(args(csv), b.bank, QStringLiteral("1 bank point\\(s\\) have no truth row \\(point ids 299\\)"));
    writeText(csv, good + "17,2\n");
    requireRefused(args(csv), b.bank, QStringLiteral("point id 17 appears twice"));
    writeText(csv, QByteArray(good).replace("\n5,", "\n5,7"));
    requireRefused(args(csv), b.bank, QStringLiteral("line 7: class 7\\d* is not in the bank's class schema"));
    writeText(csv, QByteArray(good).replace("\n5,", "\n5;"));
    requireRefused(args(csv), b.bank, QStringLiteral("line 7: expected 'point_id,true_class'"));
    writeText(csv, QByteArray(good).replace("point_id,true_class", "id,label"));
    requireRefused(args(csv), b.bank, QStringLiteral("line 1: expected the header 'point_id,true_class'"));
    requireRefused(args(dir.filePath(QStringLiteral("missing.csv"))), b.bank, QStringLiteral("cannot read the truth file"));
    requireRefused(args(b.truth, {QStringLiteral("--metrics"), QStringLiteral("bald,nonsense")}), b.bank,
                   QStringLiteral("the bank has no score 'nonsense' \\(it has: .*bald.*\\)"));

    // Unwritable --out: a file where the folder should be, and a folder without write permission.
    writeText(dir.filePath(QStringLiteral("a-file")), "x");
    requireRefused(QStringList{QStringLiteral("--bank"), b.bank, QStringLiteral("--truth"), b.truth, QStringLiteral("--out"),
                               dir.filePath(QStringLiteral("a-file"))},
                   b.bank, QStringLiteral("exists and is not a folder"));
    const QString locked = dir.filePath(QStringLiteral("locked"));
    REQUIRE(QDir().mkpath(locked));
    QFile::setPermissions(locked, QFileDevice::ReadOwner | QFileDevice::ExeOwner);
    if (!QFileInfo(locked).isWritable()) // root may write anyway
        requireRefused(QStringList{QStringLiteral("--bank"), b.bank, QStringLiteral("--truth"), b.truth, QStringLiteral("--out"), locked},
                       b.bank, QStringLiteral("cannot write into the output folder"));
    QFile::setPermissions(locked, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);

    // Not a bank at all.
    requireRefused(QStringList{QStringLiteral("--bank"), b.truth, QStringLiteral("--truth"), b.truth, QStringLiteral("--out"), out},
                   b.truth, QStringLiteral("slt-cli evaluate: .*"));
}

TEST_CASE("evaluate usage errors exit 2", "[eval][cli]")
{
    QTemporaryDir dir;
    const QString bank = dir.filePath(QStringLiteral("none.h5"));
    auto usage = [&](const QStringList& extra, const QString& pattern) {
        requireRefused(QStringList{QStringLiteral("--bank"), bank, QStringLiteral("--truth"), QStringLiteral("t.csv"),
                                   QStringLiteral("--out"), dir.filePath(QStringLiteral("o"))} + extra,
                       bank, pattern, 2);
    };
    usage({QStringLiteral("--calibration-split"), QStringLiteral("1")}, QStringLiteral("strictly between 0 and 1"));
    usage({QStringLiteral("--calibration-split"), QStringLiteral("x")}, QStringLiteral("strictly between 0 and 1"));
    usage({QStringLiteral("--bins"), QStringLiteral("0")}, QStringLiteral("--bins must be an integer"));
    usage({QStringLiteral("--seed"), QStringLiteral("-1")}, QStringLiteral("--seed must be an integer"));
    usage({QStringLiteral("--metrics"), QStringLiteral(",")}, QStringLiteral("--metrics names no score"));
    usage({QStringLiteral("--metrics"), QStringLiteral("bald,bald")}, QStringLiteral("names a score twice"));
    usage({QStringLiteral("extra")}, QStringLiteral("."));
    requireRefused({QStringLiteral("--bank"), bank}, bank, QStringLiteral("--bank, --truth and --out are required"), 2);
    const test::CliRun help = runEvaluate({QStringLiteral("--help")});
    CHECK(help.exitCode == 0);
    CHECK(help.out.contains(QStringLiteral("--store-calibration")));
}
