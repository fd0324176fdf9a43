// The score columns of a bank build: metric names chosen by the user, each found in whichever active
// metric plugin provides it; one MetricSet per plugin computes its columns and the results are placed in
// the user's column order.
#pragma once

#include "slt/core/bank/metric_plugins.hpp"
#include "slt/core/result.hpp"

#include <string>
#include <vector>

namespace slt::core {

class MetricColumns {
public:
    // Fails for an unknown name (listing the known ones), a name given twice, or a metric that needs more
    // than `passes` MC samples.
    static Result<MetricColumns> create(const std::vector<MetricPlugin>& plugins, const std::vector<std::string>& names,
                                        int32_t passes);

    const std::vector<std::string>& names() const { return names_; }
    int32_t count() const { return static_cast<int32_t>(names_.size()); }

    // `probs` f32 [T, N, C] (any strides); `out` [N, count()] row-major.
    Status compute(const slt_array& probs, float* out);

private:
    struct Group {
        QString pluginId;
        sdk::host::MetricSet set;
        std::vector<int32_t> columns; // the output column of each of the set's metrics
    };
    std::vector<Group> groups_;
    std::vector<std::string> names_;
    std::vector<float> scratch_;
};

} // namespace slt::core
