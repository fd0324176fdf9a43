#include "hdf5_bank.hpp"

#include "hdf5_layout.hpp"

#include <slt/banks/bank_identity.hpp>
#include <slt/banks/png_codec.hpp>

#include <sys/stat.h>

#include <cstdio>

namespace slt::banks::hdf5 {
namespace {

using slt::sdk::BankMetadata;
using slt::sdk::Error;
namespace L = layout;

// Crops larger than this in one PNG mean corrupt offsets, not a real crop.
constexpr int64_t kMaxEncodedCropBytes = int64_t{64} << 20;
constexpr int32_t kMaxCropSide = 4096;

void require_key(const std::string& key)
{
    if (!slt::banks::is_valid_attribute_key(key))
        throw Error(SLT_ERR_INVALID_ARGUMENT, "attribute key '" + key + "' is not made of [a-z0-9_./-]");
}

enum class PathKind { kMissing, kDirectory, kFile, kOther };

PathKind path_kind(const std::string& path, off_t* size = nullptr)
{
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) return PathKind::kMissing;
    if (size) *size = info.st_size;
    if (S_ISDIR(info.st_mode)) return PathKind::kDirectory;
    return S_ISREG(info.st_mode) ? PathKind::kFile : PathKind::kOther;
}

// File access: the 1.8 object formats (compact/dense attribute storage, so large text attributes work),
// readable by any HDF5 >= 1.8 and h5py.
Hid file_access()
{
    Hid fapl = owned(H5Pcreate(H5P_FILE_ACCESS), SLT_ERR_INTERNAL, "cannot create file access properties");
    check(H5Pset_libver_bounds(fapl.get(), H5F_LIBVER_V18, H5F_LIBVER_V18), SLT_ERR_INTERNAL,
          "cannot set the HDF5 format bounds");
    return fapl;
}

int64_t require_int(hid_t object, const char* name, int64_t min, int64_t max)
{
    const std::optional<int64_t> value = read_int_attribute(object, name);
    if (!value) throw Error(SLT_ERR_FORMAT, std::string("missing root attribute '") + name + "'");
    if (*value < min || *value > max)
        throw Error(SLT_ERR_FORMAT, std::string("root attribute '") + name + "' is " + std::to_string(*value) +
                                        ", outside [" + std::to_string(min) + ", " + std::to_string(max) + "]");
    return *value;
}

std::string require_string(hid_t object, const char* name)
{
    std::optional<std::string> value = read_string_attribute(object, name);
    if (!value) throw Error(SLT_ERR_FORMAT, std::string("missing root attribute '") + name + "'");
    return *value;
}

void check_create_metadata(const BankMetadata& m)
{
    if (m.classes.empty()) throw Error(SLT_ERR_INVALID_ARGUMENT, "a bank needs at least one class");
    if (m.mc_samples < 0 || m.embedding_dim < 0)
        throw Error(SLT_ERR_INVALID_ARGUMENT, "mc_samples and embedding_dim must not be negative");
    const bool no_crops = m.crop_width == 0 && m.crop_height == 0;
    const bool crops = m.crop_width > 0 && m.crop_height > 0 && m.crop_width <= kMaxCropSide &&
                       m.crop_height <= kMaxCropSide;
    if (!no_crops && !crops)
        throw Error(SLT_ERR_INVALID_ARGUMENT, "crop size " + std::to_string(m.crop_width) + "x" +
                                                  std::to_string(m.crop_height) + " is not 0x0 or within 1.." +
                                                  std::to_string(kMaxCropSide));
}

// A pointer member of a host struct, or NULL when the host's struct (struct_size) predates it.
template <class T>
T if_present(uint32_t struct_size, size_t offset, T value)
{
    return struct_size >= offset + sizeof(T) ? value : nullptr;
}

} // namespace

// ---------------------------------------------------------------------------------------------- probe

