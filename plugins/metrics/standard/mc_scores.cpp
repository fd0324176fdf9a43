#include "mc_scores.hpp"

#include "block_kernels.hpp"

#include <algorithm>
#include <cmath>

namespace slt::metrics::standard {
namespace {

// Entries of p one block holds: the accumulators (up to 3 doubles and an int per entry, ~100 KiB)
// stay in L2 while the T sample rows stream through, and a block is long enough that each sample's
// rows are a long sequential read.
constexpr int64_t kBlockEntries = 4096;

// x ln x with 0 ln 0 = 0 (the limit), as scipy.special.xlogy, exact in double: for the C means of a
// point (the T·C entries of p go through the fast log of block_kernels.cpp instead).
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

BlockSummary::BlockSummary(int64_t classes, int64_t samples, Needs needs)
    : classes_(classes), samples_(samples), capacity_(std::max<int64_t>(1, kBlockEntries / classes)), needs_(needs)
{
    const auto entries = static_cast<size_t>(capacity_ * classes_);
    sum_.resize(entries);
    if (needs_.squares) squares_.resize(entries);
    if (needs_.sample_entropy) x_log_x_.resize(entries);
    if (needs_.votes) votes_.resize(entries);
    points_.resize(static_cast<size_t>(capacity_));
    for (int32_t k = 0; k < kScoreKinds; ++k) ranges_[k] = score_range(static_cast<ScoreKind>(k), classes, samples);
}

bool BlockSummary::accumulate(const McArray& p, int64_t first, int64_t count)
{
    const int64_t entries = count * classes_;
    std::fill_n(sum_.begin(), entries, 0.0);
    if (needs_.squares) std::fill_n(squares_.begin(), entries, 0.0);
    if (needs_.sample_entropy) std::fill_n(x_log_x_.begin(), entries, 0.0);
    if (needs_.votes) std::fill_n(votes_.begin(), entries, 0);
    bool valid = true;
    for (int64_t t = 0; t < samples_; ++t) accumulate_sample(sample_rows(p, t, first, count), entries, count, &valid);
    if (valid) finish(count);
    return valid;
}

// Sample t's rows of the block as count x C contiguous floats: in place for the usual [T, N, C]
// layout, else copied (any strides are allowed by the ABI).
const float* BlockSummary::sample_rows(const McArray& p, int64_t t, int64_t first, int64_t count)
{
    const float* start = p.data + t * p.sample_stride + first * p.point_stride;
    if (p.class_stride == 1 && (p.point_stride == classes_ || count == 1)) {
        // Ask for the next block's run of this sample now: with T runs read in turn, the hardware
        // prefetcher alone left the first pass over each run waiting on memory (perf).
        const float* next = start + count * classes_;
        for (int64_t k = 0; k < count * classes_; k += 16) __builtin_prefetch(next + k); // one per 64-byte line
        return start;
    }
    gathered_.resize(static_cast<size_t>(capacity_ * classes_));
    for (int64_t i = 0; i < count; ++i)
        for (int64_t c = 0; c < classes_; ++c)
            gathered_[static_cast<size_t>(i * classes_ + c)] = start[i * p.point_stride + c * p.class_stride];
    return gathered_.data();
}

void BlockSummary::accumulate_sample(const float* rows, int64_t entries, int64_t count, bool* valid)
{
    *valid &= kernels::add_checked(rows, entries, 1.0f + kTolerance, sum_.data());
    if (needs_.squares) kernels::add_squares(rows, entries, squares_.data());
    if (needs_.sample_entropy) kernels::add_x_log_x(rows, entries, x_log_x_.data());
    if (needs_.votes) kernels::add_votes(rows, count, classes_, votes_.data());
}

void BlockSummary::finish(int64_t count)
{
    for (int64_t i = 0; i < count; ++i) finish_point(i);
}

void BlockSummary::finish_point(int64_t i)
{
    const double inv_t = 1.0 / static_cast<double>(samples_);
    const size_t row = static_cast<size_t>(i * classes_);
    PointScores& point = points_[static_cast<size_t>(i)];
    point = PointScores{};
    for (size_t c = row; c < row + static_cast<size_t>(classes_); ++c) {
        const double mean = sum_[c] * inv_t;
        if (needs_.mean_entropy) point.mean_entropy -= x_log_x(mean);
        if (needs_.sample_entropy) point.sample_entropy_sum -= x_log_x_[c];
        if (needs_.top_two) {
            if (mean > point.top1) {
                point.top2 = point.top1;
                point.top1 = mean;
            } else if (mean > point.top2) {
                point.top2 = mean;
            }
        }
        // population variance E[p^2] - E[p]^2; rounding may make it a hair negative
        if (needs_.squares) point.variance += std::max(0.0, squares_[c] * inv_t - mean * mean);
        if (needs_.votes) point.modal_votes = std::max(point.modal_votes, votes_[c]);
    }
}

double BlockSummary::score(int64_t i, ScoreKind kind) const
{
    const double inv_t = 1.0 / static_cast<double>(samples_);
    const PointScores& point = points_[static_cast<size_t>(i)];
    double value = 0;
    switch (kind) {
    case ScoreKind::Bald: value = point.mean_entropy - point.sample_entropy_sum * inv_t; break;
    case ScoreKind::Entropy: value = point.mean_entropy; break;
    case ScoreKind::EntropyNorm:
        value = classes_ > 1 ? point.mean_entropy / std::log(static_cast<double>(classes_)) : 0.0;
        break;
    case ScoreKind::Msp: value = 1.0 - point.top1; break;
    case ScoreKind::Margin: value = point.top1 - point.top2; break;
    case ScoreKind::Variance: value = point.variance; break;
    case ScoreKind::VariationRatio: value = 1.0 - static_cast<double>(point.modal_votes) * inv_t; break;
    }
    const ScoreRange& range = ranges_[static_cast<int32_t>(kind)];
    return std::clamp(value, range.min, range.max);
}

} // namespace slt::metrics::standard
