// The LibTorch-free parts of unet-concrete's training: point disks, augmentation, batching,
// validation scores, settings, resume state and CSV logs.
#include "training/augmentation.hpp"
#include "training/point_targets.hpp"
#include "training/resume_state.hpp"
#include "training/tile_batches.hpp"
#include "training/training_log.hpp"
#include "training/training_settings.hpp"
#include "training/validation_metrics.hpp"

#include <slt/sdk/cpp/error.hpp>

#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

using namespace slt::unet::training;

namespace {

std::vector<int64_t> disks(const std::vector<LabelledPoint>& points, int64_t h, int64_t w, int32_t radius)
{
    std::vector<int64_t> target(static_cast<size_t>(h * w));
    rasteriseDisks(points, h, w, radius, target.data());
    return target;
}

// A grey tile with one coloured pixel per point, the colour telling the point's class.
const uint8_t kClassColour[3][3] = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}};

Tile dottedTile(int64_t h, int64_t w, const std::vector<LabelledPoint>& points)
{
    Tile tile;
    tile.height = h;
    tile.width = w;
    tile.rgb.assign(static_cast<size_t>(h * w * 3), 128);
    for (const LabelledPoint& p : points) {
        const auto at = static_cast<size_t>((static_cast<int64_t>(p.y) * w + static_cast<int64_t>(p.x)) * 3);
        for (int c = 0; c < 3; ++c) tile.rgb[at + static_cast<size_t>(c)] = kClassColour[p.classIndex][c];
    }
    tile.points = points;
    return tile;
}

// Every point must sit on a pixel of its class colour.
void requirePointsOnTheirDots(const Tile& tile)
{
    for (const LabelledPoint& p : tile.points) {
        const auto col = std::lround(p.x), row = std::lround(p.y);
        REQUIRE(std::abs(p.x - static_cast<float>(col)) < 1e-5f);
        REQUIRE(col >= 0);
        REQUIRE(col < tile.width);
        REQUIRE(row >= 0);
        REQUIRE(row < tile.height);
        const auto at = static_cast<size_t>((row * tile.width + col) * 3);
        for (int c = 0; c < 3; ++c) REQUIRE(tile.rgb[at + static_cast<size_t>(c)] == kClassColour[p.classIndex][c]);
    }
}

struct TempDir {
    std::filesystem::path path;
    TempDir()
    {
        char pattern[] = "/tmp/slt-train-parts-XXXXXX";
        path = mkdtemp(pattern);
    }
    ~TempDir() { std::filesystem::remove_all(path); }
};

std::string readText(const std::filesystem::path& p)
{
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

} // namespace

TEST_CASE("disks: a radius-2 disk labels the 13 pixels within 2 px, the rest is ignored")
{
    const auto target = disks({{3.0f, 4.0f, 1}}, 9, 8, 2);
    int labelled = 0;
    for (int64_t row = 0; row < 9; ++row)
        for (int64_t col = 0; col < 8; ++col) {
            const int64_t v = target[static_cast<size_t>(row * 8 + col)];
            const bool inside = (col - 3) * (col - 3) + (row - 4) * (row - 4) <= 4;
            REQUIRE(v == (inside ? 1 : kIgnorePixel));
            labelled += inside;
        }
    REQUIRE(labelled == 13);
}

TEST_CASE("disks: overlapping disks give each pixel the nearest point's class; border disks are clipped")
{
    const auto target = disks({{1.0f, 1.0f, 0}, {4.0f, 1.0f, 2}, {0.0f, 5.0f, 1}}, 6, 6, 2);
    REQUIRE(target[1 * 6 + 2] == 0); // distance 1 to class 0, 2 to class 2
    REQUIRE(target[1 * 6 + 3] == 2); // distance 2 to class 0, 1 to class 2
    REQUIRE(target[5 * 6 + 0] == 1); // corner point keeps its clipped disk
    REQUIRE(target[5 * 6 + 3] == kIgnorePixel);
}

TEST_CASE("disks: the automatic radius follows the tile size between 1 and 8 px")
{
    REQUIRE(autoDiskRadius(28, 28) == 2);
    REQUIRE(autoDiskRadius(64, 64) == 5);
    REQUIRE(autoDiskRadius(1024, 512) == 8);
    REQUIRE(autoDiskRadius(8, 8) == 1);
}

