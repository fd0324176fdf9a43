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

} // namespace slt::sdk::host
