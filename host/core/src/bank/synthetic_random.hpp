// Counter-based random numbers for the synthetic banks: a stream is keyed by (seed, point, purpose), so a
// point's values do not depend on batch sizes, shards or the order of generation. SplitMix64 (Steele,
// Lea, Flood 2014) with our own Box-Muller normals: std:: distributions differ between standard
// libraries, these do not.
#pragma once

#include <cmath>
#include <cstdint>

namespace slt::core::synthetic {

inline uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

// What a stream is used for; different purposes of one point never share numbers.
enum class Purpose : uint64_t { Model = 1, Embedding = 2, Passes = 3, Position = 4, Crop = 5, Truth = 6 };

class Random {
public:
    Random(uint64_t seed, uint64_t index, Purpose purpose)
        : state_(mix64(mix64(seed ^ 0x5EED5EED5EED5EEDull) + mix64(index * 0x9E3779B97F4A7C15ull + static_cast<uint64_t>(purpose))))
    {
    }

    uint64_t next()
    {
        state_ += 0x9E3779B97F4A7C15ull;
        return mix64(state_);
    }
    // [0, 1)
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    // [0, n)
    int64_t below(int64_t n) { return static_cast<int64_t>(uniform() * static_cast<double>(n)); }
    // Standard normal (Box-Muller; the second value of each pair is kept for the next call).
    double normal()
    {
        if (hasSpare_) {
            hasSpare_ = false;
            return spare_;
        }
        const double u1 = 1.0 - uniform(); // (0, 1]: log is finite
        const double u2 = uniform();
        const double r = std::sqrt(-2.0 * std::log(u1));
        constexpr double kTwoPi = 6.283185307179586476925286766559;
        spare_ = r * std::sin(kTwoPi * u2);
        hasSpare_ = true;
        return r * std::cos(kTwoPi * u2);
    }

private:
    uint64_t state_;
    double spare_ = 0;
    bool hasSpare_ = false;
};

} // namespace slt::core::synthetic
