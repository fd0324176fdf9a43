// Temperature scaling (Guo et al. 2017; al-methods §2.11) of the mean class probabilities a bank stores.
//
// A bank holds MC-mean probabilities, not logits, so the logits are z = ln p (p clamped to >= 1e-30): softmax(z)
// gives p back, and softmax(z / T) = p^(1/T) / sum_c p_c^(1/T). T > 0 minimises the mean negative
// log-likelihood of the true classes on the fitting points; the NLL is convex in 1/T, hence unimodal in ln T,
// and a golden-section search on ln T in [ln 0.01, ln 100] finds it (a minimum on a bound is reported as such).
// Scaling never changes the arg-max, so accuracy is unchanged; the calibrated confidence of a point is the
// scaled probability of its predicted class.
#pragma once

#include "slt/core/result.hpp"

#include <cstdint>
#include <vector>

namespace slt::core::eval {

// Probabilities [n, classes] row-major (a bank's mean_probs column) and per point its true column.
struct ProbabilityTable {
    const float* probs = nullptr;
    int64_t points = 0;
    int32_t classes = 0;
};

struct TemperatureFit {
    double temperature = 1;
    double nllBefore = 0;  // at T = 1
    double nllAfter = 0;   // at the fitted T
    bool atBound = false;  // the minimum lies on the search bound (0.01 or 100)
};

inline constexpr double kMinTemperature = 0.01;
inline constexpr double kMaxTemperature = 100;

// Mean NLL of the true classes of the points `rows` at temperature T.
double temperatureNll(const ProbabilityTable& table, const std::vector<int32_t>& truth,
                      const std::vector<int64_t>& rows, double temperature);

// Fits T on the points `rows` (indices into the table); fails for no rows, a bad table or a truth column
// outside [0, classes).
Result<TemperatureFit> fitTemperature(const ProbabilityTable& table, const std::vector<int32_t>& truth,
                                      const std::vector<int64_t>& rows);

// The probability of column `column` of row `row` after scaling with T.
double scaledProbability(const ProbabilityTable& table, int64_t row, int32_t column, double temperature);

} // namespace slt::core::eval
