#include "slt/core/bank/metric_plugins.hpp"

#include "slt/core/plugin_manager.hpp"


#include <QStringList>

#include <utility>

namespace slt::core {
namespace {

bool usable(const slt_metric_factory* f)
{
    return f && f->struct_size >= sdk::host::MetricSet::kMinimumFactorySize;
}

} // namespace

std::vector<MetricPlugin> activeMetricPlugins(const PluginManager& manager)
{
    std::vector<MetricPlugin> plugins;
    for (const PluginRecord& record : manager.plugins()) {
        if (record.state != PluginState::Active)
            continue;
        const QString& id = record.manifest.id;
        const auto* factory = static_cast<const slt_metric_factory*>(manager.factory(id, SLT_METRIC_FACTORY_ID));
        if (usable(factory))
            plugins.push_back({id, factory, manager.host(id)});
    }
    return plugins;
}

Result<MetricPlugin> metricPluginById(const std::vector<MetricPlugin>& plugins, const QString& pluginId)
{
    QStringList ids;
    for (const MetricPlugin& p : plugins) {
        if (p.pluginId == pluginId)
            return p;
        ids << p.pluginId;
    }
    return Result<MetricPlugin>::failure(
        QStringLiteral("the metric plugin '%1' is missing or not active (active metric plugins: %2); run 'slt-cli "
                       "plugins list' to see why")
            .arg(pluginId, ids.isEmpty() ? QStringLiteral("none") : ids.join(QStringLiteral(", "))));
}

MetricScorer::MetricScorer(QString pluginId, sdk::host::MetricSet set, std::vector<std::string> names)
    : pluginId_(std::move(pluginId)), set_(std::move(set)), names_(std::move(names))
{
}

Result<MetricScorer> MetricScorer::create(const MetricPlugin& plugin, int32_t mcSamples)
{
    auto all = sdk::host::MetricSet::list(plugin.factory);
    if (!all)
        return Result<MetricScorer>::failure(QStringLiteral("'%1': %2").arg(plugin.pluginId, QString::fromStdString(all.message())));
    std::vector<std::string> names;
    for (const sdk::host::MetricDescription& metric : *all)
        if (metric.min_mc_samples <= mcSamples)
            names.push_back(metric.name);
    if (names.empty())
        return Result<MetricScorer>::failure(
            QStringLiteral("'%1' has no metric that works with %2 MC samples").arg(plugin.pluginId).arg(mcSamples));
    auto set = sdk::host::MetricSet::create(plugin.factory, plugin.host, names);
    if (!set)
        return Result<MetricScorer>::failure(QStringLiteral("'%1': %2").arg(plugin.pluginId, QString::fromStdString(set.message())));
    return MetricScorer(plugin.pluginId, std::move(*set), std::move(names));
}

Status MetricScorer::compute(const slt_array& probs, float* out)
{
    const size_t capacity = static_cast<size_t>(probs.shape[1]) * names_.size();
    if (const auto s = set_->compute(probs, out, capacity); !s)
        return Status::failure(QStringLiteral("'%1': %2").arg(pluginId_, QString::fromStdString(s.message)));
    return {};
}

} // namespace slt::core
