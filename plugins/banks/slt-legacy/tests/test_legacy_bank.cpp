// The legacy importer (org.slt.bank.slt-legacy) loaded from its built library and driven through the
// SDK's BankProxy, on small banks written here in the Python SLT's HDF5 layout.
#define CATCH_CONFIG_MAIN // before bank_test_support.hpp includes Catch
#include <slt_bank_test/bank_test_support.hpp>
#include "legacy_writer.hpp"

#include <slt/banks/png_codec.hpp>


#include <cmath>

namespace {

using namespace slt::banks::test;
using slt::legacy::test::LegacySpec;
using slt::legacy::test::write_legacy;
using slt::sdk::host::BankProxy;

const void* factory()
{
    static const void* f = load_bank_factory(SLT_LEGACY_PLUGIN_PATH);
    return f;
}

const slt_bank_factory* table() { return static_cast<const slt_bank_factory*>(factory()); }

// A gentle gradient rising towards the bottom-right corner: it has no local maximum inside the edge
// margin, so only the peaks placed on top of it are points.
float gradient(int row, int column) { return 0.001f * static_cast<float>(row + column); }

float bald(int n, int r, int c)
{
    if (n == 0) {
        if (r >= 5 && r <= 7 && c >= 24 && c <= 26) return 0.5f; // a flat-topped peak: one point
        if (r == 10 && c == 12) return 0.9f;
        if (r == 20 && c == 25) return 0.7f;
    }
    if (n == 1) return 0.3f; // constant: one plateau, one point
    if (n == 2) {
        if (r == 2 && c == 2) return 0.95f;  // inside the edge margin: dropped
        if (r == 16 && c == 16) return 0.8f;
        if (r == 16 && c == 18) return 0.6f; // within the window of the higher peak: suppressed
    }
    return gradient(r, c);
}
float entropy(int n, int r, int c) { return 0.25f + 0.01f * static_cast<float>(r) + 0.001f * static_cast<float>(c) + static_cast<float>(n); }
float variance(int n, int r, int c) { return 0.5f * static_cast<float>(n) - 0.002f * static_cast<float>(r * c); }
float total(int n, int, int) { return 0.1f * static_cast<float>(n); }

LegacySpec standard_spec()
{
    LegacySpec s;
    s.maps = {{"bald", bald}, {"entropy", entropy}, {"variance", variance}, {"total_uncertainty", total}};
    s.last_written_index = 3;
    return s;
}

struct Expected {
    int n, row, column;
};
const std::vector<Expected> kStandardPoints = {{0, 5, 24}, {0, 10, 12}, {0, 20, 25}, {1, 4, 4}, {2, 16, 16}};

BankProxy open_bank(const std::string& path, const SettingsHost& host = SettingsHost())
{
    auto bank = BankProxy::open(factory(), host.host(), path, SLT_BANK_READ);
    INFO(bank.message());
    REQUIRE(bank.ok());
    return std::move(*bank);
}

struct Columns {
    std::vector<int32_t> image, predicted;
    std::vector<float> x, y, probs, scores, embeddings;
    slt_bank_columns view{};
};

Columns read_all(BankProxy& bank)
{
    const slt_bank_metadata m = *bank.metadata();
    const size_t n = static_cast<size_t>(m.num_points);
    Columns c;
    c.image.resize(n);
    c.predicted.resize(n);
    c.x.resize(n);
    c.y.resize(n);
    c.probs.resize(n * static_cast<size_t>(m.num_classes));
    c.scores.resize(n * static_cast<size_t>(m.num_metrics));
    c.embeddings.resize(n * static_cast<size_t>(m.embedding_dim));
    c.view.count = m.num_points;
    c.view.image_index = c.image.data();
    c.view.x = c.x.data();
    c.view.y = c.y.data();
    c.view.predicted_class = c.predicted.data();
    c.view.mean_probs = c.probs.data();
    c.view.scores = c.scores.data();
    c.view.embeddings = c.embeddings.data();
    const auto status = bank.read_points(0, c.view);
    INFO(status.message);
    REQUIRE(status.ok());
    return c;
}

std::vector<Expected> points_of(const Columns& c)
{
    std::vector<Expected> out;
    for (size_t i = 0; i < c.x.size(); ++i)
        out.push_back({c.image[i], static_cast<int>(c.y[i]), static_cast<int>(c.x[i])});
    return out;
}

bool operator==(const Expected& a, const Expected& b) { return a.n == b.n && a.row == b.row && a.column == b.column; }

} // namespace

