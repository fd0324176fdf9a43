// The arithmetic of the standard uncertainty metrics, free of SDK glue. Points are taken a block at
// a time: for each MC sample, the block's rows are one contiguous run of memory (or are copied into
// one), and elementwise passes over it (block_kernels.hpp) accumulate everything the selected metrics
// need per (point, class): sums, sums of squares, x ln x terms, argmax votes. Every score then
// follows from that summary. So the array is read once, in long sequential runs, and the hot loops
// are SIMD. Definitions and the choices made where the literature leaves room: README.md beside this
// file.
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

// A borrowed f32 [T, N, C] array: p(t, n, c) = data[t * sample_stride + n * point_stride + c * class_stride].
struct McArray {
    const float* data = nullptr;
    int64_t samples = 0;
    int64_t classes = 0;
    int64_t sample_stride = 0;
    int64_t point_stride = 0;
    int64_t class_stride = 0;
};

// Summarises a block of points at a time; reuses its buffers, so one instance serves a whole call.
class BlockSummary {
public:
    BlockSummary(int64_t classes, int64_t samples, Needs needs);

    // The most points one block holds.
    int64_t capacity() const { return capacity_; }

    // Summarises points [first, first + count) of p, count <= capacity(). Returns false, leaving the
    // summary unspecified, when an entry is NaN or outside [0, 1 + kTolerance].
    bool accumulate(const McArray& p, int64_t first, int64_t count);

    // The score of the i-th point of the block last accumulated, in double, clamped into score_range().
    double score(int64_t i, ScoreKind kind) const;

    // Entries above 1 by at most this much are accepted as rounding of a softmax.
    static constexpr float kTolerance = 1e-4f;

private:
    const float* sample_rows(const McArray& p, int64_t t, int64_t first, int64_t count);
    void accumulate_sample(const float* rows, int64_t entries, int64_t count, bool* valid);
    void finish(int64_t count);
    void finish_point(int64_t i);

    int64_t classes_;
    int64_t samples_;
    int64_t capacity_;
    Needs needs_;
    // [capacity, C], per (point, class), summed over the T samples
    std::vector<double> sum_;
    std::vector<double> squares_;
    std::vector<double> x_log_x_;
    std::vector<int32_t> votes_;
    std::vector<float> gathered_; // one sample's rows when p's layout does not make them contiguous
    // [capacity], derived by finish()
    struct PointScores {
        double mean_entropy = 0;
        double sample_entropy_sum = 0; // sum over t of H(p_t)
        double top1 = 0;
        double top2 = 0;
        double variance = 0;
        int32_t modal_votes = 0;
    };
    std::vector<PointScores> points_;
    ScoreRange ranges_[kScoreKinds];
};

} // namespace slt::metrics::standard
