#include "smoke_test.hpp"

#include <slt/sdk/cpp/host/metric_proxy.hpp>
#include <slt/sdk/cpp/host/model_proxy.hpp>
#include <slt/sdk/cpp/host/sampler_proxy.hpp>
#include <slt/sdk/sampler.h>

#include <QSet>
#include <QStringList>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace slt::cli {
namespace {

constexpr int64_t kPoolSize = 200;
constexpr int64_t kDims = 8;
constexpr int64_t kPick = 10;
constexpr uint64_t kSeed = 20240611;

// A deterministic synthetic pool: scores and embeddings from a small LCG, every 7th point labelled,
// points 1..5 already chosen this round.
struct SyntheticArrays {
    std::vector<float> scores;
    std::vector<float> embeddings;
    std::vector<uint8_t> labelled;
    std::vector<int64_t> chosen{1, 2, 3, 4, 5};

    SyntheticArrays()
    {
        uint64_t state = 88172645463325252ull;
        auto next = [&state]() {
            state = state * 6364136223846793005ull + 1442695040888963407ull;
            return static_cast<float>((state >> 40) & 0xFFFFFF) / static_cast<float>(0x1000000);
        };
        for (int64_t i = 0; i < kPoolSize; ++i) {
            scores.push_back(next());
            labelled.push_back(i % 7 == 0 ? 1 : 0);
            for (int64_t j = 0; j < kDims; ++j)
                embeddings.push_back(next() * 2.0f - 1.0f);
        }
    }
};

// The arrays and the sampler's C input over them (the base class is built first, so the input can
// point into it).
struct SyntheticPool : SyntheticArrays {
    const sdk::host::SamplerPool c_pool{kPoolSize, scores.data(), embeddings.data(), kDims, labelled.data(),
                                        chosen.data(), static_cast<int64_t>(chosen.size()), kSeed};