namespace Catch {
template <>
struct StringMaker<Expected> {
    static std::string convert(const Expected& e)
    {
        return "(image " + std::to_string(e.n) + ", row " + std::to_string(e.row) + ", column " + std::to_string(e.column) + ")";
    }
};
} // namespace Catch

TEST_CASE("the factory describes a read-only importer with crops")
{
    CHECK(table()->capabilities == SLT_BANK_HAS_CROPS);
    CHECK(std::string(table()->default_extension) == "h5");
}

TEST_CASE("metadata: classes from the logits, metric names from the maps, names from filenames")
{
    TempDir dir;
    const std::string path = dir.file("mc_inference_output.h5");
    write_legacy(path, standard_spec());
    BankProxy bank = open_bank(path);
    const slt_bank_metadata m = *bank.metadata();
    CHECK(m.format_version == 0);
    CHECK(std::string(m.model_id) == "slt-python");
    CHECK(m.mc_samples == 0);
    REQUIRE(m.num_classes == 4);
    CHECK(std::string(m.class_names[1]) == "Class 1");
    CHECK(std::string(m.class_colours[0]) == "#1f77b4");
    CHECK(m.embedding_dim == 4);
    REQUIRE(m.num_metrics == 4);
    const std::vector<std::string> metrics(m.metric_names, m.metric_names + m.num_metrics);
    CHECK(metrics == std::vector<std::string>{"bald", "entropy", "total_uncertainty", "variance"});
    CHECK(m.crop_width == 64);
    CHECK(m.crop_height == 64);
    CHECK(m.num_points == static_cast<int64_t>(kStandardPoints.size()));
    REQUIRE(m.num_images == 3);
    for (int i = 0; i < 3; ++i) CHECK(bank.image_name(i) == LegacySpec::filename(i));
    CHECK(bank.image_name(3).empty());
    CHECK(std::string(m.uuid).size() == 36);
    CHECK(bank.attribute("legacy/last_written_index").value() == "3");
    CHECK(bank.attribute("legacy/extraction").value().find("\"window_size\": 7") != std::string::npos);
    CHECK(bank.attribute("no/such/key").status().code == SLT_ERR_NOT_FOUND);
}

TEST_CASE("points are the local maxima of bald: one per peak, one per plateau, none in the margin")
{
    TempDir dir;
    const std::string path = dir.file("bank.h5");
    write_legacy(path, standard_spec());
    BankProxy bank = open_bank(path);
    const Columns c = read_all(bank);
    CHECK(points_of(c) == kStandardPoints);

    for (size_t i = 0; i < kStandardPoints.size(); ++i) {
        const Expected& e = kStandardPoints[i];
        INFO("point " << i);
        // Scores: every map at the point, in metric-name order (bald, entropy, total_uncertainty, variance).
        CHECK(c.scores[i * 4 + 0] == bald(e.n, e.row, e.column));
        CHECK(c.scores[i * 4 + 1] == entropy(e.n, e.row, e.column));
        CHECK(c.scores[i * 4 + 2] == total(e.n, e.row, e.column));
        CHECK(c.scores[i * 4 + 3] == variance(e.n, e.row, e.column));
        // Embedding: the logit vector; probabilities: its softmax; class: its argmax.
        std::vector<double> z(4);
        for (int k = 0; k < 4; ++k) {
            z[static_cast<size_t>(k)] = LegacySpec::logit_value(e.n, e.row, e.column, k);
            CHECK(c.embeddings[i * 4 + static_cast<size_t>(k)] == LegacySpec::logit_value(e.n, e.row, e.column, k));
        }
        const double top = *std::max_element(z.begin(), z.end());
        double sum = 0;
        for (double v : z) sum += std::exp(v - top);
        for (size_t k = 0; k < 4; ++k) CHECK(c.probs[i * 4 + k] == Approx(std::exp(z[k] - top) / sum).epsilon(1e-6));
        CHECK(c.predicted[i] == std::max_element(z.begin(), z.end()) - z.begin());
    }
}

