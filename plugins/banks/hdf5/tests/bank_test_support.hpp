// Helpers of the HDF5 bank tests: the plugin loaded from its built library, deterministic sample
// points, and writing/reading whole banks through the host-side proxy. Temporary folders and file
// bytes come from the bank plugins' shared test support (slt_bank_test).
#pragma once

#include <slt/sdk/cpp/host/bank_proxy.hpp>
#include <slt_bank_test/bank_test_support.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace bank_test {

using slt::banks::test::read_bytes;
using slt::banks::test::TempDir;
using slt::sdk::host::BankProxy;
namespace fs = std::filesystem;

// The plugin's slt_bank_factory (the built hdf5.so, loaded as a host does).
const void* factory();
const slt_bank_factory* table();

// The bank-wide description used by the tests.
struct Shape {
    int32_t classes = 3;
    int32_t metrics = 4;
    int32_t dim = 8;
    int32_t crop_width = 8;
    int32_t crop_height = 6;
};

// Every column of `count` points, deterministic in `seed`; image indices below `images`.
struct Points {
    int64_t count = 0;
    std::vector<int32_t> image_index, predicted_class;
    std::vector<float> x, y, mean_probs, scores, embeddings;
    std::vector<uint8_t> crops;

    static Points make(const Shape& shape, int64_t count, int32_t images, uint32_t seed);
    slt_bank_points view();
    void append(const Points& other);
};

// Owns the strings the C metadata points to.
struct MetadataHolder {
    std::vector<int32_t> ids;
    std::vector<std::string> names, colours, metrics;
    std::vector<const char*> name_ptrs, colour_ptrs, metric_ptrs;
    slt_bank_metadata meta{};
    explicit MetadataHolder(const Shape& shape);
};

// Creates a bank at `path` with `images` images and `points` appended in batches of `batch`; closes it.
void write_bank(const fs::path& path, const Shape& shape, const std::vector<std::string>& images,
                Points& points, int64_t batch);

BankProxy open_bank(const fs::path& path, slt_bank_mode mode);

// Reads every column of every point of an open bank.
Points read_all(BankProxy& bank, const Shape& shape);

} // namespace bank_test