TEST_CASE("augmentation: flips and quarter turns keep every point on its coloured dot")
{
    const std::vector<LabelledPoint> points{{1, 2, 0}, {6, 0, 1}, {3, 4, 2}};
    for (int turns = 0; turns < 4; ++turns) {
        Tile tile = dottedTile(5, 7, points);
        for (int t = 0; t < turns; ++t) turnQuarterCounterClockwise(tile);
        REQUIRE(tile.height == (turns % 2 ? 7 : 5));
        requirePointsOnTheirDots(tile);
        flipHorizontal(tile);
        requirePointsOnTheirDots(tile);
        flipVertical(tile);
        requirePointsOnTheirDots(tile);
    }
}

TEST_CASE("augmentation: a quarter turn is counter-clockwise and four make the identity")
{
    Tile tile = dottedTile(3, 4, {{3, 0, 0}}); // top-right corner
    turnQuarterCounterClockwise(tile);
    REQUIRE(tile.points[0].x == 0.0f);
    REQUIRE(tile.points[0].y == 0.0f); // now top-left
    const Tile original = dottedTile(3, 4, {{3, 0, 0}});
    for (int t = 0; t < 3; ++t) turnQuarterCounterClockwise(tile);
    REQUIRE(tile.rgb == original.rgb);
    REQUIRE(tile.points[0].x == 3.0f);
}

TEST_CASE("augmentation: shifts move points with the content and drop the points shifted out")
{
    Tile tile = dottedTile(8, 8, {{1, 1, 0}, {6, 6, 1}});
    shift(tile, 1, -1);
    REQUIRE(tile.points.size() == 2);
    requirePointsOnTheirDots(tile);
    shift(tile, 2, 0); // the point at x = 7 leaves the tile
    REQUIRE(tile.points.size() == 1);
    REQUIRE(tile.points[0].classIndex == 0);
    requirePointsOnTheirDots(tile);
}

TEST_CASE("augmentation: random geometry keeps points on their dots; the same seed gives the same tile")
{
    AugmentationSettings geometryOnly;
    geometryOnly.colourJitterChance = 0;
    geometryOnly.greyscaleChance = 0;
    std::map<std::vector<uint8_t>, int> distinct;
    for (uint64_t seed = 0; seed < 40; ++seed) {
        Tile tile = dottedTile(16, 16, {{4, 5, 0}, {11, 9, 1}, {8, 8, 2}});
        augment(tile, geometryOnly, seed);
        requirePointsOnTheirDots(tile);
        ++distinct[tile.rgb];
        Tile again = dottedTile(16, 16, {{4, 5, 0}, {11, 9, 1}, {8, 8, 2}});
        augment(again, geometryOnly, seed);
        REQUIRE(again.rgb == tile.rgb);
    }
    REQUIRE(distinct.size() > 20); // the seeds really choose different transforms
}

TEST_CASE("augmentation: colour jitter changes colours but not geometry; greyscale makes R = G = B")
{
    AugmentationSettings colourOnly;
    colourOnly.flips = colourOnly.quarterTurns = false;
    colourOnly.maxShift = 0;
    colourOnly.colourJitterChance = 1;
    colourOnly.greyscaleChance = 0;
    Tile tile = dottedTile(6, 6, {{2, 3, 0}});
    const Tile before = tile;
    augment(tile, colourOnly, 7);
    REQUIRE(tile.rgb != before.rgb);
    REQUIRE(tile.points[0].x == 2.0f);
    const size_t dot = (3 * 6 + 2) * 3;
    REQUIRE(tile.rgb[dot] > tile.rgb[dot + 1]); // the red dot stays reddest in red

    colourOnly.colourJitterChance = 0;
    colourOnly.greyscaleChance = 1;
    augment(tile, colourOnly, 8);
    for (size_t k = 0; k < tile.rgb.size(); k += 3) {
        REQUIRE(tile.rgb[k] == tile.rgb[k + 1]);
        REQUIRE(tile.rgb[k] == tile.rgb[k + 2]);
    }
}

