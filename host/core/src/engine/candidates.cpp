#include "slt/core/engine/candidates.hpp"

#include "slt/core/plugin_manager.hpp"

#include <slt/sdk/cpp/host/sampler_proxy.hpp>
#include <slt/sdk/sampler.h>

namespace slt::core {
namespace {

slt_array contiguousF32(const float* data, int64_t rows, int64_t columns, int ndim)
{
    slt_array array{};
    array.data = const_cast<float*>(data); // the sampler only reads
    array.dtype = SLT_DTYPE_F32;
    array.ndim = ndim;
    array.shape[0] = rows;
    array.strides[0] = ndim == 2 ? columns : 1;
    if (ndim == 2) {
        array.shape[1] = columns;
        array.strides[1] = 1;
    }
    return array;
}

} // namespace

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

Result<std::vector<int64_t>> selectCandidates(const SamplerPlugin& sampler, const CandidatePool& pool, int64_t budget,
                                              uint64_t seed)
{
    using R = Result<std::vector<int64_t>>;
    auto proxy = sdk::host::SamplerProxy::create(sampler.factory, sampler.host);
    if (!proxy)
        return R::failure(QStringLiteral("sampler %1: %2").arg(sampler.pluginId, QString::fromStdString(proxy.message())));
    const slt_array scores = contiguousF32(pool.scores, pool.numPoints, 1, 1);
    const slt_array embeddings = contiguousF32(pool.embeddings, pool.numPoints, pool.dim, 2);
    slt_sampler_input input{};
    input.struct_size = sizeof input;
    input.num_points = pool.numPoints;
    input.scores = (proxy->needs() & SLT_SAMPLER_NEEDS_SCORES) ? &scores : nullptr;
    input.embeddings = (proxy->needs() & SLT_SAMPLER_NEEDS_EMBEDDINGS) ? &embeddings : nullptr;
    input.labelled = pool.labelled;
    input.seed = seed;
    auto picked = proxy->select(input, budget);
    if (!picked)
        return R::failure(QStringLiteral("sampler %1: %2").arg(sampler.pluginId, QString::fromStdString(picked.message())));
    return std::move(*picked);
}

} // namespace slt::core
