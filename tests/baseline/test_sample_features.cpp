// Features of training samples: whole samples with their stratum, windows around points clamped inside the
// sample, slide samples as one feature, fitting and predicting through ImageAccess, and unreadable samples.
#include "training_test_support.hpp"

#include <slt/core/baseline/colour_histogram.hpp>
#include <slt/core/baseline/sample_features.hpp>

using namespace slt;
using core::baseline::FeatureOptions;
using core::baseline::FeatureSource;
using core::training_data::ImageKind;
using core::training_data::RgbImage;
using core::training_data::TrainingSample;

namespace {

constexpr uint8_t kRed[3] = {200, 20, 20};
constexpr uint8_t kBlue[3] = {20, 20, 200};

// Columns [0, split) red, the rest blue.
RgbImage redBlueImage(int64_t width, int64_t height, int64_t split)
{
    RgbImage image{width, height, {}};
    for (int64_t y = 0; y < height; ++y)
        for (int64_t x = 0; x < width; ++x) {
            const uint8_t* colour = x < split ? kRed : kBlue;
            image.pixels.insert(image.pixels.end(), colour, colour + 3);
        }
    return image;
}

TrainingSample tileSample(const QString& path, int64_t width, int64_t height, std::vector<core::training_data::TrainingPoint> points,
                          int32_t stratum)
{
    TrainingSample sample;
    sample.path = path;
    sample.kind = ImageKind::Tile;
    sample.width = width;
    sample.height = height;
    sample.points = std::move(points);
    sample.stratum = stratum;
    return sample;
}

struct Visited {
    FeatureSource source;
    std::vector<float> feature;
};

std::vector<Visited> features(const std::vector<TrainingSample>& samples, core::training_data::ImageAccess& access,
                              const FeatureOptions& options)
{
    std::vector<Visited> out;
    const core::Status status = core::baseline::forEachFeature(samples, access, options, [&out](const FeatureSource& s, const std::vector<float>& f) {
        out.push_back({s, f});
        return core::Status();
    });
    REQUIRE(status.ok());
    return out;
}

// The share of red and of blue pixels a feature (a Hellinger map, 4 bins per channel) saw.
std::pair<double, double> redBlueShares(const std::vector<float>& feature)
{
    const auto index = [](const uint8_t* c) {
        const int b = 4;
        return static_cast<size_t>((core::baseline::colourBin(c[0], b) * b + core::baseline::colourBin(c[1], b)) * b +
                                   core::baseline::colourBin(c[2], b));
    };
    const double red = feature[index(kRed)];
    const double blue = feature[index(kBlue)];
    return {red * red, blue * blue};
}

} // namespace

TEST_CASE("without a window a sample is one feature of its stratum at its centre", "[features]")
{
    test::MemoryImageAccess access;
    access.add(QStringLiteral("/data/a.png"), redBlueImage(16, 8, 8));
    const std::vector<TrainingSample> samples{tileSample(QStringLiteral("/data/a.png"), 16, 8, {{1, 1, 0}, {2, 2, 0}, {15, 7, 1}}, 0)};
    const auto visited = features(samples, access, FeatureOptions{4, 0});
    REQUIRE(visited.size() == 1);
    CHECK(visited[0].source.sample == 0);
    CHECK(visited[0].source.image == QStringLiteral("/data/a.png"));
    CHECK(visited[0].source.x == 8.0);
    CHECK(visited[0].source.y == 4.0);
    CHECK(visited[0].source.channel == 0);
    CHECK(visited[0].feature.size() == 64);
    const auto [red, blue] = redBlueShares(visited[0].feature);
    CHECK(red == Approx(0.5));
    CHECK(blue == Approx(0.5));
}

TEST_CASE("with a window each point is one feature of its class, the window clamped inside the sample", "[features]")
{
    test::MemoryImageAccess access;
    access.add(QStringLiteral("/data/a.png"), redBlueImage(16, 8, 8));
    // (1, 1): window [0, 4) x [0, 4), all red. (15, 7): window [12, 16) x [4, 8), all blue. (9, 4): window
    // [7, 11) x [2, 6), one red column in four.
    const std::vector<TrainingSample> samples{
        tileSample(QStringLiteral("/data/a.png"), 16, 8, {{1, 1, 0}, {15, 7, 1}, {9, 4, 1}}, 1)};
    const auto visited = features(samples, access, FeatureOptions{4, 4});
    REQUIRE(visited.size() == 3);
    const double expectedRed[] = {1.0, 0.0, 0.25};
    const int32_t expectedChannel[] = {0, 1, 1};
    for (size_t i = 0; i < 3; ++i) {
        INFO("point " << i);
        CHECK(visited[i].source.x == samples[0].points[i].x);
        CHECK(visited[i].source.y == samples[0].points[i].y);
        CHECK(visited[i].source.channel == expectedChannel[i]);
        const auto [red, blue] = redBlueShares(visited[i].feature);
        CHECK(red == Approx(expectedRed[i]));
        CHECK(blue == Approx(1.0 - expectedRed[i]));
    }
    const auto wide = features(samples, access, FeatureOptions{4, 1000}); // larger than the sample: all of it
    REQUIRE(wide.size() == 3);
    for (const Visited& v : wide)
        CHECK(redBlueShares(v.feature).first == Approx(0.5));
}

