// The core bank layer against the in-test fake backend and fake metrics: writer and LoadedBank round
// trip, checksums and verify, backend finding, synthetic banks (determinism and realism), convert,
// merge and dump.
#include "fake_plugins.hpp"

#include "../integration/catch_qt.hpp"

#include <slt/core/bank/bank_copy.hpp>
#include <slt/core/bank/bank_dump.hpp>
#include <slt/core/bank/bank_verify.hpp>
#include <slt/core/bank/bank_writer.hpp>
#include <slt/core/bank/loaded_bank.hpp>
#include <slt/core/bank/synthetic_bank.hpp>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTextStream>

#include <cmath>
#include <numeric>

using namespace slt;

namespace {

core::SyntheticBankOptions smallOptions(int64_t points = 500, uint64_t seed = 7)
{
    core::SyntheticBankOptions o;
    o.points = points;
    o.dim = 8;
    o.classes = 4;
    o.seed = seed;
    o.mcSamples = 10;
    o.cropSize = 8;
    o.pointsPerImage = 64;
    o.batchRows = 96; // several batches, not a divisor of the point count
    return o;
}

QString synth(const QTemporaryDir& dir, const QString& name, const core::SyntheticBankOptions& o,
              const QString& truth = QString())
{
    const QString path = dir.filePath(name);
    const core::Status s = core::synthesizeBank(o, test::fakeBankBackend(), test::fakeMetricPlugin(), path, truth);
    INFO(s.error().toStdString());
    REQUIRE(s.ok());
    return path;
}

core::LoadedBank load(const QString& path)
{
    auto bank = core::LoadedBank::load(test::fakeBankBackend(), path);
    INFO(bank.error().toStdString());
    REQUIRE(bank.ok());
    return std::move(*bank);
}

template <class T>
std::vector<T> toVector(const core::ColumnBuffer<T>& column)
{
    return std::vector<T>(column.begin(), column.end());
}

void requireSameContent(core::LoadedBank& a, core::LoadedBank& b)
{
    REQUIRE(a.size() == b.size());
    CHECK(toVector(a.x()) == toVector(b.x()));
    CHECK(toVector(a.y()) == toVector(b.y()));
    CHECK(toVector(a.predictedClass()) == toVector(b.predictedClass()));
    CHECK(toVector(a.meanProbs()) == toVector(b.meanProbs()));
    CHECK(toVector(a.scores()) == toVector(b.scores()));
    CHECK(toVector(a.embeddings()) == toVector(b.embeddings()));
    for (int64_t i = 0; i < a.size(); ++i) {
        REQUIRE(a.imageName(a.imageIndex()[i]) == b.imageName(b.imageIndex()[i]));
        REQUIRE(a.crop(i, SLT_CROP_RGB)->bytes == b.crop(i, SLT_CROP_RGB)->bytes);
    }
    CHECK(a.metadata().metricNames == b.metadata().metricNames);
    CHECK(a.metadata().classNames == b.metadata().classNames);
    CHECK(a.metadata().checkpointHash == b.metadata().checkpointHash);
}

std::vector<int32_t> readTruth(const QString& path)
{
    QFile file(path);
    REQUIRE(file.open(QIODevice::ReadOnly | QIODevice::Text));
    QTextStream in(&file);
    REQUIRE(in.readLine() == QStringLiteral("point_id,true_class"));
    std::vector<int32_t> truth;
    while (!in.atEnd()) {
        const QStringList fields = in.readLine().split(QLatin1Char(','));
        REQUIRE(fields.size() == 2);
        REQUIRE(fields[0].toLongLong() == static_cast<qint64>(truth.size()));
        truth.push_back(fields[1].toInt());
    }
    return truth;
}

} // namespace

