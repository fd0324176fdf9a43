// org.slt.metric.standard: BALD, predictive entropy (raw and normalised), 1-MSP, margin, variance and
// variation ratio from MC probabilities [T, N, C], all selected ones in one pass over the array (SPEC U1).
// The arithmetic lives in mc_scores.cpp; this file maps it onto the SDK.
#include "mc_scores.hpp"

#include <slt/sdk/cpp/metric.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace {

using slt::metrics::standard::BlockSummary;
using slt::metrics::standard::McArray;
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

    // Walks the points a block at a time (mc_scores.hpp), checking cancellation between blocks.
    void compute(const slt::sdk::Probabilities& probs, slt::sdk::Matrix<float> out, const slt::sdk::Job& job) override
    {
        BlockSummary summary = summary_for(probs);
        const McArray p = mc_array(probs);
        int64_t unchecked = 0; // points since the last cancellation check
        for (int64_t first = 0; first < probs.points(); first += summary.capacity()) {
            if (first == 0 || unchecked >= kRowsPerCancelCheck) {
                job.throw_if_cancelled();
                unchecked = 0;
            }
            const int64_t count = std::min(summary.capacity(), probs.points() - first);
            score_block(summary, p, first, count, probs, [&](int64_t n) { return out.row(n); });
            unchecked += count;
        }
    }

    void score_point(const slt::sdk::Probabilities& probs, int64_t n, slt::sdk::Span<float> row) override
    {
        BlockSummary summary = summary_for(probs);
        score_block(summary, mc_array(probs), n, 1, probs, [&](int64_t) { return row; });
    }

private:
    // Throws naming the first bad entry of point n, if it has one.
    static void refuse_if_bad(const slt::sdk::Probabilities& probs, int64_t n)
    {
        for (int64_t t = 0; t < probs.samples(); ++t)
            for (int64_t c = 0; c < probs.classes(); ++c) {
                const float p = probs(t, n, c);
                if (!(p >= 0.0f && p <= 1.0f + BlockSummary::kTolerance))
                    throw slt::sdk::Error(SLT_ERR_INVALID_ARGUMENT,
                                          "probs[" + std::to_string(t) + ", " + std::to_string(n) + ", " +
                                              std::to_string(c) + "] = " + std::to_string(p) +
                                              " is not a probability (NaN or outside [0, 1])");
            }
    }

    static McArray mc_array(const slt::sdk::Probabilities& probs)
    {
        return {probs.data(), probs.samples(), probs.classes(), probs.sample_stride(), probs.point_stride(),
                probs.class_stride()};
    }

    BlockSummary summary_for(const slt::sdk::Probabilities& probs) const
    {
        return BlockSummary(probs.classes(), probs.samples(), slt::metrics::standard::needs_of(kinds_));
    }

    // Scores points [first, first + count) into row_of(n) for each point n.
    template <class RowOf>
    void score_block(BlockSummary& summary, const McArray& p, int64_t first, int64_t count,
                     const slt::sdk::Probabilities& probs, RowOf row_of)
    {
        if (!summary.accumulate(p, first, count)) refuse_first_bad(probs, first, count);
        for (int64_t i = 0; i < count; ++i) {
            slt::sdk::Span<float> row = row_of(first + i);
            for (size_t j = 0; j < kinds_.size(); ++j) row[j] = static_cast<float>(summary.score(i, kinds_[j]));
        }
    }

    // The block [first, first + count) holds a bad entry: names the first one, in point order.
    [[noreturn]] static void refuse_first_bad(const slt::sdk::Probabilities& probs, int64_t first, int64_t count)
    {
        for (int64_t n = first; n < first + count; ++n) refuse_if_bad(probs, n);
        throw slt::sdk::Error(SLT_ERR_INTERNAL, "probs: points " + std::to_string(first) + " to " +
                                                    std::to_string(first + count - 1) +
                                                    " were refused without a bad entry");
    }

    std::vector<ScoreKind> kinds_;
};

} // namespace

SLT_PLUGIN("org.slt.metric.standard", "1.0.0", StandardMetrics)
