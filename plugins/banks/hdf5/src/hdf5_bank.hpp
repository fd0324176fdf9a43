// The HDF5 bank backend (org.slt.bank.hdf5): one bank per HDF5 file, columns as extendible chunked
// datasets, crops as PNG bytes; the layout is docs/bank-format.md (format version 1).
#pragma once

#include "hdf5_array.hpp"

#include <slt/sdk/cpp/bank.hpp>

#include <optional>
#include <string>
#include <vector>

namespace slt::banks::hdf5 {

class Hdf5Bank : public slt::sdk::Bank {
public:
    static constexpr uint32_t capabilities = SLT_BANK_CAN_WRITE | SLT_BANK_HAS_CROPS;
    static constexpr const char* format_name = "HDF5 bank";
    static constexpr const char* default_extension = "h5";
    static constexpr const char* file_filter = "HDF5 bank (*.h5 *.hdf5)";

    // 1 for an HDF5 file whose root attribute `format` is "slt-bank" (whatever its version: open() then
    // explains a newer version), 0 for anything else.
    static float probe(const std::string& path);

    Hdf5Bank(const slt::sdk::Host& host, const std::string& path, slt_bank_mode mode,
             const slt::sdk::BankMetadata* create);
    ~Hdf5Bank() override;

    slt::sdk::BankMetadata metadata() override;
    void read_points(int64_t first, slt_bank_columns& columns, const slt::sdk::Job& job) override;
    slt::sdk::Crop read_crop(int64_t index, slt_crop_format format) override;
    std::optional<std::string> attribute(const std::string& key) override;
    void append_images(const std::vector<std::string>& names) override;
    void append_points(const slt_bank_points& points) override;
    void set_attribute(const std::string& key, const std::string& value) override;
    void flush() override;
    void close() override;

private:
    // The point columns in slt_bank_columns / slt_bank_points order.
    enum Column { kImageIndex, kX, kY, kPredictedClass, kMeanProbs, kScores, kEmbeddings, kColumnCount };

    void create_file(const slt::sdk::BankMetadata& m);
    void open_file(slt_bank_mode mode);
    void write_metadata(const slt::sdk::BankMetadata& m);
    void read_metadata();
    void read_fixed_tables();
    std::vector<ArraySpec> column_specs() const;
    ArraySpec image_names_spec() const;
    ArraySpec crop_bytes_spec() const;
    ArraySpec crop_offsets_spec() const;
    void create_arrays();
    void open_arrays();
    bool has_crops() const { return meta_.crop_width > 0 && meta_.crop_height > 0; }
    void require_writable() const;
    void check_batch(const slt_bank_points& points) const;
    int64_t append_crops(const slt_bank_points& points); // returns the new end of /crops/png
    std::vector<uint8_t> read_encoded_crop(int64_t index) const;
    hid_t text_attributes() const;

    slt::sdk::Host host_;
    std::string path_;
    slt_bank_mode mode_;
    slt::sdk::BankMetadata meta_;
    int64_t num_points_ = 0; // committed
    int64_t crop_bytes_end_ = 0; // committed end of /crops/png
    Hid string_type_;
    Hid file_;
    Hid attributes_group_;
    std::vector<Array> columns_;
    Array image_names_, crop_bytes_, crop_offsets_;
    struct CachedCrop {
        int64_t index = -1;
        slt_crop_format format = SLT_CROP_ENCODED;
        slt::sdk::Crop crop;
    } last_crop_; // read_crop is called twice per crop by hosts (size, then bytes)
};

} // namespace slt::banks::hdf5
