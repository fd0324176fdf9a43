// SLT plugin SDK, C++ helpers: small non-owning views (C++17 has no std::span) and checked
// conversions from the C array view. Header-only.
#pragma once

#include "../array.h"
#include "error.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

namespace slt::sdk {

// A contiguous, borrowed run of T.
template <class T>
class Span {
public:
    Span() = default;
    Span(T* data, size_t size) : data_(data), size_(size) {}
    T* data() const { return data_; }
    size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    T& operator[](size_t i) const { return data_[i]; }
    T* begin() const { return data_; }
    T* end() const { return data_ + size_; }

private:
    T* data_ = nullptr;
    size_t size_ = 0;
};

// A borrowed row-major matrix whose rows may be padded (row_stride >= cols elements).
template <class T>
class Matrix {
public:
    Matrix() = default;
    Matrix(T* data, int64_t rows, int64_t cols, int64_t row_stride)
        : data_(data), rows_(rows), cols_(cols), row_stride_(row_stride) {}
    int64_t rows() const { return rows_; }
    int64_t cols() const { return cols_; }
    bool empty() const { return data_ == nullptr || rows_ == 0; }
    Span<T> row(int64_t r) const { return Span<T>(data_ + r * row_stride_, static_cast<size_t>(cols_)); }
    T& operator()(int64_t r, int64_t c) const { return data_[r * row_stride_ + c]; }

private:
    T* data_ = nullptr;
    int64_t rows_ = 0;
    int64_t cols_ = 0;
    int64_t row_stride_ = 0;
};

namespace detail {

// Throws Error(SLT_ERR_INVALID_ARGUMENT) unless `a` has `dtype` and `ndim` dimensions.
inline void check_array(const slt_array& a, slt_dtype dtype, int32_t ndim, const char* what)
{
    if (a.dtype != dtype || a.ndim != ndim)
        throw Error(SLT_ERR_INVALID_ARGUMENT,
                    std::string(what) + ": expected dtype " + std::to_string(dtype) + " with " +
                        std::to_string(ndim) + " dimensions, got dtype " + std::to_string(a.dtype) +
                        " with " + std::to_string(a.ndim));
    for (int32_t i = 0; i < ndim; ++i)
        if (a.shape[i] < 0) throw Error(SLT_ERR_INVALID_ARGUMENT, std::string(what) + ": negative extent");
    if (a.data == nullptr && slt_array_count(&a) > 0)
        throw Error(SLT_ERR_INVALID_ARGUMENT, std::string(what) + ": data is NULL");
}

// A checked 1-D contiguous f32 view of exactly `n` elements.
template <class T>
Span<T> vector_of(const slt_array& a, slt_dtype dtype, int64_t n, const char* what)
{
    check_array(a, dtype, 1, what);
    if (a.shape[0] != n)
        throw Error(SLT_ERR_INVALID_ARGUMENT, std::string(what) + ": expected " + std::to_string(n) +
                                                  " elements, got " + std::to_string(a.shape[0]));
    if (n > 1 && a.strides[0] != 1)
        throw Error(SLT_ERR_INVALID_ARGUMENT, std::string(what) + ": must be contiguous");
    return Span<T>(static_cast<T*>(a.data), static_cast<size_t>(n));
}

// A checked 2-D view with `rows` rows and unit column stride.
template <class T>
Matrix<T> matrix_of(const slt_array& a, slt_dtype dtype, int64_t rows, const char* what)
{
    check_array(a, dtype, 2, what);
    if (a.shape[0] != rows)
        throw Error(SLT_ERR_INVALID_ARGUMENT, std::string(what) + ": expected " + std::to_string(rows) +
                                                  " rows, got " + std::to_string(a.shape[0]));
    if (a.shape[1] > 1 && a.strides[1] != 1)
        throw Error(SLT_ERR_INVALID_ARGUMENT, std::string(what) + ": columns must be contiguous");
    return Matrix<T>(static_cast<T*>(a.data), a.shape[0], a.shape[1], a.strides[0]);
}

} // namespace detail
} // namespace slt::sdk
