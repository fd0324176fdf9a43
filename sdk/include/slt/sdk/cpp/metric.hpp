// SLT plugin SDK, C++ helpers: write a family of uncertainty metrics as one C++ class.
//
//     class MyMetrics : public slt::sdk::Metric {
//     public:
//         // Declared once, in index order; names are [a-z0-9_]+ and unique.
//         static constexpr slt::sdk::MetricInfo metrics[] = {
//             {"entropy", "Predictive entropy", "H of the MC mean", 1, true},
//             {"margin", "Margin", nullptr, 1, false},
//         };
//         static slt::sdk::ValueRange value_range(int32_t metric, int64_t classes, int64_t samples);
//         // `selected`: indices into `metrics`, validated (in range, distinct, at least one), column order.
//         MyMetrics(const slt::sdk::Host& host, const std::vector<int32_t>& selected);
//         // One point: row[j] = score of metrics[selected[j]] for point n.
//         void score_point(const slt::sdk::Probabilities& p, int64_t n, slt::sdk::Span<float> row) override;
//     };
//     SLT_PLUGIN("org.example.metric.mine", "1.0.0", MyMetrics)
//
// The trampolines check the selection at create(), and dtypes, shapes and T >= the largest
// min_mc_samples of the selection before compute(). The default compute() walks the points row by row
// (checking cancellation every few thousand rows); override it for a blocked implementation. Checking
// the VALUES of p (NaN, negative) is the plugin's job, during its own pass. Header-only.
#pragma once

#include "../metric.h"
#include "error.hpp"
#include "host.hpp"
#include "job.hpp"
#include "plugin.hpp"
#include "views.hpp"

#include <algorithm>
#include <array>
#include <iterator>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace slt::sdk {

// One metric of a family, as a plugin class declares it (see slt_metric_info for each field).
struct MetricInfo {
    const char* name;
    const char* display_name;
    const char* description;
    int32_t min_mc_samples;
    bool higher_is_more_uncertain;
};

struct ValueRange {
    double min = 0;
    double max = 0;
};

// A borrowed f32 [T, N, C] view with arbitrary strides: p(t, n, c).
class Probabilities {
public:
    explicit Probabilities(const slt_array& a) : a_(a) {}
    int64_t samples() const { return a_.shape[0]; } // T
    int64_t points() const { return a_.shape[1]; }  // N
    int64_t classes() const { return a_.shape[2]; } // C
    // Element steps of t, n and c, for plugins that walk the memory themselves.
    int64_t sample_stride() const { return a_.strides[0]; }
    int64_t point_stride() const { return a_.strides[1]; }
    int64_t class_stride() const { return a_.strides[2]; }
    const float* data() const { return static_cast<const float*>(a_.data); }
    float operator()(int64_t t, int64_t n, int64_t c) const
    {
        return data()[t * a_.strides[0] + n * a_.strides[1] + c * a_.strides[2]];
    }

private:
    slt_array a_;
};

class Metric {
public:
    static constexpr int64_t kRowsPerCancelCheck = 4096;

    virtual ~Metric() = default;

    // Writes out(n, j) for every point n and selected column j. The default calls score_point() per
    // row; a plugin may override it to walk the memory in blocks.
    virtual void compute(const Probabilities& probs, Matrix<float> out, const Job& job)
    {
        for (int64_t n = 0; n < probs.points(); ++n) {
            if (n % kRowsPerCancelCheck == 0) job.throw_if_cancelled();
            score_point(probs, n, out.row(n));
        }
    }

    // Writes the selected scores of point `n` into `row` (one entry per selected metric).
    virtual void score_point(const Probabilities& probs, int64_t n, Span<float> row) = 0;
};

namespace detail {

constexpr slt_metric_info to_c_info(const MetricInfo& m)
{
    return {sizeof(slt_metric_info), m.name, m.display_name, m.description, m.min_mc_samples,
            m.higher_is_more_uncertain ? 1 : 0};
}

template <class T, size_t... I>
constexpr std::array<slt_metric_info, sizeof...(I)> c_infos(std::index_sequence<I...>)
{
    return {{to_c_info(T::metrics[I])...}};
}

// What an slt_metric* points to: the plugin's object plus the selection the trampolines check against.
struct MetricInstance {
    std::unique_ptr<Metric> metric;
    std::vector<int32_t> selected;
    int64_t min_mc_samples = 1; // the largest of the selection
    std::string name_list;      // "bald, entropy", for messages
};

inline MetricInstance* as_metric(slt_metric* m) { return reinterpret_cast<MetricInstance*>(m); }

template <class T>
struct MetricTable {
    static constexpr int32_t count = static_cast<int32_t>(std::size(T::metrics));
    static_assert(count >= 1, "a metric plugin class declares at least one metric");
    static constexpr std::array<slt_metric_info, count> infos = c_infos<T>(std::make_index_sequence<count>());