TEST_CASE("writer and LoadedBank round-trip every column exactly, with crops read one at a time")
{
    QTemporaryDir dir;
    core::BankMetadata m;
    m.modelId = "test-model";
    m.checkpointHash = "abc";
    m.mcSamples = 2;
    m.classIds = {0, 1};
    m.classNames = {"A", "B"};
    m.classColours = {"#ff0000", "#00ff00"};
    m.metricNames = {"entropy"};
    m.embeddingDim = 3;
    m.cropWidth = m.cropHeight = 2;
    const QString path = dir.filePath(QStringLiteral("bank.fake"));
    auto writer = core::BankWriter::create(test::fakeBankBackend(), path, m);
    REQUIRE(writer.ok());
    REQUIRE(writer->appendImages({"slide_a", "slide_b"}).ok());
    const std::vector<int32_t> image = {0, 1, 1}, predicted = {1, 0, 1};
    const std::vector<float> x = {1.5f, 2.5f, 3.5f}, y = {4, 5, 6}, probs = {0.2f, 0.8f, 0.6f, 0.4f, 0.1f, 0.9f},
                             scores = {0.5f, 0.67f, 0.32f}, emb = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    std::vector<uint8_t> crops(3 * 12);
    std::iota(crops.begin(), crops.end(), 0);
    slt_bank_points p{};
    p.count = 3;
    p.image_index = image.data();
    p.x = x.data();
    p.y = y.data();
    p.predicted_class = predicted.data();
    p.mean_probs = probs.data();
    p.scores = scores.data();
    p.embeddings = emb.data();
    p.crops = crops.data();
    REQUIRE(writer->appendPoints(p).ok());
    CHECK_FALSE(QFile::exists(path)); // written beside it until finished
    REQUIRE(writer->finish().ok());
    REQUIRE(QFile::exists(path));

    core::LoadedBank bank = load(path);
    CHECK(bank.size() == 3);
    CHECK(toVector(bank.imageIndex()) == image);
    CHECK(toVector(bank.x()) == x);
    CHECK(toVector(bank.y()) == y);
    CHECK(toVector(bank.predictedClass()) == predicted);
    CHECK(toVector(bank.meanProbs()) == probs);
    CHECK(toVector(bank.scores()) == scores);
    CHECK(toVector(bank.embeddings()) == emb);
    CHECK(bank.imageName(1) == "slide_b");
    CHECK(bank.columnBytes() == (3 * 4) * 4 + (6 + 3 + 9) * 4);
    auto crop = bank.crop(2, SLT_CROP_RGB);
    REQUIRE(crop.ok());
    CHECK(crop->bytes == std::vector<uint8_t>(crops.begin() + 24, crops.end()));
    CHECK_FALSE(bank.crop(3).ok());
}

TEST_CASE("the writer refuses a point whose image or class does not exist, and leaves no file behind")
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("bad.fake"));
    {
        core::BankMetadata m;
        m.classIds = {0, 1};
        m.classNames = {"A", "B"};
        m.classColours = {"#ff0000", "#00ff00"};
        auto writer = core::BankWriter::create(test::fakeBankBackend(), path, m);
        REQUIRE(writer.ok());
        const int32_t image = 0, predicted = 0;
        const float zero = 0, probs[2] = {0.5f, 0.5f};
        slt_bank_points p{1, 1, &image, &zero, &zero, &predicted, probs, nullptr, nullptr, nullptr};
        const core::Status s = writer->appendPoints(p);
        CHECK_FALSE(s.ok());
        CHECK(s.error().contains(QStringLiteral("image 0")));
    }
    CHECK(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).isEmpty());
}

TEST_CASE("LoadedBank loads only the chosen columns")
{
    QTemporaryDir dir;
    const QString path = synth(dir, QStringLiteral("s.fake"), smallOptions(100));
    auto bank = core::LoadedBank::load(test::fakeBankBackend(), path, core::ColumnEmbeddings | core::ColumnScores);
    REQUIRE(bank.ok());
    CHECK(bank->embeddings().size() == 100 * 8);
    CHECK(bank->scores().size() == 100 * 2);
    CHECK(bank->x().empty());
    CHECK(bank->meanProbs().empty());
    CHECK(bank->columnBytes() == (100 * 8 + 100 * 2) * sizeof(float));
}

TEST_CASE("verify passes on a fresh bank and names the corrupted column")
{
    QTemporaryDir dir;
    const QString path = synth(dir, QStringLiteral("v.fake"), smallOptions(300));
    auto good = core::verifyBank(test::fakeBankBackend(), path);
    REQUIRE(good.ok());
    INFO(good->problems.join(QStringLiteral("\n")).toStdString());
    CHECK(good->ok());
    CHECK(good->hasChecksums);
    CHECK(good->checked.size() == 8); // 7 columns + crops

    test::corruptFakeEmbedding(path, 150, 0.25f);
    auto bad = core::verifyBank(test::fakeBankBackend(), path);
    REQUIRE(bad.ok());
    REQUIRE(bad->problems.size() == 1);
    CHECK(bad->problems.front().contains(QStringLiteral("column 'embeddings' is corrupt")));
}

