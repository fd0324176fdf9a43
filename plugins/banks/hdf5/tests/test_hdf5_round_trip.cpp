// Writing a bank in batches and reading it back through the host-side proxy: every column, crops,
// metadata, attributes, resumed appends, concurrent readers and durability of flush().
#include "bank_test_support.hpp"

#include <slt/banks/png_codec.hpp>

#include <catch2/catch.hpp>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <thread>

using namespace bank_test;

namespace {

const std::vector<std::string> kImages = {"slide-001.svs", "slide-002.svs", "diapositive-è.ndpi"};

void require_same(const Points& a, const Points& b)
{
    REQUIRE(a.count == b.count);
    CHECK(a.image_index == b.image_index);
    CHECK(a.predicted_class == b.predicted_class);
    CHECK(a.x == b.x);
    CHECK(a.y == b.y);
    CHECK(a.mean_probs == b.mean_probs);
    CHECK(a.scores == b.scores);
    CHECK(a.embeddings == b.embeddings);
}

std::vector<uint8_t> crop_of(const Points& p, const Shape& s, int64_t i)
{
    const size_t size = static_cast<size_t>(s.crop_width * s.crop_height * 3);
    return {p.crops.begin() + static_cast<std::ptrdiff_t>(i * size),
            p.crops.begin() + static_cast<std::ptrdiff_t>((i + 1) * size)};
}

} // namespace

TEST_CASE("the entry describes the HDF5 bank")
{
    const slt_bank_factory* f = table();
    CHECK(std::string(f->format_name) == "HDF5 bank");
    CHECK(std::string(f->default_extension) == "h5");
    CHECK((f->capabilities & SLT_BANK_CAN_WRITE) != 0);
    CHECK((f->capabilities & SLT_BANK_HAS_CROPS) != 0);
}

TEST_CASE("points appended in batches read back exactly after reopening")
{
    TempDir dir;
    const Shape shape;
    Points written = Points::make(shape, 1000, 3, 1);
    write_bank(dir.file("bank.h5"), shape, kImages, written, 137);
    BankProxy bank = open_bank(dir.file("bank.h5"), SLT_BANK_READ);
    require_same(read_all(bank, shape), written);

    SECTION("a range in the middle, and only the columns asked for")
    {
        std::vector<float> scores(50 * 4);
        slt_bank_columns columns{};
        columns.count = 50;
        columns.scores = scores.data();
        REQUIRE(bank.read_points(900, columns).ok());
        CHECK(std::equal(scores.begin(), scores.end(), written.scores.begin() + 900 * 4));
    }
    SECTION("a range past the end is refused")
    {
        std::vector<float> x(10);
        slt_bank_columns columns{};
        columns.count = 10;
        columns.x = x.data();
        const auto status = bank.read_points(995, columns);
        CHECK(status.code == SLT_ERR_INVALID_ARGUMENT);
        CHECK_THAT(status.message, Catch::Contains("1000 points"));
    }
}

TEST_CASE("metadata round-trips")
{
    TempDir dir;
    const Shape shape;
    Points written = Points::make(shape, 10, 3, 2);
    write_bank(dir.file("bank.h5"), shape, kImages, written, 10);
    BankProxy bank = open_bank(dir.file("bank.h5"), SLT_BANK_READ);
    auto m = bank.metadata();
    REQUIRE(m.ok());
    MetadataHolder expected(shape);
    CHECK(m->format_version == 1);
    CHECK(std::strlen(m->uuid) == 36);
    CHECK(m->uuid[14] == '4');
    CHECK(std::strlen(m->created_utc) == 20);
    CHECK(m->created_utc[19] == 'Z');
    CHECK(std::string(m->model_id) == expected.meta.model_id);
    CHECK(std::string(m->checkpoint_hash) == expected.meta.checkpoint_hash);
    CHECK(m->mc_samples == 20);
    REQUIRE(m->num_classes == 3);
    for (int c = 0; c < 3; ++c) {
        CHECK(m->class_ids[c] == expected.ids[static_cast<size_t>(c)]);
        CHECK(m->class_names[c] == expected.names[static_cast<size_t>(c)]);
        CHECK(m->class_colours[c] == expected.colours[static_cast<size_t>(c)]);
    }
    REQUIRE(m->num_metrics == 4);
    CHECK(std::string(m->metric_names[3]) == "metric_3");
    CHECK(m->embedding_dim == 8);
    CHECK(m->crop_width == 8);
    CHECK(m->crop_height == 6);
    CHECK(m->num_points == 10);
    CHECK(m->num_images == 3);
    CHECK(bank.image_name(2) == kImages[2]);
    CHECK(bank.image_name(3).empty());
}

