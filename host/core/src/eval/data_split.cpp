#include "slt/core/eval/data_split.hpp"

namespace slt::core::eval {
namespace {

// SplitMix64's finaliser: a bijective mix whose output bits look independent for consecutive inputs.
uint64_t mix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

} // namespace

DataSplit splitPoints(int64_t points, double fraction, uint64_t seed)
{
    DataSplit split;
    const uint64_t key = mix64(seed);
    for (int64_t i = 0; i < points; ++i) {
        const double u = static_cast<double>(mix64(key ^ static_cast<uint64_t>(i)) >> 11) * 0x1.0p-53;
        (u < fraction ? split.calibration : split.evaluation).push_back(i);
    }
    return split;
}

} // namespace slt::core::eval
