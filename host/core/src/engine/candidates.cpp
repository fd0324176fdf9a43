#include "slt/core/engine/candidates.hpp"

#include "slt/core/plugin_manager.hpp"

#include <slt/sdk/cpp/host/sampler_proxy.hpp>
#include <slt/sdk/sampler.h>

namespace slt::core {
Result<SamplerPlugin> samplerPluginById(const PluginManager& manager, const QString& pluginId)
{
    if (const void* factory = manager.factory(pluginId, SLT_SAMPLER_FACTORY_ID))
        return SamplerPlugin{pluginId, factory, manager.host(pluginId)};
    QStringList active;
    for (const PluginRecord& record : manager.plugins())
        if (record.state == PluginState::Active && manager.factory(record.manifest.id, SLT_SAMPLER_FACTORY_ID))
            active << record.manifest.id;
    return Result<SamplerPlugin>::failure(QStringLiteral("no active sampler plugin '%1' (active samplers: %2)")
                                              .arg(pluginId, active.isEmpty() ? QStringLiteral("none") : active.join(", ")));
}

Result<std::vector<int64_t>> selectCandidates(const SamplerPlugin& sampler, const CandidatePool& candidates, int64_t budget,
                                              uint64_t seed)
{
    using R = Result<std::vector<int64_t>>;
    auto proxy = sdk::host::SamplerProxy::create(sampler.factory, sampler.host);
    if (!proxy)
        return R::failure(QStringLiteral("sampler %1: %2").arg(sampler.pluginId, QString::fromStdString(proxy.message())));
    const bool needsScores = proxy->needs() & SLT_SAMPLER_NEEDS_SCORES;
    const bool needsEmbeddings = proxy->needs() & SLT_SAMPLER_NEEDS_EMBEDDINGS;
    const sdk::host::SamplerPool pool(candidates.numPoints, needsScores ? candidates.scores : nullptr,
                                      needsEmbeddings ? candidates.embeddings : nullptr, candidates.dim,
                                      candidates.labelled, nullptr, 0, seed);
    auto picked = proxy->select(pool.input(), budget);
    if (!picked)
        return R::failure(QStringLiteral("sampler %1: %2").arg(sampler.pluginId, QString::fromStdString(picked.message())));
    return std::move(*picked);
}

} // namespace slt::core
