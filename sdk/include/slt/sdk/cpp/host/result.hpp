// SLT plugin SDK, host-side C++ helpers: results as values. A proxy call never throws for an expected
// failure; it returns a Status (code + message) or a Result<T> (a Status plus a value on success).
// Header-only.
#pragma once

#include "../../abi.h"

#include <optional>
#include <string>
#include <utility>

namespace slt::sdk::host {

struct Status {
    slt_status code = SLT_OK;
    std::string message; // empty on success

    bool ok() const { return code == SLT_OK; }
    explicit operator bool() const { return ok(); }
    static Status success() { return {}; }
    static Status failure(slt_status code, std::string message)
    {
        return {code == SLT_OK ? SLT_ERR_INTERNAL : code, std::move(message)};
    }
};

template <class T>
class Result {
public:
    Result(T value) : value_(std::move(value)) {}      // NOLINT: implicit on purpose
    Result(Status status) : status_(std::move(status)) {} // NOLINT: implicit on purpose
    static Result failure(slt_status code, std::string message)
    {
        return Result(Status::failure(code, std::move(message)));
    }

    bool ok() const { return value_.has_value(); }
    explicit operator bool() const { return ok(); }
    const Status& status() const { return status_; }
    const std::string& message() const { return status_.message; }
    T& value() { return *value_; }
    const T& value() const { return *value_; }
    T& operator*() { return *value_; }
    const T& operator*() const { return *value_; }
    T* operator->() { return &*value_; }
    const T* operator->() const { return &*value_; }

private:
    Status status_;
    std::optional<T> value_;
};

// A caller-owned error buffer for one call into a plugin.
class ErrorBuffer {
public:
    ErrorBuffer() { buffer_[0] = '\0'; }
    ErrorBuffer(const ErrorBuffer&) = delete;
    ErrorBuffer& operator=(const ErrorBuffer&) = delete;
    slt_error* get()
    {
        error_.message = buffer_;
        error_.capacity = sizeof buffer_;
        return &error_;
    }
    // The plugin's status as a Status; `context` ("select", ...) prefixes the message.
    Status status(slt_status code, const char* context) const
    {
        if (code == SLT_OK) return Status::success();
        std::string text = buffer_[0] ? std::string(buffer_) : std::string(slt_status_name(code));
        return Status::failure(code, std::string(context) + ": " + text);
    }

private:
    char buffer_[2048];
    slt_error error_{};
};

namespace detail {

// The factory table as `Table`, or an error when it is NULL or older than `minimum_size` bytes (the
// size of the table's revision-1 fields, which stays right when fields are appended later).
template <class Table>
Result<const Table*> checked_table(const void* raw, size_t minimum_size, const char* kind)
{
    const auto* table = static_cast<const Table*>(raw);
    if (!table) return Result<const Table*>::failure(SLT_ERR_NOT_FOUND, std::string("no ") + kind + " factory");
    if (table->struct_size < minimum_size)
        return Result<const Table*>::failure(
            SLT_ERR_INVALID_ARGUMENT, std::string(kind) + " factory struct_size " +
                                          std::to_string(table->struct_size) + " is smaller than " +
                                          std::to_string(minimum_size));
    return table;
}

} // namespace detail
} // namespace slt::sdk::host