float Hdf5Bank::probe(const std::string& path)
{
    silence_errors();
    off_t size = 0;
    if (path_kind(path, &size) != PathKind::kFile || size < 8) return 0.0f;
    if (H5Fis_hdf5(path.c_str()) <= 0) {
        H5Eclear2(H5E_DEFAULT);
        return 0.0f;
    }
    const Hid fapl = file_access();
    const Hid file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, fapl.get()));
    if (!file.valid()) {
        // An HDF5 signature we cannot open: maybe a damaged bank. A low score lets open() explain.
        H5Eclear2(H5E_DEFAULT);
        return 0.1f;
    }
    const std::optional<std::string> format = read_string_attribute(file.get(), L::kAttrFormat);
    return format && *format == L::kFormatName ? 1.0f : 0.0f;
}

// ----------------------------------------------------------------------------------- open and create

Hdf5Bank::Hdf5Bank(const slt::sdk::Host& host, const std::string& path, slt_bank_mode mode,
                   const BankMetadata* create)
    : host_(host), path_(path), mode_(mode)
{
    silence_errors();
    string_type_ = utf8_string_type();
    if (mode == SLT_BANK_CREATE) {
        if (!create) throw Error(SLT_ERR_INVALID_ARGUMENT, "creating a bank needs metadata");
        create_file(*create);
    } else if (mode == SLT_BANK_READ || mode == SLT_BANK_APPEND) {
        open_file(mode);
    } else {
        throw Error(SLT_ERR_INVALID_ARGUMENT, "unknown bank mode " + std::to_string(static_cast<int>(mode)));
    }
}

Hdf5Bank::~Hdf5Bank() = default;

void Hdf5Bank::create_file(const BankMetadata& m)
{
    check_create_metadata(m);
    if (path_kind(path_) != PathKind::kMissing)
        throw Error(SLT_ERR_IO, "cannot create bank '" + path_ + "': the file already exists");
    const Hid fapl = file_access();
    file_ = owned(H5Fcreate(path_.c_str(), H5F_ACC_EXCL, H5P_DEFAULT, fapl.get()), SLT_ERR_IO,
                  "cannot create bank '" + path_ + "'");
    try {
        write_metadata(m);
        create_arrays();
        flush();
    } catch (...) {
        // Leave nothing half-made behind.
        columns_.clear();
        image_names_ = Array();
        crop_bytes_ = Array();
        crop_offsets_ = Array();
        attributes_group_.reset();
        file_.reset();
        std::remove(path_.c_str());
        throw;
    }
}

void Hdf5Bank::write_metadata(const BankMetadata& m)
{
    meta_ = m;
    meta_.format_version = static_cast<uint32_t>(L::kFormatVersion);
    meta_.uuid = m.uuid.empty() ? slt::banks::new_uuid() : m.uuid;
    meta_.created_utc = m.created_utc.empty() ? slt::banks::now_utc() : m.created_utc;
    meta_.image_names.clear();
    meta_.num_points = 0;
    const hid_t root = file_.get();
    write_string_attribute(root, L::kAttrFormat, L::kFormatName);
    write_int_attribute(root, L::kAttrFormatVersion, L::kFormatVersion);
    write_string_attribute(root, L::kAttrUuid, meta_.uuid);
    write_string_attribute(root, L::kAttrCreated, meta_.created_utc);
    write_string_attribute(root, L::kAttrModelId, meta_.model_id);
    write_string_attribute(root, L::kAttrCheckpointHash, meta_.checkpoint_hash);
    write_int_attribute(root, L::kAttrMcSamples, meta_.mc_samples);
    write_int_attribute(root, L::kAttrNumClasses, static_cast<int64_t>(meta_.classes.size()));
    write_int_attribute(root, L::kAttrNumMetrics, static_cast<int64_t>(meta_.metric_names.size()));
    write_int_attribute(root, L::kAttrEmbeddingDim, meta_.embedding_dim);
    write_int_attribute(root, L::kAttrCropWidth, meta_.crop_width);
    write_int_attribute(root, L::kAttrCropHeight, meta_.crop_height);
    if (has_crops()) write_string_attribute(root, L::kAttrCropEncoding, "png");
    write_int_attribute(root, L::kAttrNumImages, 0);
    write_int_attribute(root, L::kAttrNumPoints, 0);
}

