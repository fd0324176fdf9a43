// SLT plugin SDK, host-side C++ helpers: a metric instance seen from the host. Header-only.
#pragma once

#include "../../metric.h"
#include "result.hpp"

#include <string>
#include <utility>

namespace slt::sdk::host {

class MetricProxy {
public:
    static constexpr size_t kMinimumFactorySize = offsetof(slt_metric_factory, compute) + sizeof(void*);

    static Result<MetricProxy> create(const void* factory, const slt_host* host)
    {
        auto table = detail::checked_table<slt_metric_factory>(factory, kMinimumFactorySize, "metric");
        if (!table) return table.status();
        const slt_metric_factory* f = *table;
        if (!f->name || !f->value_range || !f->create || !f->destroy || !f->compute)
            return Result<MetricProxy>::failure(SLT_ERR_INVALID_ARGUMENT, "metric factory has a NULL field");
        ErrorBuffer err;
        slt_metric* instance = nullptr;
        const slt_status code = f->create(host, &instance, err.get());
        if (code != SLT_OK) return err.status(code, "create");
        if (!instance) return Result<MetricProxy>::failure(SLT_ERR_INTERNAL, "create returned no metric");
        return MetricProxy(f, instance);
    }

    MetricProxy(MetricProxy&& o) noexcept : factory_(o.factory_), instance_(std::exchange(o.instance_, nullptr)) {}
    MetricProxy& operator=(MetricProxy&& o) noexcept
    {
        std::swap(factory_, o.factory_);
        std::swap(instance_, o.instance_);
        return *this;
    }
    MetricProxy(const MetricProxy&) = delete;
    MetricProxy& operator=(const MetricProxy&) = delete;
    ~MetricProxy()
    {
        if (instance_) factory_->destroy(instance_);
    }

    const char* name() const { return factory_->name; }
    const char* display_name() const { return factory_->display_name ? factory_->display_name : factory_->name; }
    int32_t min_mc_samples() const { return factory_->min_mc_samples; }
    bool higher_is_more_uncertain() const { return factory_->higher_is_more_uncertain != 0; }

    Result<std::pair<double, double>> value_range(int64_t classes, int64_t samples) const
    {
        ErrorBuffer err;
        double lo = 0, hi = 0;
        const slt_status code = factory_->value_range(classes, samples, &lo, &hi, err.get());
        if (code != SLT_OK) return err.status(code, "value_range");
        return std::make_pair(lo, hi);
    }

    // Scores of one chunk: `probs` f32 [T, N, C], `out` f32 [N] contiguous.
    Status compute(const slt_array& probs, slt_array& out, const slt_job* job = nullptr)
    {
        if (probs.dtype != SLT_DTYPE_F32 || probs.ndim != 3 || out.dtype != SLT_DTYPE_F32 ||
            out.ndim != 1 || out.shape[0] != probs.shape[1])
            return Status::failure(SLT_ERR_INVALID_ARGUMENT, "compute: probs must be f32 [T,N,C] and out f32 [N]");
        if (probs.shape[0] < factory_->min_mc_samples)
            return Status::failure(SLT_ERR_INVALID_ARGUMENT,
                                   std::string("compute: ") + name() + " needs at least " +
                                       std::to_string(factory_->min_mc_samples) + " MC samples");
        ErrorBuffer err;
        return err.status(factory_->compute(instance_, &probs, &out, job, err.get()), "compute");
    }

private:
    MetricProxy(const slt_metric_factory* f, slt_metric* m) : factory_(f), instance_(m) {}
    const slt_metric_factory* factory_;
    slt_metric* instance_;
};

} // namespace slt::sdk::host
