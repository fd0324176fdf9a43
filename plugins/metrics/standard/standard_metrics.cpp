// org.slt.metric.standard: BALD, predictive entropy (raw and normalised), 1-MSP, margin, variance and
// variation ratio from MC probabilities [T, N, C], all selected ones in one pass per point (SPEC U1).
// The arithmetic lives in mc_scores.cpp; this file maps it onto the SDK.
#include "mc_scores.hpp"

#include <slt/sdk/cpp/metric.hpp>

#include <optional>
#include <string>
#include <vector>

namespace {

using slt::metrics::standard::PointSummary;
using slt::metrics::standard::ScoreKind;

class StandardMetrics : public slt::sdk::Metric {
public:
    // Index order equals ScoreKind.
    static constexpr slt::sdk::MetricInfo metrics[] = {
        {"bald", "BALD (mutual information)",
         "Entropy of the mean minus the mean entropy of the samples: disagreement between MC samples (nats).", 2, true},
        {"entropy", "Predictive entropy", "Entropy of the mean probabilities, in nats, from 0 to ln C.", 1, true},
        {"entropy_norm", "Normalised predictive entropy", "Predictive entropy divided by ln C, from 0 to 1.", 1, true},
        {"msp", "1 - MSP (least confidence)", "One minus the largest mean probability.", 1, true},
        {"margin", "Margin", "Largest minus second largest mean probability; small means uncertain.", 1, false},
        {"variance", "Variance", "Population variance of each class probability across samples, summed over classes.", 2,
         true},
        {"variation_ratio", "Variation ratio",
         "One minus the share of samples whose most likely class is the modal one.", 2, true},
    };
    static_assert(sizeof(metrics) / sizeof(metrics[0]) == slt::metrics::standard::kScoreKinds);

    static slt::sdk::ValueRange value_range(int32_t metric, int64_t classes, int64_t samples)
    {
        const auto range = slt::metrics::standard::score_range(static_cast<ScoreKind>(metric), classes, samples);
        return {range.min, range.max};
    }

    StandardMetrics(const slt::sdk::Host&, const std::vector<int32_t>& selected)
    {
        for (int32_t index : selected) kinds_.push_back(static_cast<ScoreKind>(index));
    }

    void compute(const slt::sdk::Probabilities& probs, slt::sdk::Matrix<float> out, const slt::sdk::Job& job) override
    {
        summary_.emplace(probs.classes(), probs.samples(), slt::metrics::standard::needs_of(kinds_));
        Metric::compute(probs, out, job);
    }

    void score_point(const slt::sdk::Probabilities& probs, int64_t n, slt::sdk::Span<float> row) override
    {
        const float* first = probs.data() + n * probs.point_stride();
        if (!summary_->accumulate(first, probs.sample_stride(), probs.class_stride())) refuse(probs, n);
        for (size_t j = 0; j < kinds_.size(); ++j) row[j] = static_cast<float>(summary_->score(kinds_[j]));
    }

private:
    // Names the first bad entry of point n in the message.
    [[noreturn]] static void refuse(const slt::sdk::Probabilities& probs, int64_t n)
    {
        for (int64_t t = 0; t < probs.samples(); ++t)
            for (int64_t c = 0; c < probs.classes(); ++c) {
                const float p = probs(t, n, c);
                if (!(p >= 0.0f && p <= 1.0f + PointSummary::kTolerance))
                    throw slt::sdk::Error(SLT_ERR_INVALID_ARGUMENT,
                                          "probs[" + std::to_string(t) + ", " + std::to_string(n) + ", " +
                                              std::to_string(c) + "] = " + std::to_string(p) +
                                              " is not a probability (NaN or outside [0, 1])");
            }
        throw slt::sdk::Error(SLT_ERR_INTERNAL, "probs: point " + std::to_string(n) + " was refused without a bad entry");
    }

    std::vector<ScoreKind> kinds_;
    std::optional<PointSummary> summary_; // sized per compute() call for its C and T
};

} // namespace

SLT_PLUGIN("org.slt.metric.standard", "1.0.0", StandardMetrics)