void Hdf5Bank::open_file(slt_bank_mode mode)
{
    switch (path_kind(path_)) {
    case PathKind::kMissing: throw Error(SLT_ERR_IO, "cannot open bank '" + path_ + "': no such file");
    case PathKind::kDirectory: throw Error(SLT_ERR_IO, "cannot open bank '" + path_ + "': it is a directory");
    case PathKind::kOther: throw Error(SLT_ERR_IO, "cannot open bank '" + path_ + "': not a regular file");
    case PathKind::kFile: break;
    }
    if (H5Fis_hdf5(path_.c_str()) <= 0) {
        H5Eclear2(H5E_DEFAULT);
        throw Error(SLT_ERR_FORMAT, "'" + path_ + "' is not an HDF5 file");
    }
    const Hid fapl = file_access();
    file_ = owned(H5Fopen(path_.c_str(), mode == SLT_BANK_READ ? H5F_ACC_RDONLY : H5F_ACC_RDWR, fapl.get()),
                  SLT_ERR_FORMAT, "cannot open '" + path_ + "' as an HDF5 file");
    read_metadata();
    read_fixed_tables();
    open_arrays();
}

void Hdf5Bank::read_metadata()
{
    const hid_t root = file_.get();
    const std::optional<std::string> format = read_string_attribute(root, L::kAttrFormat);
    if (!format || *format != L::kFormatName)
        throw Error(SLT_ERR_FORMAT, "'" + path_ + "' is an HDF5 file but not an SLT bank (no root attribute " +
                                        L::kAttrFormat + " = \"" + L::kFormatName + "\")");
    const int64_t version = require_int(root, L::kAttrFormatVersion, 1, INT32_MAX);
    if (version > L::kFormatVersion)
        throw Error(SLT_ERR_FORMAT, "'" + path_ + "' is an SLT bank of format version " + std::to_string(version) +
                                        ", newer than format version " + std::to_string(L::kFormatVersion) +
                                        " that this plugin reads; update SLT to open it");
    meta_.format_version = static_cast<uint32_t>(version);
    meta_.uuid = require_string(root, L::kAttrUuid);
    meta_.created_utc = require_string(root, L::kAttrCreated);
    meta_.model_id = require_string(root, L::kAttrModelId);
    meta_.checkpoint_hash = require_string(root, L::kAttrCheckpointHash);
    meta_.mc_samples = static_cast<int32_t>(require_int(root, L::kAttrMcSamples, 0, INT32_MAX));
    meta_.classes.resize(static_cast<size_t>(require_int(root, L::kAttrNumClasses, 1, 1 << 16)));
    meta_.metric_names.resize(static_cast<size_t>(require_int(root, L::kAttrNumMetrics, 0, 1 << 16)));
    meta_.embedding_dim = static_cast<int32_t>(require_int(root, L::kAttrEmbeddingDim, 0, 1 << 20));
    meta_.crop_width = static_cast<int32_t>(require_int(root, L::kAttrCropWidth, 0, kMaxCropSide));
    meta_.crop_height = static_cast<int32_t>(require_int(root, L::kAttrCropHeight, 0, kMaxCropSide));
    num_points_ = require_int(root, L::kAttrNumPoints, 0, INT64_MAX);
    meta_.image_names.resize(static_cast<size_t>(require_int(root, L::kAttrNumImages, 0, INT32_MAX)));
    if (has_crops() && read_string_attribute(root, L::kAttrCropEncoding).value_or("") != "png")
        throw Error(SLT_ERR_FORMAT, "root attribute 'crop_encoding' is not \"png\"");
}

