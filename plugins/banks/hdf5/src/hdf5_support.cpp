#include "hdf5_support.hpp"

#include <cstdlib>
#include <memory>

namespace slt::banks::hdf5 {
namespace {

using slt::sdk::Error;

// The innermost error is the most specific ("truncated file: eof = ..."); the outer ones repeat context
// that our own message already gives.
herr_t keep_innermost(unsigned depth, const H5E_error2_t* error, void* data)
{
    auto* text = static_cast<std::string*>(data);
    if (depth == 0 && error && error->desc) *text = error->desc;
    return 0;
}

Hid scalar_space() { return owned(H5Screate(H5S_SCALAR), SLT_ERR_INTERNAL, "cannot create a scalar dataspace"); }

Hid open_attribute(hid_t object, const std::string& name)
{
    return owned(H5Aopen(object, name.c_str(), H5P_DEFAULT), SLT_ERR_FORMAT, "cannot open attribute '" + name + "'");
}

// Overwrites an existing attribute of the same type class in place (one write: the point count is
// never missing, even if the process dies during the update); otherwise creates it afresh.
void replace_attribute(hid_t object, const std::string& name, hid_t file_type, hid_t memory_type, const void* value)
{
    if (has_attribute(object, name)) {
        const Hid existing = open_attribute(object, name);
        const Hid type = owned(H5Aget_type(existing.get()), SLT_ERR_FORMAT, "cannot read attribute '" + name + "'");
        if (H5Tequal(type.get(), file_type) > 0) {
            check(H5Awrite(existing.get(), memory_type, value), SLT_ERR_IO, "cannot write attribute '" + name + "'");
            return;
        }
        check(H5Adelete(object, name.c_str()), SLT_ERR_IO, "cannot replace attribute '" + name + "'");
    }
    const Hid space = scalar_space();
    const Hid attribute = owned(H5Acreate2(object, name.c_str(), file_type, space.get(), H5P_DEFAULT, H5P_DEFAULT),
                                SLT_ERR_IO, "cannot create attribute '" + name + "'");
    check(H5Awrite(attribute.get(), memory_type, value), SLT_ERR_IO, "cannot write attribute '" + name + "'");
}

std::string read_fixed_string(hid_t attribute, hid_t type, const std::string& name)
{
    const size_t size = H5Tget_size(type);
    std::string value(size, '\0');
    const Hid memory = owned(H5Tcopy(type), SLT_ERR_INTERNAL, "cannot copy a string type");
    check(H5Aread(attribute, memory.get(), value.data()), SLT_ERR_FORMAT, "cannot read attribute '" + name + "'");
    value.resize(value.find('\0') == std::string::npos ? value.size() : value.find('\0'));
    return value;
}

std::string read_variable_string(hid_t attribute, const std::string& name)
{
    const Hid memory = utf8_string_type();
    char* raw = nullptr;
    check(H5Aread(attribute, memory.get(), &raw), SLT_ERR_FORMAT, "cannot read attribute '" + name + "'");
    std::string value = raw ? raw : "";
    H5free_memory(raw);
    return value;
}

herr_t collect_name(hid_t, const char* name, const H5A_info_t*, void* data)
{
    static_cast<std::vector<std::string>*>(data)->emplace_back(name);
    return 0;
}

// A hyperslab of `count` rows starting at `first` in a 1-D dataset, and the matching memory space.
std::pair<Hid, Hid> row_selection(hid_t dataset, int64_t first, int64_t count)
{
    Hid file_space = owned(H5Dget_space(dataset), SLT_ERR_FORMAT, "cannot get a dataspace");
    const hsize_t start = static_cast<hsize_t>(first), rows = static_cast<hsize_t>(count);
    check(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, &start, nullptr, &rows, nullptr),
          SLT_ERR_FORMAT, "cannot select rows");
    Hid memory_space = owned(H5Screate_simple(1, &rows, nullptr), SLT_ERR_INTERNAL, "cannot create a dataspace");
    return {std::move(file_space), std::move(memory_space)};
}

} // namespace

void silence_errors() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

std::string last_error()
{
    std::string text;
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, keep_innermost, &text);
    H5Eclear2(H5E_DEFAULT);
    return text;
}

herr_t Hid::reset()
{
    if (id_ < 0) return 0;
    const hid_t id = std::exchange(id_, H5I_INVALID_HID);
    switch (H5Iget_type(id)) {
    case H5I_FILE: return H5Fclose(id);
    case H5I_GROUP: return H5Gclose(id);
    case H5I_DATASET: return H5Dclose(id);
    case H5I_DATASPACE: return H5Sclose(id);
    case H5I_DATATYPE: return H5Tclose(id);
    case H5I_ATTR: return H5Aclose(id);
    case H5I_GENPROP_LST: return H5Pclose(id);
    default: return H5Idec_ref(id);
    }
}

Hid owned(hid_t id, slt_status status, const std::string& what) { return Hid(check(id, status, what)); }

Hid utf8_string_type()
{
    Hid type = owned(H5Tcopy(H5T_C_S1), SLT_ERR_INTERNAL, "cannot create a string type");
    check(H5Tset_size(type.get(), H5T_VARIABLE), SLT_ERR_INTERNAL, "cannot create a string type");
    check(H5Tset_cset(type.get(), H5T_CSET_UTF8), SLT_ERR_INTERNAL, "cannot create a string type");
    return type;
}

