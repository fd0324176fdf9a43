// Classification quality from true and predicted class columns (SPEC V1): confusion matrix, accuracy, macro and
// weighted F1, Cohen's kappa, balanced accuracy, per-class precision / recall / F1.
//
// Classes are probability-column indices in [0, classes). Degenerate cases are values, never NaN:
// - no points, mismatched sizes or a class outside [0, classes): a failed Result with a message;
// - precision of a class that is never predicted, recall of a class that never occurs, and F1 when both are
//   0: 0 (scikit-learn's zero_division=0);
// - macro F1 averages over the classes that occur in the truth or the predictions (absent classes would
//   only pull the mean towards 0), weighted F1 weights by truth support;
// - balanced accuracy is the mean recall over the classes that occur in the truth;
// - kappa is undefined when the chance agreement is 1 (truth and predictions are one and the same class):
//   `kappa` is then empty and `kappaNote` says why.
#pragma once

#include "slt/core/result.hpp"

#include <cstdint>
#include <optional>
#include <vector>

namespace slt::core::eval {

struct ClassScores {
    int64_t support = 0;   // points of this class in the truth
    int64_t predicted = 0; // points predicted as this class
    double precision = 0;
    double recall = 0;
    double f1 = 0;
};

struct ClassificationSummary {
    int32_t classes = 0;
    int64_t points = 0;
    std::vector<int64_t> confusion; // [classes * classes], row = true class, column = predicted class
    double accuracy = 0;
    double macroF1 = 0;
    double weightedF1 = 0;
    double balancedAccuracy = 0;
    std::optional<double> kappa;
    QString kappaNote; // why kappa is empty
    std::vector<ClassScores> perClass;

    int64_t count(int32_t truth, int32_t predicted) const { return confusion[static_cast<size_t>(truth) * classes + predicted]; }
};

Result<ClassificationSummary> summariseClassification(const std::vector<int32_t>& truth,
                                                      const std::vector<int32_t>& predicted, int32_t classes);

} // namespace slt::core::eval