    int64_t eligible() const
    {
        int64_t count = 0;
        for (int64_t i = 0; i < kPoolSize; ++i)
            count += (!labelled[static_cast<size_t>(i)] && (i < 1 || i > 5)) ? 1 : 0;
        return count;
    }
};

void noProgress(const slt_job*, uint64_t, uint64_t, const char*) {}
int neverCancelled(const slt_job*) { return 0; }

struct Selection {
    QString error;
    std::vector<int64_t> indices;
};

Selection select(const slt_sampler_factory& factory, slt_sampler* sampler, const SyntheticPool& pool)
{
    Selection selection;
    std::vector<int64_t> out(static_cast<size_t>(kPick), -1);
    int64_t count = -1;
    char buffer[1024] = {0};
    slt_error error{buffer, sizeof(buffer)};
    const slt_job job{sizeof(slt_job), nullptr, &noProgress, &neverCancelled};
    slt_status status = SLT_ERR_INTERNAL;
    try {
        status = factory.select(sampler, &pool.c_pool.input(), kPick, out.data(), &count, &job, &error);
    } catch (...) {
        selection.error = QStringLiteral("select() threw an exception across the C boundary");
        return selection;
    }
    if (status != SLT_OK) {
        selection.error = QStringLiteral("select() failed (%1): %2").arg(QLatin1String(slt_status_name(status)), QString::fromUtf8(buffer));
        return selection;
    }
    if (count < 0 || count > kPick) {
        selection.error = QStringLiteral("select() reported %1 indices for k = %2").arg(count).arg(kPick);
        return selection;
    }
    out.resize(static_cast<size_t>(count));
    selection.indices = out;
    return selection;
}

QString checkSelection(const std::vector<int64_t>& indices, const SyntheticPool& pool)
{
    const int64_t expected = std::min(kPick, pool.eligible());
    if (static_cast<int64_t>(indices.size()) != expected)
        return QStringLiteral("select() returned %1 indices, expected %2").arg(indices.size()).arg(expected);
    QSet<qint64> seen;
    for (int64_t index : indices) {
        if (index < 0 || index >= kPoolSize)
            return QStringLiteral("select() returned index %1 outside [0, %2)").arg(index).arg(kPoolSize);
        if (seen.contains(index))
            return QStringLiteral("select() returned index %1 twice").arg(index);
        seen.insert(index);
        if (pool.labelled[static_cast<size_t>(index)])
            return QStringLiteral("select() picked the labelled point %1").arg(index);
        if (index >= 1 && index <= 5)
            return QStringLiteral("select() picked the already chosen point %1").arg(index);
    }
    return {};
}

SmokeResult samplerSmoke(const core::PluginManager& manager, const core::PluginRecord& record)
{
    const auto* factory = static_cast<const slt_sampler_factory*>(manager.factory(record.manifest.id, SLT_SAMPLER_FACTORY_ID));
    if (!factory)
        return {false, QStringLiteral("get_factory(\"%1\") returned NULL").arg(QLatin1String(SLT_SAMPLER_FACTORY_ID))};
    if (factory->struct_size < offsetof(slt_sampler_factory, select) + sizeof(factory->select) || !factory->create
        || !factory->destroy || !factory->select)
        return {false, QStringLiteral("the sampler factory table is incomplete (struct_size %1)").arg(factory->struct_size)};

    slt_sampler* sampler = nullptr;
    char buffer[1024] = {0};
    slt_error error{buffer, sizeof(buffer)};
    slt_status status = SLT_ERR_INTERNAL;
    try {
        status = factory->create(manager.host(record.manifest.id), &sampler, &error);
    } catch (...) {
        return {false, QStringLiteral("create() threw an exception across the C boundary")};
    }
    if (status != SLT_OK || !sampler)
        return {false, QStringLiteral("create() failed (%1): %2").arg(QLatin1String(slt_status_name(status)), QString::fromUtf8(buffer))};

    const SyntheticPool pool;
    const Selection first = select(*factory, sampler, pool);
    const Selection second = first.error.isEmpty() ? select(*factory, sampler, pool) : Selection{};
    factory->destroy(sampler);
    if (!first.error.isEmpty())
        return {false, first.error};
    if (const QString problem = checkSelection(first.indices, pool); !problem.isEmpty())
        return {false, problem};
    if (!second.error.isEmpty())
        return {false, QStringLiteral("second call: ") + second.error};
    if (second.indices != first.indices)
        return {false, QStringLiteral("select() is not deterministic: the same seed gave different indices")};
    return {true, QStringLiteral("sampler picked %1 of %2 points (%3 eligible): in range, distinct, no labelled or "
                                 "already chosen point, same seed gave the same result")
                      .arg(first.indices.size())
                      .arg(kPoolSize)
                      .arg(pool.eligible())};
}

// A small synthetic [T, N, C] pool for metrics: LCG rows normalised to sum to 1, plus a one-hot and a
// uniform point (the two ends of every range).
std::vector<float> syntheticProbabilities(int64_t samples, int64_t points, int64_t classes)
{
    std::vector<float> p(static_cast<size_t>(samples * points * classes));
    uint64_t state = 88172645463325252ull;
    for (int64_t t = 0; t < samples; ++t)
        for (int64_t n = 0; n < points; ++n) {
            float* row = p.data() + (t * points + n) * classes;
            float sum = 0;
            for (int64_t c = 0; c < classes; ++c) {
                state = state * 6364136223846793005ull + 1442695040888963407ull;
                row[c] = n == 0 ? (c == 0 ? 1.0f : 0.0f) : n == 1 ? 1.0f : static_cast<float>((state >> 40) & 0xFFFF) + 1.0f;
                sum += row[c];
            }
            for (int64_t c = 0; c < classes; ++c)
                row[c] /= sum;
        }
    return p;
}

// Every metric the plugin lists, computed together on the synthetic pool: each score must be finite and
// inside the metric's declared value_range.
SmokeResult metricSmoke(const core::PluginManager& manager, const core::PluginRecord& record)
{
    using sdk::host::MetricSet;
    constexpr int64_t kPoints = 64;
    constexpr int64_t kClasses = 5;
    const void* factory = manager.factory(record.manifest.id, SLT_METRIC_FACTORY_ID);
    try {
        auto all = MetricSet::list(factory);
        if (!all)
            return {false, QString::fromStdString(all.message())};
        std::vector<std::string> names;
        int64_t samples = 4;
        for (const auto& metric : *all) {
            names.push_back(metric.name);
            samples = std::max<int64_t>(samples, metric.min_mc_samples);
        }
        auto set = MetricSet::create(factory, manager.host(record.manifest.id), names);
        if (!set)
            return {false, QString::fromStdString(set.message())};
        std::vector<float> p = syntheticProbabilities(samples, kPoints, kClasses);
        const slt_array probs{p.data(), SLT_DTYPE_F32, 3, {samples, kPoints, kClasses}, {kPoints * kClasses, kClasses, 1}};
        auto scores = set->compute(probs);
        if (!scores)
            return {false, QString::fromStdString(scores.message())};
        QStringList listed;
        for (size_t j = 0; j < names.size(); ++j) {
            auto range = set->value_range(j, kClasses, samples);
            if (!range)
                return {false, QString::fromStdString(range.message())};
            const double slack = 1e-5 * std::max(1.0, range->second - range->first);
            for (int64_t n = 0; n < kPoints; ++n) {
                const float v = (*scores)[static_cast<size_t>(n) * names.size() + j];
                if (!std::isfinite(v) || v < range->first - slack || v > range->second + slack)
                    return {false, QStringLiteral("metric '%1' gave %2 for point %3, outside its declared range [%4, %5]")
                                       .arg(QString::fromStdString(names[j])).arg(v).arg(n).arg(range->first).arg(range->second)};
            }
            listed << QString::fromStdString(names[j]);
        }
        return {true, QStringLiteral("computed %1 metric(s) (%2) in one pass on [T=%3, N=%4, C=%5]: every score finite and "
                                     "within its declared range")
                          .arg(names.size()).arg(listed.join(QStringLiteral(", "))).arg(samples).arg(kPoints).arg(kClasses)};
    } catch (...) {
        return {false, QStringLiteral("the metric plugin threw an exception across the C boundary")};
    }
}

// A model with its default configuration predicts a small synthetic batch twice with the same seed:
// every pixel's probabilities must be finite and sum to 1, and the two calls must agree. A model that
// cannot be created or described without a file (e.g. one that imports a module) is reported, not failed.
SmokeResult modelSmoke(const core::PluginManager& manager, const core::PluginRecord& record)
{
    using sdk::host::ModelProxy;
    auto model = ModelProxy::create(manager.factory(record.manifest.id, SLT_MODEL_FACTORY_ID), manager.host(record.manifest.id));
    if (!model)
        return {model.status().code != SLT_ERR_INTERNAL,
                QStringLiteral("create() with the default configuration failed (%1): %2; no prediction was checked")
                    .arg(QLatin1String(slt_status_name(model.status().code)), QString::fromStdString(model.message()))};
    auto info = model->describe();
    if (!info) // e.g. an import model that has nothing to describe until a module file is loaded
        return {info.status().code != SLT_ERR_INTERNAL,
                QStringLiteral("describe() before any checkpoint failed (%1): %2; no prediction was checked")
                    .arg(QLatin1String(slt_status_name(info.status().code)), QString::fromStdString(info.message()))};
    const int64_t multiple = std::max(1, info->size_multiple);
    const int64_t height = info->input_height > 0 ? info->input_height : 2 * multiple;
    const int64_t width = info->input_width > 0 ? info->input_width : 2 * multiple;
    const int32_t passes = (info->capabilities & SLT_MODEL_STOCHASTIC) ? 2 : 1;
    constexpr int64_t kImages = 2;
    auto shape = model->predict_shape(kImages, height, width, passes);
    if (!shape)
        return {false, QString::fromStdString(shape.message())};
    if (shape->ndim_probs != 5 || shape->probs[0] != passes || shape->probs[1] != kImages || shape->probs[2] != info->num_classes)
        return {false, QStringLiteral("predict_shape() does not give [T, B, C, h, w] for T=%1, B=%2, C=%3").arg(passes).arg(kImages).arg(info->num_classes)};
    std::vector<uint8_t> pixels(static_cast<size_t>(kImages * height * width * 3));
    for (size_t i = 0; i < pixels.size(); ++i)
        pixels[i] = static_cast<uint8_t>((i * 2654435761u) >> 24);
    const slt_array images{pixels.data(), SLT_DTYPE_U8, 4, {kImages, height, width, 3}, {height * width * 3, width * 3, 3, 1}};
    const int64_t plane = shape->probs[3] * shape->probs[4];
    const int64_t classes = shape->probs[2];
    std::vector<float> first(static_cast<size_t>(passes * kImages * classes * plane)), second(first.size());
    for (std::vector<float>* out : {&first, &second}) {
        slt_array probs{out->data(), SLT_DTYPE_F32, 5, {passes, kImages, classes, shape->probs[3], shape->probs[4]},
                        {kImages * classes * plane, classes * plane, plane, shape->probs[4], 1}};
        if (const auto status = model->predict(images, passes, kSeed, probs); !status)
            return {false, QString::fromStdString(status.message)};
    }
    if (first != second)
        return {false, QStringLiteral("predict() is not deterministic: the same seed gave different probabilities")};
    for (int64_t row = 0; row < passes * kImages; ++row)
        for (int64_t pixel = 0; pixel < plane; ++pixel) {
            double sum = 0;
            for (int64_t c = 0; c < classes; ++c) {
                const float v = first[static_cast<size_t>((row * classes + c) * plane + pixel)];
                if (!std::isfinite(v) || v < 0)
                    return {false, QStringLiteral("predict() wrote %1, not a probability").arg(v)};
                sum += v;
            }
            if (std::abs(sum - 1.0) > 1e-3)
                return {false, QStringLiteral("predict() probabilities of a pixel sum to %1, not 1").arg(sum)};
        }
    return {true, QStringLiteral("model '%1' predicted %2 pass(es) of %3 images %4x%5 into %6 classes: probabilities sum to 1, "
                                 "same seed gave the same result")
                      .arg(QString::fromUtf8(info->architecture)).arg(passes).arg(kImages).arg(height).arg(width).arg(classes)};
}

SmokeResult factoryTableSmoke(const core::PluginManager& manager, const core::PluginRecord& record)
{
    const QByteArray factoryId = QStringLiteral("slt.%1/1").arg(record.manifest.kind).toUtf8();
    const void* table = manager.factory(record.manifest.id, factoryId.constData());
    if (!table)
        return {false, QStringLiteral("get_factory(\"%1\") returned NULL").arg(QString::fromUtf8(factoryId))};
    // Every factory table starts with its uint32_t struct_size.
    const uint32_t size = *static_cast<const uint32_t*>(table);
    if (size < 8)
        return {false, QStringLiteral("the \"%1\" factory table has struct_size %2 (< 8)").arg(QString::fromUtf8(factoryId)).arg(size)};
    return {true, QStringLiteral("factory table \"%1\" present (struct_size %2); only the factory table was checked for "
                                 "kind '%3': no smoke call is defined for it yet")
                      .arg(QString::fromUtf8(factoryId))
                      .arg(size)
                      .arg(record.manifest.kind)};
}

} // namespace

SmokeResult smokeTest(const core::PluginManager& manager, const core::PluginRecord& record)
{
    if (record.state != core::PluginState::Active)
        return {false, QStringLiteral("skipped: the plugin is not active")};
    if (record.manifest.kind == QLatin1String("sampler"))
        return samplerSmoke(manager, record);
    if (record.manifest.kind == QLatin1String("metric"))
        return metricSmoke(manager, record);
    if (record.manifest.kind == QLatin1String("model"))
        return modelSmoke(manager, record);
    return factoryTableSmoke(manager, record);
}

} // namespace slt::cli
