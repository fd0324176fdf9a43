// Counter-based randomness for training: every random decision (shuffling, augmentation, dropout
// seeds) is a pure function of (seed, epoch, sample index, ...), so results do not depend on thread
// scheduling, batch composition, the rank a sample lands on in data-parallel training, or on
// whether the run was resumed. The standard <random> distributions are avoided on purpose: their
// output differs between standard libraries.
#pragma once

#include <cstdint>

namespace slt::unet::training {

// SplitMix64 (Steele, Lea, Flood 2014): a fast 64-bit generator with full period whose output
// function is also a good hash for combining seeds.
class SeededRandom {
public:
    explicit SeededRandom(uint64_t seed) : state_(seed) {}

    uint64_t next()
    {
        uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    // Uniform in [0, 1) with 53 random bits.
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    // Uniform integer in [0, n) for n >= 1 (Lemire's multiply-shift; bias below 2^-32 for n < 2^32).
    uint64_t below(uint64_t n) { return static_cast<uint64_t>((static_cast<unsigned __int128>(next()) * n) >> 64); }
    bool chance(double probability) { return uniform() < probability; }

private:
    uint64_t state_;
};

// A seed for one purpose, derived from a base seed and up to three counters.
inline uint64_t deriveSeed(uint64_t seed, uint64_t a, uint64_t b = 0, uint64_t c = 0)
{
    SeededRandom mix(seed);
    uint64_t h = mix.next() ^ a;
    h = SeededRandom(h).next() ^ b;
    h = SeededRandom(h).next() ^ c;
    return SeededRandom(h).next();
}

// Purposes kept apart so the streams never coincide.
enum class RandomPurpose : uint64_t { Shuffle = 1, Augment = 2, Dropout = 3, Init = 4 };

} // namespace slt::unet::training
