// org.slt.bank.slt-legacy: opens, read-only, the HDF5 banks written by the original Python SLT and
// exposes the local maxima of one uncertainty map as the bank's points (SPEC B3).
//
// The Python bank stores whole maps per image, not points: at open this plugin reads each image's
// chosen map once, finds its local maxima (local_maxima.hpp) and reads, at those points, the value of
// every map (the scores), the logit vector (the embedding; its softmax is the mean probabilities and
// its argmax the predicted class). Crops are cut from `rgb_images` when asked for.
#include "legacy_file.hpp"
#include "local_maxima.hpp"

#include <slt/banks/png_codec.hpp>
#include <slt/sdk/cpp/bank.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <sstream>

namespace {

using slt::sdk::Error;

// Extraction settings (plugin.toml [[settings]]).
struct Settings {
    std::string map = "bald";
    slt::legacy::MaximaOptions maxima;
    int32_t crop_size = 64;

    static Settings from(const slt::sdk::Host& host)
    {
        Settings s;
        s.map = host.setting_string("uncertainty_map").value_or(s.map);
        s.maxima.window = static_cast<int32_t>(host.setting_int("window_size").value_or(s.maxima.window));
        s.maxima.edge_margin = static_cast<int32_t>(host.setting_int("edge_margin").value_or(s.maxima.edge_margin));
        s.maxima.sigma = host.setting_double("smoothing_sigma").value_or(s.maxima.sigma);
        s.maxima.max_points = static_cast<int32_t>(host.setting_int("max_points_per_image").value_or(0));
        s.crop_size = static_cast<int32_t>(host.setting_int("crop_size").value_or(s.crop_size));
        s.check();
        return s;
    }

    void check() const
    {
        const auto bad = [](const std::string& what) { throw Error(SLT_ERR_INVALID_ARGUMENT, "setting " + what); };
        if (maxima.window < 1 || maxima.window > 1001) bad("window_size must be in [1, 1001]");
        if (maxima.edge_margin < 0) bad("edge_margin must not be negative");
        if (!(maxima.sigma >= 0) || maxima.sigma > 100) bad("smoothing_sigma must be in [0, 100]");
        if (maxima.max_points < 0) bad("max_points_per_image must not be negative");
        if (crop_size < 1 || crop_size > 2048) bad("crop_size must be in [1, 2048]");
    }