TEST_CASE("a constant map gives one point per image, not one per pixel")
{
    TempDir dir;
    const std::string path = dir.file("bank.h5");
    write_legacy(path, standard_spec());
    SettingsHost host;
    host.values["uncertainty_map"] = "total_uncertainty";
    BankProxy bank = open_bank(path, host);
    CHECK(points_of(read_all(bank)) == std::vector<Expected>{{0, 4, 4}, {1, 4, 4}, {2, 4, 4}});
}

TEST_CASE("settings: window, edge margin, smoothing and the per-image limit")
{
    TempDir dir;
    const std::string path = dir.file("bank.h5");
    write_legacy(path, standard_spec());
    SettingsHost host;

    SECTION("max_points_per_image keeps the highest")
    {
        host.values["max_points_per_image"] = "1";
        BankProxy bank = open_bank(path, host);
        CHECK(points_of(read_all(bank)) == std::vector<Expected>{{0, 10, 12}, {1, 4, 4}, {2, 16, 16}});
    }
    SECTION("a window of 1 keeps the lower neighbour the default window suppresses")
    {
        host.values["window_size"] = "1";
        host.values["uncertainty_map"] = "bald";
        BankProxy bank = open_bank(path, host);
        const std::vector<Expected> points = points_of(read_all(bank));
        CHECK(std::count(points.begin(), points.end(), Expected{2, 16, 18}) == 1);
    }
    SECTION("a zero edge margin admits the peak near the corner")
    {
        host.values["edge_margin"] = "0";
        BankProxy bank = open_bank(path, host);
        const std::vector<Expected> points = points_of(read_all(bank));
        CHECK(std::count(points.begin(), points.end(), Expected{2, 2, 2}) == 1);
        CHECK(std::count(points.begin(), points.end(), Expected{2, 16, 16}) == 1);
    }
    SECTION("smoothing moves the plateau's point to its centre; scores stay unsmoothed")
    {
        host.values["smoothing_sigma"] = "1.0";
        BankProxy bank = open_bank(path, host);
        const Columns c = read_all(bank);
        CHECK(points_of(c) == std::vector<Expected>{{0, 6, 25}, {0, 10, 12}, {0, 20, 25}, {1, 4, 4}, {2, 16, 16}});
        CHECK(c.scores[0] == 0.5f);
    }
    SECTION("an unknown map is refused with the names of the maps there are")
    {
        host.values["uncertainty_map"] = "margin";
        auto bank = BankProxy::open(factory(), host.host(), path, SLT_BANK_READ);
        REQUIRE_FALSE(bank.ok());
        CHECK(bank.status().code == SLT_ERR_FORMAT);
        CHECK_THAT(bank.message(), Catch::Contains("'margin'") && Catch::Contains("bald, entropy, total_uncertainty, variance"));
    }
    SECTION("a bad setting value is refused")
    {
        host.values["crop_size"] = "0";
        auto bank = BankProxy::open(factory(), host.host(), path, SLT_BANK_READ);
        CHECK(bank.status().code == SLT_ERR_INVALID_ARGUMENT);
        CHECK_THAT(bank.message(), Catch::Contains("crop_size"));
    }
}

TEST_CASE("only the first last_written_index samples count")
{
    TempDir dir;
    const std::string path = dir.file("bank.h5");
    LegacySpec spec = standard_spec();
    spec.last_written_index = 2;
    write_legacy(path, spec);
    BankProxy bank = open_bank(path);
    const slt_bank_metadata m = *bank.metadata();
    CHECK(m.num_images == 2);
    CHECK(points_of(read_all(bank)) == std::vector<Expected>{{0, 5, 24}, {0, 10, 12}, {0, 20, 25}, {1, 4, 4}});

    SECTION("an index past the data is refused")
    {
        const std::string bad = dir.file("bad.h5");
        spec.last_written_index = 5;
        write_legacy(bad, spec);
        auto refused = BankProxy::open(factory(), nullptr, bad, SLT_BANK_READ);
        CHECK(refused.status().code == SLT_ERR_FORMAT);
        CHECK_THAT(refused.message(), Catch::Contains("last_written_index") && Catch::Contains("5"));
    }
}

