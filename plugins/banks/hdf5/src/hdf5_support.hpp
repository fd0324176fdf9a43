// Small RAII and error helpers over the HDF5 C API for the HDF5 bank. Every failing HDF5 call becomes an
// slt::sdk::Error carrying our context and HDF5's innermost message; HDF5's own error printing is off.
#pragma once

#include <slt/sdk/cpp/error.hpp>

#include <hdf5.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace slt::banks::hdf5 {

// Turns off HDF5's automatic error printing for the calling thread (the error stack is per thread in a
// thread-safe HDF5, so every entry point calls this).
void silence_errors();

// HDF5's description of the most recent error on this thread ("" when none); clears the error stack.
std::string last_error();

// Throws Error(status, what + ": " + last_error()) when `result` is negative; returns it otherwise.
template <class T>
T check(T result, slt_status status, const std::string& what)
{
    if (result < 0) {
        const std::string detail = last_error();
        throw slt::sdk::Error(status, detail.empty() ? what : what + ": " + detail);
    }
    return result;
}

// An owned HDF5 identifier (file, group, dataset, dataspace, datatype, attribute or property list),
// closed with the matching H5*close when destroyed.
class Hid {
public:
    Hid() = default;
    explicit Hid(hid_t id) : id_(id) {}
    Hid(Hid&& other) noexcept : id_(std::exchange(other.id_, H5I_INVALID_HID)) {}
    Hid& operator=(Hid&& other) noexcept
    {
        if (this != &other) {
            reset();
            id_ = std::exchange(other.id_, H5I_INVALID_HID);
        }
        return *this;
    }
    Hid(const Hid&) = delete;
    Hid& operator=(const Hid&) = delete;
    ~Hid() { reset(); }

    hid_t get() const { return id_; }
    bool valid() const { return id_ >= 0; }
    // Closes now and reports the close status (negative on failure); an invalid id gives 0.
    herr_t reset();

private:
    hid_t id_ = H5I_INVALID_HID;
};

// Wraps a freshly returned id, throwing like check() when it is invalid.
Hid owned(hid_t id, slt_status status, const std::string& what);

// The variable-length UTF-8 string type (in files and in memory).
Hid utf8_string_type();

// True when `object` has a link `name` (a path like "points/x" relative to it); never throws for a
// broken intermediate group, which reads as absent.
bool has_link(hid_t object, const std::string& path);

// ---- attributes on a file, group or dataset.
bool has_attribute(hid_t object, const std::string& name);
void write_string_attribute(hid_t object, const std::string& name, const std::string& value);
std::optional<std::string> read_string_attribute(hid_t object, const std::string& name);
void write_int_attribute(hid_t object, const std::string& name, int64_t value);
std::optional<int64_t> read_int_attribute(hid_t object, const std::string& name);
std::vector<std::string> attribute_names(hid_t object);

// ---- one-dimensional variable-length UTF-8 string datasets.
std::vector<std::string> read_strings(hid_t dataset, int64_t first, int64_t count);
void write_strings(hid_t dataset, int64_t first, const std::vector<std::string>& values);

// The current extent of a dataset (one entry per dimension).
std::vector<hsize_t> extent(hid_t dataset);

} // namespace slt::banks::hdf5
