#include "legacy_file.hpp"

#include <slt/sdk/cpp/error.hpp>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace slt::legacy {
namespace {

using slt::sdk::Error;

constexpr const char* kRgb = "rgb_images";
constexpr const char* kLogits = "logits";
constexpr const char* kFilenames = "filenames";
constexpr const char* kLastWritten = "last_written_index";
constexpr size_t kMaxChunkCache = size_t{1} << 30;

std::string hdf5_message(const H5::Exception& e)
{
    std::string detail = e.getDetailMsg();
    return detail.empty() ? std::string("HDF5 error in ") + e.getFuncName() : detail;
}

bool is_dataset(const H5::H5File& file, const char* name)
{
    if (H5Lexists(file.getId(), name, H5P_DEFAULT) <= 0) return false;
    return file.childObjType(name) == H5O_TYPE_DATASET;
}

bool is_numeric(const H5::DataSet& dataset)
{
    const H5T_class_t type = dataset.getTypeClass();
    return type == H5T_INTEGER || type == H5T_FLOAT;
}

// A bigger chunk cache than HDF5's 1 MiB default when a chunk does not fit it: the Python writer
// chunks whole images (a 1024 x 512 x 9 logit slice is 18 MiB), and a chunk that does not fit the
// cache is decompressed again on every partial read (every crop).
size_t chunk_bytes(const H5::DataSet& dataset)
{
    const H5::DSetCreatPropList create = dataset.getCreatePlist();
    if (create.getLayout() != H5D_CHUNKED) return 0;
    const int rank = dataset.getSpace().getSimpleExtentNdims();
    std::vector<hsize_t> chunk(static_cast<size_t>(std::max(rank, 1)));
    create.getChunk(rank, chunk.data());
    size_t bytes = dataset.getDataType().getSize();
    for (int i = 0; i < rank; ++i) bytes *= static_cast<size_t>(chunk[static_cast<size_t>(i)]);
    return bytes;
}

} // namespace

void silence_hdf5() { H5::Exception::dontPrint(); }

bool LegacyFile::looks_like_legacy(const std::string& path)
{
    try {
        silence_hdf5();
        std::error_code ec;
        if (!std::filesystem::is_regular_file(path, ec) || H5Fis_hdf5(path.c_str()) <= 0) return false;
        const H5::H5File file(path, H5F_ACC_RDONLY);
        return is_dataset(file, kRgb) && is_dataset(file, kLogits) && is_dataset(file, kFilenames);
    } catch (...) {
        return false;
    }
}

LegacyFile::LegacyFile(const std::string& path) : path_(path)
{
    silence_hdf5();
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) throw Error(SLT_ERR_IO, "'" + path + "' is a directory, not a bank file");
    if (!std::filesystem::exists(path, ec)) throw Error(SLT_ERR_IO, "'" + path + "' does not exist");
    if (H5Fis_hdf5(path.c_str()) <= 0) throw Error(SLT_ERR_FORMAT, "'" + path + "' is not an HDF5 file");
    try {
        file_ = H5::H5File(path, H5F_ACC_RDONLY);
        read_shapes();
        read_last_written_index();
        find_maps();
        read_names();
    } catch (const H5::Exception& e) {
        fail(hdf5_message(e));
    }
}

void LegacyFile::fail(const std::string& what) const
{
    throw Error(SLT_ERR_FORMAT, "'" + path_ + "': " + what);
}

H5::DataSet LegacyFile::open_dataset(const char* name) const
{
    if (!is_dataset(file_, name))
        fail(std::string("dataset '") + name + "' is missing (not a bank of the Python SLT?)");
    H5::DataSet dataset = file_.openDataSet(name);
    const size_t bytes = chunk_bytes(dataset);
    if (bytes <= (size_t{1} << 20)) return dataset;
    H5::DSetAccPropList access;
    access.setChunkCache(521, std::min(2 * bytes, kMaxChunkCache), 1.0);
    return file_.openDataSet(name, access);
}

