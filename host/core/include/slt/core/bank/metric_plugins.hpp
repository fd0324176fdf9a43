// Metric plugins ("slt.metric/1") as the bank code uses them: each plugin provides a family of metrics;
// a MetricScorer computes a chosen subset in one pass over MC probabilities [T, N, C] into [N, count].
#pragma once

#include "slt/core/result.hpp"

#include <slt/sdk/array.h>
#include <slt/sdk/metric.h>
#include <slt/sdk/cpp/host/metric_proxy.hpp>

#include <QString>

#include <optional>
#include <string>
#include <vector>

namespace slt::core {

class PluginManager;

struct MetricPlugin {
    QString pluginId;                            // "org.slt.metric.standard"
    const slt_metric_factory* factory = nullptr;
    const slt_host* host = nullptr;
};

inline constexpr const char* kStandardMetricPlugin = "org.slt.metric.standard";

// Every active plugin with a "slt.metric/1" factory.
std::vector<MetricPlugin> activeMetricPlugins(const PluginManager& manager);

// The plugin with this id, or a message saying it is missing (and which metric plugins are active).
Result<MetricPlugin> metricPluginById(const std::vector<MetricPlugin>& plugins, const QString& pluginId);

// A thin owner of the SDK's MetricSet proxy for the bank code.
class MetricScorer {
public:
    // An instance computing every metric of `plugin` that is meaningful with `mcSamples` passes
    // (min_mc_samples <= T), in the plugin's order.
    static Result<MetricScorer> create(const MetricPlugin& plugin, int32_t mcSamples);

    const std::vector<std::string>& names() const { return names_; }
    int32_t count() const { return static_cast<int32_t>(names_.size()); }

    // `probs` f32 [T, N, C] (any strides); `out` [N, count] contiguous.
    Status compute(const slt_array& probs, float* out);

private:
    MetricScorer(QString pluginId, sdk::host::MetricSet set, std::vector<std::string> names);
    QString pluginId_;
    std::optional<sdk::host::MetricSet> set_;
    std::vector<std::string> names_;
};

} // namespace slt::core
