// Progress of long bank operations: (done, total) in points. May be empty.
#pragma once

#include <cstdint>
#include <functional>

namespace slt::core {

using BankProgress = std::function<void(int64_t done, int64_t total)>;

inline void report(const BankProgress& progress, int64_t done, int64_t total)
{
    if (progress) progress(done, total);
}

// Rows per read_points / append_points call when a bank is streamed (about 16k points).
inline constexpr int64_t kBankBatchRows = 16384;

} // namespace slt::core