void Hdf5Bank::read_fixed_tables()
{
    const hsize_t c = meta_.classes.size(), m = meta_.metric_names.size();
    const Array ids = Array::open(file_.get(), {L::kClassIds, H5T_STD_I32LE, H5T_NATIVE_INT32, 1, 1, 1}, c);
    std::vector<int32_t> id_values(c);
    ids.read(0, c, id_values.data());
    const auto string_spec = [&](const char* path) { return ArraySpec{path, string_type_.get(), string_type_.get()}; };
    const Array names = Array::open(file_.get(), string_spec(L::kClassNames), c);
    const Array colours = Array::open(file_.get(), string_spec(L::kClassColours), c);
    const std::vector<std::string> name_values = read_strings(names.id(), 0, static_cast<int64_t>(c));
    const std::vector<std::string> colour_values = read_strings(colours.id(), 0, static_cast<int64_t>(c));
    for (size_t i = 0; i < c; ++i) meta_.classes[i] = {id_values[i], name_values[i], colour_values[i]};
    const Array metrics = Array::open(file_.get(), string_spec(L::kMetricNames), m);
    meta_.metric_names = read_strings(metrics.id(), 0, static_cast<int64_t>(m));
}

std::vector<ArraySpec> Hdf5Bank::column_specs() const
{
    const auto i32 = [](const char* path) {
        return ArraySpec{path, H5T_STD_I32LE, H5T_NATIVE_INT32, 1, 1, chunk_rows_for(4), true, 2 * L::kChunkBytes};
    };
    const auto f32 = [](const char* path, hsize_t width, int rank) {
        return ArraySpec{path, H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, rank, width, chunk_rows_for(4 * width), false, 0};
    };
    return {i32(L::kImageIndex),
            f32(L::kX, 1, 1),
            f32(L::kY, 1, 1),
            i32(L::kPredictedClass),
            f32(L::kMeanProbs, meta_.classes.size(), 2),
            f32(L::kScores, meta_.metric_names.size(), 2),
            f32(L::kEmbeddings, static_cast<hsize_t>(meta_.embedding_dim), 2)};
}

ArraySpec Hdf5Bank::image_names_spec() const
{
    return {L::kImageNames, string_type_.get(), string_type_.get(), 1, 1, L::kImageNamesChunk, true, L::kChunkBytes};
}

ArraySpec Hdf5Bank::crop_bytes_spec() const
{
    return {L::kCropBytes, H5T_STD_U8LE, H5T_NATIVE_UINT8, 1, 1, L::kChunkBytes, false, 0};
}

ArraySpec Hdf5Bank::crop_offsets_spec() const
{
    return {L::kCropOffsets, H5T_STD_I64LE, H5T_NATIVE_INT64, 1, 1, L::kCropOffsetsChunk, true, L::kChunkBytes};
}

void Hdf5Bank::create_arrays()
{
    const hid_t file = file_.get();
    const hsize_t c = meta_.classes.size();
    std::vector<int32_t> ids;
    std::vector<std::string> names, colours;
    for (const auto& info : meta_.classes) {
        ids.push_back(info.id);
        names.push_back(info.name);
        colours.push_back(info.colour);
    }
    const auto small_strings = [&](const char* path, const std::vector<std::string>& values) {
        Array array = Array::create(file, {path, string_type_.get(), string_type_.get(), 1, 1,
                                           std::max<hsize_t>(1, values.size()), false, 0});
        array.resize(values.size());
        write_strings(array.id(), 0, values);
    };
    Array::create(file, {L::kClassIds, H5T_STD_I32LE, H5T_NATIVE_INT32, 1, 1, c, false, 0}).write(0, c, ids.data());
    small_strings(L::kClassNames, names);
    small_strings(L::kClassColours, colours);
    small_strings(L::kMetricNames, meta_.metric_names);
    image_names_ = Array::create(file, image_names_spec());
    for (const ArraySpec& spec : column_specs())
        columns_.push_back(spec.width > 0 ? Array::create(file, spec) : Array());
    if (has_crops()) {
        crop_bytes_ = Array::create(file, crop_bytes_spec());
        crop_offsets_ = Array::create(file, crop_offsets_spec());
        const int64_t zero = 0;
        crop_offsets_.write(0, 1, &zero);
    }
    attributes_group_ = owned(H5Gcreate2(file, L::kTextAttributes, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), SLT_ERR_IO,
                              "cannot create group '/attributes'");
}