TEST_CASE("a slide sample is one feature over its region, window or not", "[features]")
{
    test::MemoryImageAccess access;
    access.add(QStringLiteral("/data/s.svs"), redBlueImage(32, 16, 8));
    TrainingSample slide;
    slide.path = QStringLiteral("/data/s.svs");
    slide.kind = ImageKind::Slide;
    slide.left = 4;
    slide.top = 2;
    slide.width = 8;
    slide.height = 8;
    slide.points = {{4, 4, 1}, {1, 1, 0}};
    slide.stratum = 1;
    for (int64_t window : {int64_t{0}, int64_t{8}}) {
        const auto visited = features({slide}, access, FeatureOptions{4, window});
        REQUIRE(visited.size() == 1);
        CHECK(visited[0].source.x == 8.0);
        CHECK(visited[0].source.y == 6.0);
        CHECK(visited[0].source.channel == 1);
        CHECK(redBlueShares(visited[0].feature).first == Approx(0.5)); // columns 4..11: half red
    }
}

TEST_CASE("fitting on red and blue tiles predicts the colour of each window", "[features]")
{
    test::MemoryImageAccess access;
    access.add(QStringLiteral("/data/red.png"), redBlueImage(8, 8, 8));
    access.add(QStringLiteral("/data/blue.png"), redBlueImage(8, 8, 0));
    access.add(QStringLiteral("/data/both.png"), redBlueImage(16, 8, 8));
    const std::vector<TrainingSample> train{tileSample(QStringLiteral("/data/red.png"), 8, 8, {{4, 4, 0}}, 0),
                                            tileSample(QStringLiteral("/data/blue.png"), 8, 8, {{4, 4, 2}}, 2)};
    auto classifier = core::baseline::fitColourCentroids(train, access, FeatureOptions{8, 0});
    REQUIRE(classifier.ok());
    CHECK(classifier->classes() == std::vector<int32_t>{0, 2});
    const std::vector<TrainingSample> test{tileSample(QStringLiteral("/data/both.png"), 16, 8, {{2, 4, 0}, {13, 4, 2}, {5, 3, 1}}, 0)};
    auto predictions = core::baseline::predictColour(*classifier, test, access, FeatureOptions{8, 4});
    REQUIRE(predictions.ok());
    REQUIRE(predictions->size() == 3);
    CHECK((*predictions)[0].predicted == 0);
    CHECK((*predictions)[1].predicted == 2);
    CHECK((*predictions)[2].predicted == 0); // window [3, 7): red; class 1 was never trained
    CHECK((*predictions)[2].source.channel == 1);
}

TEST_CASE("features of unreadable samples and negative windows are refused", "[features][bad-input]")
{
    test::MemoryImageAccess access;
    access.add(QStringLiteral("/data/a.png"), redBlueImage(8, 8, 4));
    const std::vector<TrainingSample> missing{tileSample(QStringLiteral("/data/a.png"), 8, 8, {{1, 1, 0}}, 0),
                                              tileSample(QStringLiteral("/data/gone.png"), 8, 8, {{1, 1, 0}}, 0)};
    auto fitted = core::baseline::fitColourCentroids(missing, access, FeatureOptions{8, 0});
    REQUIRE_FALSE(fitted.ok());
    CHECK(fitted.error().contains(QStringLiteral("/data/gone.png")));

    const core::Status negative = core::baseline::forEachFeature(missing, access, FeatureOptions{8, -1},
                                                                 [](const FeatureSource&, const std::vector<float>&) { return core::Status(); });
    REQUIRE_FALSE(negative.ok());
    CHECK(negative.error().contains(QStringLiteral(">= 0")));

    auto empty = core::baseline::fitColourCentroids({}, access, FeatureOptions{8, 0});
    REQUIRE_FALSE(empty.ok());
    CHECK(empty.error().contains(QStringLiteral("no training feature")));

    auto badBins = core::baseline::fitColourCentroids({missing[0]}, access, FeatureOptions{99, 0});
    REQUIRE_FALSE(badBins.ok());
    CHECK(badBins.error().contains(QStringLiteral("[2, 64]")));
}
