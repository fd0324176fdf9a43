// org.slt.bank.sqlite: the bank in one portable SQLite file (SPEC B3). The schema, the BLOB encoding
// and a Python reader are in docs/bank-format.md ("SQLite layout"); the CREATE statements below are the truth.
//
// Points are rows of one table, point_id = row index; the vector columns (mean_probs, scores,
// embedding) are little-endian float32 BLOBs; crops are PNG BLOBs in their own table so that reading
// columns never touches them. Written with a rollback journal (journal_mode DELETE), never WAL: a
// reader then opens the file strictly read-only and leaves no -wal/-shm files beside it, and bulk
// appends measured faster (docs/bank-format.md, "Writing: transactions and journal mode").
#include "sqlite_support.hpp"

#include <slt/banks/bank_identity.hpp>
#include <slt/banks/png_codec.hpp>
#include <slt/sdk/cpp/bank.hpp>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "the SQLite bank stores little-endian float32 BLOBs by copying memory; add byte swapping here");

namespace {

using slt::sdk::Error;
using slt::sqlite_bank::Database;
using slt::sqlite_bank::Statement;
using slt::sqlite_bank::Transaction;

constexpr const char* kFormatMarker = "slt-bank";
constexpr int kFormatVersion = 1;
constexpr int32_t kApplicationId = 0x534c5442; // "SLTB", in the SQLite header at offset 68

constexpr const char* kSchema = R"sql(
CREATE TABLE bank (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE classes (column_index INTEGER PRIMARY KEY, class_id INTEGER NOT NULL,
                      name TEXT NOT NULL, colour TEXT NOT NULL);
CREATE TABLE metrics (column_index INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE images (image_index INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE points (point_id INTEGER PRIMARY KEY, image_index INTEGER NOT NULL,
                     x REAL NOT NULL, y REAL NOT NULL, predicted_class INTEGER NOT NULL,
                     mean_probs BLOB NOT NULL, scores BLOB NOT NULL, embedding BLOB);
CREATE TABLE crops (point_id INTEGER PRIMARY KEY, png BLOB NOT NULL);
CREATE TABLE attributes (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID;
)sql";

int64_t parse_int(const std::string& text, const std::string& what, const std::string& path)
{
    try {
        size_t used = 0;
        const long long value = std::stoll(text, &used);
        if (used == text.size()) return value;
    } catch (...) {
    }
    throw Error(SLT_ERR_FORMAT, "'" + path + "': bank field '" + what + "' is not an integer: '" + text + "'");
}

void check_new_metadata(const slt::sdk::BankMetadata& m)
{
    const auto bad = [](const std::string& what) { throw Error(SLT_ERR_INVALID_ARGUMENT, "bank metadata: " + what); };
    if (m.classes.empty()) bad("at least one class is needed");
    if (m.embedding_dim < 0) bad("embedding_dim must not be negative");
    if (m.crop_width < 0 || m.crop_height < 0 || (m.crop_width == 0) != (m.crop_height == 0))
        bad("crop_width and crop_height must both be positive, or both 0 for a bank without crops");
    if (m.crop_width > 4096 || m.crop_height > 4096) bad("crops larger than 4096 pixels are not supported");
    if (m.mc_samples < 0) bad("mc_samples must not be negative");
}

class SqliteBank : public slt::sdk::Bank {
public:
    static constexpr uint32_t capabilities = SLT_BANK_CAN_WRITE | SLT_BANK_HAS_CROPS;
    static constexpr const char* format_name = "SQLite bank";
    static constexpr const char* default_extension = "sqlite";
    static constexpr const char* file_filter = "SQLite bank (*.sqlite *.sqlite3 *.db)";

    // 1 for an SQLite file whose `bank` table carries the marker, 0 for anything else.
    static float probe(const std::string& path)
    {
        std::error_code ec;
        if (!std::filesystem::is_regular_file(path, ec) || !slt::sqlite_bank::has_sqlite_header(path)) return 0.0f;
        try {
            // immutable: no lock, no journal, no -wal/-shm files, even for a foreign WAL-mode file.
            Database db(path, Database::Access::ReadOnly, true);
            Statement marker(db, "SELECT value FROM bank WHERE key = 'format'");
            return marker.step() && marker.text(0) == kFormatMarker ? 1.0f : 0.0f;
        } catch (...) {
            return 0.0f;
        }
    }

    SqliteBank(const slt::sdk::Host&, const std::string& path, slt_bank_mode mode, const slt::sdk::BankMetadata* create)
        : path_(path), db_(open_database(path, mode, create))
    {
        if (mode == SLT_BANK_CREATE) {
            create_bank(*create);
        } else {
            load_metadata();
        }
        if (mode != SLT_BANK_READ) prepare_writes();
    }

    slt::sdk::BankMetadata metadata() override { return meta_; }

    void read_points(int64_t first, slt_bank_columns& c, const slt::sdk::Job& job) override
    {
        if (first > meta_.num_points || c.count > meta_.num_points - first)
            throw Error(SLT_ERR_INVALID_ARGUMENT, "rows [" + std::to_string(first) + ", " + std::to_string(first + c.count) +
                                                      ") exceed the " + std::to_string(meta_.num_points) + " points");
        if (c.count == 0) return;
        // One SELECT of only the wanted columns, in point_id (rowid) order: the read streams the table once.
        Statement select(db_, "SELECT point_id, image_index, x, y, predicted_class, " +
                                  std::string(c.mean_probs ? "mean_probs" : "NULL") + ", " +
                                  (c.scores ? "scores" : "NULL") + ", " + (c.embeddings ? "embedding" : "NULL") +
                                  " FROM points WHERE point_id >= ?1 AND point_id < ?2 ORDER BY point_id");
        select.bind(1, first).bind(2, first + c.count);
        int64_t row = 0;
        for (; select.step(); ++row) {
            if (row >= c.count || select.integer(0) != first + row)
                corrupt("point ids are not 0..N-1 in order near point " + std::to_string(first + row));
            copy_row(select, row, c);
            if ((row & 0xffff) == 0xffff) {
                job.throw_if_cancelled();
                job.progress(static_cast<uint64_t>(row + 1), static_cast<uint64_t>(c.count));
            }
        }
        if (row != c.count) corrupt("points " + std::to_string(first + row) + " to " + std::to_string(first + c.count - 1) + " are missing");
        job.progress(static_cast<uint64_t>(c.count), static_cast<uint64_t>(c.count));
    }

    slt::sdk::Crop read_crop(int64_t index, slt_crop_format format) override
    {
        if (meta_.crop_width == 0) throw Error(SLT_ERR_NOT_FOUND, "'" + path_ + "' holds no crops");
        if (index < 0 || index >= meta_.num_points)
            throw Error(SLT_ERR_INVALID_ARGUMENT, "point " + std::to_string(index) + " does not exist");
        Statement select(db_, "SELECT png FROM crops WHERE point_id = ?1");
        if (!select.bind(1, index).step()) corrupt("the crop of point " + std::to_string(index) + " is missing");
        size_t size = 0;
        const auto* png = static_cast<const uint8_t*>(select.blob(0, size));
        slt::sdk::Crop crop;
        crop.width = meta_.crop_width;
        crop.height = meta_.crop_height;
        if (format == SLT_CROP_ENCODED) {
            if (!slt::banks::has_png_signature(png, size)) corrupt("the crop of point " + std::to_string(index) + " is not a PNG");
            crop.encoding = "png";
            crop.bytes.assign(png, png + size);
            return crop;
        }
        slt::banks::RgbImage image;
        const slt::banks::CodecStatus status = slt::banks::decode_png(png, size, image);
        if (!status.ok()) corrupt("the crop of point " + std::to_string(index) + " does not decode: " + status.message);
        if (image.width != crop.width || image.height != crop.height)
            corrupt("the crop of point " + std::to_string(index) + " is " + std::to_string(image.width) + " x " +
                    std::to_string(image.height) + ", the bank says " + std::to_string(crop.width) + " x " + std::to_string(crop.height));
        crop.encoding = "rgb";
        crop.bytes = std::move(image.pixels);
        return crop;
    }

    std::optional<std::string> attribute(const std::string& key) override
    {
        Statement select(db_, "SELECT value FROM attributes WHERE key = ?1");
        if (!select.bind(1, key).step()) return std::nullopt;
        return select.text(0);
    }

    void append_images(const std::vector<std::string>& names) override
    {
        Transaction transaction(db_);
        for (size_t i = 0; i < names.size(); ++i)
            insert_image_.bind(1, static_cast<int64_t>(meta_.image_names.size() + i)).bind(2, names[i]).run();
        transaction.commit();
        meta_.image_names.insert(meta_.image_names.end(), names.begin(), names.end());
    }

    void append_points(const slt_bank_points& p) override
    {
        check_batch(p);
        Transaction transaction(db_);
        const size_t classes = meta_.classes.size(), metrics = meta_.metric_names.size();
        const size_t dim = static_cast<size_t>(meta_.embedding_dim);
        const size_t crop_bytes = static_cast<size_t>(meta_.crop_width) * static_cast<size_t>(meta_.crop_height) * 3;
        std::vector<uint8_t> png;
        for (int64_t i = 0; i < p.count; ++i) {
            const size_t r = static_cast<size_t>(i);
            const int64_t id = meta_.num_points + i;
            insert_point_.bind(1, id).bind(2, static_cast<int64_t>(p.image_index[r]))
                .bind(3, static_cast<double>(p.x[r])).bind(4, static_cast<double>(p.y[r]))
                .bind(5, static_cast<int64_t>(p.predicted_class[r]))
                .bind_blob(6, p.mean_probs + r * classes, classes * sizeof(float))
                .bind_blob(7, p.scores + r * metrics, metrics * sizeof(float));
            if (dim > 0) insert_point_.bind_blob(8, p.embeddings + r * dim, dim * sizeof(float));
            else insert_point_.bind_null(8);
            insert_point_.run();
            if (crop_bytes == 0) continue;
            png.clear();
            const slt::banks::CodecStatus status = slt::banks::encode_png(p.crops + r * crop_bytes, meta_.crop_width, meta_.crop_height, png);
            if (!status.ok()) throw Error(SLT_ERR_INTERNAL, "encoding the crop of point " + std::to_string(id) + ": " + status.message);
            insert_crop_.bind(1, id).bind_blob(2, png.data(), png.size()).run();
        }
        transaction.commit();
        meta_.num_points += p.count;
    }

    void set_attribute(const std::string& key, const std::string& value) override
    {
        if (!slt::banks::is_valid_attribute_key(key))
            throw Error(SLT_ERR_INVALID_ARGUMENT, "attribute key '" + key + "' may only use a-z, 0-9, '_', '.', '/' and '-'");
        Statement(db_, "INSERT OR REPLACE INTO attributes (key, value) VALUES (?1, ?2)").bind(1, key).bind(2, value).run();
    }

    // Every append and set_attribute is its own committed transaction with synchronous = FULL, so
    // everything is durable already when the call returns; there is nothing left to flush.
    void flush() override {}

private:
    static Database open_database(const std::string& path, slt_bank_mode mode, const slt::sdk::BankMetadata* create)
    {
        std::error_code ec;
        const bool exists = std::filesystem::exists(path, ec);
        if (mode == SLT_BANK_CREATE) {
            check_new_metadata(*create); // before the file exists: bad metadata leaves nothing behind
            if (exists) throw Error(SLT_ERR_IO, "'" + path + "' already exists; a new bank needs a new file");
            return Database(path, Database::Access::Create);
        }
        if (!exists) throw Error(SLT_ERR_IO, "'" + path + "' does not exist");
        if (std::filesystem::is_directory(path, ec)) throw Error(SLT_ERR_IO, "'" + path + "' is a directory, not a bank file");
        if (std::filesystem::file_size(path, ec) == 0) throw Error(SLT_ERR_FORMAT, "'" + path + "' is empty, not an SQLite bank");
        if (!slt::sqlite_bank::has_sqlite_header(path)) throw Error(SLT_ERR_FORMAT, "'" + path + "' is not an SQLite file");
        if (mode == SLT_BANK_READ) {
            // A WAL-mode file (say, converted by hand) would make even a read-only connection create
            // -wal and -shm files; with no -wal present nothing is pending, so read it as immutable.
            const bool wal = slt::sqlite_bank::is_wal_mode(path) && !std::filesystem::exists(path + "-wal", ec);
            return Database(path, Database::Access::ReadOnly, wal);
        }
        return Database(path, Database::Access::ReadWrite);
    }

    [[noreturn]] void corrupt(const std::string& what) const
    {
        throw Error(SLT_ERR_FORMAT, "'" + path_ + "' is damaged: " + what);
    }

    void configure_writes()
    {
        db_.exec("PRAGMA journal_mode = DELETE");
        db_.exec("PRAGMA synchronous = FULL");
    }

    void create_bank(const slt::sdk::BankMetadata& m)
    {
        try {
            configure_writes();
            db_.exec("PRAGMA application_id = " + std::to_string(kApplicationId));
            Transaction transaction(db_);
            db_.exec(kSchema);
            meta_ = m;
            meta_.format_version = kFormatVersion;
            meta_.uuid = m.uuid.empty() ? slt::banks::new_uuid() : m.uuid;
            meta_.created_utc = m.created_utc.empty() ? slt::banks::now_utc() : m.created_utc;
            meta_.num_points = 0;
            meta_.image_names.clear();
            write_metadata();
            transaction.commit();
        } catch (...) {
            // The file is ours (it did not exist): leave nothing half-made behind.
            std::error_code ec;
            std::filesystem::remove(path_, ec);
            std::filesystem::remove(path_ + "-journal", ec);
            throw;
        }
    }

    void write_metadata()
    {
        Statement field(db_, "INSERT INTO bank (key, value) VALUES (?1, ?2)");
        const std::pair<const char*, std::string> fields[] = {
            {"format", kFormatMarker},
            {"format_version", std::to_string(kFormatVersion)},
            {"uuid", meta_.uuid},
            {"created_utc", meta_.created_utc},
            {"model_id", meta_.model_id},
            {"checkpoint_hash", meta_.checkpoint_hash},
            {"mc_samples", std::to_string(meta_.mc_samples)},
            {"embedding_dim", std::to_string(meta_.embedding_dim)},
            {"crop_width", std::to_string(meta_.crop_width)},
            {"crop_height", std::to_string(meta_.crop_height)},
            {"crop_encoding", meta_.crop_width > 0 ? "png" : ""},
        };
        for (const auto& [key, value] : fields) field.bind(1, std::string(key)).bind(2, value).run();
        Statement cls(db_, "INSERT INTO classes (column_index, class_id, name, colour) VALUES (?1, ?2, ?3, ?4)");
        for (size_t i = 0; i < meta_.classes.size(); ++i)
            cls.bind(1, static_cast<int64_t>(i)).bind(2, static_cast<int64_t>(meta_.classes[i].id))
                .bind(3, meta_.classes[i].name).bind(4, meta_.classes[i].colour).run();
        Statement metric(db_, "INSERT INTO metrics (column_index, name) VALUES (?1, ?2)");
        for (size_t i = 0; i < meta_.metric_names.size(); ++i) metric.bind(1, static_cast<int64_t>(i)).bind(2, meta_.metric_names[i]).run();
    }

    std::string field(const std::string& key, bool required = true)
    {
        Statement select(db_, "SELECT value FROM bank WHERE key = ?1");
        if (select.bind(1, key).step()) return select.text(0);
        if (required) throw Error(SLT_ERR_FORMAT, "'" + path_ + "': the bank table has no '" + key + "'");
        return {};
    }

    void check_format()
    {
        std::string marker;
        try {
            marker = field("format");
        } catch (const Error& e) {
            // "no such table: bank" and friends: an SQLite database, but not one of ours.
            if (e.status() == SLT_ERR_FORMAT && std::strstr(e.what(), "malformed") == nullptr &&
                std::strstr(e.what(), "not a database") == nullptr)
                throw Error(SLT_ERR_FORMAT, "'" + path_ + "' is an SQLite database but not an SLT bank (" + e.what() + ")");
            throw;
        }
        if (marker != kFormatMarker)
            throw Error(SLT_ERR_FORMAT, "'" + path_ + "' is an SQLite database but not an SLT bank (format '" + marker + "')");
        const int64_t version = parse_int(field("format_version"), "format_version", path_);
        if (version > kFormatVersion)
            throw Error(SLT_ERR_FORMAT, "'" + path_ + "' is an SQLite bank of format version " + std::to_string(version) +
                                            "; this plugin reads format version " + std::to_string(kFormatVersion) +
                                            " (update SLT to open it)");
        if (version < 1) throw Error(SLT_ERR_FORMAT, "'" + path_ + "' has an invalid format version " + std::to_string(version));
    }

    void load_metadata()
    {
        check_format();
        meta_.format_version = kFormatVersion;
        meta_.uuid = field("uuid");
        meta_.created_utc = field("created_utc");
        meta_.model_id = field("model_id");
        meta_.checkpoint_hash = field("checkpoint_hash");
        meta_.mc_samples = static_cast<int32_t>(parse_int(field("mc_samples"), "mc_samples", path_));
        meta_.embedding_dim = static_cast<int32_t>(parse_int(field("embedding_dim"), "embedding_dim", path_));
        meta_.crop_width = static_cast<int32_t>(parse_int(field("crop_width"), "crop_width", path_));
        meta_.crop_height = static_cast<int32_t>(parse_int(field("crop_height"), "crop_height", path_));
        if (meta_.embedding_dim < 0 || meta_.crop_width < 0 || meta_.crop_height < 0 || meta_.crop_width > 4096 || meta_.crop_height > 4096)
            corrupt("embedding_dim or crop size out of range");
        load_classes();
        load_names("SELECT column_index, name FROM metrics ORDER BY column_index", "metrics", meta_.metric_names);
        load_names("SELECT image_index, name FROM images ORDER BY image_index", "images", meta_.image_names);
        Statement last(db_, "SELECT max(point_id) FROM points");
        meta_.num_points = last.step() && last.type(0) != SQLITE_NULL ? last.integer(0) + 1 : 0;
    }

    void load_classes()
    {
        Statement select(db_, "SELECT column_index, class_id, name, colour FROM classes ORDER BY column_index");
        while (select.step()) {
            if (select.integer(0) != static_cast<int64_t>(meta_.classes.size())) corrupt("class columns are not 0..C-1");
            meta_.classes.push_back({static_cast<int32_t>(select.integer(1)), select.text(2), select.text(3)});
        }
        if (meta_.classes.empty()) corrupt("the classes table is empty");
    }

    void load_names(const std::string& sql, const char* table, std::vector<std::string>& out)
    {
        Statement select(db_, sql);
        while (select.step()) {
            if (select.integer(0) != static_cast<int64_t>(out.size())) corrupt(std::string("the ") + table + " table is not indexed 0..n-1");
            out.push_back(select.text(1));
        }
    }

    void prepare_writes()
    {
        configure_writes();
        insert_image_ = Statement(db_, "INSERT INTO images (image_index, name) VALUES (?1, ?2)");
        insert_point_ = Statement(db_, "INSERT INTO points (point_id, image_index, x, y, predicted_class, mean_probs, "
                                       "scores, embedding) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
        insert_crop_ = Statement(db_, "INSERT INTO crops (point_id, png) VALUES (?1, ?2)");
    }

    void check_batch(const slt_bank_points& p) const
    {
        const auto bad = [](const std::string& what) { throw Error(SLT_ERR_INVALID_ARGUMENT, "append_points: " + what); };
        if (p.count < 0) bad("negative count");
        if (p.count == 0) return;
        if (!p.image_index || !p.x || !p.y || !p.predicted_class || !p.mean_probs || !p.scores) bad("a required column is NULL");
        if (meta_.embedding_dim > 0 && !p.embeddings) bad("embeddings are NULL but the bank has D = " + std::to_string(meta_.embedding_dim));
        if (meta_.crop_width > 0 && !p.crops) bad("crops are NULL but the bank stores crops");
        const int64_t images = static_cast<int64_t>(meta_.image_names.size());
        const int64_t classes = static_cast<int64_t>(meta_.classes.size());
        for (int64_t i = 0; i < p.count; ++i) {
            const size_t r = static_cast<size_t>(i);
            if (p.image_index[r] < 0 || p.image_index[r] >= images)
                bad("point " + std::to_string(i) + " of the batch has image index " + std::to_string(p.image_index[r]) +
                    ", the bank has " + std::to_string(images) + " images");
            if (p.predicted_class[r] < 0 || p.predicted_class[r] >= classes)
                bad("point " + std::to_string(i) + " of the batch has predicted class " + std::to_string(p.predicted_class[r]) +
                    ", the bank has " + std::to_string(classes) + " classes");
        }
    }

    // Copies one row of the SELECT into row `row` of the host's columns, checking every BLOB's size.
    void copy_row(const Statement& s, int64_t row, slt_bank_columns& c) const
    {
        const size_t r = static_cast<size_t>(row);
        if (c.image_index) c.image_index[r] = static_cast<int32_t>(s.integer(1));
        if (c.x) c.x[r] = static_cast<float>(s.real(2));
        if (c.y) c.y[r] = static_cast<float>(s.real(3));
        if (c.predicted_class) c.predicted_class[r] = static_cast<int32_t>(s.integer(4));
        copy_vector(s, 5, "mean_probs", meta_.classes.size(), c.mean_probs, r);
        copy_vector(s, 6, "scores", meta_.metric_names.size(), c.scores, r);
        copy_vector(s, 7, "embedding", static_cast<size_t>(meta_.embedding_dim), c.embeddings, r);
    }

    void copy_vector(const Statement& s, int column, const char* name, size_t width, float* out, size_t row) const
    {
        if (!out || width == 0) return;
        size_t size = 0;
        const void* data = s.blob(column, size);
        if (size != width * sizeof(float) || !data)
            corrupt(std::string(name) + " of point " + std::to_string(s.integer(0)) + " has " + std::to_string(size) +
                    " bytes, expected " + std::to_string(width * sizeof(float)));
        std::memcpy(out + row * width, data, size);
    }

    std::string path_;
    Database db_;
    slt::sdk::BankMetadata meta_;
    Statement insert_image_, insert_point_, insert_crop_;
};

} // namespace

SLT_PLUGIN("org.slt.bank.sqlite", "1.0.0", SqliteBank)
