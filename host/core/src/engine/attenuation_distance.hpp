// Squared Euclidean distance between two f32 rows, the inner loop of every attenuation update.
// Eight independent partial sums let the compiler vectorise without -ffast-math while keeping the result
// deterministic (the summation order depends on the dimension only, never on the data or the thread).
#pragma once

#include <cstdint>

namespace slt::core::attenuation_detail {

inline float squaredDistance(const float* a, const float* b, int32_t dim)
{
    float lane[8] = {};
    int32_t i = 0;
    for (; i + 8 <= dim; i += 8)
        for (int l = 0; l < 8; ++l) {
            const float diff = a[i + l] - b[i + l];
            lane[l] += diff * diff;
        }
    for (; i < dim; ++i) {
        const float diff = a[i] - b[i];
        lane[0] += diff * diff;
    }
    return ((lane[0] + lane[1]) + (lane[2] + lane[3])) + ((lane[4] + lane[5]) + (lane[6] + lane[7]));
}

} // namespace slt::core::attenuation_detail
