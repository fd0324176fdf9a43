// Validation scores on point labels (SPEC M6), from a confusion matrix of true class (row) against
// predicted class (column), both output-channel indices.
//
// Conventions are those of the host's evaluation library (slt::core::eval, scikit-learn's
// defaults with zero_division = 0), so a training log and `slt-cli evaluate` agree:
// - precision of a class never predicted, recall of a class that never occurs, F1 when both are 0: 0;
// - macro F1 averages over the classes that occur in the truth or in the predictions;
// - weighted F1 weights by truth support; balanced accuracy is the mean recall over classes that occur;
// - Cohen's kappa is NaN when the chance agreement is 1; every score is NaN without points.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace slt::unet::training {

class ConfusionMatrix {
public:
    explicit ConfusionMatrix(int32_t classes)
        : classes_(classes), counts_(static_cast<size_t>(classes) * static_cast<size_t>(classes), 0) {}

    void add(int32_t truth, int32_t predicted, int64_t count = 1)
    {
        counts_[static_cast<size_t>(truth) * static_cast<size_t>(classes_) + static_cast<size_t>(predicted)] += count;
    }
    int64_t at(int32_t truth, int32_t predicted) const
    {
        return counts_[static_cast<size_t>(truth) * static_cast<size_t>(classes_) + static_cast<size_t>(predicted)];
    }
    int32_t classes() const { return classes_; }
    int64_t total() const;
    // Row-major counts, for summing across data-parallel ranks.
    std::vector<int64_t>& counts() { return counts_; }
    const std::vector<int64_t>& counts() const { return counts_; }

private:
    int32_t classes_;
    std::vector<int64_t> counts_;
};

struct ValidationScores {
    int64_t points = 0;
    double accuracy = 0;
    double macroF1 = 0;
    double weightedF1 = 0;
    double balancedAccuracy = 0;
    double kappa = 0;
    std::vector<double> precision, recall, f1; // [classes]
    std::vector<int64_t> support;              // [classes]
};

ValidationScores scoreConfusion(const ConfusionMatrix& confusion);

} // namespace slt::unet::training
