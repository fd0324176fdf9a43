// Whole-column read time of a [N, D] float32 embeddings dataset stored chunked (~1 MiB chunks of whole rows)
// uncompressed, deflated, or shuffled + deflated: the choice behind the HDF5 bank's float columns.
// Prints one JSON line per figure (bench, metric, value, unit, baseline, ratio; baseline = uncompressed).
//
//   slt-bench-hdf5-layout [--points N] [--dim D] [--runs R] [--dir FOLDER]
#include <hdf5.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

struct Options {
    hsize_t points = 1000000;
    hsize_t dim = 64;
    int runs = 5;
    fs::path dir = fs::temp_directory_path();
};

struct Layout {
    const char* name;
    bool shuffle;
    unsigned deflate; // 0: none
};

// Clustered Gaussian embeddings (dense, like a network's penultimate features after normalisation) or
// ReLU-like ones (about half exact zeros, as raw post-activation features).
std::vector<float> make_embeddings(const Options& o, bool relu)
{
    std::mt19937 rng(42);
    std::normal_distribution<float> noise(0.0f, 1.0f);
    std::vector<float> centres(16 * o.dim);
    for (float& c : centres) c = 3.0f * noise(rng);
    std::vector<float> values(o.points * o.dim);
    for (hsize_t i = 0; i < o.points; ++i) {
        const float* centre = &centres[(rng() % 16) * o.dim];
        for (hsize_t d = 0; d < o.dim; ++d) {
            const float v = centre[d] + noise(rng);
            values[i * o.dim + d] = relu ? std::max(0.0f, v) : v;
        }
    }
    return values;
}

double seconds_since(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void write_file(const fs::path& path, const Options& o, const Layout& layout, const std::vector<float>& values)
{
    const hid_t file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    const hsize_t dims[2] = {o.points, o.dim}, max_dims[2] = {H5S_UNLIMITED, o.dim};
    const hsize_t chunk[2] = {std::max<hsize_t>(1, (hsize_t{1} << 20) / (4 * o.dim)), o.dim};
    const hid_t space = H5Screate_simple(2, dims, max_dims);
    const hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_chunk(dcpl, 2, chunk);
    if (layout.shuffle) H5Pset_shuffle(dcpl);
    if (layout.deflate) H5Pset_deflate(dcpl, layout.deflate);
    const hid_t dataset = H5Dcreate2(file, "embeddings", H5T_IEEE_F32LE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    if (dataset < 0 || H5Dwrite(dataset, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) < 0) {
        std::fprintf(stderr, "cannot write %s\n", path.c_str());
        std::exit(1);
    }
    H5Dclose(dataset);
    H5Pclose(dcpl);
    H5Sclose(space);
    H5Fclose(file);
}

// Median wall time of reading the whole dataset into one buffer, the way the bank plugin does (one H5Dread,
// no chunk cache for uncompressed chunks).
double read_seconds(const fs::path& path, const Options& o, bool compressed, std::vector<float>& out)
{
    std::vector<double> times;
    for (int run = 0; run < o.runs; ++run) {
        const auto start = std::chrono::steady_clock::now();
        const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
        const hid_t dapl = H5Pcreate(H5P_DATASET_ACCESS);
        H5Pset_chunk_cache(dapl, H5D_CHUNK_CACHE_NSLOTS_DEFAULT, compressed ? 2u << 20 : 0, H5D_CHUNK_CACHE_W0_DEFAULT);
        const hid_t dataset = H5Dopen2(file, "embeddings", dapl);
        if (dataset < 0 || H5Dread(dataset, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()) < 0) {
            std::fprintf(stderr, "cannot read %s\n", path.c_str());
            std::exit(1);
        }
        H5Dclose(dataset);
        H5Pclose(dapl);
        H5Fclose(file);
        times.push_back(seconds_since(start));
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

void print(const char* metric, double value, const char* unit, double baseline, const Options& o, const char* data)
{
    char comparison[96] = ""; // only figures with a baseline carry one
    if (baseline > 0)
        std::snprintf(comparison, sizeof comparison, ",\"baseline\":%.4g,\"ratio\":%.3g", baseline, value / baseline);
    std::printf("{\"bench\":\"hdf5-layout\",\"metric\":\"%s\",\"value\":%.4g,\"unit\":\"%s\"%s,\"points\":%llu,"
                "\"dim\":%llu,\"runs\":%d,\"embeddings\":\"%s\"}\n",
                metric, value, unit, comparison, static_cast<unsigned long long>(o.points),
                static_cast<unsigned long long>(o.dim), o.runs, data);
    std::fflush(stdout);
}

Options parse(int argc, char** argv)
{
    Options o;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string key = argv[i], value = argv[i + 1];
        if (key == "--points") o.points = std::stoull(value);
        else if (key == "--dim") o.dim = std::stoull(value);
        else if (key == "--runs") o.runs = std::max(1, std::stoi(value));
        else if (key == "--dir") o.dir = value;
        else {
            std::fprintf(stderr, "usage: slt-bench-hdf5-layout [--points N] [--dim D] [--runs R] [--dir FOLDER]\n");
            std::exit(2);
        }
    }
    if (argc % 2 == 0) {
        std::fprintf(stderr, "usage: slt-bench-hdf5-layout [--points N] [--dim D] [--runs R] [--dir FOLDER]\n");
        std::exit(2);
    }
    return o;
}

} // namespace

int main(int argc, char** argv)
{
    const Options o = parse(argc, argv);
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    const Layout layouts[] = {{"uncompressed", false, 0}, {"deflate4", false, 4}, {"shuffle_deflate4", true, 4}};
    for (const bool relu : {false, true}) {
        const char* data = relu ? "relu" : "gaussian";
        const std::vector<float> values = make_embeddings(o, relu);
        std::vector<float> out(values.size());
        double baseline_read = 0, baseline_size = 0;
        for (const Layout& layout : layouts) {
            const fs::path path = o.dir / (std::string("slt-hdf5-layout-") + layout.name + ".h5");
            const auto start = std::chrono::steady_clock::now();
            write_file(path, o, layout, values);
            const double write = seconds_since(start);
            const double read = read_seconds(path, o, layout.deflate > 0, out);
            const double mib = static_cast<double>(fs::file_size(path)) / (1 << 20);
            fs::remove(path);
            if (out != values) {
                std::fprintf(stderr, "read back differs for %s\n", layout.name);
                return 1;
            }
            if (layout.deflate == 0) {
                baseline_read = read;
                baseline_size = mib;
            }
            print((std::string("read_") + layout.name).c_str(), read * 1000, "ms", baseline_read * 1000, o, data);
            print((std::string("file_") + layout.name).c_str(), mib, "MiB", baseline_size, o, data);
            print((std::string("write_") + layout.name).c_str(), write * 1000, "ms", 0, o, data);
        }
    }
    return 0;
}
