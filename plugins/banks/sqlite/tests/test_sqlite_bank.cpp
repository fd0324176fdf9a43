// The SQLite bank (org.slt.bank.sqlite) loaded from its built library and driven through the SDK's
// BankProxy: round trips, appends, attributes, probes, bad files, read-only opens, the Python reader.
#define CATCH_CONFIG_MAIN // before bank_test_support.hpp includes Catch
#include <slt_bank_test/bank_test_support.hpp>

#include <slt/banks/png_codec.hpp>


#include <H5Cpp.h>
#include <sqlite3.h>

#include <chrono>
#include <cmath>
#include <cstring>

namespace {

using namespace slt::banks::test;
using slt::sdk::host::BankProxy;

const void* factory()
{
    static const void* f = load_bank_factory(SLT_SQLITE_PLUGIN_PATH);
    return f;
}
const slt_bank_factory* table() { return static_cast<const slt_bank_factory*>(factory()); }

// Bank-wide metadata for a test bank: C classes, M metrics, D, crop size.
struct Meta {
    std::vector<int32_t> ids{0, 1, 2};
    std::vector<const char*> names{"Tumour", "Stroma", "Necrosis"};
    std::vector<const char*> colours{"#ff0000", "#00ff00", "#0000ff"};
    std::vector<const char*> metrics{"bald", "entropy"};
    slt_bank_metadata c{};

    Meta(int32_t dim, int32_t crop_w, int32_t crop_h)
    {
        c.struct_size = sizeof c;
        c.model_id = "org.slt.model.unet/gn-32";
        c.checkpoint_hash = "abc123";
        c.mc_samples = 20;
        c.num_classes = 3;
        c.class_ids = ids.data();
        c.class_names = names.data();
        c.class_colours = colours.data();
        c.num_metrics = 2;
        c.metric_names = metrics.data();
        c.embedding_dim = dim;
        c.crop_width = crop_w;
        c.crop_height = crop_h;
    }
};

// A batch of points whose every value is a function of (point id, position): easy to check exactly.
struct Batch {
    int64_t first = 0;
    std::vector<int32_t> image, predicted;
    std::vector<float> x, y, probs, scores, embeddings;
    std::vector<uint8_t> crops;
    slt_bank_points c{};

    static float value(int64_t id, size_t k, float scale) { return scale * std::sin(static_cast<float>(id) * 0.37f + static_cast<float>(k)); }
    static uint8_t pixel(int64_t id, size_t k) { return static_cast<uint8_t>((id * 31 + static_cast<int64_t>(k) * 7) % 251); }

