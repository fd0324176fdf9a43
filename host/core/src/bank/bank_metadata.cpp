#include "slt/core/bank/bank_metadata.hpp"

namespace slt::core {
namespace {

std::string text(const char* s)
{
    return s ? std::string(s) : std::string();
}

std::vector<std::string> texts(const char* const* items, int32_t count)
{
    std::vector<std::string> out;
    for (int32_t i = 0; items && i < count; ++i)
        out.push_back(text(items[i]));
    return out;
}

std::vector<const char*> pointers(const std::vector<std::string>& items)
{
    std::vector<const char*> out;
    out.reserve(items.size());
    for (const std::string& s : items)
        out.push_back(s.c_str());
    return out;
}

const char* nullIfEmpty(const std::string& s)
{
    return s.empty() ? nullptr : s.c_str();
}

} // namespace

BankMetadata BankMetadata::fromC(const slt_bank_metadata& m)
{
    BankMetadata out;
    out.formatVersion = m.format_version;
    out.uuid = text(m.uuid);
    out.createdUtc = text(m.created_utc);
    out.modelId = text(m.model_id);
    out.checkpointHash = text(m.checkpoint_hash);
    out.mcSamples = m.mc_samples;
    const int32_t classes = m.num_classes > 0 ? m.num_classes : 0;
    if (m.class_ids)
        out.classIds.assign(m.class_ids, m.class_ids + classes);
    out.classNames = texts(m.class_names, classes);
    out.classColours = texts(m.class_colours, classes);
    out.metricNames = texts(m.metric_names, m.num_metrics);
    out.embeddingDim = m.embedding_dim;
    out.cropWidth = m.crop_width;
    out.cropHeight = m.crop_height;
    out.numPoints = m.num_points;
    out.numImages = m.num_images;
    return out;
}

BankMetadataView::BankMetadataView(const BankMetadata& m)
    : classNames_(pointers(m.classNames)), classColours_(pointers(m.classColours)), metricNames_(pointers(m.metricNames))
{
    view_.struct_size = sizeof view_;
    view_.format_version = m.formatVersion;
    view_.uuid = nullIfEmpty(m.uuid);
    view_.created_utc = nullIfEmpty(m.createdUtc);
    view_.model_id = m.modelId.c_str();
    view_.checkpoint_hash = m.checkpointHash.c_str();
    view_.mc_samples = m.mcSamples;
    view_.num_classes = m.classes();
    view_.class_ids = m.classIds.data();
    view_.class_names = classNames_.data();
    view_.class_colours = classColours_.data();
    view_.num_metrics = m.metrics();
    view_.metric_names = metricNames_.data();
    view_.embedding_dim = m.embeddingDim;
    view_.crop_width = m.cropWidth;
    view_.crop_height = m.cropHeight;
    view_.num_points = m.numPoints;
    view_.num_images = m.numImages;
}

} // namespace slt::core