TEST_CASE("batches: tiles are grouped by size, padded by mirroring to the size multiple, and flushed")
{
    TileBatcher batcher(2, 16, 0);
    REQUIRE_FALSE(batcher.add(dottedTile(28, 28, {{14, 14, 1}})));
    REQUIRE_FALSE(batcher.add(dottedTile(16, 32, {{3, 3, 0}})));
    const auto full = batcher.add(dottedTile(28, 28, {{2, 27, 2}}));
    REQUIRE(full);
    REQUIRE(full->size() == 2);
    REQUIRE(full->height == 32);
    REQUIRE(full->width == 32);
    REQUIRE(full->targets.size() == 2u * 32 * 32);
    REQUIRE(full->targets[14 * 32 + 14] == 1);
    REQUIRE(full->targets[30 * 32 + 30] == kIgnorePixel); // padding is unlabelled
    // mirrored padding: row 28 repeats row 26
    REQUIRE(full->rgb[(28 * 32 + 14) * 3] == full->rgb[(26 * 32 + 14) * 3]);
    const auto rest = batcher.flush();
    REQUIRE(rest.size() == 1);
    REQUIRE(rest[0].size() == 1);
    REQUIRE(rest[0].height == 16);
    REQUIRE(batcher.flush().empty());
}

TEST_CASE("scores: hand-computed confusion matrix (sklearn conventions)")
{
    // truth 0: 3 points predicted 0,0,1; truth 1: 2 points predicted 1,1; truth 2: 1 point predicted 0
    ConfusionMatrix m(4);
    m.add(0, 0, 2);
    m.add(0, 1);
    m.add(1, 1, 2);
    m.add(2, 0);
    const ValidationScores s = scoreConfusion(m);
    REQUIRE(s.points == 6);
    REQUIRE(s.accuracy == Approx(4.0 / 6));
    REQUIRE(s.precision[0] == Approx(2.0 / 3));
    REQUIRE(s.recall[0] == Approx(2.0 / 3));
    REQUIRE(s.f1[1] == Approx(0.8));
    REQUIRE(s.f1[2] == 0.0);
    REQUIRE(s.support[3] == 0);
    // class 3 never occurs nor is predicted: left out of the macro mean
    REQUIRE(s.macroF1 == Approx((2.0 / 3 + 0.8 + 0.0) / 3));
    REQUIRE(s.weightedF1 == Approx((3 * 2.0 / 3 + 2 * 0.8) / 6));
    REQUIRE(s.balancedAccuracy == Approx((2.0 / 3 + 1.0 + 0.0) / 3));
    const double pe = (3.0 * 3 + 2.0 * 3 + 1.0 * 0) / 36;
    REQUIRE(s.kappa == Approx((4.0 / 6 - pe) / (1 - pe)));
}

TEST_CASE("scores: no points gives NaN, a single class everywhere gives NaN kappa")
{
    REQUIRE(std::isnan(scoreConfusion(ConfusionMatrix(3)).macroF1));
    ConfusionMatrix m(3);
    m.add(1, 1, 5);
    const ValidationScores s = scoreConfusion(m);
    REQUIRE(s.accuracy == 1.0);
    REQUIRE(std::isnan(s.kappa));
}

TEST_CASE("settings: [training] keys are read; unknown keys and bad values name their line and column")
{
    TrainingSettings s;
    readTrainingSettings(*toml::parse("learning_rate = 0.01\nfocal_gamma = 0\ndisk_radius = 3\naugment = false\n")
                              .as_table(),
                         s);
    REQUIRE(s.learningRate == 0.01);
    REQUIRE(s.focalGamma == 0.0);
    REQUIRE(s.diskRadius == 3);
    REQUIRE_FALSE(s.augmentation.enabled);
    auto refused = [](const char* text) {
        TrainingSettings t;
        try {
            readTrainingSettings(*toml::parse(text).as_table(), t);
        } catch (const slt::sdk::Error& e) {
            REQUIRE(e.status() == SLT_ERR_FORMAT);
            return std::string(e.what());
        }
        FAIL("accepted: " << text);
        return std::string();
    };
    REQUIRE_THAT(refused("\nlearning_rat = 1"), Catch::Contains("2:1: training.learning_rat: unknown key"));
    REQUIRE_THAT(refused("validation_window = 2"), Catch::Contains("must be odd"));
    REQUIRE_THAT(refused("greyscale = 1.5"), Catch::Contains("between"));
    REQUIRE_THAT(refused("flips = 1"), Catch::Contains("true or false"));
    // the written table reads back to the same settings
    TrainingSettings back;
    const auto written = toml::parse(trainingSettingsToml(s));
    readTrainingSettings(*written["training"].as_table(), back);
    REQUIRE(back.learningRate == s.learningRate);
    REQUIRE(back.diskRadius == 3);
    REQUIRE_FALSE(back.augmentation.enabled);
    REQUIRE_THAT(refused("lr_schedule = \"step\""), Catch::Contains("\"constant\" or \"cosine\""));
    REQUIRE_THAT(refused("min_learning_rate = -1"), Catch::Contains("between"));
}