    Batch(int64_t first_id, int64_t count, int32_t images, int32_t dim, int32_t crop_w, int32_t crop_h) : first(first_id)
    {
        const size_t crop = static_cast<size_t>(crop_w) * static_cast<size_t>(crop_h) * 3;
        for (int64_t id = first; id < first + count; ++id) {
            image.push_back(static_cast<int32_t>(id % images));
            predicted.push_back(static_cast<int32_t>(id % 3));
            x.push_back(static_cast<float>(id) * 1.25f + 0.1f);
            y.push_back(1000.0f - static_cast<float>(id) / 3.0f);
            for (size_t k = 0; k < 3; ++k) probs.push_back(value(id, k, 0.5f) + 0.5f);
            for (size_t k = 0; k < 2; ++k) scores.push_back(value(id, k + 10, 2.0f));
            for (size_t k = 0; k < static_cast<size_t>(dim); ++k) embeddings.push_back(value(id, k + 20, 7.0f));
            for (size_t k = 0; k < crop; ++k) crops.push_back(pixel(id, k));
        }
        c.struct_size = sizeof c;
        c.count = count;
        c.image_index = image.data();
        c.x = x.data();
        c.y = y.data();
        c.predicted_class = predicted.data();
        c.mean_probs = probs.data();
        c.scores = scores.data();
        c.embeddings = dim > 0 ? embeddings.data() : nullptr;
        c.crops = crop > 0 ? crops.data() : nullptr;
    }
};

BankProxy create_bank(const std::string& path, const Meta& meta)
{
    auto bank = BankProxy::open(factory(), nullptr, path, SLT_BANK_CREATE, &meta.c);
    INFO(bank.message());
    REQUIRE(bank.ok());
    return std::move(*bank);
}

BankProxy open_bank(const std::string& path, slt_bank_mode mode = SLT_BANK_READ)
{
    auto bank = BankProxy::open(factory(), nullptr, path, mode);
    INFO(bank.message());
    REQUIRE(bank.ok());
    return std::move(*bank);
}

void require_ok(const slt::sdk::host::Status& status)
{
    INFO(status.message);
    REQUIRE(status.ok());
}

// Writes a bank of `points` points over two images in batches of `batch` (D = dim, crops w x h).
void write_bank(const std::string& path, int64_t points, int32_t dim = 5, int32_t crop_w = 8, int32_t crop_h = 6,
                int64_t batch = 7)
{
    const Meta meta(dim, crop_w, crop_h);
    BankProxy bank = create_bank(path, meta);
    require_ok(bank.append_images({"slide-A.svs", "Schnitt_ä_2.ndpi"}));
    for (int64_t first = 0; first < points; first += batch) {
        Batch b(first, std::min(batch, points - first), 2, dim, crop_w, crop_h);
        require_ok(bank.append_points(b.c));
    }
    require_ok(bank.set_attribute("calibration/bald", "{\"x\": [0, 1], \"y\": [0, 1]}"));
    require_ok(bank.close());
}

struct Columns {
    std::vector<int32_t> image, predicted;
    std::vector<float> x, y, probs, scores, embeddings;
    slt_bank_columns c{};
    Columns(int64_t count, int32_t dim)
    {
        const size_t n = static_cast<size_t>(count);
        image.resize(n);
        predicted.resize(n);
        x.resize(n);
        y.resize(n);
        probs.resize(n * 3);
        scores.resize(n * 2);
        embeddings.resize(n * static_cast<size_t>(dim));
        c.count = count;
        c.image_index = image.data();
        c.x = x.data();
        c.y = y.data();
        c.predicted_class = predicted.data();
        c.mean_probs = probs.data();
        c.scores = scores.data();
        c.embeddings = dim > 0 ? embeddings.data() : nullptr;
    }
};

// Every column of rows [first, first + count) equals what Batch wrote for those ids.
void check_columns(const Columns& got, int64_t first, int32_t dim)
{
    const Batch want(first, got.c.count, 2, dim, 0, 0);
    CHECK(got.image == want.image);
    CHECK(got.predicted == want.predicted);
    CHECK(got.x == want.x);
    CHECK(got.y == want.y);
    CHECK(got.probs == want.probs);
    CHECK(got.scores == want.scores);
    if (dim > 0) CHECK(got.embeddings == want.embeddings);
}

sqlite3* raw_open(const std::string& path)
{
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    return db;
}

void raw_exec(const std::string& path, const std::string& sql)
{
    sqlite3* db = raw_open(path);
    char* message = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
    INFO((message ? message : ""));
    sqlite3_free(message);
    sqlite3_close(db);
    REQUIRE(rc == SQLITE_OK);
}

// Opens in read mode and reads every column and crop; the first failure, or OK.
slt::sdk::host::Status open_and_read_everything(const std::string& path)
{
    auto bank = BankProxy::open(factory(), nullptr, path, SLT_BANK_READ);
    if (!bank.ok()) return bank.status();
    const slt_bank_metadata m = *bank->metadata();
    Columns all(m.num_points, m.embedding_dim);
    if (auto s = bank->read_points(0, all.c); !s.ok()) return s;
    for (int64_t i = 0; i < m.num_points; ++i)
        if (auto crop = bank->read_crop(i, SLT_CROP_RGB); !crop.ok()) return crop.status();
    return slt::sdk::host::Status::success();
}

} // namespace

