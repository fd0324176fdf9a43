// The arithmetic of the standard uncertainty metrics, free of SDK glue. One pass over the T x C
// probabilities of a point accumulates everything the selected metrics need (per-class sums and
// sums of squares, the entropy of every sample, argmax votes); every score follows from that summary.
// Definitions and the choices made where the literature leaves room: README.md beside this file.
#pragma once

#include <cstdint>
#include <vector>

namespace slt::metrics::standard {

// In the plugin's index order (the order of StandardMetrics::metrics).
enum class ScoreKind : int32_t { Bald, Entropy, EntropyNorm, Msp, Margin, Variance, VariationRatio };
constexpr int32_t kScoreKinds = 7;

struct ScoreRange {
    double min = 0;
    double max = 0;
};

// The exact range of a score for C classes and T samples (BALD: the bound min(ln C, ln T)).
ScoreRange score_range(ScoreKind kind, int64_t classes, int64_t samples);

// What the selected scores need from the pass over p, so unneeded work (a log per entry for BALD,
// squares for the variance, argmax votes) is skipped.
struct Needs {
    bool mean_entropy = false;   // H of the mean: entropy, entropy_norm, bald
    bool sample_entropy = false; // mean of the per-sample entropies: bald
    bool squares = false;        // sums of squares: variance
    bool votes = false;          // argmax votes: variation_ratio
    bool top_two = false;        // largest and second largest mean: msp, margin
};
Needs needs_of(const std::vector<ScoreKind>& kinds);

// Accumulates one point at a time; reuses its buffers, so one instance serves a whole chunk.
class PointSummary {
public:
    PointSummary(int64_t classes, int64_t samples, Needs needs);

    // Reads p[t][c] = first[t * sample_stride + c * class_stride] for t < T, c < C. Returns false,
    // leaving the summary unspecified, when an entry is NaN or outside [0, 1 + kTolerance].
    bool accumulate(const float* first, int64_t sample_stride, int64_t class_stride);

    // The score of the point last accumulated, in double, clamped into score_range().
    double score(ScoreKind kind) const;

    // Entries above 1 by at most this much are accepted as rounding of a softmax.
    static constexpr float kTolerance = 1e-4f;

private:
    void finish();

    int64_t classes_;
    int64_t samples_;
    Needs needs_;
    std::vector<double> sum_;     // [C] sum over t of p[t][c]
    std::vector<double> squares_; // [C] sum over t of p[t][c]^2
    std::vector<int64_t> votes_;  // [C] samples whose argmax is c
    double sample_entropy_sum_ = 0;
    // derived by finish()
    double mean_entropy_ = 0;
    double top1_ = 0;
    double top2_ = 0;
    double variance_ = 0;
    int64_t modal_votes_ = 0;
    ScoreRange ranges_[kScoreKinds];
};

} // namespace slt::metrics::standard
