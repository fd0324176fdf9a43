// The host's slt_train_dataset through its C callbacks, as a model plugin sees it: sizes, pixels and points
// of every kind of sample, rehearsal re-mixing per epoch, thread-safe get/release, and errors as statuses.
#include "training_test_support.hpp"

#include <slt/core/training_data/train_dataset.hpp>

#include <atomic>
#include <cstring>
#include <thread>

using namespace slt;
using namespace slt::core::training_data;

namespace {

TrainingSample tileSample(const QString& path, int64_t width, int64_t height, int32_t channel)
{
    TrainingSample sample;
    sample.path = path;
    sample.width = width;
    sample.height = height;
    sample.points.push_back({static_cast<float>(width) / 2, static_cast<float>(height) / 2, channel});
    sample.stratum = channel;
    return sample;
}

struct Fetched {
    slt_status status = SLT_OK;
    slt_train_sample sample{};
    std::string message;
};

Fetched fetch(const slt_train_dataset* dataset, int64_t index)
{
    Fetched f;
    char buffer[512] = {0};
    slt_error err{buffer, sizeof buffer};
    f.sample.struct_size = sizeof f.sample;
    f.status = dataset->get(dataset, index, &f.sample, &err);
    f.message = buffer;
    return f;
}

} // namespace

TEST_CASE("the dataset serves tiles, side-by-side picture halves and slide regions with their points", "[dataset]")
{
    test::MemoryImageAccess access;
    access.add(QStringLiteral("/t.png"), test::patternImage(6, 4, 1));
    access.add(QStringLiteral("/pair.png"), test::patternImage(10, 3, 2));
    access.add(QStringLiteral("/s.svs"), test::patternImage(50, 40, 3));
    std::vector<TrainingSample> samples;
    samples.push_back(tileSample(QStringLiteral("/t.png"), 6, 4, 2));
    TrainingSample pair = tileSample(QStringLiteral("/pair.png"), 5, 3, 1);
    pair.kind = ImageKind::SideBySide;
    samples.push_back(pair);
    TrainingSample region = tileSample(QStringLiteral("/s.svs"), 8, 8, 0);
    region.kind = ImageKind::Slide;
    region.left = 45; // 3 columns beyond the slide: white
    region.top = 10;
    samples.push_back(region);
    TrainDataset dataset(samples, {}, access, {});
    const slt_train_dataset* raw = dataset.raw();
    REQUIRE(raw->size(raw) == 3);

    Fetched tile = fetch(raw, 0);
    REQUIRE(tile.status == SLT_OK);
    CHECK(tile.sample.image.dtype == SLT_DTYPE_U8);
    CHECK(tile.sample.image.ndim == 3);
    CHECK(tile.sample.image.shape[0] == 4);
    CHECK(tile.sample.image.shape[1] == 6);
    CHECK(slt_array_is_contiguous(&tile.sample.image));
    CHECK(tile.sample.num_points == 1);
    CHECK(tile.sample.point_x[0] == 3);
    CHECK(tile.sample.point_class[0] == 2);
    CHECK(tile.sample.weight == 1.0f);
    const auto* pixels = static_cast<const uint8_t*>(tile.sample.image.data);
    CHECK(pixels[(2 * 6 + 5) * 3 + 0] == 5); // x
    CHECK(pixels[(2 * 6 + 5) * 3 + 1] == 2); // y

    Fetched left = fetch(raw, 1);
    REQUIRE(left.status == SLT_OK);
    CHECK(left.sample.image.shape[1] == 5);
    CHECK(left.sample.image.strides[0] == 15);
    CHECK(static_cast<const uint8_t*>(left.sample.image.data)[(1 * 5 + 4) * 3] == 4);

    Fetched slide = fetch(raw, 2);
    REQUIRE(slide.status == SLT_OK);
    const auto* rgb = static_cast<const uint8_t*>(slide.sample.image.data);
    CHECK(rgb[(0 * 8 + 0) * 3 + 0] == 45);
    CHECK(rgb[(0 * 8 + 0) * 3 + 1] == 10);
    CHECK(rgb[(0 * 8 + 7) * 3 + 2] == 255); // outside the slide

    CHECK(dataset.outstanding() == 3);
    for (Fetched* f : {&tile, &left, &slide})
        raw->release(raw, &f->sample);
    CHECK(dataset.outstanding() == 0);
}