std::vector<hsize_t> LegacyFile::dims_of(const H5::DataSet& dataset, const char* name, int rank) const
{
    const H5::DataSpace space = dataset.getSpace();
    if (space.getSimpleExtentNdims() != rank)
        fail(std::string("dataset '") + name + "' has " + std::to_string(space.getSimpleExtentNdims()) +
             " dimensions, expected " + std::to_string(rank));
    std::vector<hsize_t> dims(static_cast<size_t>(rank));
    space.getSimpleExtentDims(dims.data());
    return dims;
}

void LegacyFile::read_shapes()
{
    rgb_ = open_dataset(kRgb);
    logits_ = open_dataset(kLogits);
    filenames_ = open_dataset(kFilenames);
    const std::vector<hsize_t> rgb = dims_of(rgb_, kRgb, 4);
    const std::vector<hsize_t> logits = dims_of(logits_, kLogits, 4);
    const std::vector<hsize_t> names = dims_of(filenames_, kFilenames, 1);
    if (rgb[3] != 3) fail("dataset 'rgb_images' has " + std::to_string(rgb[3]) + " channels, expected 3 (RGB)");
    if (rgb_.getTypeClass() != H5T_INTEGER) fail("dataset 'rgb_images' is not an integer (u8) array");
    if (!is_numeric(logits_)) fail("dataset 'logits' is not a numeric array");
    if (filenames_.getTypeClass() != H5T_STRING) fail("dataset 'filenames' does not hold strings");
    if (logits[1] != rgb[1] || logits[2] != rgb[2])
        fail("datasets 'logits' (" + std::to_string(logits[1]) + " x " + std::to_string(logits[2]) +
             ") and 'rgb_images' (" + std::to_string(rgb[1]) + " x " + std::to_string(rgb[2]) + ") differ in image size");
    if (logits[3] < 1 || logits[3] > 4096) fail("dataset 'logits' has " + std::to_string(logits[3]) + " classes");
    if (rgb[1] > (1u << 20) || rgb[2] > (1u << 20)) fail("dataset 'rgb_images' has implausible image size");
    height_ = static_cast<int32_t>(rgb[1]);
    width_ = static_cast<int32_t>(rgb[2]);
    classes_ = static_cast<int32_t>(logits[3]);
    rows_in_file_ = static_cast<int64_t>(std::min({rgb[0], logits[0], names[0]}));
}

void LegacyFile::read_last_written_index()
{
    samples_ = rows_in_file_;
    if (!file_.attrExists(kLastWritten)) return;
    const H5::Attribute attribute = file_.openAttribute(kLastWritten);
    if (attribute.getTypeClass() != H5T_INTEGER || attribute.getSpace().getSimpleExtentNpoints() != 1)
        fail("attribute 'last_written_index' is not one integer");
    int64_t value = 0;
    attribute.read(H5::PredType::NATIVE_INT64, &value);
    if (value < 0 || value > rows_in_file_)
        fail("attribute 'last_written_index' is " + std::to_string(value) + " but the datasets hold " +
             std::to_string(rows_in_file_) + " samples");
    last_written_index_ = value;
    samples_ = value;
}

void LegacyFile::find_maps()
{
    const hsize_t count = file_.getNumObjs();
    for (hsize_t i = 0; i < count; ++i) {
        const std::string name = file_.getObjnameByIdx(i);
        if (name == kRgb || name == kLogits || name == kFilenames || !is_dataset(file_, name.c_str())) continue;
        const H5::DataSet dataset = file_.openDataSet(name);
        std::vector<hsize_t> dims(3);
        if (dataset.getSpace().getSimpleExtentNdims() != 3 || !is_numeric(dataset)) continue;
        dataset.getSpace().getSimpleExtentDims(dims.data());
        if (dims[1] != static_cast<hsize_t>(height_) || dims[2] != static_cast<hsize_t>(width_)) continue;
        if (static_cast<int64_t>(dims[0]) < samples_)
            fail("map '" + name + "' holds " + std::to_string(dims[0]) + " samples, fewer than the " +
                 std::to_string(samples_) + " written");
        map_names_.push_back(name);
    }
    std::sort(map_names_.begin(), map_names_.end());
    for (const std::string& name : map_names_) maps_.push_back(open_dataset(name.c_str()));
}