TEST_CASE("settings: the cosine schedule falls from learning_rate to min_learning_rate; constant stays")
{
    TrainingSettings s;
    readTrainingSettings(*toml::parse("learning_rate = 0.002\nlr_schedule = \"cosine\"\nmin_learning_rate = 0.0002\n").as_table(), s);
    REQUIRE(learningRateAt(s, 0, 10) == Approx(0.002));
    REQUIRE(learningRateAt(s, 5, 10) == Approx(0.0011));              // half way: the mean
    REQUIRE(learningRateAt(s, 9, 10) == Approx(0.0002 + 0.0018 * 0.5 * (1 + std::cos(M_PI * 0.9))));
    for (int32_t e = 1; e < 10; ++e) REQUIRE(learningRateAt(s, e, 10) < learningRateAt(s, e - 1, 10));
    TrainingSettings back;
    readTrainingSettings(*toml::parse(trainingSettingsToml(s))["training"].as_table(), back);
    REQUIRE(back.schedule == LearningRateSchedule::Cosine);
    REQUIRE(back.minLearningRate == 0.0002);
    REQUIRE(learningRateAt(TrainingSettings{}, 7, 10) == 1e-3);
}

TEST_CASE("resume state: round trip, and a checkpoint without training state is refused")
{
    ResumeState r;
    r.nextEpoch = 3;
    r.bestEpoch = 1;
    r.bestMacroF1 = 0.75;
    r.seed = 18446744073709551557ull; // above int64: stored as text
    const ResumeState back = ResumeState::fromToml(r.toToml(), "x");
    REQUIRE(back.nextEpoch == 3);
    REQUIRE(back.bestEpoch == 1);
    REQUIRE(back.bestMacroF1 == 0.75);
    REQUIRE(back.seed == r.seed);
    REQUIRE_THROWS_WITH(ResumeState::fromToml("", "a.pt"), Catch::Contains("'a.pt' is not a resumable checkpoint"));
    REQUIRE_THROWS_WITH(ResumeState::fromToml("[training_state]\nseed = \"x1\"\nnext_epoch = 1\nbest_epoch = 0\n", "b.pt"),
                        Catch::Contains("seed"));
}

TEST_CASE("logs: one row per epoch with p per layer; a resumed log keeps the epochs it does not redo")
{
    TempDir dir;
    const std::vector<ClassLabel> classes{{0, "tumour"}, {1, "stroma, dense"}};
    EpochLogRow row;
    row.scores.f1 = {0.5, 0.25};
    row.scores.precision = row.scores.recall = row.scores.f1;
    row.scores.support = {3, 4};
    row.dropoutP = {{"dec0.conv", 0.1}, {"dec1.conv", 0.2}};
    {
        TrainingLog log(dir.path.string(), classes, 0);
        for (int e = 1; e <= 3; ++e) {
            row.epoch = e;
            log.append(row);
        }
    }
    {
        TrainingLog log(dir.path.string(), classes, 2); // resumed after epoch 2
        row.epoch = 3;
        row.trainLoss = 9;
        log.append(row);
    }
    const std::string epochs = readText(dir.path / TrainingLog::kEpochFile);
    REQUIRE_THAT(epochs, Catch::StartsWith("epoch,train_loss,"));
    REQUIRE_THAT(epochs, Catch::Contains(",p:dec0.conv,p:dec1.conv\n"));
    REQUIRE(std::count(epochs.begin(), epochs.end(), '\n') == 4); // header + epochs 1, 2, 3
    REQUIRE_THAT(epochs, Catch::Contains("\n3,9,"));
    const std::string perClass = readText(dir.path / TrainingLog::kClassFile);
    REQUIRE(std::count(perClass.begin(), perClass.end(), '\n') == 1 + 3 * 2);
    REQUIRE_THAT(perClass, Catch::Contains("3,1,1,\"stroma, dense\",0.25,0.25,0.25,4\n"));
}
