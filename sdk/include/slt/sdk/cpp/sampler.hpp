// SLT plugin SDK, C++ helpers: write a sampler as a C++ class.
//
//     class MySampler : public slt::sdk::Sampler {
//     public:
//         static constexpr uint32_t needs = SLT_SAMPLER_NEEDS_SCORES;  // optional, default 0
//         explicit MySampler(const slt::sdk::Host& host);
//         std::vector<int64_t> select(const slt::sdk::SamplerInput& in, int64_t k,
//                                     const slt::sdk::Job& job) override;
//     };
//     SLT_PLUGIN("org.example.sampler.mine", "1.0.0", MySampler)
//
// The trampolines check the input, catch every exception and check the answer (at most k distinct
// eligible indices), so a buggy sampler yields SLT_ERR_INTERNAL, never a bad pick. Header-only.
#pragma once

#include "../sampler.h"
#include "error.hpp"
#include "host.hpp"
#include "job.hpp"
#include "plugin.hpp"
#include "sampler_input.hpp"

#include <algorithm>
#include <memory>
#include <type_traits>
#include <vector>

namespace slt::sdk {

class Sampler {
public:
    virtual ~Sampler() = default;
    // Up to k indices in order of preference (see slt_sampler_factory::select).
    virtual std::vector<int64_t> select(const SamplerInput& input, int64_t k, const Job& job) = 0;
};

namespace detail {

template <class T, class = void>
struct sampler_needs { static constexpr uint32_t value = 0; };
template <class T>
struct sampler_needs<T, std::void_t<decltype(T::needs)>> { static constexpr uint32_t value = T::needs; };

inline Sampler* as_sampler(slt_sampler* s) { return reinterpret_cast<Sampler*>(s); }

template <class T>
struct SamplerTable {
    static slt_status create(const slt_host* host, slt_sampler** out, slt_error* err)
    {
        return guard(err, [&] {
            require(out != nullptr, "out is NULL");
            std::unique_ptr<Sampler> sampler = std::make_unique<T>(Host(host));
            *out = reinterpret_cast<slt_sampler*>(sampler.release());
        });
    }
    static void destroy(slt_sampler* sampler)
    {
        guard_silent([&] { delete as_sampler(sampler); });
    }
    static slt_status select(slt_sampler* sampler, const slt_sampler_input* input, int64_t k,
                             int64_t* out_indices, int64_t* out_count, const slt_job* job,
                             slt_error* err)
    {
        return guard(err, [&] {
            require(sampler != nullptr, "sampler is NULL");
            require(out_count != nullptr, "out_count is NULL");
            require(k >= 0, "k is negative");
            require(k == 0 || out_indices != nullptr, "out_indices is NULL");
            *out_count = 0;
            const SamplerInput in = SamplerInput::from_c(input, sampler_needs<T>::value);
            const std::vector<int64_t> picked = as_sampler(sampler)->select(in, k, Job(job));
            const std::string problem =
                check_selection(in, k, picked.data(), static_cast<int64_t>(picked.size()));
            if (!problem.empty()) throw Error(SLT_ERR_INTERNAL, "sampler " + problem);
            std::copy(picked.begin(), picked.end(), out_indices);
            *out_count = static_cast<int64_t>(picked.size());
        });
    }
    static constexpr slt_sampler_factory table = {
        sizeof(slt_sampler_factory), sampler_needs<T>::value, &create, &destroy, &select};
};

} // namespace detail

template <class T>
struct KindTraits<T, std::enable_if_t<std::is_base_of_v<Sampler, T>>> {
    static constexpr const char* factory_id = SLT_SAMPLER_FACTORY_ID;
    static const void* table() { return &detail::SamplerTable<T>::table; }
};

} // namespace slt::sdk