void LegacyFile::read_names()
{
    names_.clear();
    if (samples_ == 0) return;
    const H5::StrType file_type = filenames_.getStrType();
    H5::DataSpace file_space = filenames_.getSpace();
    const hsize_t start[1] = {0}, count[1] = {static_cast<hsize_t>(samples_)};
    file_space.selectHyperslab(H5S_SELECT_SET, count, start);
    const H5::DataSpace memory(1, count);
    if (file_type.isVariableStr()) {
        // The memory type must carry the file's character set, or HDF5 refuses the conversion.
        H5::StrType memory_type(H5::PredType::C_S1, H5T_VARIABLE);
        memory_type.setCset(file_type.getCset());
        std::vector<char*> raw(static_cast<size_t>(samples_), nullptr);
        filenames_.read(raw.data(), memory_type, memory, file_space);
        for (char* s : raw) names_.emplace_back(s ? s : "");
        H5Dvlen_reclaim(memory_type.getId(), memory.getId(), H5P_DEFAULT, raw.data());
    } else {
        const size_t size = file_type.getSize();
        std::vector<char> raw(size * static_cast<size_t>(samples_));
        filenames_.read(raw.data(), file_type, memory, file_space);
        for (int64_t i = 0; i < samples_; ++i) {
            const char* s = raw.data() + static_cast<size_t>(i) * size;
            names_.emplace_back(s, strnlen(s, size));
        }
    }
}

void LegacyFile::read_map(const std::string& name, int64_t sample, std::vector<float>& out) const
{
    const auto it = std::find(map_names_.begin(), map_names_.end(), name);
    if (it == map_names_.end()) fail("map '" + name + "' is missing");
    const H5::DataSet& dataset = maps_[static_cast<size_t>(it - map_names_.begin())];
    try {
        H5::DataSpace space = dataset.getSpace();
        const hsize_t start[3] = {static_cast<hsize_t>(sample), 0, 0};
        const hsize_t count[3] = {1, static_cast<hsize_t>(height_), static_cast<hsize_t>(width_)};
        space.selectHyperslab(H5S_SELECT_SET, count, start);
        out.resize(static_cast<size_t>(height_) * static_cast<size_t>(width_));
        dataset.read(out.data(), H5::PredType::NATIVE_FLOAT, H5::DataSpace(3, count), space);
    } catch (const H5::Exception& e) {
        fail("reading map '" + name + "' of sample " + std::to_string(sample) + ": " + hdf5_message(e));
    }
}

void LegacyFile::read_logits(int64_t sample, std::vector<float>& out) const
{
    try {
        H5::DataSpace space = logits_.getSpace();
        const hsize_t start[4] = {static_cast<hsize_t>(sample), 0, 0, 0};
        const hsize_t count[4] = {1, static_cast<hsize_t>(height_), static_cast<hsize_t>(width_),
                                  static_cast<hsize_t>(classes_)};
        space.selectHyperslab(H5S_SELECT_SET, count, start);
        out.resize(static_cast<size_t>(height_) * static_cast<size_t>(width_) * static_cast<size_t>(classes_));
        logits_.read(out.data(), H5::PredType::NATIVE_FLOAT, H5::DataSpace(4, count), space);
    } catch (const H5::Exception& e) {
        fail("reading 'logits' of sample " + std::to_string(sample) + ": " + hdf5_message(e));
    }
}

void LegacyFile::read_rgb(int64_t sample, int32_t row, int32_t column, int32_t rows, int32_t columns,
                          uint8_t* out) const
{
    try {
        H5::DataSpace space = rgb_.getSpace();
        const hsize_t start[4] = {static_cast<hsize_t>(sample), static_cast<hsize_t>(row),
                                  static_cast<hsize_t>(column), 0};
        const hsize_t count[4] = {1, static_cast<hsize_t>(rows), static_cast<hsize_t>(columns), 3};
        space.selectHyperslab(H5S_SELECT_SET, count, start);
        rgb_.read(out, H5::PredType::NATIVE_UINT8, H5::DataSpace(4, count), space);
    } catch (const H5::Exception& e) {
        fail("reading 'rgb_images' of sample " + std::to_string(sample) + ": " + hdf5_message(e));
    }
}

} // namespace slt::legacy