TEST_CASE("finding a backend names what is wrong with the path, or the formats tried")
{
    QTemporaryDir dir;
    const std::vector<core::BankBackend> backends = {test::fakeBankBackend()};
    auto missing = core::findBankBackend(backends, dir.filePath(QStringLiteral("nope.h5")));
    CHECK(missing.error().contains(QStringLiteral("does not exist")));
    auto folder = core::findBankBackend(backends, dir.path());
    CHECK(folder.error().contains(QStringLiteral("is a folder")));
    QFile empty(dir.filePath(QStringLiteral("empty.h5")));
    REQUIRE(empty.open(QIODevice::WriteOnly));
    empty.close();
    CHECK(core::findBankBackend(backends, empty.fileName()).error().contains(QStringLiteral("is empty")));
    QFile text(dir.filePath(QStringLiteral("text.h5")));
    REQUIRE(text.open(QIODevice::WriteOnly));
    text.write("hello, not a bank\n");
    text.close();
    auto unknown = core::findBankBackend(backends, text.fileName());
    CHECK(unknown.error().contains(QStringLiteral("tried: Fake test bank (org.slt.test.fake-bank)")));
    CHECK(core::findBankBackend({}, text.fileName()).error().contains(QStringLiteral("no bank plugin is active")));
}

TEST_CASE("a synthetic bank is deterministic: same seed same content, another seed other content")
{
    QTemporaryDir dir;
    core::SyntheticBankOptions o = smallOptions(400);
    const QString a = synth(dir, QStringLiteral("a.fake"), o);
    o.batchRows = 1000; // batch size must not matter
    const QString b = synth(dir, QStringLiteral("b.fake"), o);
    o.seed = 8;
    const QString c = synth(dir, QStringLiteral("c.fake"), o);
    core::LoadedBank bankA = load(a), bankB = load(b), bankC = load(c);
    requireSameContent(bankA, bankB);
    CHECK(bankA.metadata().uuid != bankB.metadata().uuid);
    CHECK(toVector(bankA.embeddings()) != toVector(bankC.embeddings()));
    CHECK(bankA.metadata().checkpointHash != bankC.metadata().checkpointHash);
}

TEST_CASE("a synthetic bank is realistic: mostly right, wrong where uncertain, disagreeing near borders")
{
    QTemporaryDir dir;
    core::SyntheticBankOptions o = smallOptions(4000);
    o.dim = 32;
    o.classes = 9;
    o.mcSamples = 20;
    o.cropSize = 0;
    const QString truthPath = dir.filePath(QStringLiteral("truth.csv"));
    core::LoadedBank bank = load(synth(dir, QStringLiteral("r.fake"), o, truthPath));
    const std::vector<int32_t> truth = readTruth(truthPath);
    REQUIRE(static_cast<int64_t>(truth.size()) == bank.size());
    REQUIRE(bank.metadata().metricNames == std::vector<std::string>{"entropy", "bald"});

    int64_t right = 0;
    double entropyRight = 0, entropyWrong = 0, baldRight = 0, baldWrong = 0, confidence = 0;
    std::vector<int64_t> perClass(9, 0);
    for (int64_t i = 0; i < bank.size(); ++i) {
        const bool correct = bank.predictedClass()[i] == truth[i];
        right += correct;
        (correct ? entropyRight : entropyWrong) += bank.scores()[2 * i];
        (correct ? baldRight : baldWrong) += bank.scores()[2 * i + 1];
        confidence += bank.meanProbs()[9 * i + bank.predictedClass()[i]];
        ++perClass[truth[i]];
    }
    const int64_t wrong = bank.size() - right;
    const double accuracy = static_cast<double>(right) / bank.size();
    INFO("accuracy " << accuracy << ", mean confidence " << confidence / bank.size());
    CHECK(accuracy > 0.75);
    CHECK(accuracy < 0.97);
    CHECK(confidence / bank.size() > accuracy); // over-confident, as real networks are
    REQUIRE(wrong > 0);
    CHECK(entropyWrong / wrong > 2 * entropyRight / right);
    CHECK(baldWrong / wrong > 2 * baldRight / right); // passes disagree more where the model errs
    CHECK(*std::min_element(perClass.begin(), perClass.end()) > 0);
    CHECK(*std::max_element(perClass.begin(), perClass.end()) > 2 * *std::min_element(perClass.begin(), perClass.end()));
}