bool has_link(hid_t object, const std::string& path)
{
    // H5Lexists needs every intermediate group to exist, so walk the path one component at a time.
    std::string prefix;
    size_t start = 0;
    while (start <= path.size()) {
        const size_t slash = path.find('/', start);
        prefix = path.substr(0, slash);
        if (H5Lexists(object, prefix.c_str(), H5P_DEFAULT) <= 0) {
            H5Eclear2(H5E_DEFAULT);
            return false;
        }
        if (slash == std::string::npos) break;
        start = slash + 1;
    }
    return true;
}

bool has_attribute(hid_t object, const std::string& name)
{
    const htri_t exists = H5Aexists(object, name.c_str());
    if (exists < 0) H5Eclear2(H5E_DEFAULT);
    return exists > 0;
}

void write_string_attribute(hid_t object, const std::string& name, const std::string& value)
{
    const Hid type = utf8_string_type();
    const char* text = value.c_str();
    replace_attribute(object, name, type.get(), type.get(), &text);
}

std::optional<std::string> read_string_attribute(hid_t object, const std::string& name)
{
    if (!has_attribute(object, name)) return std::nullopt;
    const Hid attribute = open_attribute(object, name);
    const Hid type = owned(H5Aget_type(attribute.get()), SLT_ERR_FORMAT, "cannot read attribute '" + name + "'");
    if (H5Tget_class(type.get()) != H5T_STRING)
        throw Error(SLT_ERR_FORMAT, "attribute '" + name + "' is not a string");
    if (H5Tis_variable_str(type.get()) > 0) return read_variable_string(attribute.get(), name);
    return read_fixed_string(attribute.get(), type.get(), name);
}

void write_int_attribute(hid_t object, const std::string& name, int64_t value)
{
    replace_attribute(object, name, H5T_STD_I64LE, H5T_NATIVE_INT64, &value);
}

std::optional<int64_t> read_int_attribute(hid_t object, const std::string& name)
{
    if (!has_attribute(object, name)) return std::nullopt;
    const Hid attribute = open_attribute(object, name);
    const Hid type = owned(H5Aget_type(attribute.get()), SLT_ERR_FORMAT, "cannot read attribute '" + name + "'");
    const Hid space = owned(H5Aget_space(attribute.get()), SLT_ERR_FORMAT, "cannot read attribute '" + name + "'");
    if (H5Tget_class(type.get()) != H5T_INTEGER || H5Sget_simple_extent_npoints(space.get()) != 1)
        throw Error(SLT_ERR_FORMAT, "attribute '" + name + "' is not one integer");
    int64_t value = 0;
    check(H5Aread(attribute.get(), H5T_NATIVE_INT64, &value), SLT_ERR_FORMAT, "cannot read attribute '" + name + "'");
    return value;
}

std::vector<std::string> attribute_names(hid_t object)
{
    std::vector<std::string> names;
    hsize_t index = 0;
    check(H5Aiterate2(object, H5_INDEX_NAME, H5_ITER_INC, &index, collect_name, &names), SLT_ERR_FORMAT,
          "cannot list attributes");
    return names;
}

std::vector<std::string> read_strings(hid_t dataset, int64_t first, int64_t count)
{
    std::vector<std::string> values;
    if (count <= 0) return values;
    const Hid file_type = owned(H5Dget_type(dataset), SLT_ERR_FORMAT, "cannot get a string dataset's type");
    if (H5Tget_class(file_type.get()) != H5T_STRING || H5Tis_variable_str(file_type.get()) <= 0)
        throw Error(SLT_ERR_FORMAT, "a names dataset does not hold variable-length strings");
    auto [file_space, memory_space] = row_selection(dataset, first, count);
    const Hid memory_type = utf8_string_type();
    std::vector<char*> raw(static_cast<size_t>(count), nullptr);
    check(H5Dread(dataset, memory_type.get(), memory_space.get(), file_space.get(), H5P_DEFAULT, raw.data()),
          SLT_ERR_FORMAT, "cannot read strings");
    values.reserve(raw.size());
    for (char* s : raw) values.emplace_back(s ? s : "");
    H5Dvlen_reclaim(memory_type.get(), memory_space.get(), H5P_DEFAULT, raw.data());
    return values;
}

void write_strings(hid_t dataset, int64_t first, const std::vector<std::string>& values)
{
    if (values.empty()) return;
    auto [file_space, memory_space] = row_selection(dataset, first, static_cast<int64_t>(values.size()));
    const Hid memory_type = utf8_string_type();
    std::vector<const char*> pointers;
    pointers.reserve(values.size());
    for (const std::string& v : values) pointers.push_back(v.c_str());
    check(H5Dwrite(dataset, memory_type.get(), memory_space.get(), file_space.get(), H5P_DEFAULT, pointers.data()),
          SLT_ERR_IO, "cannot write strings");
}

std::vector<hsize_t> extent(hid_t dataset)
{
    const Hid space = owned(H5Dget_space(dataset), SLT_ERR_FORMAT, "cannot get a dataspace");
    const int rank = check(H5Sget_simple_extent_ndims(space.get()), SLT_ERR_FORMAT, "cannot get a dataset's rank");
    std::vector<hsize_t> dims(static_cast<size_t>(rank));
    if (rank > 0) check(H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr), SLT_ERR_FORMAT, "cannot get dims");
    return dims;
}

} // namespace slt::banks::hdf5
