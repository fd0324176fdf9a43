#include "model_session.hpp"

#include "slt/core/plugin_manager.hpp"

#include <QFile>
#include <QStringList>

#include <cstring>

namespace slt::core {
namespace {

QString message(const sdk::host::Status& status)
{
    return QString::fromStdString(status.message);
}

QStringList activeModelPlugins(const PluginManager& plugins)
{
    QStringList ids;
    for (const PluginRecord& record : plugins.plugins())
        if (record.state == PluginState::Active && plugins.factory(record.manifest.id, SLT_MODEL_FACTORY_ID))
            ids << record.manifest.id;
    return ids;
}

Result<ModelDescription> describe(sdk::host::ModelProxy& proxy, const QString& pluginId)
{
    auto info = proxy.describe();
    if (!info)
        return Result<ModelDescription>::failure(QStringLiteral("'%1': %2").arg(pluginId, message(info.status())));
    ModelDescription d;
    d.architecture = info->architecture ? info->architecture : "";
    for (int32_t c = 0; c < info->num_classes; ++c) {
        d.classIds.push_back(info->class_ids ? info->class_ids[c] : c);
        d.classNames.push_back(info->class_names && info->class_names[c] ? info->class_names[c] : "Class " + std::to_string(c));
    }
    d.inputWidth = info->input_width;
    d.inputHeight = info->input_height;
    d.sizeMultiple = std::max(1, info->size_multiple);
    d.outputStride = std::max(1, info->output_stride);
    d.embeddingDim = std::max(0, info->embedding_dim);
    d.embeddingStride = std::max(1, info->embedding_stride);
    d.defaultMcSamples = std::max(1, info->default_mc_samples);
    if (d.classes() < 1)
        return Result<ModelDescription>::failure(QStringLiteral("'%1' describes a model without classes").arg(pluginId));
    if (info->input_channels != 3)
        return Result<ModelDescription>::failure(
            QStringLiteral("'%1' expects %2 input channels; the bank builder gives RGB (3)").arg(pluginId).arg(info->input_channels));
    return d;
}

slt_array contiguous(void* data, slt_dtype dtype, std::initializer_list<int64_t> shape)
{
    slt_array a{};
    a.data = data;
    a.dtype = dtype;
    a.ndim = static_cast<int32_t>(shape.size());
    int i = 0;
    for (int64_t extent : shape)
        a.shape[i++] = extent;
    int64_t stride = 1;
    for (int k = a.ndim - 1; k >= 0; --k) {
        a.strides[k] = stride;
        stride *= a.shape[k];
    }
    return a;
}

} // namespace

ModelSession::ModelSession(QString pluginId, sdk::host::ModelProxy proxy, ModelDescription description)
    : pluginId_(std::move(pluginId)), proxy_(std::move(proxy)), description_(std::move(description))
{
}

Result<ModelSession> ModelSession::load(const PluginManager& plugins, const QString& pluginId, const QString& checkpoint,
                                       const std::string& configToml)
{
    const void* factory = plugins.factory(pluginId, SLT_MODEL_FACTORY_ID);
    if (!factory) {
        const QStringList active = activeModelPlugins(plugins);
        return Result<ModelSession>::failure(
            QStringLiteral("the model plugin '%1' is missing or not active (active model plugins: %2); choose one with "
                           "--model-plugin, or run 'slt-cli plugins list' to see why")
                .arg(pluginId, active.isEmpty() ? QStringLiteral("none") : active.join(QStringLiteral(", "))));
    }
    auto proxy = sdk::host::ModelProxy::create(factory, plugins.host(pluginId), configToml);
    if (!proxy)
        return Result<ModelSession>::failure(QStringLiteral("'%1': %2").arg(pluginId, message(proxy.status())));
    if (const auto s = proxy->load_checkpoint(QFile::encodeName(checkpoint).toStdString()); !s)
        return Result<ModelSession>::failure(
            QStringLiteral("'%1' cannot load the checkpoint '%2': %3").arg(pluginId, checkpoint, message(s)));
    auto description = describe(*proxy, pluginId);
    if (!description)
        return Result<ModelSession>::failure(description.error());
    return ModelSession(pluginId, std::move(*proxy), std::move(*description));
}

Result<Prediction> ModelSession::predict(const std::vector<const RgbImage*>& tiles, int32_t passes, uint64_t seed)
{
    const int64_t B = static_cast<int64_t>(tiles.size()), H = tiles.front()->height, W = tiles.front()->width;
    auto shape = proxy_->predict_shape(B, H, W, passes);
    if (!shape)
        return Result<Prediction>::failure(QStringLiteral("'%1': %2").arg(pluginId_, message(shape.status())));
    Prediction p;
    if (shape->ndim_probs != 5 || shape->probs[0] != passes || shape->probs[1] != B || shape->probs[2] != description_.classes())
        return Result<Prediction>::failure(QStringLiteral("'%1': predict_shape() reports an impossible probability shape").arg(pluginId_));
    p.passes = passes;
    p.batch = B;
    p.classes = shape->probs[2];
    p.height = shape->probs[3];
    p.width = shape->probs[4];
    p.outputStride = description_.outputStride;
    p.embeddingStride = description_.embeddingStride;
    const bool withEmbeddings = description_.embeddingDim > 0 && shape->ndim_embeddings == 4;
    if (withEmbeddings) {
        p.dim = shape->embeddings[1];
        p.embeddingHeight = shape->embeddings[2];
        p.embeddingWidth = shape->embeddings[3];
    }
    batchPixels_.resize(static_cast<size_t>(B * H * W * 3));
    for (int64_t b = 0; b < B; ++b)
        std::memcpy(batchPixels_.data() + b * H * W * 3, tiles[static_cast<size_t>(b)]->pixels.data(), static_cast<size_t>(H * W * 3));
    p.probs.resize(static_cast<size_t>(p.passes * B * p.classes * p.height * p.width));
    p.embeddings.resize(static_cast<size_t>(B * p.dim * p.embeddingHeight * p.embeddingWidth));
    const slt_array images = contiguous(batchPixels_.data(), SLT_DTYPE_U8, {B, H, W, 3});
    slt_array probs = contiguous(p.probs.data(), SLT_DTYPE_F32, {p.passes, B, p.classes, p.height, p.width});
    slt_array embeddings = contiguous(p.embeddings.data(), SLT_DTYPE_F32, {B, p.dim, p.embeddingHeight, p.embeddingWidth});
    if (const auto s = proxy_->predict(images, passes, seed, probs, withEmbeddings ? &embeddings : nullptr); !s)
        return Result<Prediction>::failure(QStringLiteral("'%1': %2").arg(pluginId_, message(s)));
    return p;
}

} // namespace slt::core