    std::string json() const
    {
        std::ostringstream out;
        out << "{\"uncertainty_map\": \"" << map << "\", \"window_size\": " << maxima.window
            << ", \"edge_margin\": " << maxima.edge_margin << ", \"smoothing_sigma\": " << maxima.sigma
            << ", \"max_points_per_image\": " << maxima.max_points << ", \"crop_size\": " << crop_size << "}";
        return out.str();
    }
};

// The original SLT's nine tissue classes and matplotlib's tab10 colours (class i had tab10[i]).
const char* const kSltClassNames[] = {"Non-Informative", "Tumour", "Stroma", "Necrosis", "Vessel",
                                      "Inflammation", "Tumour-Lumen", "Mucin", "Muscle"};
const char* const kTab10[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                              "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

std::vector<slt::sdk::ClassInfo> legacy_classes(int32_t count)
{
    std::vector<slt::sdk::ClassInfo> classes;
    for (int32_t i = 0; i < count; ++i) {
        slt::sdk::ClassInfo c;
        c.id = i;
        c.name = (count == 9) ? kSltClassNames[i] : "Class " + std::to_string(i);
        c.colour = kTab10[i % 10];
        classes.push_back(c);
    }
    return classes;
}

// 128-bit FNV-1a style digest, two lanes with different offsets: enough to tell banks apart, stable
// across copies of the same file (it hashes content, never paths or times).
class Digest {
public:
    void add(const void* data, size_t size)
    {
        const auto* bytes = static_cast<const uint8_t*>(data);
        for (size_t i = 0; i < size; ++i) {
            a_ = (a_ ^ bytes[i]) * 0x100000001b3ull;
            b_ = (b_ ^ bytes[i]) * 0x100000001b3ull;
            b_ ^= b_ >> 29;
        }
    }
    void add(const std::string& s) { add(s.data(), s.size() + 1); }
    template <class T>
    void add_values(const std::vector<T>& v) { add(v.data(), v.size() * sizeof(T)); }

    std::string uuid() const
    {
        char text[40];
        const uint64_t hi = (a_ & 0xffffffffffff0fffull) | 0x8000ull; // version nibble 8: custom
        const uint64_t lo = (b_ & 0x3fffffffffffffffull) | 0x8000000000000000ull; // RFC 4122 variant
        std::snprintf(text, sizeof text, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(hi >> 32),
                      static_cast<unsigned>((hi >> 16) & 0xffff), static_cast<unsigned>(hi & 0xffff),
                      static_cast<unsigned>(lo >> 48), static_cast<unsigned long long>(lo & 0xffffffffffffull));
        return text;
    }

private:
    uint64_t a_ = 0xcbf29ce484222325ull;
    uint64_t b_ = 0x84222325cbf29ce4ull;
};

std::string file_mtime_utc(const std::string& path)
{
    struct stat info {};
    if (stat(path.c_str(), &info) != 0) return {};
    std::tm utc{};
    gmtime_r(&info.st_mtime, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

class LegacyBank : public slt::sdk::Bank {
public:
    static constexpr uint32_t capabilities = SLT_BANK_HAS_CROPS;
    static constexpr const char* format_name = "SLT (Python) HDF5 bank";
    static constexpr const char* default_extension = "h5";
    static constexpr const char* file_filter = "SLT (Python) HDF5 bank (*.h5 *.hdf5)";

    static float probe(const std::string& path)
    {
        return slt::legacy::LegacyFile::looks_like_legacy(path) ? 0.9f : 0.0f;
    }

    LegacyBank(const slt::sdk::Host& host, const std::string& path, slt_bank_mode, const slt::sdk::BankMetadata*)
        : settings_(Settings::from(host)), file_(path)
    {
        const auto& maps = file_.map_names();
        if (std::find(maps.begin(), maps.end(), settings_.map) == maps.end()) {
            std::string known;
            for (const std::string& m : maps) known += (known.empty() ? "" : ", ") + m;
            throw Error(SLT_ERR_FORMAT, "'" + path + "' has no uncertainty map '" + settings_.map + "' (setting " +
                                            "uncertainty_map); it has: " + (known.empty() ? "none" : known));
        }
        extract_points(host);
        metadata_ = describe(path);
    }

    slt::sdk::BankMetadata metadata() override { return metadata_; }

    void read_points(int64_t first, slt_bank_columns& c, const slt::sdk::Job& job) override
    {
        const int64_t total = static_cast<int64_t>(x_.size());
        if (first > total || c.count > total - first)
            throw Error(SLT_ERR_INVALID_ARGUMENT, "rows [" + std::to_string(first) + ", " + std::to_string(first + c.count) +
                                                      ") exceed the " + std::to_string(total) + " points");
        constexpr int64_t kBlock = 1 << 16;
        for (int64_t done = 0; done < c.count; done += kBlock) {
            job.throw_if_cancelled();
            const int64_t n = std::min(kBlock, c.count - done);
            copy_rows(first + done, done, n, c);
            job.progress(static_cast<uint64_t>(done + n), static_cast<uint64_t>(c.count));
        }
    }

    slt::sdk::Crop read_crop(int64_t index, slt_crop_format format) override
    {
        if (index < 0 || index >= static_cast<int64_t>(x_.size()))
            throw Error(SLT_ERR_INVALID_ARGUMENT, "point " + std::to_string(index) + " does not exist");
        slt::legacy::silence_hdf5();
        slt::sdk::Crop crop;
        crop.width = crop.height = settings_.crop_size;
        crop.bytes = cut_crop(index);
        crop.encoding = "rgb";
        if (format == SLT_CROP_ENCODED) {
            std::vector<uint8_t> png;
            const slt::banks::CodecStatus status = slt::banks::encode_png(crop.bytes.data(), crop.width, crop.height, png);
            if (!status.ok()) throw Error(SLT_ERR_INTERNAL, "encoding crop " + std::to_string(index) + ": " + status.message);
            crop.bytes = std::move(png);
            crop.encoding = "png";
        }
        return crop;
    }

    std::optional<std::string> attribute(const std::string& key) override
    {
        if (key == "legacy/extraction") return settings_.json();
        if (key == "legacy/last_written_index" && file_.last_written_index() >= 0)
            return std::to_string(file_.last_written_index());
        return std::nullopt;
    }

private:
    void extract_points(const slt::sdk::Host& host)
    {
        const int32_t h = file_.height(), w = file_.width(), k = file_.classes();
        const auto& maps = file_.map_names();
        std::vector<float> chosen, other, logits;
        std::vector<std::vector<float>> map_values(maps.size());
        for (int64_t sample = 0; sample < file_.samples(); ++sample) {
            file_.read_map(settings_.map, sample, chosen);
            std::vector<float> smoothed = chosen;
            slt::legacy::gaussian_smooth(smoothed, h, w, settings_.maxima.sigma);
            const std::vector<slt::legacy::Peak> peaks = slt::legacy::find_local_maxima(smoothed, h, w, settings_.maxima);
            if (peaks.empty()) continue;
            for (size_t m = 0; m < maps.size(); ++m) file_.read_map(maps[m], sample, map_values[m]);
            file_.read_logits(sample, logits);
            for (const slt::legacy::Peak& p : peaks) add_point(sample, p, logits, map_values, w, k);
            if (sample % 64 == 63)
                host.debug("slt-legacy: " + std::to_string(sample + 1) + " of " + std::to_string(file_.samples()) + " images scanned");
        }
    }

    void add_point(int64_t sample, const slt::legacy::Peak& p, const std::vector<float>& logits,
                   const std::vector<std::vector<float>>& maps, int32_t w, int32_t k)
    {
        const size_t pixel = static_cast<size_t>(p.row) * static_cast<size_t>(w) + static_cast<size_t>(p.column);
        const float* z = logits.data() + pixel * static_cast<size_t>(k);
        // The Python GUI dropped points whose logit vector is all zeros (never written).
        if (std::all_of(z, z + k, [](float v) { return v == 0.0f; })) return;
        image_.push_back(static_cast<int32_t>(sample));
        x_.push_back(static_cast<float>(p.column));
        y_.push_back(static_cast<float>(p.row));
        const float* top = std::max_element(z, z + k);
        predicted_.push_back(static_cast<int32_t>(top - z));
        double sum = 0;
        for (int32_t c = 0; c < k; ++c) sum += std::exp(static_cast<double>(z[c]) - *top);
        for (int32_t c = 0; c < k; ++c) {
            probs_.push_back(static_cast<float>(std::exp(static_cast<double>(z[c]) - *top) / sum));
            embeddings_.push_back(z[c]);
        }
        for (const std::vector<float>& m : maps) scores_.push_back(m[pixel]);
    }

    slt::sdk::BankMetadata describe(const std::string& path) const
    {
        slt::sdk::BankMetadata m;
        m.format_version = 0;
        m.model_id = "slt-python";
        m.mc_samples = 0;
        m.classes = legacy_classes(file_.classes());
        m.metric_names = file_.map_names();
        m.embedding_dim = file_.classes();
        m.crop_width = m.crop_height = settings_.crop_size;
        m.num_points = static_cast<int64_t>(x_.size());
        m.image_names = file_.names();
        m.created_utc = file_mtime_utc(path);
        Digest digest;
        const int64_t shape[4] = {file_.samples(), file_.height(), file_.width(), file_.classes()};
        digest.add(shape, sizeof shape);
        for (const std::string& s : m.image_names) digest.add(s);
        for (const std::string& s : m.metric_names) digest.add(s);
        digest.add(settings_.json());
        digest.add_values(image_);
        digest.add_values(x_);
        digest.add_values(y_);
        digest.add_values(scores_);
        digest.add_values(embeddings_);
        m.uuid = digest.uuid();
        return m;
    }

    void copy_rows(int64_t from, int64_t to, int64_t n, slt_bank_columns& c) const
    {
        const auto copy = [&](const auto& column, auto* out, size_t width) {
            if (!out) return;
            std::copy_n(column.data() + static_cast<size_t>(from) * width, static_cast<size_t>(n) * width,
                        out + static_cast<size_t>(to) * width);
        };
        const size_t k = static_cast<size_t>(file_.classes());
        copy(image_, c.image_index, 1);
        copy(x_, c.x, 1);
        copy(y_, c.y, 1);
        copy(predicted_, c.predicted_class, 1);
        copy(probs_, c.mean_probs, k);
        copy(scores_, c.scores, file_.map_names().size());
        copy(embeddings_, c.embeddings, k);
    }

    // The crop_size x crop_size window centred on the point, zero (black) where it leaves the image.
    std::vector<uint8_t> cut_crop(int64_t index) const
    {
        const int32_t s = settings_.crop_size;
        const int32_t top = static_cast<int32_t>(y_[static_cast<size_t>(index)]) - s / 2;
        const int32_t left = static_cast<int32_t>(x_[static_cast<size_t>(index)]) - s / 2;
        const int32_t row0 = std::max(top, 0), row1 = std::min(top + s, file_.height());
        const int32_t col0 = std::max(left, 0), col1 = std::min(left + s, file_.width());
        std::vector<uint8_t> crop(static_cast<size_t>(s) * static_cast<size_t>(s) * 3, 0);
        if (row1 <= row0 || col1 <= col0) return crop;
        std::vector<uint8_t> inside(static_cast<size_t>(row1 - row0) * static_cast<size_t>(col1 - col0) * 3);
        file_.read_rgb(image_[static_cast<size_t>(index)], row0, col0, row1 - row0, col1 - col0, inside.data());
        const size_t line = static_cast<size_t>(col1 - col0) * 3;
        for (int32_t r = row0; r < row1; ++r)
            std::copy_n(inside.data() + static_cast<size_t>(r - row0) * line, line,
                        crop.data() + (static_cast<size_t>(r - top) * static_cast<size_t>(s) + static_cast<size_t>(col0 - left)) * 3);
        return crop;
    }

    Settings settings_;
    slt::legacy::LegacyFile file_;
    slt::sdk::BankMetadata metadata_;
    std::vector<int32_t> image_, predicted_;
    std::vector<float> x_, y_, probs_, scores_, embeddings_;
};

} // namespace

SLT_PLUGIN("org.slt.bank.slt-legacy", "1.0.0", LegacyBank)
