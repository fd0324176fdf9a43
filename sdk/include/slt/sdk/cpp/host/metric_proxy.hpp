// SLT plugin SDK, host-side C++ helpers: a metric plugin seen from the host.
//
//     auto all = MetricSet::list(factory);                       // every metric the plugin provides
//     auto set = MetricSet::create(factory, host, {"bald", "entropy"});
//     auto scores = set->compute(probs);                         // [N, 2] row-major, one pass
//
// list() checks the factory table and every slt_metric_info (struct_size, names [a-z0-9_]+ and unique,
// min_mc_samples >= 1); create() picks metrics by name; compute() checks the arrays and T before
// calling the plugin. Every failure is a Status / Result value. Header-only.
#pragma once

#include "../../metric.h"
#include "result.hpp"

#include <algorithm>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace slt::sdk::host {

// One metric as the host sees it; `index` is its index in the plugin's family.
struct MetricDescription {
    int32_t index = 0;
    std::string name;
    std::string display_name; // the name when the plugin gave none
    std::string description;  // empty when the plugin gave none
    int32_t min_mc_samples = 1;
    bool higher_is_more_uncertain = true;
};

class MetricSet {
public:
    // revision-1 sizes of slt_metric_factory and slt_metric_info
    static constexpr size_t kMinimumFactorySize = offsetof(slt_metric_factory, compute) + sizeof(void*);
    static constexpr size_t kMinimumInfoSize =
        offsetof(slt_metric_info, higher_is_more_uncertain) + sizeof(int32_t);

    // Every metric of the plugin, in index order; an error when the table or an info breaks the contract.
    static Result<std::vector<MetricDescription>> list(const void* factory)
    {
        using R = Result<std::vector<MetricDescription>>;
        auto table = checked_factory(factory);
        if (!table) return table.status();
        const slt_metric_factory* f = *table;
        std::vector<MetricDescription> all;
        for (int32_t i = 0; i < f->num_metrics; ++i) {
            const slt_metric_info* info = f->get_metric(i);
            const std::string problem = info_problem(info, i);
            if (!problem.empty()) return R::failure(SLT_ERR_INVALID_ARGUMENT, problem);
            MetricDescription d;
            d.index = i;
            d.name = info->name;
            d.display_name = info->display_name ? info->display_name : info->name;
            d.description = info->description ? info->description : "";
            d.min_mc_samples = info->min_mc_samples;
            d.higher_is_more_uncertain = info->higher_is_more_uncertain != 0;
            for (const MetricDescription& earlier : all)
                if (earlier.name == d.name) return R::failure(SLT_ERR_INVALID_ARGUMENT, "metric name '" + d.name + "' appears twice");
            all.push_back(std::move(d));
        }
        return all;
    }

    // An instance computing the metrics `names`, in that column order (no duplicates, at least one).
    static Result<MetricSet> create(const void* factory, const slt_host* host, const std::vector<std::string>& names)
    {
        auto all = list(factory);
        if (!all) return all.status();
        if (names.empty()) return Result<MetricSet>::failure(SLT_ERR_INVALID_ARGUMENT, "create: no metric selected");
        std::vector<MetricDescription> chosen;
        std::vector<int32_t> indices;
        for (const std::string& name : names) {
            auto it = std::find_if(all->begin(), all->end(), [&](const MetricDescription& d) { return d.name == name; });
            if (it == all->end())
                return Result<MetricSet>::failure(SLT_ERR_NOT_FOUND, "create: the plugin has no metric '" + name + "'");
            if (std::find(indices.begin(), indices.end(), it->index) != indices.end())
                return Result<MetricSet>::failure(SLT_ERR_INVALID_ARGUMENT, "create: metric '" + name + "' selected twice");
            indices.push_back(it->index);
            chosen.push_back(*it);
        }
        const auto* f = static_cast<const slt_metric_factory*>(factory);
        ErrorBuffer err;
        slt_metric* instance = nullptr;
        const slt_status code = f->create(host, indices.data(), static_cast<int32_t>(indices.size()), &instance, err.get());
        if (code != SLT_OK) return err.status(code, "create");
        if (!instance) return Result<MetricSet>::failure(SLT_ERR_INTERNAL, "create returned no metric");
        return MetricSet(f, instance, std::move(chosen));
    }

    MetricSet(MetricSet&& o) noexcept
        : factory_(o.factory_), instance_(std::exchange(o.instance_, nullptr)), metrics_(std::move(o.metrics_))
    {
    }
    MetricSet& operator=(MetricSet&& o) noexcept
    {
        std::swap(factory_, o.factory_);
        std::swap(instance_, o.instance_);
        std::swap(metrics_, o.metrics_);
        return *this;
    }
    MetricSet(const MetricSet&) = delete;
    MetricSet& operator=(const MetricSet&) = delete;
    ~MetricSet()
    {
        if (instance_) factory_->destroy(instance_);
    }

    // The selected metrics in column order.
    const std::vector<MetricDescription>& metrics() const { return metrics_; }
    size_t columns() const { return metrics_.size(); }
    // The largest min_mc_samples of the selection: compute() needs at least this T.
    int32_t min_mc_samples() const
    {
        int32_t t = 1;
        for (const MetricDescription& m : metrics_) t = std::max(t, m.min_mc_samples);
        return t;
    }