TEST_CASE("the factory describes a writable backend with crops")
{
    CHECK(table()->capabilities == (SLT_BANK_CAN_WRITE | SLT_BANK_HAS_CROPS));
    CHECK(std::string(table()->default_extension) == "sqlite");
}

TEST_CASE("round trip: metadata, names, every column, crops and attributes")
{
    TempDir dir;
    const std::string path = dir.file("bank.sqlite");
    write_bank(path, 40);
    BankProxy bank = open_bank(path);
    const slt_bank_metadata m = *bank.metadata();
    CHECK(m.format_version == 1);
    CHECK(std::string(m.uuid).size() == 36);
    CHECK(std::string(m.created_utc).size() == 20);
    CHECK(std::string(m.model_id) == "org.slt.model.unet/gn-32");
    CHECK(std::string(m.checkpoint_hash) == "abc123");
    CHECK(m.mc_samples == 20);
    REQUIRE(m.num_classes == 3);
    CHECK(m.class_ids[2] == 2);
    CHECK(std::string(m.class_names[1]) == "Stroma");
    CHECK(std::string(m.class_colours[2]) == "#0000ff");
    REQUIRE(m.num_metrics == 2);
    CHECK(std::string(m.metric_names[1]) == "entropy");
    CHECK(m.embedding_dim == 5);
    CHECK(m.crop_width == 8);
    CHECK(m.crop_height == 6);
    CHECK(m.num_points == 40);
    CHECK(m.num_images == 2);
    CHECK(bank.image_name(1) == "Schnitt_ä_2.ndpi");
    CHECK(bank.image_name(2).empty());

    Columns all(40, 5);
    require_ok(bank.read_points(0, all.c));
    check_columns(all, 0, 5);

    for (int64_t id : {int64_t{0}, int64_t{13}, int64_t{39}}) {
        auto rgb = bank.read_crop(id, SLT_CROP_RGB);
        REQUIRE(rgb.ok());
        CHECK(rgb->encoding == "rgb");
        CHECK(rgb->width == 8);
        CHECK(rgb->height == 6);
        const Batch want(id, 1, 2, 5, 8, 6);
        CHECK(rgb->bytes == want.crops);
        auto png = bank.read_crop(id, SLT_CROP_ENCODED);
        REQUIRE(png.ok());
        CHECK(png->encoding == "png");
        CHECK(slt::banks::has_png_signature(png->bytes.data(), png->bytes.size()));
    }
    CHECK(bank.read_crop(40, SLT_CROP_RGB).status().code == SLT_ERR_INVALID_ARGUMENT);
    CHECK(bank.attribute("calibration/bald").value() == "{\"x\": [0, 1], \"y\": [0, 1]}");
    CHECK(bank.attribute("calibration/entropy").status().code == SLT_ERR_NOT_FOUND);
}

TEST_CASE("whole-column and partial reads fill only the columns asked for")
{
    TempDir dir;
    const std::string path = dir.file("bank.sqlite");
    write_bank(path, 30);
    BankProxy bank = open_bank(path);
    std::vector<float> scores(10 * 2, -1.0f);
    slt_bank_columns only_scores{};
    only_scores.count = 10;
    only_scores.scores = scores.data();
    require_ok(bank.read_points(20, only_scores));
    CHECK(scores == Batch(20, 10, 2, 5, 0, 0).scores);
    only_scores.count = 11;
    CHECK(bank.read_points(20, only_scores).code == SLT_ERR_INVALID_ARGUMENT);
    Columns middle(5, 5);
    require_ok(bank.read_points(7, middle.c));
    check_columns(middle, 7, 5);
}

TEST_CASE("a bank without embeddings or crops")
{
    TempDir dir;
    const std::string path = dir.file("plain.sqlite");
    write_bank(path, 12, 0, 0, 0);
    BankProxy bank = open_bank(path);
    CHECK(bank.metadata()->embedding_dim == 0);
    Columns all(12, 0);
    require_ok(bank.read_points(0, all.c));
    check_columns(all, 0, 0);
    CHECK(bank.read_crop(0, SLT_CROP_RGB).status().code == SLT_ERR_NOT_FOUND);
}

