// SLT plugin SDK, host-side C++ helpers: a sampler instance seen from the host. Checks the factory's
// struct_size and function pointers, owns the instance (destroyed with the proxy), and checks every
// answer against the contract (at most k distinct eligible indices). Header-only.
#pragma once

#include "../../sampler.h"
#include "../sampler_input.hpp"
#include "result.hpp"

#include <vector>

namespace slt::sdk::host {

class SamplerProxy {
public:
    // revision-1 size of slt_sampler_factory
    static constexpr size_t kMinimumFactorySize = offsetof(slt_sampler_factory, select) + sizeof(void*);

    static Result<SamplerProxy> create(const void* factory, const slt_host* host)
    {
        auto table = detail::checked_table<slt_sampler_factory>(factory, kMinimumFactorySize, "sampler");
        if (!table) return table.status();
        const slt_sampler_factory* f = *table;
        if (!f->create || !f->destroy || !f->select)
            return Result<SamplerProxy>::failure(SLT_ERR_INVALID_ARGUMENT, "sampler factory has a NULL function");
        ErrorBuffer err;
        slt_sampler* instance = nullptr;
        const slt_status code = f->create(host, &instance, err.get());
        if (code != SLT_OK) return err.status(code, "create");
        if (!instance) return Result<SamplerProxy>::failure(SLT_ERR_INTERNAL, "create returned no sampler");
        return SamplerProxy(f, instance);
    }

    SamplerProxy(SamplerProxy&& other) noexcept : factory_(other.factory_), instance_(other.instance_)
    {
        other.instance_ = nullptr;
    }
    SamplerProxy& operator=(SamplerProxy&& other) noexcept
    {
        std::swap(factory_, other.factory_);
        std::swap(instance_, other.instance_);
        return *this;
    }
    SamplerProxy(const SamplerProxy&) = delete;
    SamplerProxy& operator=(const SamplerProxy&) = delete;
    ~SamplerProxy()
    {
        if (instance_) factory_->destroy(instance_);
    }

    uint32_t needs() const { return factory_->needs; }

    // Up to k indices in order of preference; an error when the plugin fails or breaks the contract.
    Result<std::vector<int64_t>> select(const slt_sampler_input& input, int64_t k,
                                        const slt_job* job = nullptr)
    {
        using R = Result<std::vector<int64_t>>;
        SamplerInput view;
        try {
            view = SamplerInput::from_c(&input, factory_->needs);
        } catch (const Error& e) {
            return R::failure(e.status(), std::string("select: ") + e.what());
        }
        if (k < 0) return R::failure(SLT_ERR_INVALID_ARGUMENT, "select: k is negative");
        std::vector<int64_t> indices(static_cast<size_t>(k));
        int64_t count = -1;
        ErrorBuffer err;
        const slt_status code = factory_->select(instance_, &input, k, indices.data(), &count, job, err.get());
        if (code != SLT_OK) return err.status(code, "select");
        const std::string problem = check_selection(view, k, indices.data(), count);
        if (!problem.empty()) return R::failure(SLT_ERR_INTERNAL, "select: the sampler " + problem);
        indices.resize(static_cast<size_t>(count));
        return indices;
    }

private:
    SamplerProxy(const slt_sampler_factory* factory, slt_sampler* instance)
        : factory_(factory), instance_(instance) {}

    const slt_sampler_factory* factory_;
    slt_sampler* instance_;
};

// The C pool a sampler reads, built from plain contiguous arrays (all borrowed: they must outlive the pool
// and keep their addresses). `scores` [N] and `embeddings` [N, dim] may be null; `labelled` [N] and `chosen`
// may be null / empty. Holds the array views the input points at, so it is neither copied nor moved.
class SamplerPool {
public:
    SamplerPool(int64_t num_points, const float* scores, const float* embeddings, int64_t dim,
                const uint8_t* labelled, const int64_t* chosen, int64_t num_chosen, uint64_t seed)
    {
        scores_ = slt_array{const_cast<float*>(scores), SLT_DTYPE_F32, 1, {num_points}, {1}};
        embeddings_ = slt_array{const_cast<float*>(embeddings), SLT_DTYPE_F32, 2, {num_points, dim}, {dim, 1}};
        input_.struct_size = sizeof input_;
        input_.num_points = num_points;
        input_.scores = scores ? &scores_ : nullptr;
        input_.embeddings = embeddings ? &embeddings_ : nullptr;
        input_.labelled = labelled;
        input_.chosen = num_chosen > 0 ? chosen : nullptr;
        input_.num_chosen = num_chosen > 0 ? num_chosen : 0;
        input_.seed = seed;
    }
    SamplerPool(const SamplerPool&) = delete;
    SamplerPool& operator=(const SamplerPool&) = delete;

    const slt_sampler_input& input() const { return input_; }

private:
    slt_array scores_{};
    slt_array embeddings_{};
    slt_sampler_input input_{};
};

} // namespace slt::sdk::host
