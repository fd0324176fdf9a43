#include "metric_columns.hpp"

#include <QStringList>

#include <algorithm>

namespace slt::core {
namespace {

struct Provider {
    const MetricPlugin* plugin = nullptr;
    sdk::host::MetricDescription description;
};

} // namespace

Result<MetricColumns> MetricColumns::create(const std::vector<MetricPlugin>& plugins, const std::vector<std::string>& names,
                                            int32_t passes)
{
    using R = Result<MetricColumns>;
    std::vector<Provider> known;
    for (const MetricPlugin& plugin : plugins)
        if (auto all = sdk::host::MetricSet::list(plugin.factory))
            for (const auto& d : *all)
                known.push_back({&plugin, d});
    if (names.empty())
        return R::failure(QStringLiteral("no metric chosen"));
    MetricColumns columns;
    std::vector<std::vector<std::string>> groupNames;
    std::vector<const MetricPlugin*> groupPlugins;
    for (size_t column = 0; column < names.size(); ++column) {
        const std::string& name = names[column];
        if (std::count(names.begin(), names.end(), name) > 1)
            return R::failure(QStringLiteral("the metric '%1' is chosen twice").arg(QString::fromStdString(name)));
        auto provider = std::find_if(known.begin(), known.end(), [&](const Provider& p) { return p.description.name == name; });
        if (provider == known.end()) {
            QStringList available;
            for (const Provider& p : known)
                available << QString::fromStdString(p.description.name);
            return R::failure(QStringLiteral("unknown metric '%1' (the active metric plugins provide: %2)")
                                  .arg(QString::fromStdString(name), available.isEmpty() ? QStringLiteral("none") : available.join(QStringLiteral(", "))));
        }
        if (provider->description.min_mc_samples > passes)
            return R::failure(QStringLiteral("the metric '%1' needs at least %2 MC samples; --mc is %3")
                                  .arg(QString::fromStdString(name)).arg(provider->description.min_mc_samples).arg(passes));
        auto group = std::find(groupPlugins.begin(), groupPlugins.end(), provider->plugin);
        if (group == groupPlugins.end()) {
            groupPlugins.push_back(provider->plugin);
            groupNames.emplace_back();
            group = groupPlugins.end() - 1;
        }
        groupNames[static_cast<size_t>(group - groupPlugins.begin())].push_back(name);
    }
    for (size_t g = 0; g < groupPlugins.size(); ++g) {
        auto set = sdk::host::MetricSet::create(groupPlugins[g]->factory, groupPlugins[g]->host, groupNames[g]);
        if (!set)
            return R::failure(QStringLiteral("'%1': %2").arg(groupPlugins[g]->pluginId, QString::fromStdString(set.message())));
        std::vector<int32_t> indices;
        for (const std::string& name : groupNames[g])
            indices.push_back(static_cast<int32_t>(std::find(names.begin(), names.end(), name) - names.begin()));
        columns.groups_.push_back({groupPlugins[g]->pluginId, std::move(*set), std::move(indices)});
    }
    columns.names_ = names;
    return columns;
}

Status MetricColumns::compute(const slt_array& probs, float* out)
{
    const int64_t n = probs.shape[1];
    const auto total = static_cast<int64_t>(names_.size());
    for (Group& group : groups_) {
        const auto width = static_cast<int64_t>(group.columns.size());
        scratch_.resize(static_cast<size_t>(n * width));
        if (const auto s = group.set.compute(probs, scratch_.data(), scratch_.size()); !s)
            return Status::failure(QStringLiteral("'%1': %2").arg(group.pluginId, QString::fromStdString(s.message)));
        for (int64_t i = 0; i < n; ++i)
            for (int64_t k = 0; k < width; ++k)
                out[i * total + group.columns[static_cast<size_t>(k)]] = scratch_[static_cast<size_t>(i * width + k)];
    }
    return {};
}

} // namespace slt::core