void Hdf5Bank::open_arrays()
{
    const hid_t file = file_.get();
    const hsize_t n = static_cast<hsize_t>(num_points_);
    image_names_ = Array::open(file, image_names_spec(), meta_.image_names.size());
    meta_.image_names = read_strings(image_names_.id(), 0, static_cast<int64_t>(meta_.image_names.size()));
    for (const ArraySpec& spec : column_specs())
        columns_.push_back(spec.width > 0 ? Array::open(file, spec, n) : Array());
    if (has_crops()) {
        crop_bytes_ = Array::open(file, crop_bytes_spec(), 0);
        crop_offsets_ = Array::open(file, crop_offsets_spec(), n + 1);
        crop_offsets_.read(n, 1, &crop_bytes_end_);
        if (crop_bytes_end_ < 0 || static_cast<hsize_t>(crop_bytes_end_) > crop_bytes_.rows())
            throw Error(SLT_ERR_FORMAT, "dataset '/crops/offsets' points past the end of '/crops/png'");
    }
    if (!has_link(file, L::kTextAttributes)) throw Error(SLT_ERR_FORMAT, "missing group '/attributes'");
    attributes_group_ = owned(H5Gopen2(file, L::kTextAttributes, H5P_DEFAULT), SLT_ERR_FORMAT,
                              "cannot open group '/attributes'");
}

// ---------------------------------------------------------------------------------------------- reads

BankMetadata Hdf5Bank::metadata()
{
    BankMetadata m = meta_;
    m.num_points = num_points_;
    return m;
}

void Hdf5Bank::read_points(int64_t first, slt_bank_columns& columns, const slt::sdk::Job& job)
{
    silence_errors();
    const int64_t count = columns.count;
    if (first > num_points_ || count > num_points_ - first)
        throw Error(SLT_ERR_INVALID_ARGUMENT, "rows [" + std::to_string(first) + ", " + std::to_string(first + count) +
                                                  ") exceed the bank's " + std::to_string(num_points_) + " points");
    const uint32_t size = columns.struct_size;
    void* const outputs[kColumnCount] = {
        if_present(size, offsetof(slt_bank_columns, image_index), columns.image_index),
        if_present(size, offsetof(slt_bank_columns, x), columns.x),
        if_present(size, offsetof(slt_bank_columns, y), columns.y),
        if_present(size, offsetof(slt_bank_columns, predicted_class), columns.predicted_class),
        if_present(size, offsetof(slt_bank_columns, mean_probs), columns.mean_probs),
        if_present(size, offsetof(slt_bank_columns, scores), columns.scores),
        if_present(size, offsetof(slt_bank_columns, embeddings), columns.embeddings)};
    for (int c = 0; c < kColumnCount; ++c) {
        if (!outputs[c] || !columns_[c].valid()) continue;
        job.throw_if_cancelled();
        columns_[c].read(static_cast<hsize_t>(first), static_cast<hsize_t>(count), outputs[c]);
        job.progress(static_cast<uint64_t>(c + 1), kColumnCount);
    }
}

std::vector<uint8_t> Hdf5Bank::read_encoded_crop(int64_t index) const
{
    int64_t range[2] = {0, 0};
    crop_offsets_.read(static_cast<hsize_t>(index), 2, range);
    if (range[0] < 0 || range[1] < range[0] || range[1] > crop_bytes_end_ || range[1] - range[0] > kMaxEncodedCropBytes)
        throw Error(SLT_ERR_FORMAT, "the crop offsets of point " + std::to_string(index) + " are corrupt");
    std::vector<uint8_t> bytes(static_cast<size_t>(range[1] - range[0]));
    crop_bytes_.read(static_cast<hsize_t>(range[0]), bytes.size(), bytes.data());
    return bytes;
}

