// One extendible dataset of the HDF5 bank: 1-D [rows] or 2-D [rows, width], chunked by whole rows,
// extended along rows by writes. Reads and writes go straight between the caller's buffer and the file in
// one H5Dread/H5Dwrite.
#pragma once

#include "hdf5_support.hpp"

#include <string>

namespace slt::banks::hdf5 {

struct ArraySpec {
    std::string path;          // relative to the file root, e.g. "points/x"
    hid_t file_type = -1;      // e.g. H5T_IEEE_F32LE
    hid_t memory_type = -1;    // e.g. H5T_NATIVE_FLOAT
    int rank = 1;              // 1: [rows]; 2: [rows, width]
    hsize_t width = 1;         // columns of a 2-D array
    hsize_t chunk_rows = 1;
    bool deflate = false;      // shuffle + deflate (int and string columns)
    size_t chunk_cache = 0;    // bytes; 0 reads uncompressed chunks straight into the caller's buffer
};

// Rows per chunk so one chunk holds about layout::kChunkBytes.
hsize_t chunk_rows_for(size_t bytes_per_row);

class Array {
public:
    Array() = default;
    static Array create(hid_t file, const ArraySpec& spec);
    // Opens and checks type class, element size, rank, width and that at least `min_rows` rows exist;
    // SLT_ERR_FORMAT naming the dataset otherwise.
    static Array open(hid_t file, const ArraySpec& spec, hsize_t min_rows);

    bool valid() const { return dataset_.valid(); }
    const ArraySpec& spec() const { return spec_; }
    hid_t id() const { return dataset_.get(); }
    hsize_t rows() const;

    // Rows [first, first + count) into `out` ([count, width] of memory_type).
    void read(hsize_t first, hsize_t count, void* out) const;
    // Sets the extent to first + count rows (growing or cutting off rows of a failed earlier write) and
    // writes rows [first, first + count) from `in`.
    void write(hsize_t first, hsize_t count, const void* in);
    void resize(hsize_t rows);

private:
    Array(ArraySpec spec, Hid dataset) : spec_(std::move(spec)), dataset_(std::move(dataset)) {}
    std::pair<Hid, Hid> select(hsize_t first, hsize_t count) const;
    ArraySpec spec_;
    Hid dataset_;
};

} // namespace slt::banks::hdf5
