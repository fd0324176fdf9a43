// The elementwise passes of the metrics over one MC sample of a block of points: `x` holds the
// block's rows of that sample, count·C contiguous probabilities, and every accumulator holds as many
// doubles. Compiled for AVX2 and for the baseline x86-64 and picked at load time (see the .cpp).
#pragma once

#include <cstdint>

namespace slt::metrics::standard::kernels {

// sum[i] += x[i]. Returns false when some x[i] is NaN or outside [0, upper] (the sums are then
// unspecified).
bool add_checked(const float* x, int64_t n, float upper, double* sum);

// squares[i] += x[i]².
void add_squares(const float* x, int64_t n, double* squares);

// terms[i] += x[i] ln x[i], with the fast log (fast_log.hpp: error at most x[i]·kLogMantissaError).
void add_x_log_x(const float* x, int64_t n, double* terms);

// ++votes[j·C + argmax of row j] for each of the `points` rows of C classes; the lowest class index
// wins a tie.
void add_votes(const float* x, int64_t points, int64_t classes, int32_t* votes);

} // namespace slt::metrics::standard::kernels