slt::sdk::Crop Hdf5Bank::read_crop(int64_t index, slt_crop_format format)
{
    silence_errors();
    if (!has_crops()) throw Error(SLT_ERR_NOT_FOUND, "this bank stores no crops");
    if (index < 0 || index >= num_points_)
        throw Error(SLT_ERR_INVALID_ARGUMENT, "point " + std::to_string(index) + " is not in the bank's " +
                                                  std::to_string(num_points_) + " points");
    if (format != SLT_CROP_ENCODED && format != SLT_CROP_RGB)
        throw Error(SLT_ERR_INVALID_ARGUMENT, "unknown crop format " + std::to_string(static_cast<int>(format)));
    if (last_crop_.index == index && last_crop_.format == format) return last_crop_.crop;
    slt::sdk::Crop crop;
    crop.width = meta_.crop_width;
    crop.height = meta_.crop_height;
    crop.encoding = "png";
    crop.bytes = read_encoded_crop(index);
    if (format == SLT_CROP_RGB) {
        RgbImage image;
        const CodecStatus status = decode_png(crop.bytes.data(), crop.bytes.size(), image);
        if (!status.ok()) throw Error(SLT_ERR_FORMAT, "crop of point " + std::to_string(index) + ": " + status.message);
        if (image.width != crop.width || image.height != crop.height)
            throw Error(SLT_ERR_FORMAT, "crop of point " + std::to_string(index) + " is " + std::to_string(image.width) +
                                            "x" + std::to_string(image.height) + ", the bank says " +
                                            std::to_string(crop.width) + "x" + std::to_string(crop.height));
        crop.encoding = "rgb";
        crop.bytes = std::move(image.pixels);
    }
    last_crop_ = {index, format, crop};
    return crop;
}

std::optional<std::string> Hdf5Bank::attribute(const std::string& key)
{
    silence_errors();
    require_key(key);
    return read_string_attribute(attributes_group_.get(), key);
}

// --------------------------------------------------------------------------------------------- writes

void Hdf5Bank::require_writable() const
{
    if (mode_ == SLT_BANK_READ) throw Error(SLT_ERR_UNSUPPORTED, "the bank is open read-only");
}

void Hdf5Bank::append_images(const std::vector<std::string>& names)
{
    silence_errors();
    require_writable();
    const int64_t first = static_cast<int64_t>(meta_.image_names.size());
    image_names_.resize(static_cast<hsize_t>(first) + names.size());
    write_strings(image_names_.id(), first, names);
    write_int_attribute(file_.get(), L::kAttrNumImages, first + static_cast<int64_t>(names.size()));
    meta_.image_names.insert(meta_.image_names.end(), names.begin(), names.end());
}

void Hdf5Bank::check_batch(const slt_bank_points& p) const
{
    if (p.count < 0) throw Error(SLT_ERR_INVALID_ARGUMENT, "negative point count");
    if (p.count == 0) return;
    const uint32_t size = p.struct_size;
    const bool crops_given = if_present(size, offsetof(slt_bank_points, crops), p.crops) != nullptr;
    if (!p.image_index || !p.x || !p.y || !p.predicted_class || !p.mean_probs)
        throw Error(SLT_ERR_INVALID_ARGUMENT, "a point batch needs image_index, x, y, predicted_class and mean_probs");
    if (!meta_.metric_names.empty() && !p.scores)
        throw Error(SLT_ERR_INVALID_ARGUMENT, "the bank has metrics but the batch has no scores");
    if (meta_.embedding_dim > 0 && !p.embeddings)
        throw Error(SLT_ERR_INVALID_ARGUMENT, "the bank stores embeddings but the batch has none");
    if (has_crops() && !crops_given)
        throw Error(SLT_ERR_INVALID_ARGUMENT, "the bank stores crops but the batch has none");
    const int64_t images = static_cast<int64_t>(meta_.image_names.size());
    const int64_t classes = static_cast<int64_t>(meta_.classes.size());
    for (int64_t i = 0; i < p.count; ++i) {
        if (p.image_index[i] < 0 || p.image_index[i] >= images)
            throw Error(SLT_ERR_INVALID_ARGUMENT, "point " + std::to_string(i) + " of the batch has image index " +
                                                      std::to_string(p.image_index[i]) + ", but the bank has " +
                                                      std::to_string(images) + " images");
        if (p.predicted_class[i] < 0 || p.predicted_class[i] >= classes)
            throw Error(SLT_ERR_INVALID_ARGUMENT, "point " + std::to_string(i) + " of the batch has predicted class " +
                                                      std::to_string(p.predicted_class[i]) + ", but the bank has " +
                                                      std::to_string(classes) + " classes");
    }
}