    static const slt_metric_info* get_metric(int32_t index)
    {
        return index >= 0 && index < count ? &infos[static_cast<size_t>(index)] : nullptr;
    }
    static slt_status value_range(int32_t metric, int64_t classes, int64_t samples, double* out_min,
                                  double* out_max, slt_error* err)
    {
        return guard(err, [&] {
            require(metric >= 0 && metric < count, "metric index out of range");
            require(out_min != nullptr && out_max != nullptr, "output pointer is NULL");
            require(classes >= 1 && samples >= 1, "classes and samples must be at least 1");
            const ValueRange range = T::value_range(metric, classes, samples);
            *out_min = range.min;
            *out_max = range.max;
        });
    }
    // The validated selection: at least one index, each in range, no duplicates.
    static std::vector<int32_t> selection(const int32_t* indices, int32_t n)
    {
        require(n >= 1, "select at least one metric");
        require(indices != nullptr, "metric_indices is NULL");
        std::vector<int32_t> selected(indices, indices + n);
        for (size_t j = 0; j < selected.size(); ++j) {
            if (selected[j] < 0 || selected[j] >= count)
                throw Error(SLT_ERR_INVALID_ARGUMENT, "metric index " + std::to_string(selected[j]) +
                                                          " out of range [0, " + std::to_string(count) + ")");
            if (std::find(selected.begin(), selected.begin() + static_cast<std::ptrdiff_t>(j), selected[j]) !=
                selected.begin() + static_cast<std::ptrdiff_t>(j))
                throw Error(SLT_ERR_INVALID_ARGUMENT,
                            std::string("metric '") + infos[static_cast<size_t>(selected[j])].name + "' selected twice");
        }
        return selected;
    }
    static slt_status create(const slt_host* host, const int32_t* indices, int32_t n, slt_metric** out,
                             slt_error* err)
    {
        return guard(err, [&] {
            require(out != nullptr, "out is NULL");
            auto instance = std::make_unique<MetricInstance>();
            instance->selected = selection(indices, n);
            for (int32_t index : instance->selected) {
                const slt_metric_info& info = infos[static_cast<size_t>(index)];
                instance->min_mc_samples = std::max<int64_t>(instance->min_mc_samples, info.min_mc_samples);
                instance->name_list += (instance->name_list.empty() ? "" : ", ") + std::string(info.name);
            }
            instance->metric = std::make_unique<T>(Host(host), instance->selected);
            *out = reinterpret_cast<slt_metric*>(instance.release());
        });
    }
    static void destroy(slt_metric* metric)
    {
        guard_silent([&] { delete as_metric(metric); });
    }
    static slt_status compute(slt_metric* metric, const slt_array* probs, slt_array* out_scores,
                              const slt_job* job, slt_error* err)
    {
        return guard(err, [&] {
            require(metric != nullptr && probs != nullptr && out_scores != nullptr, "an argument is NULL");
            MetricInstance& instance = *as_metric(metric);
            check_array(*probs, SLT_DTYPE_F32, 3, "probs");
            if (probs->shape[0] < instance.min_mc_samples)
                throw Error(SLT_ERR_INVALID_ARGUMENT,
                            instance.name_list + " needs at least " + std::to_string(instance.min_mc_samples) +
                                " MC samples, got " + std::to_string(probs->shape[0]));
            require(probs->shape[2] >= 1, "probs: at least one class is needed");
            const Matrix<float> out = matrix_of<float>(*out_scores, SLT_DTYPE_F32, probs->shape[1], "out_scores");
            const auto columns = static_cast<int64_t>(instance.selected.size());
            if (out.cols() != columns || (out.rows() > 1 && out_scores->strides[0] != columns))
                throw Error(SLT_ERR_INVALID_ARGUMENT, "out_scores: expected a contiguous [N, " +
                                                          std::to_string(columns) + "] array");
            instance.metric->compute(Probabilities(*probs), out, Job(job));
        });
    }
    static constexpr slt_metric_factory table = {sizeof(slt_metric_factory), count, &get_metric, &value_range,
                                                 &create, &destroy, &compute};
};

} // namespace detail

template <class T>
struct KindTraits<T, std::enable_if_t<std::is_base_of_v<Metric, T>>> {
    static constexpr const char* factory_id = SLT_METRIC_FACTORY_ID;
    static const void* table() { return &detail::MetricTable<T>::table; }
};

} // namespace slt::sdk
