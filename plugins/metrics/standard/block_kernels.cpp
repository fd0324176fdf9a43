#include "block_kernels.hpp"

#include "fast_log.hpp"

// On x86-64 with GCC each pass is compiled twice, for AVX2 and for the baseline (SSE2), and the
// loader picks the one the CPU runs (function multi-versioning). Neither version contracts a
// multiply-add (no FMA in either target, and the plugin builds with -ffp-contract=off), and every
// pass is elementwise, so both give the same bits as the scalar code.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define SLT_METRICS_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define SLT_METRICS_CLONES
#endif

namespace slt::metrics::standard::kernels {

SLT_METRICS_CLONES bool add_checked(const float* x, int64_t n, float upper, double* sum)
{
    int32_t bad = 0; // an integer OR, so the check vectorises with the sum
    for (int64_t i = 0; i < n; ++i) {
        sum[i] += static_cast<double>(x[i]);
        bad |= !((x[i] >= 0.0f) & (x[i] <= upper)); // true for NaN too; & keeps the loop branch-free
    }
    return bad == 0;
}

SLT_METRICS_CLONES void add_squares(const float* x, int64_t n, double* squares)
{
    for (int64_t i = 0; i < n; ++i) {
        const double value = static_cast<double>(x[i]);
        squares[i] += value * value;
    }
}

SLT_METRICS_CLONES void add_x_log_x(const float* x, int64_t n, double* terms)
{
    for (int64_t i = 0; i < n; ++i) terms[i] += x_log_x_fast(x[i]);
}

void add_votes(const float* x, int64_t points, int64_t classes, int32_t* votes)
{
    for (int64_t j = 0; j < points; ++j) {
        const float* row = x + j * classes;
        int64_t argmax = 0;
        float best = row[0];
        for (int64_t c = 1; c < classes; ++c) {
            // branch-free: which class wins is data, a branch here mispredicts
            argmax = row[c] > best ? c : argmax;
            best = row[c] > best ? row[c] : best;
        }
        ++votes[j * classes + argmax];
    }
}

} // namespace slt::metrics::standard::kernels