TEST_CASE("append mode continues after the last point and keeps the bank's identity")
{
    TempDir dir;
    const std::string path = dir.file("bank.sqlite");
    write_bank(path, 10);
    std::string uuid;
    {
        BankProxy bank = open_bank(path, SLT_BANK_APPEND);
        uuid = bank.metadata()->uuid;
        Batch more(10, 6, 2, 5, 8, 6);
        require_ok(bank.append_points(more.c));
        CHECK(bank.metadata()->num_points == 16);
        require_ok(bank.append_images({"third"}));
        require_ok(bank.set_attribute("build/progress", "16"));
        require_ok(bank.flush());
    }
    BankProxy bank = open_bank(path);
    CHECK(std::string(bank.metadata()->uuid) == uuid);
    CHECK(bank.metadata()->num_images == 3);
    CHECK(bank.attribute("build/progress").value() == "16");
    Columns all(16, 5);
    require_ok(bank.read_points(0, all.c));
    check_columns(all, 0, 5);
    auto crop = bank.read_crop(15, SLT_CROP_RGB);
    REQUIRE(crop.ok());
    CHECK(crop->bytes == Batch(15, 1, 2, 5, 8, 6).crops);
}

TEST_CASE("a refused batch stores nothing")
{
    TempDir dir;
    const std::string path = dir.file("bank.sqlite");
    write_bank(path, 10);
    {
        BankProxy bank = open_bank(path, SLT_BANK_APPEND);
        Batch bad(10, 5, 2, 5, 8, 6);
        bad.image[3] = 7; // only two images
        const auto status = bank.append_points(bad.c);
        CHECK(status.code == SLT_ERR_INVALID_ARGUMENT);
        CHECK_THAT(status.message, Catch::Contains("image index 7"));
        Batch bad_class(10, 5, 2, 5, 8, 6);
        bad_class.predicted[4] = 3;
        CHECK(bank.append_points(bad_class.c).code == SLT_ERR_INVALID_ARGUMENT);
        Batch no_crops(10, 5, 2, 5, 8, 6);
        no_crops.c.crops = nullptr;
        CHECK(bank.append_points(no_crops.c).code == SLT_ERR_INVALID_ARGUMENT);
        CHECK(bank.metadata()->num_points == 10);
    }
    CHECK(open_bank(path).metadata()->num_points == 10);
}

TEST_CASE("attributes: keys are checked, values replaced, long values kept whole")
{
    TempDir dir;
    const std::string path = dir.file("bank.sqlite");
    write_bank(path, 3);
    BankProxy bank = open_bank(path, SLT_BANK_APPEND);
    CHECK(bank.set_attribute("Bad Key", "x").code == SLT_ERR_INVALID_ARGUMENT);
    const std::string long_value(100000, 'z');
    require_ok(bank.set_attribute("checksum/embeddings", "first"));
    require_ok(bank.set_attribute("checksum/embeddings", long_value));
    CHECK(bank.attribute("checksum/embeddings").value() == long_value);
    BankProxy reader = open_bank(path);
    CHECK(reader.attribute("checksum/embeddings").value() == long_value);
    CHECK(reader.set_attribute("x", "y").code != SLT_OK);
}

TEST_CASE("create refuses an existing file and bad metadata")
{
    TempDir dir;
    const std::string path = dir.file("bank.sqlite");
    write_bytes(path, {'k', 'e', 'e', 'p'});
    const Meta meta(4, 8, 8);
    auto exists = BankProxy::open(factory(), nullptr, path, SLT_BANK_CREATE, &meta.c);
    CHECK(exists.status().code == SLT_ERR_IO);
    CHECK_THAT(exists.message(), Catch::Contains("already exists"));
    CHECK(read_bytes(path) == std::vector<char>{'k', 'e', 'e', 'p'});
    Meta odd_crop(4, 8, 0);
    auto refused = BankProxy::open(factory(), nullptr, dir.file("new.sqlite"), SLT_BANK_CREATE, &odd_crop.c);
    CHECK(refused.status().code == SLT_ERR_INVALID_ARGUMENT);
    CHECK_FALSE(fs::exists(dir.file("new.sqlite")));
}

