// SLT plugin SDK, C++ helpers: write an uncertainty metric as a C++ class.
//
//     class Entropy : public slt::sdk::Metric {
//     public:
//         static constexpr const char* name = "entropy";
//         static constexpr const char* display_name = "Predictive entropy";
//         static constexpr const char* description = "H of the MC mean";   // may be nullptr
//         static constexpr int32_t min_mc_samples = 1;
//         static constexpr bool higher_is_more_uncertain = true;
//         static slt::sdk::ValueRange value_range(int64_t classes, int64_t samples);
//         explicit Entropy(const slt::sdk::Host& host);
//         void compute(const slt::sdk::Probabilities& p, slt::sdk::Span<float> out,
//                      const slt::sdk::Job& job) override;
//     };
//
// The trampoline checks dtypes, shapes and T >= min_mc_samples before compute(). Header-only.
#pragma once

#include "../metric.h"
#include "error.hpp"
#include "host.hpp"
#include "job.hpp"
#include "plugin.hpp"
#include "views.hpp"

#include <memory>
#include <type_traits>

namespace slt::sdk {

struct ValueRange {
    double min = 0;
    double max = 0;
};

// A borrowed f32 [T, N, C] view with arbitrary strides: p(t, n, c).
class Probabilities {
public:
    explicit Probabilities(const slt_array& a) : a_(a) {}
    int64_t samples() const { return a_.shape[0]; }  // T
    int64_t points() const { return a_.shape[1]; }   // N
    int64_t classes() const { return a_.shape[2]; }  // C
    float operator()(int64_t t, int64_t n, int64_t c) const
    {
        return static_cast<const float*>(a_.data)[t * a_.strides[0] + n * a_.strides[1] + c * a_.strides[2]];
    }

private:
    slt_array a_;
};

class Metric {
public:
    virtual ~Metric() = default;
    // Writes one score per point into `out` (size N).
    virtual void compute(const Probabilities& probs, Span<float> out, const Job& job) = 0;
};

namespace detail {

inline Metric* as_metric(slt_metric* m) { return reinterpret_cast<Metric*>(m); }

template <class T>
struct MetricTable {
    static slt_status value_range(int64_t classes, int64_t samples, double* out_min, double* out_max,
                                  slt_error* err)
    {
        return guard(err, [&] {
            require(out_min != nullptr && out_max != nullptr, "output pointer is NULL");
            require(classes >= 1 && samples >= 1, "classes and samples must be at least 1");
            const ValueRange range = T::value_range(classes, samples);
            *out_min = range.min;
            *out_max = range.max;
        });
    }
    static slt_status create(const slt_host* host, slt_metric** out, slt_error* err)
    {
        return guard(err, [&] {
            require(out != nullptr, "out is NULL");
            std::unique_ptr<Metric> metric = std::make_unique<T>(Host(host));
            *out = reinterpret_cast<slt_metric*>(metric.release());
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
            check_array(*probs, SLT_DTYPE_F32, 3, "probs");
            if (probs->shape[0] < T::min_mc_samples)
                throw Error(SLT_ERR_INVALID_ARGUMENT,
                            std::string(T::name) + " needs at least " + std::to_string(T::min_mc_samples) +
                                " MC samples, got " + std::to_string(probs->shape[0]));
            Span<float> out = vector_of<float>(*out_scores, SLT_DTYPE_F32, probs->shape[1], "out_scores");
            as_metric(metric)->compute(Probabilities(*probs), out, Job(job));
        });
    }
    static constexpr slt_metric_factory table = {
        sizeof(slt_metric_factory), T::name, T::display_name, T::description, T::min_mc_samples,
        T::higher_is_more_uncertain ? 1 : 0, &value_range, &create, &destroy, &compute};
};

} // namespace detail

template <class T>
struct KindTraits<T, std::enable_if_t<std::is_base_of_v<Metric, T>>> {
    static constexpr const char* factory_id = SLT_METRIC_FACTORY_ID;
    static const void* table() { return &detail::MetricTable<T>::table; }
};

} // namespace slt::sdk
