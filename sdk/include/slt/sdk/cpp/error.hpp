// SLT plugin SDK, C++ helpers: the error type plugins throw, and the guard that turns every
// exception into a status + message at the C boundary. Header-only.
#pragma once

#include "../abi.h"

#include <exception>
#include <new>
#include <string>
#include <type_traits>
#include <utility>

namespace slt::sdk {

// Throw this from plugin code to return a specific status with a message, e.g.
// `throw slt::sdk::Error(SLT_ERR_IO, "cannot open '" + path + "'");`.
class Error : public std::exception {
public:
    Error(slt_status status, std::string message) : status_(status), message_(std::move(message)) {}
    slt_status status() const noexcept { return status_; }
    const char* what() const noexcept override { return message_.c_str(); }

private:
    slt_status status_;
    std::string message_;
};

namespace detail {

// Runs `body` and converts whatever escapes it into a status and a message in `err`:
//   slt::sdk::Error{s, m}   -> s (SLT_ERR_INTERNAL if s is SLT_OK) and m
//   std::bad_alloc          -> SLT_ERR_OUT_OF_MEMORY
//   std::exception          -> SLT_ERR_INTERNAL and what()
//   anything else           -> SLT_ERR_INTERNAL and "unknown exception"
// `body` returns void (success is SLT_OK) or an slt_status. Nothing ever propagates.
template <class Body>
slt_status guard(slt_error* err, Body&& body) noexcept
{
    try {
        if constexpr (std::is_void_v<decltype(body())>) {
            body();
            return SLT_OK;
        } else {
            return static_cast<slt_status>(body());
        }
    } catch (const Error& e) {
        const slt_status status = e.status() == SLT_OK ? SLT_ERR_INTERNAL : e.status();
        return slt_error_set(err, status, "%s", e.what());
    } catch (const std::bad_alloc&) {
        return slt_error_set(err, SLT_ERR_OUT_OF_MEMORY, "out of memory");
    } catch (const std::exception& e) {
        return slt_error_set(err, SLT_ERR_INTERNAL, "%s", e.what());
    } catch (...) {
        return slt_error_set(err, SLT_ERR_INTERNAL, "unknown exception");
    }
}

// For calls that cannot report (destroy): swallow everything.
template <class Body>
void guard_silent(Body&& body) noexcept
{
    try {
        body();
    } catch (...) {
    }
}

// Throws Error(SLT_ERR_INVALID_ARGUMENT, message) when `condition` is false.
inline void require(bool condition, const char* message)
{
    if (!condition) throw Error(SLT_ERR_INVALID_ARGUMENT, message);
}

// True when a table of `struct_size` bytes reaches past the member at [offset, offset + size).
inline bool has_member(uint32_t struct_size, size_t offset, size_t size)
{
    return struct_size >= offset + size;
}

} // namespace detail
} // namespace slt::sdk

// True when the struct pointed to by PTR (of C type TYPE) is big enough to hold FIELD.
#define SLT_SDK_HAS_FIELD(PTR, TYPE, FIELD) \
    (::slt::sdk::detail::has_member((PTR)->struct_size, offsetof(TYPE, FIELD), sizeof((PTR)->FIELD)))