TEST_CASE("probe: 1 for a bank, 0 for anything else, and no trace left")
{
    TempDir dir;
    write_bank(dir.file("bank.sqlite"), 3);
    CHECK(BankProxy::probe(table(), dir.file("bank.sqlite")) == 1.0f);
    write_bytes(dir.file("empty.sqlite"), {});
    CHECK(BankProxy::probe(table(), dir.file("empty.sqlite")) == 0.0f);
    CHECK(BankProxy::probe(table(), dir.path().string()) == 0.0f);
    CHECK(BankProxy::probe(table(), dir.file("absent.sqlite")) == 0.0f);
    raw_exec(dir.file("other.sqlite"), "CREATE TABLE bank (key TEXT, value TEXT); INSERT INTO bank VALUES ('format', 'x')");
    CHECK(BankProxy::probe(table(), dir.file("other.sqlite")) == 0.0f);
    raw_exec(dir.file("wal.sqlite"), "PRAGMA journal_mode = WAL; CREATE TABLE samples (id INTEGER)");
    CHECK(BankProxy::probe(table(), dir.file("wal.sqlite")) == 0.0f);
    {
        H5::H5File h5(dir.file("bank.h5"), H5F_ACC_TRUNC);
        const hsize_t dims[1] = {4};
        h5.createDataSet("logits", H5::PredType::IEEE_F32LE, H5::DataSpace(1, dims));
    }
    CHECK(BankProxy::probe(table(), dir.file("bank.h5")) == 0.0f);
    CHECK(dir.entries() == std::vector<std::string>{"bank.h5", "bank.sqlite", "empty.sqlite", "other.sqlite", "wal.sqlite"});
}

TEST_CASE("read mode never modifies the file and leaves no journal, WAL or SHM file")
{
    TempDir dir;
    const std::string path = dir.file("bank.sqlite");
    write_bank(path, 25);
    const Snapshot before(path);
    const std::vector<std::string> entries = dir.entries();
    {
        BankProxy a = open_bank(path);
        BankProxy b = open_bank(path); // any number of readers
        Columns all(25, 5);
        require_ok(a.read_points(0, all.c));
        REQUIRE(b.read_crop(3, SLT_CROP_ENCODED).ok());
        CHECK(a.attribute("calibration/bald").ok());
        CHECK(a.set_attribute("x", "y").code != SLT_OK);
        CHECK(dir.entries() == entries);
    }
    CHECK(Snapshot(path) == before);
    CHECK(dir.entries() == entries);
}

TEST_CASE("a bank converted to WAL mode is still read without leaving -wal or -shm files")
{
    TempDir dir;
    const std::string path = dir.file("bank.sqlite");
    write_bank(path, 9);
    raw_exec(path, "PRAGMA journal_mode = WAL");
    REQUIRE(dir.entries() == std::vector<std::string>{"bank.sqlite"});
    const Snapshot before(path);
    CHECK(BankProxy::probe(table(), path) == 1.0f);
    {
        BankProxy bank = open_bank(path);
        Columns all(9, 5);
        require_ok(bank.read_points(0, all.c));
        check_columns(all, 0, 5);
        CHECK(dir.entries() == std::vector<std::string>{"bank.sqlite"});
    }
    CHECK(Snapshot(path) == before);
    CHECK(dir.entries() == std::vector<std::string>{"bank.sqlite"});
}

