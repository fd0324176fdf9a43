// Read access to an HDF5 bank written by the original Python SLT: `rgb_images` (N,H,W,3) u8,
// `logits` (N,H,W,K) f32, `filenames` (N,) strings, one (N,H,W) map per uncertainty type and the
// attribute `last_written_index` (samples written). Every HDF5 failure becomes an slt::sdk::Error
// naming the file and, where there is one, the dataset.
#pragma once

#include <H5Cpp.h>

#include <cstdint>
#include <string>
#include <vector>

namespace slt::legacy {

// Turns off HDF5's automatic error printing for the calling thread (the error stack is per thread).
void silence_hdf5();

class LegacyFile {
public:
    explicit LegacyFile(const std::string& path); // throws slt::sdk::Error

    // True when `path` is an HDF5 file holding rgb_images, logits and filenames. Never throws.
    static bool looks_like_legacy(const std::string& path);

    int64_t samples() const { return samples_; } // valid samples: min(last_written_index, N)
    int32_t height() const { return height_; }
    int32_t width() const { return width_; }
    int32_t classes() const { return classes_; }
    const std::vector<std::string>& names() const { return names_; }         // [samples]
    const std::vector<std::string>& map_names() const { return map_names_; } // sorted by name
    int64_t last_written_index() const { return last_written_index_; }

    // Row-major [height, width] values of map `name` for `sample`.
    void read_map(const std::string& name, int64_t sample, std::vector<float>& out) const;
    // Row-major [height, width, classes] logits of `sample`.
    void read_logits(int64_t sample, std::vector<float>& out) const;
    // RGB pixels of rows [row, row + rows) and columns [column, column + columns) of `sample`, which
    // must lie inside the image, into `out` ([rows, columns, 3]).
    void read_rgb(int64_t sample, int32_t row, int32_t column, int32_t rows, int32_t columns,
                  uint8_t* out) const;

private:
    H5::DataSet open_dataset(const char* name) const;
    std::vector<hsize_t> dims_of(const H5::DataSet& dataset, const char* name, int rank) const;
    void read_shapes();
    void read_names();
    void find_maps();
    void read_last_written_index();
    [[noreturn]] void fail(const std::string& what) const;

    std::string path_;
    H5::H5File file_;
    H5::DataSet rgb_, logits_, filenames_;
    std::vector<H5::DataSet> maps_;
    int64_t rows_in_file_ = 0; // N of the datasets
    int64_t samples_ = 0;
    int64_t last_written_index_ = -1; // -1: attribute absent
    int32_t height_ = 0, width_ = 0, classes_ = 0;
    std::vector<std::string> names_, map_names_;
};

} // namespace slt::legacy
