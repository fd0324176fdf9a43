// A contiguous, heap-allocated array that is NOT value-initialised: a whole-column read writes straight
// into it, so a million-point column is touched once (by the read), not twice (zeroing, then the read).
#pragma once

#include <cstdint>
#include <memory>

namespace slt::core {

template <class T>
class ColumnBuffer {
public:
    ColumnBuffer() = default;
    // Throws std::bad_alloc like new[]; LoadedBank turns it into a message.
    explicit ColumnBuffer(int64_t count) : data_(count > 0 ? new T[static_cast<size_t>(count)] : nullptr), size_(count > 0 ? count : 0) {}

    T* data() { return data_.get(); }
    const T* data() const { return data_.get(); }
    int64_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    size_t bytes() const { return static_cast<size_t>(size_) * sizeof(T); }
    T& operator[](int64_t i) { return data_[static_cast<size_t>(i)]; }
    const T& operator[](int64_t i) const { return data_[static_cast<size_t>(i)]; }
    const T* begin() const { return data_.get(); }
    const T* end() const { return data_.get() + size_; }

private:
    std::unique_ptr<T[]> data_;
    int64_t size_ = 0;
};

} // namespace slt::core