TEST_CASE("get reports a bad index and an unreadable image as statuses with messages", "[dataset]")
{
    test::MemoryImageAccess access;
    access.add(QStringLiteral("/t.png"), test::patternImage(6, 4));
    std::vector<TrainingSample> samples{tileSample(QStringLiteral("/t.png"), 6, 4, 0),
                                        tileSample(QStringLiteral("/gone.png"), 6, 4, 0),
                                        tileSample(QStringLiteral("/t.png"), 7, 4, 0)};
    DatasetOptions options;
    options.cacheBytes = 0;
    TrainDataset dataset(samples, {}, access, options);
    const slt_train_dataset* raw = dataset.raw();
    Fetched outside = fetch(raw, 3);
    CHECK(outside.status == SLT_ERR_INVALID_ARGUMENT);
    CHECK_THAT(outside.message, Catch::Contains("index 3 is outside the epoch's 3 samples"));
    Fetched gone = fetch(raw, 1);
    CHECK(gone.status == SLT_ERR_IO);
    CHECK_THAT(gone.message, Catch::Contains("cannot read '/gone.png'"));
    Fetched changed = fetch(raw, 2);
    CHECK(changed.status == SLT_ERR_IO);
    CHECK_THAT(changed.message, Catch::Contains("6 x 4 pixels now, 7 x 4 when it was checked"));
    CHECK(dataset.outstanding() == 0);
    char buffer[64];
    slt_error err{buffer, sizeof buffer};
    CHECK(raw->begin_epoch(raw, -1, &err) == SLT_ERR_INVALID_ARGUMENT);
}

TEST_CASE("begin_epoch mixes in the rehearsal samples by the schedule, with their weight", "[dataset]")
{
    test::MemoryImageAccess access;
    access.add(QStringLiteral("/t.png"), test::patternImage(4, 4));
    std::vector<TrainingSample> fresh(4, tileSample(QStringLiteral("/t.png"), 4, 4, 0));
    std::vector<TrainingSample> old(12, tileSample(QStringLiteral("/t.png"), 4, 4, 1));
    DatasetOptions options;
    options.seed = 9;
    RehearsalSchedule schedule;
    schedule.warmupEpochs = 1;
    schedule.halfLife = 1;
    schedule.oldWeight = 0.5f;
    options.rehearsal = schedule;
    TrainDataset dataset(fresh, old, access, options);
    const slt_train_dataset* raw = dataset.raw();
    char buffer[64];
    slt_error err{buffer, sizeof buffer};
    REQUIRE(raw->begin_epoch(raw, 0, &err) == SLT_OK);
    CHECK(raw->size(raw) == 4);
    REQUIRE(raw->begin_epoch(raw, 2, &err) == SLT_OK); // share 0.5: as many old as new
    CHECK(raw->size(raw) == 8);
    CHECK(dataset.rehearsalInEpoch() == 4);
    Fetched last = fetch(raw, 7);
    REQUIRE(last.status == SLT_OK);
    CHECK(last.sample.weight == 0.5f);
    CHECK(last.sample.point_class[0] == 1);
    raw->release(raw, &last.sample);
    REQUIRE(raw->begin_epoch(raw, 30, &err) == SLT_OK); // at the floor: every old sample
    CHECK(raw->size(raw) == 16);
}

TEST_CASE("get and release are safe from several threads and decode each cached sample once", "[dataset]")
{
    test::MemoryImageAccess access;
    access.add(QStringLiteral("/t.png"), test::patternImage(16, 16));
    std::vector<TrainingSample> samples(20, tileSample(QStringLiteral("/t.png"), 16, 16, 3));
    TrainDataset dataset(samples, {}, access, {});
    const slt_train_dataset* raw = dataset.raw();
    std::atomic<int> failures{0};
    std::vector<std::thread> workers;
    for (int w = 0; w < 4; ++w)
        workers.emplace_back([&, w] {
            for (int round = 0; round < 50; ++round) {
                Fetched f = fetch(raw, (w * 7 + round) % 20);
                if (f.status != SLT_OK || f.sample.num_points != 1 || f.sample.point_class[0] != 3)
                    ++failures;
                else
                    raw->release(raw, &f.sample);
            }
        });
    for (std::thread& worker : workers)
        worker.join();
    CHECK(failures == 0);
    CHECK(dataset.outstanding() == 0);
    CHECK(access.reads() <= 20 + 4); // each sample decoded once, give or take a race to the cache
}
