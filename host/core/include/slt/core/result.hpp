// Expected errors are values (DuckDB's rule): a Result holds either a value or a message a person can act on.
#pragma once

#include <QString>

#include <optional>
#include <utility>

namespace slt::core {

template <class T>
class Result {
public:
    Result(T value) : value_(std::move(value)) {} // NOLINT: implicit on purpose, `return value;`
    static Result failure(QString message) { return Result(std::move(message), 0); }

    bool ok() const { return value_.has_value(); }
    explicit operator bool() const { return ok(); }
    const QString& error() const { return error_; }

    T& value() { return *value_; }
    const T& value() const { return *value_; }
    T* operator->() { return &*value_; }
    const T* operator->() const { return &*value_; }
    T& operator*() { return *value_; }
    const T& operator*() const { return *value_; }

private:
    Result(QString message, int) : error_(std::move(message)) {}
    std::optional<T> value_;
    QString error_;
};

// For operations that return nothing: empty error = success.
class Status {
public:
    Status() = default;
    static Status failure(QString message) { Status s; s.error_ = std::move(message); return s; }
    bool ok() const { return error_.isEmpty(); }
    explicit operator bool() const { return ok(); }
    const QString& error() const { return error_; }

private:
    QString error_;
};

} // namespace slt::core
