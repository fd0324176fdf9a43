// From labelled images to samples: the image checks, slide tiles around points, the channel order of the
// model, the seeded stratified split, the rehearsal schedule and class weights.
#include "training_test_support.hpp"

#include <slt/core/training_data/sample_mixing.hpp>
#include <slt/core/training_data/training_sample.hpp>

#include <cmath>
#include <set>

using namespace slt;
using namespace slt::core::training_data;

namespace {

LabelledImage imageWith(const QString& path, std::vector<std::pair<double, double>> xy, int classId,
                        ImageKind kind = ImageKind::Tile)
{
    LabelledImage image;
    image.path = path;
    image.kind = kind;
    image.origin = QStringLiteral("test");
    for (const auto& [x, y] : xy) {
        LabelledPoint point;
        point.x = x;
        point.y = y;
        point.classId = classId;
        point.origin = QStringLiteral("row %1,%2").arg(x).arg(y);
        image.points.push_back(point);
    }
    return image;
}

ChannelMap identityChannels(int count)
{
    std::vector<int32_t> ids;
    for (int i = 0; i < count; ++i)
        ids.push_back(i);
    return ChannelMap::create(core::ClassSchema::sltDefault(), ids).value();
}

std::vector<TrainingSample> samplesOfClasses(const std::vector<int>& strata)
{
    std::vector<TrainingSample> samples;
    for (int stratum : strata) {
        TrainingSample sample;
        sample.stratum = stratum;
        sample.points.push_back({1, 1, stratum});
        samples.push_back(sample);
    }
    return samples;
}

} // namespace

TEST_CASE("checkImages counts the missing images and names the first", "[samples]")
{
    QTemporaryDir dir;
    test::MemoryImageAccess access;
    LabelledData data;
    const QString present = test::writeFile(dir, QStringLiteral("a.png"), "x");
    access.add(present, test::patternImage(10, 10));
    data.images.push_back(imageWith(present, {{1, 1}}, 1));
    data.images.push_back(imageWith(dir.filePath(QStringLiteral("gone1.png")), {{1, 1}}, 1));
    data.images.back().origin = QStringLiteral("'tiles.csv' line 3");
    data.images.push_back(imageWith(dir.filePath(QStringLiteral("gone2.png")), {{1, 1}}, 1));
    auto sizes = checkImages(data, access);
    REQUIRE_FALSE(sizes.ok());
    CHECK(sizes.error().toStdString() ==
          QStringLiteral("2 of 3 image(s) do not exist; the first is '%1' (named at 'tiles.csv' line 3)")
              .arg(dir.filePath(QStringLiteral("gone1.png")))
              .toStdString());
}

TEST_CASE("checkImages places centre points, keeps points inside and reports unreadable files", "[samples]")
{
    QTemporaryDir dir;
    test::MemoryImageAccess access;
    const QString a = test::writeFile(dir, QStringLiteral("a.png"), "x");
    access.add(a, test::patternImage(28, 20));
    LabelledData data;
    data.images.push_back(imageWith(a, {{0, 0}}, 2));
    data.images[0].points[0].atCentre = true;
    auto sizes = checkImages(data, access);
    REQUIRE(sizes.ok());
    CHECK(sizes->at(0).width == 28);
    CHECK(data.images[0].points[0].x == 14);
    CHECK(data.images[0].points[0].y == 10);

    data.images[0].points.push_back(imageWith(a, {{28, 3}}, 2).points[0]);
    auto outside = checkImages(data, access);
    REQUIRE_FALSE(outside.ok());
    CHECK_THAT(outside.error().toStdString(), Catch::Contains("row 28,3: the point (x 28, y 3) lies outside"));

    const QString corrupt = test::writeFile(dir, QStringLiteral("corrupt.png"), "not a png");
    LabelledData bad;
    bad.images.push_back(imageWith(corrupt, {{1, 1}}, 2));
    auto unreadable = checkImages(bad, access);
    REQUIRE_FALSE(unreadable.ok());
    CHECK_THAT(unreadable.error().toStdString(), Catch::Contains("cannot read"));
}

TEST_CASE("a slide gives one tile per point, clamped inside it, carrying its neighbours", "[samples]")
{
    LabelledData data;
    data.images.push_back(imageWith(QStringLiteral("/s.svs"), {{100, 100}, {110, 120}, {5, 990}}, 3, ImageKind::Slide));
    const std::vector<ImageSize> sizes{{1000, 1000}};
    auto samples = buildSamples(data, sizes, identityChannels(9), SampleOptions{64, 64});
    REQUIRE(samples.ok());
    REQUIRE(samples->size() == 3);
    const TrainingSample& first = samples->at(0);
    CHECK(first.left == 68);
    CHECK(first.top == 68);
    CHECK(first.width == 64);
    REQUIRE(first.points.size() == 2); // (100,100) and (110,120) both fall in [68, 132)
    CHECK(first.points[0].x == 32);
    CHECK(first.points[1].y == 52);
    const TrainingSample& corner = samples->at(2);
    CHECK(corner.left == 0);
    CHECK(corner.top == 1000 - 64);
    REQUIRE(corner.points.size() == 1);
    CHECK(corner.points[0].x == 5);
    CHECK(corner.points[0].y == 990 - 936);
}

