// Expected calibration error and reliability-diagram data (Guo et al. 2017; al-methods §2.11).
//
// M equal-width bins over confidence [0, 1]: bin b holds confidences in [b/M, (b+1)/M), the last bin also
// holds 1; confidences outside [0, 1] are clamped. ECE = sum_b (n_b / n) |accuracy_b - meanConfidence_b|.
// Fails (a value with a message) for empty input, mismatched sizes, bins < 1 or a NaN confidence.
#pragma once

#include "slt/core/result.hpp"

#include <cstdint>
#include <vector>

namespace slt::core::eval {

struct ConfidenceBin {
    double lower = 0;
    double upper = 0;
    double meanConfidence = 0; // 0 for an empty bin
    double accuracy = 0;       // 0 for an empty bin
    int64_t count = 0;
};

struct Reliability {
    std::vector<ConfidenceBin> bins;
    double ece = 0;
    double mce = 0; // largest |accuracy - confidence| over non-empty bins
};

inline constexpr int kDefaultEceBins = 15;

Result<Reliability> reliability(const std::vector<double>& confidence, const std::vector<uint8_t>& correct,
                                int bins = kDefaultEceBins);

} // namespace slt::core::eval