TEST_CASE("a given uuid and creation time are kept")
{
    TempDir dir;
    const Shape shape;
    MetadataHolder holder(shape);
    holder.meta.uuid = "11111111-2222-4333-8444-555555555555";
    holder.meta.created_utc = "2026-01-31T12:00:00Z";
    {
        auto bank = BankProxy::open(factory(), nullptr, dir.file("b.h5"), SLT_BANK_CREATE, &holder.meta);
        REQUIRE(bank.ok());
    }
    BankProxy bank = open_bank(dir.file("b.h5"), SLT_BANK_READ);
    auto m = bank.metadata();
    CHECK(std::string(m->uuid) == holder.meta.uuid);
    CHECK(std::string(m->created_utc) == holder.meta.created_utc);
    CHECK(m->num_points == 0);
}

TEST_CASE("crops read back as the RGB written, or as PNG bytes")
{
    TempDir dir;
    const Shape shape;
    Points written = Points::make(shape, 40, 3, 3);
    write_bank(dir.file("bank.h5"), shape, kImages, written, 16);
    BankProxy bank = open_bank(dir.file("bank.h5"), SLT_BANK_READ);
    for (int64_t i : {0, 15, 16, 39}) {
        auto rgb = bank.read_crop(i, SLT_CROP_RGB);
        INFO(rgb.message());
        REQUIRE(rgb.ok());
        CHECK(rgb->encoding == "rgb");
        CHECK(rgb->width == 8);
        CHECK(rgb->height == 6);
        CHECK(rgb->bytes == crop_of(written, shape, i));
        auto png = bank.read_crop(i, SLT_CROP_ENCODED);
        REQUIRE(png.ok());
        CHECK(png->encoding == "png");
        CHECK(slt::banks::has_png_signature(png->bytes.data(), png->bytes.size()));
        slt::banks::RgbImage decoded;
        REQUIRE(slt::banks::decode_png(png->bytes.data(), png->bytes.size(), decoded).ok());
        CHECK(decoded.pixels == crop_of(written, shape, i));
    }
    CHECK(bank.read_crop(40, SLT_CROP_RGB).status().code == SLT_ERR_INVALID_ARGUMENT);
    CHECK(bank.read_crop(-1, SLT_CROP_RGB).status().code == SLT_ERR_INVALID_ARGUMENT);
}

TEST_CASE("a bank without crops, metrics or embeddings")
{
    TempDir dir;
    Shape shape;
    shape.metrics = 0;
    shape.dim = 0;
    shape.crop_width = shape.crop_height = 0;
    Points written = Points::make(shape, 30, 3, 4);
    write_bank(dir.file("bank.h5"), shape, kImages, written, 7);
    BankProxy bank = open_bank(dir.file("bank.h5"), SLT_BANK_READ);
    require_same(read_all(bank, shape), written);
    CHECK(bank.read_crop(0, SLT_CROP_RGB).status().code == SLT_ERR_NOT_FOUND);
}

TEST_CASE("text attributes round-trip")
{
    TempDir dir;
    const Shape shape;
    Points none;
    write_bank(dir.file("bank.h5"), shape, kImages, none, 1);
    const std::string big(300000, 'j');
    {
        BankProxy bank = open_bank(dir.file("bank.h5"), SLT_BANK_APPEND);
        REQUIRE(bank.set_attribute("calibration/bald", "{\"x\": [0, 1]}").ok());
        REQUIRE(bank.set_attribute("build/progress", "first").ok());
        REQUIRE(bank.set_attribute("build/progress", "second").ok());
        REQUIRE(bank.set_attribute("notes.big", big).ok());
        REQUIRE(bank.set_attribute("empty", "").ok());
        const auto bad = bank.set_attribute("Bad Key!", "x");
        CHECK(bad.code == SLT_ERR_INVALID_ARGUMENT);
        CHECK_THAT(bad.message, Catch::Contains("Bad Key!"));
    }
    BankProxy bank = open_bank(dir.file("bank.h5"), SLT_BANK_READ);
    CHECK(*bank.attribute("calibration/bald") == "{\"x\": [0, 1]}");
    CHECK(*bank.attribute("build/progress") == "second");
    CHECK(*bank.attribute("notes.big") == big);
    CHECK(*bank.attribute("empty") == "");
    CHECK(bank.attribute("absent").status().code == SLT_ERR_NOT_FOUND);
    CHECK(bank.set_attribute("x", "y").code == SLT_ERR_UNSUPPORTED);
}

TEST_CASE("appending after reopening in APPEND mode continues the bank")
{
    TempDir dir;
    const Shape shape;
    Points first = Points::make(shape, 300, 3, 5);
    write_bank(dir.file("bank.h5"), shape, kImages, first, 100);
    Points second = Points::make(shape, 250, 4, 6);
    {
        BankProxy bank = open_bank(dir.file("bank.h5"), SLT_BANK_APPEND);
        REQUIRE(bank.append_images({"slide-004.svs"}).ok());
        REQUIRE(bank.append_points(*std::make_unique<slt_bank_points>(second.view())).ok());
        REQUIRE(bank.close().ok());
    }
    first.append(second);
    BankProxy bank = open_bank(dir.file("bank.h5"), SLT_BANK_READ);
    require_same(read_all(bank, shape), first);
    CHECK(bank.image_name(3) == "slide-004.svs");
    auto crop = bank.read_crop(549, SLT_CROP_RGB);
    REQUIRE(crop.ok());
    CHECK(crop->bytes == crop_of(first, shape, 549));
}