TEST_CASE("crops are cut around the point, black outside the image, as RGB or PNG")
{
    TempDir dir;
    const std::string path = dir.file("bank.h5");
    write_legacy(path, standard_spec());
    for (int size : {64, 9}) {
        SettingsHost host;
        host.values["crop_size"] = std::to_string(size);
        BankProxy bank = open_bank(path, host);
        for (size_t i = 0; i < kStandardPoints.size(); ++i) {
            const Expected& e = kStandardPoints[i];
            INFO("crop size " << size << ", point " << i);
            auto rgb = bank.read_crop(static_cast<int64_t>(i), SLT_CROP_RGB);
            REQUIRE(rgb.ok());
            CHECK(rgb->encoding == "rgb");
            CHECK(rgb->width == size);
            REQUIRE(rgb->bytes.size() == static_cast<size_t>(size * size * 3));
            size_t mismatches = 0;
            for (int r = 0; r < size; ++r)
                for (int col = 0; col < size; ++col)
                    for (int ch = 0; ch < 3; ++ch) {
                        const int ir = e.row - size / 2 + r, ic = e.column - size / 2 + col;
                        const bool inside = ir >= 0 && ir < 32 && ic >= 0 && ic < 32;
                        const uint8_t want = inside ? LegacySpec::rgb_value(e.n, ir, ic, ch) : 0;
                        mismatches += rgb->bytes[static_cast<size_t>((r * size + col) * 3 + ch)] != want;
                    }
            CHECK(mismatches == 0);
            auto png = bank.read_crop(static_cast<int64_t>(i), SLT_CROP_ENCODED);
            REQUIRE(png.ok());
            CHECK(png->encoding == "png");
            slt::banks::RgbImage decoded;
            REQUIRE(slt::banks::decode_png(png->bytes.data(), png->bytes.size(), decoded).ok());
            CHECK(decoded.pixels == rgb->bytes);
        }
        CHECK(bank.read_crop(static_cast<int64_t>(kStandardPoints.size()), SLT_CROP_RGB).status().code == SLT_ERR_INVALID_ARGUMENT);
    }
}

TEST_CASE("reads: ranges are checked, NULL columns are skipped, a job sees progress")
{
    TempDir dir;
    const std::string path = dir.file("bank.h5");
    write_legacy(path, standard_spec());
    BankProxy bank = open_bank(path);
    std::vector<float> scores(2 * 4, -1.0f);
    slt_bank_columns only_scores{};
    only_scores.count = 2;
    only_scores.scores = scores.data();
    struct Progress {
        uint64_t done = 0, total = 0;
    } progress;
    const slt_job job{sizeof(slt_job), &progress,
                      [](const slt_job* j, uint64_t done, uint64_t total, const char*) {
                          auto* p = static_cast<Progress*>(j->host_data);
                          p->done = done;
                          p->total = total;
                      },
                      [](const slt_job*) { return 0; }};
    REQUIRE(bank.read_points(3, only_scores, &job).ok());
    CHECK(scores[0] == bald(1, 4, 4));
    CHECK(scores[4] == bald(2, 16, 16));
    CHECK(progress.done == 2);
    CHECK(progress.total == 2);
    slt_bank_columns too_far{};
    too_far.count = 3;
    too_far.scores = scores.data();
    CHECK(bank.read_points(3, too_far).code == SLT_ERR_INVALID_ARGUMENT);
}

TEST_CASE("the uuid depends on the content and the extraction, not on the file's name or place")
{
    TempDir dir;
    const std::string path = dir.file("bank.h5");
    write_legacy(path, standard_spec());
    const std::string first = open_bank(path).metadata()->uuid;
    fs::create_directory(dir.file("copy"));
    const std::string copy = dir.file("copy/other-name.h5");
    fs::copy_file(path, copy);
    CHECK(std::string(open_bank(copy).metadata()->uuid) == first);
    CHECK(std::string(open_bank(path).metadata()->uuid) == first);
    SettingsHost host;
    host.values["window_size"] = "5";
    CHECK(std::string(open_bank(path, host).metadata()->uuid) != first);
}