TEST_CASE("bad input: a message naming the file, a non-OK status, the file untouched")
{
    TempDir dir;
    const auto refuse = [](const std::string& path, slt_status code, const std::string& words) {
        require_refused(factory(), path, code, words);
    };
    SECTION("empty, not SQLite, a directory, absent")
    {
        write_bytes(dir.file("empty.sqlite"), {});
        refuse(dir.file("empty.sqlite"), SLT_ERR_FORMAT, "empty");
        write_bytes(dir.file("text.sqlite"), std::vector<char>(300, 't'));
        refuse(dir.file("text.sqlite"), SLT_ERR_FORMAT, "not an SQLite file");
        refuse(dir.path().string(), SLT_ERR_IO, "directory");
        refuse(dir.file("absent.sqlite"), SLT_ERR_IO, "does not exist");
    }
    SECTION("an SQLite file that is not a bank")
    {
        raw_exec(dir.file("other.sqlite"), "CREATE TABLE samples (id INTEGER PRIMARY KEY, filename TEXT)");
        refuse(dir.file("other.sqlite"), SLT_ERR_FORMAT, "not an SLT bank");
    }
    SECTION("a newer format version names both versions")
    {
        const std::string path = dir.file("future.sqlite");
        write_bank(path, 3);
        raw_exec(path, "UPDATE bank SET value = '2' WHERE key = 'format_version'");
        refuse(path, SLT_ERR_FORMAT, "format version 2; this plugin reads format version 1");
        auto append = BankProxy::open(factory(), nullptr, path, SLT_BANK_APPEND);
        CHECK(append.status().code == SLT_ERR_FORMAT);
    }
    SECTION("a vector BLOB of the wrong size")
    {
        const std::string path = dir.file("bank.sqlite");
        write_bank(path, 6);
        raw_exec(path, "UPDATE points SET scores = x'0000' WHERE point_id = 4");
        BankProxy bank = open_bank(path);
        Columns all(6, 5);
        const auto status = bank.read_points(0, all.c);
        CHECK(status.code == SLT_ERR_FORMAT);
        CHECK_THAT(status.message, Catch::Contains("scores of point 4 has 2 bytes, expected 8"));
    }
    SECTION("a missing row")
    {
        const std::string path = dir.file("bank.sqlite");
        write_bank(path, 6);
        raw_exec(path, "DELETE FROM points WHERE point_id = 2");
        const Snapshot before(path);
        const auto status = open_and_read_everything(path);
        CHECK(status.code == SLT_ERR_FORMAT);
        CHECK_THAT(status.message, Catch::Contains("bank.sqlite") && Catch::Contains("point 2"));
        CHECK(Snapshot(path) == before);
    }
    SECTION("truncated files")
    {
        const std::string path = dir.file("bank.sqlite");
        write_bank(path, 2000, 16, 16, 16, 500);
        const std::vector<char> bytes = read_bytes(path);
        for (size_t keep : {bytes.size() / 2, bytes.size() - 4096, size_t{4096}, size_t{100}}) {
            INFO("kept " << keep << " of " << bytes.size() << " bytes");
            write_bytes(path, std::vector<char>(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(keep)));
            const Snapshot before(path);
            const auto status = open_and_read_everything(path);
            CHECK(status.code == SLT_ERR_FORMAT);
            CHECK_THAT(status.message, Catch::Contains("bank.sqlite"));
            CHECK(Snapshot(path) == before);
            CHECK(dir.entries() == std::vector<std::string>{"bank.sqlite"});
        }
    }
    SECTION("flipped bytes")
    {
        const std::string path = dir.file("bank.sqlite");
        write_bank(path, 2000, 16, 16, 16, 500);
        std::vector<char> bytes = read_bytes(path);
        for (size_t i = 200; i < bytes.size(); i += 509) bytes[i] = static_cast<char>(~bytes[i]);
        write_bytes(path, bytes);
        const Snapshot before(path);
        const auto status = open_and_read_everything(path);
        CHECK(status.code == SLT_ERR_FORMAT);
        CHECK_THAT(status.message, Catch::Contains("bank.sqlite"));
        INFO(status.message);
        CHECK(Snapshot(path) == before);
    }
}