    // The score range of column `column` for C classes and T samples.
    Result<std::pair<double, double>> value_range(size_t column, int64_t classes, int64_t samples) const
    {
        if (column >= metrics_.size())
            return Result<std::pair<double, double>>::failure(SLT_ERR_INVALID_ARGUMENT, "value_range: column out of range");
        ErrorBuffer err;
        double lo = 0, hi = 0;
        const slt_status code = factory_->value_range(metrics_[column].index, classes, samples, &lo, &hi, err.get());
        if (code != SLT_OK) return err.status(code, "value_range");
        return std::make_pair(lo, hi);
    }

    // Scores of one chunk into `out`: f32 [N, columns()] contiguous.
    Status compute(const slt_array& probs, slt_array& out, const slt_job* job = nullptr)
    {
        const auto cols = static_cast<int64_t>(metrics_.size());
        if (Status s = check_probs(probs); !s) return s;
        if (out.dtype != SLT_DTYPE_F32 || out.ndim != 2 || out.shape[0] != probs.shape[1] || out.shape[1] != cols ||
            !slt_array_is_contiguous(&out) || (out.data == nullptr && out.shape[0] > 0))
            return Status::failure(SLT_ERR_INVALID_ARGUMENT,
                                   "compute: out must be a contiguous f32 [N, " + std::to_string(cols) + "] array");
        ErrorBuffer err;
        return err.status(factory_->compute(instance_, &probs, &out, job, err.get()), "compute");
    }

    // Scores of one chunk into a caller buffer of `capacity` floats (at least N * columns()), row-major.
    Status compute(const slt_array& probs, float* out, size_t capacity, const slt_job* job = nullptr)
    {
        if (Status s = check_probs(probs); !s) return s;
        const auto cols = static_cast<int64_t>(metrics_.size());
        const int64_t n = probs.shape[1];
        if (capacity < static_cast<size_t>(n * cols) || (out == nullptr && n > 0))
            return Status::failure(SLT_ERR_BUFFER_TOO_SMALL, "compute: the output buffer holds " + std::to_string(capacity) +
                                                                 " floats, " + std::to_string(n * cols) + " are needed");
        slt_array view{out, SLT_DTYPE_F32, 2, {n, cols}, {cols, 1}};
        return compute(probs, view, job);
    }

    // Scores of one chunk as a new row-major [N, columns()] vector.
    Result<std::vector<float>> compute(const slt_array& probs, const slt_job* job = nullptr)
    {
        if (Status s = check_probs(probs); !s) return s;
        std::vector<float> scores(static_cast<size_t>(probs.shape[1]) * metrics_.size());
        if (Status s = compute(probs, scores.data(), scores.size(), job); !s) return s;
        return scores;
    }

private:
    MetricSet(const slt_metric_factory* f, slt_metric* m, std::vector<MetricDescription> chosen)
        : factory_(f), instance_(m), metrics_(std::move(chosen))
    {
    }

    static Result<const slt_metric_factory*> checked_factory(const void* factory)
    {
        auto table = detail::checked_table<slt_metric_factory>(factory, kMinimumFactorySize, "metric");
        if (!table) return table.status();
        const slt_metric_factory* f = *table;
        if (!f->get_metric || !f->value_range || !f->create || !f->destroy || !f->compute)
            return Result<const slt_metric_factory*>::failure(SLT_ERR_INVALID_ARGUMENT, "metric factory has a NULL function");
        if (f->num_metrics < 1)
            return Result<const slt_metric_factory*>::failure(SLT_ERR_INVALID_ARGUMENT, "metric factory declares no metric");
        return f;
    }

    static bool valid_name(const char* name)
    {
        if (!name || !*name) return false;
        for (const char* c = name; *c; ++c)
            if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_')) return false;
        return true;
    }

    // Empty when `info` (metric `index`) keeps the contract, else what is wrong.
    static std::string info_problem(const slt_metric_info* info, int32_t index)
    {
        const std::string which = "metric " + std::to_string(index);
        if (!info) return which + ": get_metric returned NULL";
        if (info->struct_size < kMinimumInfoSize)
            return which + ": struct_size " + std::to_string(info->struct_size) + " is smaller than " +
                   std::to_string(kMinimumInfoSize);
        if (!valid_name(info->name)) return which + ": the name must match [a-z0-9_]+";
        if (info->min_mc_samples < 1) return which + " ('" + info->name + "'): min_mc_samples must be at least 1";
        return {};
    }

    Status check_probs(const slt_array& probs) const
    {
        if (probs.dtype != SLT_DTYPE_F32 || probs.ndim != 3 || probs.shape[0] < 0 || probs.shape[1] < 0 ||
            probs.shape[2] < 1)
            return Status::failure(SLT_ERR_INVALID_ARGUMENT, "compute: probs must be f32 [T, N, C] with C >= 1");
        if (probs.shape[0] < min_mc_samples())
            return Status::failure(SLT_ERR_INVALID_ARGUMENT, "compute: the selected metrics need at least " +
                                                                 std::to_string(min_mc_samples()) + " MC samples, got " +
                                                                 std::to_string(probs.shape[0]));
        return Status::success();
    }

    const slt_metric_factory* factory_;
    slt_metric* instance_;
    std::vector<MetricDescription> metrics_;
};

} // namespace slt::sdk::host