TEST_CASE("a refused batch leaves nothing visible")
{
    TempDir dir;
    const Shape shape;
    Points good = Points::make(shape, 20, 3, 7);
    write_bank(dir.file("bank.h5"), shape, kImages, good, 20);
    {
        BankProxy bank = open_bank(dir.file("bank.h5"), SLT_BANK_APPEND);
        Points bad = Points::make(shape, 10, 3, 8);
        bad.image_index[9] = 3;
        auto v = bad.view();
        auto status = bank.append_points(v);
        CHECK(status.code == SLT_ERR_INVALID_ARGUMENT);
        CHECK_THAT(status.message, Catch::Contains("image index 3"));
        bad.image_index[9] = 0;
        bad.predicted_class[0] = 3;
        v = bad.view();
        status = bank.append_points(v);
        CHECK_THAT(status.message, Catch::Contains("predicted class 3"));
        bad.predicted_class[0] = 0;
        v = bad.view();
        v.embeddings = nullptr;
        CHECK(bank.append_points(v).code == SLT_ERR_INVALID_ARGUMENT);
        v = bad.view();
        v.crops = nullptr;
        CHECK(bank.append_points(v).code == SLT_ERR_INVALID_ARGUMENT);
    }
    BankProxy bank = open_bank(dir.file("bank.h5"), SLT_BANK_READ);
    require_same(read_all(bank, shape), good);
}

TEST_CASE("a read-only bank refuses writes")
{
    TempDir dir;
    const Shape shape;
    Points p = Points::make(shape, 5, 3, 9);
    write_bank(dir.file("bank.h5"), shape, kImages, p, 5);
    const auto before = read_bytes(dir.file("bank.h5"));
    {
        BankProxy bank = open_bank(dir.file("bank.h5"), SLT_BANK_READ);
        CHECK(bank.append_points(*std::make_unique<slt_bank_points>(p.view())).code == SLT_ERR_UNSUPPORTED);
        CHECK(bank.append_images({"x"}).code == SLT_ERR_UNSUPPORTED);
        CHECK(bank.flush().ok());
    }
    CHECK(read_bytes(dir.file("bank.h5")) == before);
}

TEST_CASE("several read-only opens of one file work at once, also from threads")
{
    TempDir dir;
    const Shape shape;
    Points written = Points::make(shape, 500, 3, 10);
    write_bank(dir.file("bank.h5"), shape, kImages, written, 500);
    BankProxy a = open_bank(dir.file("bank.h5"), SLT_BANK_READ);
    BankProxy b = open_bank(dir.file("bank.h5"), SLT_BANK_READ);
    require_same(read_all(a, shape), written);
    require_same(read_all(b, shape), written);
    REQUIRE(b.close().ok());
    require_same(read_all(a, shape), written); // closing one reader leaves the other working

    std::vector<int> equal(4, 0);
    std::vector<std::thread> threads;
    for (size_t t = 0; t < equal.size(); ++t)
        threads.emplace_back([&, t] {
            auto bank = BankProxy::open(factory(), nullptr, dir.file("bank.h5"), SLT_BANK_READ);
            if (!bank.ok()) return;
            std::vector<float> embeddings(written.embeddings.size());
            slt_bank_columns columns{};
            columns.count = written.count;
            columns.embeddings = embeddings.data();
            auto crop = bank->read_crop(static_cast<int64_t>(t), SLT_CROP_RGB);
            equal[t] = bank->read_points(0, columns).ok() && embeddings == written.embeddings && crop.ok() &&
                       crop->bytes == crop_of(written, shape, static_cast<int64_t>(t));
        });
    for (auto& t : threads) t.join();
    CHECK(equal == std::vector<int>(4, 1));
}

TEST_CASE("points flushed before a crash survive it")
{
    TempDir dir;
    const Shape shape;
    Points first = Points::make(shape, 50, 3, 11);
    write_bank(dir.file("bank.h5"), shape, kImages, first, 50);
    Points second = Points::make(shape, 70, 3, 12);
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        auto bank = BankProxy::open(factory(), nullptr, dir.file("bank.h5"), SLT_BANK_APPEND);
        auto v = second.view();
        const bool ok = bank.ok() && bank->append_points(v).ok() && bank->flush().ok();
        _exit(ok ? 0 : 1); // no close: the process dies with the file open
    }
    int status = 0;
    REQUIRE(waitpid(child, &status, 0) == child);
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 0);
    first.append(second);
    BankProxy bank = open_bank(dir.file("bank.h5"), SLT_BANK_READ);
    require_same(read_all(bank, shape), first);
}
