#include "mc_scores.hpp"

#include <algorithm>
#include <cmath>

namespace slt::metrics::standard {
namespace {

// x ln x with 0 ln 0 = 0 (the limit), as scipy.special.xlogy. (A hand-written branch-free series
// for ln was tried and measured slower than glibc's std::log without vectorisation; see README.)
inline double x_log_x(double x) { return x > 0 ? x * std::log(x) : 0.0; }

// 1 - sum of squared shares when T one-hot samples are split as evenly as possible over
// min(C, T) classes: the largest population variance summed over classes (the variance is convex
// in the samples, so its maximum over the simplex sits at one-hot samples).
double max_variance(int64_t classes, int64_t samples)
{
    const int64_t k = std::min(classes, samples);
    const int64_t q = samples / k;
    const int64_t r = samples % k;
    const double squares = static_cast<double>(r) * static_cast<double>((q + 1) * (q + 1)) +
                           static_cast<double>(k - r) * static_cast<double>(q * q);
    return 1.0 - squares / (static_cast<double>(samples) * static_cast<double>(samples));
}

} // namespace

ScoreRange score_range(ScoreKind kind, int64_t classes, int64_t samples)
{
    const double ln_c = std::log(static_cast<double>(classes));
    switch (kind) {
    case ScoreKind::Bald: return {0, std::min(ln_c, std::log(static_cast<double>(samples)))};
    case ScoreKind::Entropy: return {0, ln_c};
    case ScoreKind::EntropyNorm: return {0, classes > 1 ? 1.0 : 0.0};
    case ScoreKind::Msp: return {0, 1.0 - 1.0 / static_cast<double>(classes)};
    case ScoreKind::Margin: return {0, 1};
    case ScoreKind::Variance: return {0, max_variance(classes, samples)};
    case ScoreKind::VariationRatio: {
        // the modal class collects at least ceil(T / C) votes
        const int64_t fewest_modal_votes = (samples + classes - 1) / classes;
        return {0, 1.0 - static_cast<double>(fewest_modal_votes) / static_cast<double>(samples)};
    }
    }
    return {0, 0};
}

Needs needs_of(const std::vector<ScoreKind>& kinds)
{
    Needs needs;
    for (ScoreKind kind : kinds) {
        switch (kind) {
        case ScoreKind::Bald: needs.sample_entropy = needs.mean_entropy = true; break;
        case ScoreKind::Entropy:
        case ScoreKind::EntropyNorm: needs.mean_entropy = true; break;
        case ScoreKind::Msp:
        case ScoreKind::Margin: needs.top_two = true; break;
        case ScoreKind::Variance: needs.squares = true; break;
        case ScoreKind::VariationRatio: needs.votes = true; break;
        }
    }
    return needs;
}

PointSummary::PointSummary(int64_t classes, int64_t samples, Needs needs)
    : classes_(classes), samples_(samples), needs_(needs), sum_(static_cast<size_t>(classes)),
      squares_(needs.squares ? static_cast<size_t>(classes) : 0), votes_(needs.votes ? static_cast<size_t>(classes) : 0)
{
    for (int32_t k = 0; k < kScoreKinds; ++k) ranges_[k] = score_range(static_cast<ScoreKind>(k), classes, samples);
}

bool PointSummary::accumulate(const float* first, int64_t sample_stride, int64_t class_stride)
{
    std::fill(sum_.begin(), sum_.end(), 0.0);
    std::fill(squares_.begin(), squares_.end(), 0.0);
    std::fill(votes_.begin(), votes_.end(), 0);
    sample_entropy_sum_ = 0;
    bool valid = true;
    for (int64_t t = 0; t < samples_; ++t) {
        const float* row = first + t * sample_stride;
        int64_t argmax = 0; // the lowest index wins a tie
        float best = row[0];
        double neg_entropy = 0;
        for (int64_t c = 0; c < classes_; ++c) {
            const float p = row[c * class_stride];
            valid &= (p >= 0.0f && p <= 1.0f + kTolerance); // false for NaN too
            const double x = p;
            sum_[static_cast<size_t>(c)] += x;
            if (needs_.squares) squares_[static_cast<size_t>(c)] += x * x;
            if (needs_.sample_entropy) neg_entropy += x_log_x(x);
            // branch-free: which class wins is data, a branch here mispredicts
            argmax = p > best ? c : argmax;
            best = p > best ? p : best;
        }
        if (needs_.votes) ++votes_[static_cast<size_t>(argmax)];
        sample_entropy_sum_ -= neg_entropy;
    }
    if (valid) finish();
    return valid;
}

void PointSummary::finish()
{
    const double inv_t = 1.0 / static_cast<double>(samples_);
    mean_entropy_ = 0;
    top1_ = top2_ = 0;
    variance_ = 0;
    for (size_t c = 0; c < sum_.size(); ++c) {
        const double mean = sum_[c] * inv_t;
        if (needs_.mean_entropy) mean_entropy_ -= x_log_x(mean);
        if (needs_.top_two) {
            if (mean > top1_) {
                top2_ = top1_;
                top1_ = mean;
            } else if (mean > top2_) {
                top2_ = mean;
            }
        }
        // population variance E[p^2] - E[p]^2; rounding may make it a hair negative
        if (needs_.squares) variance_ += std::max(0.0, squares_[c] * inv_t - mean * mean);
    }
    modal_votes_ = needs_.votes ? *std::max_element(votes_.begin(), votes_.end()) : 0;
}

double PointSummary::score(ScoreKind kind) const
{
    const double inv_t = 1.0 / static_cast<double>(samples_);
    double value = 0;
    switch (kind) {
    case ScoreKind::Bald: value = mean_entropy_ - sample_entropy_sum_ * inv_t; break;
    case ScoreKind::Entropy: value = mean_entropy_; break;
    case ScoreKind::EntropyNorm: value = classes_ > 1 ? mean_entropy_ / std::log(static_cast<double>(classes_)) : 0.0; break;
    case ScoreKind::Msp: value = 1.0 - top1_; break;
    case ScoreKind::Margin: value = top1_ - top2_; break;
    case ScoreKind::Variance: value = variance_; break;
    case ScoreKind::VariationRatio: value = 1.0 - static_cast<double>(modal_votes_) * inv_t; break;
    }
    const ScoreRange& range = ranges_[static_cast<int32_t>(kind)];
    return std::clamp(value, range.min, range.max);
}

} // namespace slt::metrics::standard