int64_t Hdf5Bank::append_crops(const slt_bank_points& p)
{
    // Encode every crop before touching the file, so a bad crop leaves the file as it was.
    const size_t crop_size = static_cast<size_t>(meta_.crop_width) * static_cast<size_t>(meta_.crop_height) * 3;
    std::vector<uint8_t> encoded;
    std::vector<int64_t> ends(static_cast<size_t>(p.count));
    for (int64_t i = 0; i < p.count; ++i) {
        const CodecStatus status =
            encode_png(p.crops + static_cast<size_t>(i) * crop_size, meta_.crop_width, meta_.crop_height, encoded);
        if (!status.ok()) throw Error(SLT_ERR_INVALID_ARGUMENT, "crop " + std::to_string(i) + ": " + status.message);
        ends[static_cast<size_t>(i)] = crop_bytes_end_ + static_cast<int64_t>(encoded.size());
    }
    crop_bytes_.write(static_cast<hsize_t>(crop_bytes_end_), encoded.size(), encoded.data());
    crop_offsets_.write(static_cast<hsize_t>(num_points_) + 1, ends.size(), ends.data());
    return ends.back();
}

void Hdf5Bank::append_points(const slt_bank_points& p)
{
    silence_errors();
    require_writable();
    check_batch(p);
    if (p.count == 0) return;
    const void* const inputs[kColumnCount] = {p.image_index, p.x, p.y, p.predicted_class, p.mean_probs, p.scores,
                                              p.embeddings};
    const int64_t crop_end = has_crops() ? append_crops(p) : crop_bytes_end_;
    for (int c = 0; c < kColumnCount; ++c)
        if (columns_[c].valid())
            columns_[c].write(static_cast<hsize_t>(num_points_), static_cast<hsize_t>(p.count), inputs[c]);
    // Last: readers trust num_points, so until this write the batch is invisible (a failed batch leaves
    // rows past num_points, which the next append overwrites).
    write_int_attribute(file_.get(), L::kAttrNumPoints, num_points_ + p.count);
    num_points_ += p.count;
    crop_bytes_end_ = crop_end;
}

void Hdf5Bank::set_attribute(const std::string& key, const std::string& value)
{
    silence_errors();
    require_writable();
    require_key(key);
    write_string_attribute(attributes_group_.get(), key, value);
}

void Hdf5Bank::flush()
{
    silence_errors();
    if (mode_ == SLT_BANK_READ || !file_.valid()) return;
    check(H5Fflush(file_.get(), H5F_SCOPE_GLOBAL), SLT_ERR_IO, "cannot flush bank '" + path_ + "'");
}

void Hdf5Bank::close()
{
    flush();
    columns_.clear();
    image_names_ = Array();
    crop_bytes_ = Array();
    crop_offsets_ = Array();
    attributes_group_.reset();
    check(file_.reset(), SLT_ERR_IO, "cannot close bank '" + path_ + "'");
}

} // namespace slt::banks::hdf5