TEST_CASE("probe: 0.9 for a Python SLT bank, 0 for anything else")
{
    TempDir dir;
    const std::string path = dir.file("bank.h5");
    write_legacy(path, standard_spec());
    CHECK(BankProxy::probe(table(), path) == Approx(0.9f));
    LegacySpec no_rgb = standard_spec();
    no_rgb.rgb = false;
    write_legacy(dir.file("no_rgb.h5"), no_rgb);
    CHECK(BankProxy::probe(table(), dir.file("no_rgb.h5")) == 0.0f);
    write_bytes(dir.file("empty.h5"), {});
    CHECK(BankProxy::probe(table(), dir.file("empty.h5")) == 0.0f);
    write_bytes(dir.file("text.h5"), {'h', 'e', 'l', 'l', 'o'});
    CHECK(BankProxy::probe(table(), dir.file("text.h5")) == 0.0f);
    CHECK(BankProxy::probe(table(), dir.path().string()) == 0.0f);
    CHECK(BankProxy::probe(table(), dir.file("missing.h5")) == 0.0f);
}

TEST_CASE("bad input: a message, a non-OK status, the file untouched")
{
    TempDir dir;
    const auto refuse = [](const std::string& path, slt_status code, const std::string& words) {
        require_refused(factory(), path, code, words);
    };
    SECTION("missing datasets are named")
    {
        for (const std::string name : {"logits", "filenames", "rgb_images"}) {
            LegacySpec spec = standard_spec();
            spec.logits = name != "logits";
            spec.filenames = name != "filenames";
            spec.rgb = name != "rgb_images";
            const std::string path = dir.file("no_" + name + ".h5");
            write_legacy(path, spec);
            refuse(path, SLT_ERR_FORMAT, "'" + name + "'");
        }
    }
    SECTION("not HDF5, empty, a directory, absent")
    {
        write_bytes(dir.file("empty.h5"), {});
        refuse(dir.file("empty.h5"), SLT_ERR_FORMAT, "not an HDF5 file");
        write_bytes(dir.file("text.h5"), std::vector<char>(4096, 'x'));
        refuse(dir.file("text.h5"), SLT_ERR_FORMAT, "not an HDF5 file");
        refuse(dir.path().string(), SLT_ERR_IO, "directory");
        refuse(dir.file("absent.h5"), SLT_ERR_IO, "does not exist");
    }
    SECTION("truncated")
    {
        const std::string path = dir.file("bank.h5");
        write_legacy(path, standard_spec());
        std::vector<char> bytes = read_bytes(path);
        for (size_t keep : {bytes.size() / 2, bytes.size() - 100, size_t{600}}) {
            INFO("kept " << keep << " of " << bytes.size() << " bytes");
            write_bytes(path, std::vector<char>(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(keep)));
            refuse(path, SLT_ERR_FORMAT, "bank.h5");
        }
    }
    SECTION("flipped bytes in the compressed data")
    {
        const std::string path = dir.file("bank.h5");
        write_legacy(path, standard_spec());
        std::vector<char> bytes = read_bytes(path);
        for (size_t i = bytes.size() / 2; i < bytes.size(); i += 61) bytes[i] = static_cast<char>(~bytes[i]);
        write_bytes(path, bytes);
        refuse(path, SLT_ERR_FORMAT, "bank.h5");
    }
    SECTION("write modes are refused")
    {
        const std::string path = dir.file("bank.h5");
        write_legacy(path, standard_spec());
        const std::vector<char> before = read_bytes(path);
        auto bank = BankProxy::open(factory(), nullptr, path, SLT_BANK_APPEND);
        CHECK(bank.status().code == SLT_ERR_UNSUPPORTED);
        CHECK(read_bytes(path) == before);
    }
}

TEST_CASE("slt-cli plugins validate accepts the plugin")
{
    std::string output;
    const int code = validate_plugin(SLT_CLI_PATH, SLT_LEGACY_PLUGIN_DIR, output);
    INFO(output);
    CHECK(code == 0);
}