TEST_CASE("the truth CSV has one row per point; the metric plugin must be present")
{
    QTemporaryDir dir;
    auto missing = core::metricPluginById({}, QLatin1String(core::kStandardMetricPlugin));
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().contains(QStringLiteral("org.slt.metric.standard")));
    core::SyntheticBankOptions o = smallOptions(10);
    o.mcSamples = 1; // BALD needs two passes: only entropy is computed
    core::LoadedBank bank = load(synth(dir, QStringLiteral("t1.fake"), o));
    CHECK(bank.metadata().metricNames == std::vector<std::string>{"entropy"});
}

TEST_CASE("convert keeps every column, crop, the uuid and the run id")
{
    QTemporaryDir dir;
    const QString in = synth(dir, QStringLiteral("in.fake"), smallOptions(250));
    const QString out = dir.filePath(QStringLiteral("out.fake"));
    const core::Status s = core::convertBank(test::fakeBankBackend(), in, test::fakeBankBackend(), out);
    INFO(s.error().toStdString());
    REQUIRE(s.ok());
    core::LoadedBank a = load(in), b = load(out);
    requireSameContent(a, b);
    CHECK(a.metadata().uuid == b.metadata().uuid);
    CHECK(core::verifyBank(test::fakeBankBackend(), out)->ok());
    CHECK_FALSE(core::convertBank(test::fakeBankBackend(), in, test::fakeBankBackend(), out).ok()); // exists
}

TEST_CASE("merging the shards of one run gives the full run, in order, with images re-indexed")
{
    QTemporaryDir dir;
    const QString full = synth(dir, QStringLiteral("full.fake"), smallOptions(300));
    core::SyntheticBankOptions first = smallOptions(190), second = smallOptions(110);
    second.firstPoint = 190;
    const QString a = synth(dir, QStringLiteral("a.fake"), first);
    const QString b = synth(dir, QStringLiteral("b.fake"), second);
    const QString merged = dir.filePath(QStringLiteral("merged.fake"));
    const core::Status s = core::mergeBanks({{test::fakeBankBackend(), a}, {test::fakeBankBackend(), b}},
                                            test::fakeBankBackend(), merged);
    INFO(s.error().toStdString());
    REQUIRE(s.ok());
    core::LoadedBank whole = load(full), joined = load(merged);
    requireSameContent(whole, joined);
    CHECK(joined.metadata().numImages == 3 + 3); // images 0-2 and 2-4: the shared image 2 appears twice
    CHECK(core::verifyBank(test::fakeBankBackend(), merged)->ok());
}

TEST_CASE("merge refuses shards of different runs, naming the difference and both files")
{
    QTemporaryDir dir;
    const QString a = synth(dir, QStringLiteral("a.fake"), smallOptions(50, 1));
    const QString b = synth(dir, QStringLiteral("b.fake"), smallOptions(50, 2));
    const QString out = dir.filePath(QStringLiteral("m.fake"));
    const core::Status s =
        core::mergeBanks({{test::fakeBankBackend(), a}, {test::fakeBankBackend(), b}}, test::fakeBankBackend(), out);
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().contains(QStringLiteral("checkpoint hash differs")));
    CHECK(s.error().contains(a));
    CHECK(s.error().contains(b));
    CHECK_FALSE(QFile::exists(out));
}

TEST_CASE("dump writes one row per point with the bank's values")
{
    QTemporaryDir dir;
    const QString path = synth(dir, QStringLiteral("d.fake"), smallOptions(120));
    const QString csv = dir.filePath(QStringLiteral("d.csv"));
    REQUIRE(core::dumpBankCsv(test::fakeBankBackend(), path, csv).ok());
    core::LoadedBank bank = load(path);
    QFile file(csv);
    REQUIRE(file.open(QIODevice::ReadOnly | QIODevice::Text));
    QTextStream in(&file);
    CHECK(in.readLine() == QStringLiteral("point_id,image,x,y,predicted_class,p0,p1,p2,p3,entropy,bald"));
    for (int64_t i = 0; i < bank.size(); ++i) {
        const QStringList f = in.readLine().split(QLatin1Char(','));
        REQUIRE(f.size() == 11);
        CHECK(f[0].toLongLong() == i);
        CHECK(f[1].toStdString() == bank.imageName(bank.imageIndex()[i]));
        CHECK(f[2].toFloat() == bank.x()[i]);
        CHECK(f[4].toInt() == bank.predictedClass()[i]);
        for (int c = 0; c < 4; ++c)
            CHECK(f[5 + c].toFloat() == bank.meanProbs()[4 * i + c]);
        CHECK(f[9].toFloat() == bank.scores()[2 * i]);
        CHECK(f[10].toFloat() == bank.scores()[2 * i + 1]);
    }
    CHECK(in.atEnd());
}
