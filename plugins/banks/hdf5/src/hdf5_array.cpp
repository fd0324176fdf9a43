#include "hdf5_array.hpp"

#include "hdf5_layout.hpp"

#include <algorithm>

namespace slt::banks::hdf5 {
namespace {

using slt::sdk::Error;

std::string quoted(const std::string& path) { return "'/" + path + "'"; }

Hid access_properties(const ArraySpec& spec)
{
    Hid dapl = owned(H5Pcreate(H5P_DATASET_ACCESS), SLT_ERR_INTERNAL, "cannot create dataset access properties");
    check(H5Pset_chunk_cache(dapl.get(), H5D_CHUNK_CACHE_NSLOTS_DEFAULT, spec.chunk_cache,
                             H5D_CHUNK_CACHE_W0_DEFAULT),
          SLT_ERR_INTERNAL, "cannot set the chunk cache");
    return dapl;
}

void check_type(hid_t dataset, const ArraySpec& spec)
{
    const Hid type = owned(H5Dget_type(dataset), SLT_ERR_FORMAT, "cannot get the type of " + quoted(spec.path));
    if (H5Tget_class(type.get()) != H5Tget_class(spec.file_type) ||
        H5Tget_size(type.get()) != H5Tget_size(spec.file_type))
        throw Error(SLT_ERR_FORMAT, "dataset " + quoted(spec.path) + " has the wrong element type");
}

void check_shape(const std::vector<hsize_t>& dims, const ArraySpec& spec, hsize_t min_rows)
{
    if (static_cast<int>(dims.size()) != spec.rank)
        throw Error(SLT_ERR_FORMAT, "dataset " + quoted(spec.path) + " has " + std::to_string(dims.size()) +
                                        " dimensions, expected " + std::to_string(spec.rank));
    if (spec.rank == 2 && dims[1] != spec.width)
        throw Error(SLT_ERR_FORMAT, "dataset " + quoted(spec.path) + " has " + std::to_string(dims[1]) +
                                        " columns, expected " + std::to_string(spec.width));
    if (dims[0] < min_rows)
        throw Error(SLT_ERR_FORMAT, "dataset " + quoted(spec.path) + " has " + std::to_string(dims[0]) +
                                        " rows, the bank says " + std::to_string(min_rows));
}

} // namespace

hsize_t chunk_rows_for(size_t bytes_per_row)
{
    return std::max<hsize_t>(1, layout::kChunkBytes / std::max<size_t>(1, bytes_per_row));
}

Array Array::create(hid_t file, const ArraySpec& spec)
{
    const hsize_t dims[2] = {0, spec.width};
    const hsize_t max_dims[2] = {H5S_UNLIMITED, spec.width};
    const hsize_t chunk[2] = {spec.chunk_rows, spec.width};
    const Hid space = owned(H5Screate_simple(spec.rank, dims, max_dims), SLT_ERR_INTERNAL, "cannot create a dataspace");
    const Hid dcpl = owned(H5Pcreate(H5P_DATASET_CREATE), SLT_ERR_INTERNAL, "cannot create dataset properties");
    check(H5Pset_chunk(dcpl.get(), spec.rank, chunk), SLT_ERR_INTERNAL, "cannot set chunks of " + quoted(spec.path));
    // Rows are always written before they count, so filling new chunks would be wasted I/O (variable-length
    // strings need their fill value, though).
    if (H5Tis_variable_str(spec.file_type) <= 0)
        check(H5Pset_fill_time(dcpl.get(), H5D_FILL_TIME_NEVER), SLT_ERR_INTERNAL, "cannot set the fill time");
    if (spec.deflate) {
        check(H5Pset_shuffle(dcpl.get()), SLT_ERR_INTERNAL, "cannot set the shuffle filter");
        check(H5Pset_deflate(dcpl.get(), layout::kDeflateLevel), SLT_ERR_INTERNAL, "cannot set the deflate filter");
    }
    const Hid lcpl = owned(H5Pcreate(H5P_LINK_CREATE), SLT_ERR_INTERNAL, "cannot create link properties");
    check(H5Pset_create_intermediate_group(lcpl.get(), 1), SLT_ERR_INTERNAL, "cannot set link properties");
    const Hid dapl = access_properties(spec);
    Hid dataset = owned(H5Dcreate2(file, spec.path.c_str(), spec.file_type, space.get(), lcpl.get(), dcpl.get(),
                                   dapl.get()),
                        SLT_ERR_IO, "cannot create dataset " + quoted(spec.path));
    return Array(spec, std::move(dataset));
}

Array Array::open(hid_t file, const ArraySpec& spec, hsize_t min_rows)
{
    if (!has_link(file, spec.path)) throw Error(SLT_ERR_FORMAT, "missing dataset " + quoted(spec.path));
    const Hid dapl = access_properties(spec);
    Hid dataset = owned(H5Dopen2(file, spec.path.c_str(), dapl.get()), SLT_ERR_FORMAT,
                        "cannot open dataset " + quoted(spec.path));
    check_type(dataset.get(), spec);
    check_shape(extent(dataset.get()), spec, min_rows);
    return Array(spec, std::move(dataset));
}

hsize_t Array::rows() const { return extent(dataset_.get()).at(0); }

std::pair<Hid, Hid> Array::select(hsize_t first, hsize_t count) const
{
    Hid file_space = owned(H5Dget_space(dataset_.get()), SLT_ERR_FORMAT, "cannot get the dataspace of " + quoted(spec_.path));
    const hsize_t start[2] = {first, 0};
    const hsize_t size[2] = {count, spec_.width};
    check(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start, nullptr, size, nullptr), SLT_ERR_FORMAT,
          "cannot select rows of " + quoted(spec_.path));
    Hid memory_space = owned(H5Screate_simple(spec_.rank, size, nullptr), SLT_ERR_INTERNAL, "cannot create a dataspace");
    return {std::move(file_space), std::move(memory_space)};
}

void Array::read(hsize_t first, hsize_t count, void* out) const
{
    if (count == 0 || spec_.width == 0) return;
    auto [file_space, memory_space] = select(first, count);
    check(H5Dread(dataset_.get(), spec_.memory_type, memory_space.get(), file_space.get(), H5P_DEFAULT, out),
          SLT_ERR_IO, "cannot read " + quoted(spec_.path));
}

void Array::resize(hsize_t rows)
{
    const hsize_t dims[2] = {rows, spec_.width};
    check(H5Dset_extent(dataset_.get(), dims), SLT_ERR_IO, "cannot extend " + quoted(spec_.path));
}

void Array::write(hsize_t first, hsize_t count, const void* in)
{
    resize(first + count);
    if (count == 0 || spec_.width == 0) return;
    auto [file_space, memory_space] = select(first, count);
    check(H5Dwrite(dataset_.get(), spec_.memory_type, memory_space.get(), file_space.get(), H5P_DEFAULT, in),
          SLT_ERR_IO, "cannot write " + quoted(spec_.path));
}

} // namespace slt::banks::hdf5