TEST_CASE("samples use the model's output order; a class the model lacks is refused", "[samples]")
{
    LabelledData data;
    data.images.push_back(imageWith(QStringLiteral("/a.png"), {{1, 1}}, 7));
    data.images.push_back(imageWith(QStringLiteral("/b.png"), {}, 7));
    const std::vector<ImageSize> sizes{{10, 10}, {10, 10}};
    auto reversed = ChannelMap::create(core::ClassSchema::sltDefault(), {8, 7, 6});
    REQUIRE(reversed.ok());
    QStringList notes;
    auto samples = buildSamples(data, sizes, *reversed, {}, &notes);
    REQUIRE(samples.ok());
    REQUIRE(samples->size() == 1);
    CHECK(samples->at(0).points[0].channel == 1);
    CHECK(notes.size() == 1);

    auto narrow = ChannelMap::create(core::ClassSchema::sltDefault(), {0, 1});
    auto refused = buildSamples(data, sizes, *narrow, {});
    REQUIRE_FALSE(refused.ok());
    CHECK_THAT(refused.error().toStdString(), Catch::Contains("class id 7 is not one of the model's outputs"));

    auto bad = ChannelMap::create(core::ClassSchema::sltDefault(), {0, 12});
    REQUIRE_FALSE(bad.ok());
    CHECK_THAT(bad.error().toStdString(), Catch::Contains("output 1 is class id 12"));
    auto twice = ChannelMap::create(core::ClassSchema::sltDefault(), {3, 3});
    REQUIRE_FALSE(twice.ok());
}

TEST_CASE("the validation split is seeded, stratified and keeps every class in training", "[samples]")
{
    std::vector<int> strata;
    for (int i = 0; i < 50; ++i) strata.push_back(0);
    for (int i = 0; i < 10; ++i) strata.push_back(1);
    strata.push_back(2); // a class with one sample stays in training
    const auto samples = samplesOfClasses(strata);
    const SampleSplit split = splitSamples(samples, 0.2, 42);
    CHECK(split.stratified);
    CHECK(split.validation.size() == 12);
    int zeros = 0, ones = 0;
    for (size_t i : split.validation) {
        zeros += samples[i].stratum == 0;
        ones += samples[i].stratum == 1;
        CHECK(samples[i].stratum != 2);
    }
    CHECK(zeros == 10);
    CHECK(ones == 2);
    CHECK(split.train.size() + split.validation.size() == samples.size());

    CHECK(splitSamples(samples, 0.2, 42).validation == split.validation);
    CHECK(splitSamples(samples, 0.2, 43).validation != split.validation);
    CHECK(splitSamples(samples, 0.0, 42).validation.empty());
}

TEST_CASE("when no class has two samples the split ignores classes but holds out at least one", "[samples]")
{
    const auto samples = samplesOfClasses({0, 1, 2, 3});
    const SampleSplit split = splitSamples(samples, 0.1, 1);
    CHECK_FALSE(split.stratified);
    CHECK(split.validation.size() == 1);
    CHECK(split.train.size() == 3);
}

TEST_CASE("rehearsal: new data only during warm-up, then a decaying new share with a floor", "[samples]")
{
    RehearsalSchedule schedule;
    schedule.warmupEpochs = 2;
    schedule.halfLife = 1.0;
    CHECK(newSampleShare(schedule, 0, 10, 90) == 1.0);
    CHECK(newSampleShare(schedule, 1, 10, 90) == 1.0);
    CHECK(newSampleShare(schedule, 2, 10, 90) == 1.0);
    CHECK(newSampleShare(schedule, 3, 10, 90) == Approx(0.5));
    CHECK(newSampleShare(schedule, 4, 10, 90) == Approx(0.25));
    CHECK(newSampleShare(schedule, 40, 10, 90) == Approx(0.1)); // the automatic floor new / (new + old)
    CHECK(rehearsalDraw(schedule, 1, 10, 90, 5).empty());
    CHECK(rehearsalDraw(schedule, 3, 10, 90, 5).size() == 10);
    CHECK(rehearsalDraw(schedule, 4, 10, 90, 5).size() == 30);
    CHECK(rehearsalDraw(schedule, 40, 10, 90, 5).size() == 90);
    CHECK(rehearsalDraw(schedule, 4, 10, 90, 5) == rehearsalDraw(schedule, 4, 10, 90, 5));
    CHECK(rehearsalDraw(schedule, 4, 10, 90, 5) != rehearsalDraw(schedule, 5, 10, 90, 5)); // drawn afresh

    schedule.floor = 0.5;
    CHECK(newSampleShare(schedule, 40, 10, 90) == Approx(0.5));
    schedule.decay = RehearsalDecay::Linear;
    schedule.floor = 0;
    schedule.halfLife = 4;
    CHECK(newSampleShare(schedule, 3, 10, 90) == Approx(0.75));
    schedule.decay = RehearsalDecay::Cosine;
    CHECK(newSampleShare(schedule, 4, 10, 90) == Approx(0.5));
    CHECK(newSampleShare(schedule, 3, 10, 0) == 1.0); // nothing to rehearse
}

TEST_CASE("class weights from label counts", "[samples]")
{
    CHECK(classWeights({10, 30}, ClassWeighting::None).empty());
    const auto inverse = classWeights({10, 30, 0}, ClassWeighting::Inverse);
    REQUIRE(inverse.size() == 3);
    CHECK(inverse[0] == Approx(2.0));       // 40 / (2 * 10)
    CHECK(inverse[1] == Approx(40.0 / 60)); // 40 / (2 * 30)
    CHECK(inverse[2] == 1.0f);
    const auto root = classWeights({10, 30}, ClassWeighting::SqrtInverse);
    CHECK(root[0] == Approx(std::sqrt(2.0)));
    CHECK(classWeights({1, 1000}, ClassWeighting::Inverse)[0] == 10.0f); // capped
    REQUIRE_FALSE(classWeightingFromName(QStringLiteral("focal")).ok());
}
