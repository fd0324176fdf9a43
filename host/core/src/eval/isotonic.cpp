#include "slt/core/eval/isotonic.hpp"

namespace slt::core::eval {

std::vector<IsotonicBlock> isotonicBlocks(const std::vector<double>& values, const std::vector<double>& weights)
{
    // A stack of blocks with non-decreasing values: each new point becomes a block and merges backwards while
    // it is below its predecessor (the pooled value is the weighted mean).
    std::vector<IsotonicBlock> blocks;
    blocks.reserve(values.size());
    for (size_t i = 0; i < values.size(); ++i) {
        IsotonicBlock block{i, i, values[i], weights.empty() ? 1.0 : weights[i]};
        while (!blocks.empty() && blocks.back().value >= block.value) {
            const IsotonicBlock& previous = blocks.back();
            const double weight = previous.weight + block.weight;
            block.value = (previous.value * previous.weight + block.value * block.weight) / weight;
            block.weight = weight;
            block.first = previous.first;
            blocks.pop_back();
        }
        blocks.push_back(block);
    }
    return blocks;
}

std::vector<double> isotonicFit(const std::vector<double>& values, const std::vector<double>& weights)
{
    std::vector<double> fitted(values.size());
    for (const IsotonicBlock& block : isotonicBlocks(values, weights))
        for (size_t i = block.first; i <= block.last; ++i)
            fitted[i] = block.value;
    return fitted;
}

} // namespace slt::core::eval
