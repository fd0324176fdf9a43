// Helpers of the sampler plugins' tests on top of the SDK's SamplerPool (which builds a sampler's C
// input from plain arrays): a never-null pointer for an empty array, and a pool's input with one array
// replaced, for bad-input tests. Header-only; the tests add this folder to their include path.
#pragma once

#include <slt/sdk/cpp/host/sampler_proxy.hpp>

#include <vector>

namespace slt::samplers::test {

// values.data(), never null: SamplerPool reads a null array as "absent", while an empty pool still
// passes its arrays (of 0 rows).
inline const float* present(const std::vector<float>& values)
{
    static const float no_values = 0;
    return values.empty() ? &no_values : values.data();
}

// The C input of `pool` with its array `member` (&slt_sampler_input::scores or ::embeddings) pointing
// at `replacement`, a spoilt copy the caller keeps alive.
inline slt_sampler_input with_array(const sdk::host::SamplerPool& pool, const slt_array* slt_sampler_input::*member,
                                    const slt_array& replacement)
{
    slt_sampler_input input = pool.input();
    input.*member = &replacement;
    return input;
}

} // namespace slt::samplers::test