namespace {

// The first ```python block after the line "<!-- test: sqlite-reader -->" of the format document.
std::string documented_reader()
{
    const std::vector<char> bytes = read_bytes(SLT_SQLITE_FORMAT_DOC);
    const std::string doc(bytes.begin(), bytes.end());
    const size_t marker = doc.find("<!-- test: sqlite-reader -->");
    REQUIRE(marker != std::string::npos);
    const size_t start = doc.find("```python\n", marker);
    REQUIRE(start != std::string::npos);
    const size_t end = doc.find("```", start + 10);
    REQUIRE(end != std::string::npos);
    return doc.substr(start + 10, end - start - 10);
}

} // namespace

TEST_CASE("Python's sqlite3 and numpy read embeddings and scores as docs/bank-format.md says")
{
    std::string probe_output;
    if (run_command("/usr/bin/python3 -c 'import numpy'", probe_output) != 0) {
        WARN("skipped: /usr/bin/python3 with numpy is not available: " << probe_output);
        return;
    }
    TempDir dir;
    const std::string bank_path = dir.file("bank.sqlite");
    write_bank(bank_path, 50, 6);
    const Snapshot before(bank_path);
    // The documented snippet defines `metrics`, `scores` and `embeddings`; the test writes them out.
    const std::string script = documented_reader() +
                               "\nwith open(sys.argv[2], 'wb') as out:\n"
                               "    out.write(scores.astype('<f4').tobytes())\n"
                               "    out.write(embeddings.astype('<f4').tobytes())\n"
                               "print(','.join(metrics))\n";
    std::ofstream(dir.file("reader.py")) << script;
    std::string output;
    const int code = run_command("/usr/bin/python3 '" + dir.file("reader.py") + "' '" + bank_path + "' '" +
                                     dir.file("values.bin") + "'",
                                 output);
    INFO(script << "\n---\n" << output);
    REQUIRE(code == 0);
    CHECK(output == "bald,entropy\n");
    const Batch want(0, 50, 2, 6, 0, 0);
    std::vector<char> expected(want.scores.size() * 4 + want.embeddings.size() * 4);
    std::memcpy(expected.data(), want.scores.data(), want.scores.size() * 4);
    std::memcpy(expected.data() + want.scores.size() * 4, want.embeddings.data(), want.embeddings.size() * 4);
    CHECK(read_bytes(dir.file("values.bin")) == expected);
    CHECK(Snapshot(bank_path) == before);
    CHECK(dir.entries() == std::vector<std::string>{"bank.sqlite", "reader.py", "values.bin"});
}

TEST_CASE("slt-cli plugins validate accepts the plugin")
{
    std::string output;
    const int code = validate_plugin(SLT_CLI_PATH, SLT_SQLITE_PLUGIN_DIR, output);
    INFO(output);
    CHECK(code == 0);
}

// Not a test: `test_sqlite_bank "[.measure]"` prints the append and read rates quoted in the format
// document (N = 200,000, D = 64, C = 3, M = 2, no crops, batches of 10,000).
TEST_CASE("measure append and whole-column read speed", "[.measure]")
{
    TempDir dir;
    const std::string path = dir.file("speed.sqlite");
    const int64_t n = 200000, batch = 10000;
    const Meta meta(64, 0, 0);
    const auto start = std::chrono::steady_clock::now();
    {
        BankProxy bank = create_bank(path, meta);
        require_ok(bank.append_images({"a", "b"}));
        for (int64_t first = 0; first < n; first += batch) {
            Batch b(first, batch, 2, 64, 0, 0);
            require_ok(bank.append_points(b.c));
        }
    }
    const double write_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const auto read_start = std::chrono::steady_clock::now();
    BankProxy bank = open_bank(path);
    std::vector<float> embeddings(static_cast<size_t>(n) * 64), scores(static_cast<size_t>(n) * 2);
    slt_bank_columns c{};
    c.count = n;
    c.embeddings = embeddings.data();
    c.scores = scores.data();
    require_ok(bank.read_points(0, c));
    const double read_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - read_start).count();
    std::printf("append: %.0f points/s (%.2f s); open + read embeddings and scores: %.3f s; file %.1f MiB\n",
                static_cast<double>(n) / write_s, write_s, read_s, static_cast<double>(fs::file_size(path)) / (1 << 20));
}
