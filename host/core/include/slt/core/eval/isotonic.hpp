// Isotonic (monotone least-squares) regression by pool-adjacent-violators (Zadrozny & Elkan 2002).
#pragma once

#include <cstddef>
#include <vector>

namespace slt::core::eval {

// One block of the fit: the inputs [first, last] (indices into the sequence) share `value`, their weighted mean.
struct IsotonicBlock {
    std::size_t first = 0;
    std::size_t last = 0;
    double value = 0;
    double weight = 0;
};

// The non-decreasing sequence f minimising sum_i w_i (y_i - f_i)^2, for `values` already in the order of the
// regressor, as blocks in order. Weights must be > 0; `weights` empty means all 1. O(n).
std::vector<IsotonicBlock> isotonicBlocks(const std::vector<double>& values, const std::vector<double>& weights = {});

// The same fit expanded to one fitted value per input.
std::vector<double> isotonicFit(const std::vector<double>& values, const std::vector<double>& weights = {});

} // namespace slt::core::eval
