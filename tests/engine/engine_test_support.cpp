#include "engine_test_support.hpp"

#include <slt/core/bank/synthetic_bank.hpp>

#include <catch2/catch.hpp>

#include <QFileInfo>

#include <cmath>

namespace slt::test {

bool enginePluginsBuilt()
{
    for (const char* plugin : {"hdf5/hdf5.so", "standard/standard.so", "uncertainty/uncertainty.so", "random/random.so"}) {
        const QString path = QStringLiteral(SLT_PLUGIN_BUILD_DIR "/") + QLatin1String(plugin);
        if (!QFileInfo::exists(path)) {
            WARN("skipped: the plugin " << path.toStdString() << " is not built");
            return false;
        }
    }
    return true;
}

EngineBank::EngineBank(int64_t points, uint64_t seed)
{
    core::PluginManagerOptions options;
    options.searchPath = {QStringLiteral(SLT_PLUGIN_BUILD_DIR)};
    options.stateDirectory = state_.path();
    manager_ = std::make_unique<core::PluginManager>(options);
    manager_->discover();
    const auto backend = core::bankBackendById(core::activeBankBackends(*manager_), QStringLiteral("org.slt.bank.hdf5"));
    const auto metrics = core::metricPluginById(core::activeMetricPlugins(*manager_), QString::fromLatin1(core::kStandardMetricPlugin));
    REQUIRE(backend.ok());
    REQUIRE(metrics.ok());
    core::SyntheticBankOptions synth;
    synth.points = points;
    synth.dim = 8;
    synth.classes = 4;
    synth.seed = seed;
    synth.mcSamples = 8;
    synth.cropSize = 0;
    bankPath_ = dir_.filePath(QStringLiteral("bank.h5"));
    const core::Status written = core::synthesizeBank(synth, *backend, *metrics, bankPath_);
    INFO(written.error().toStdString());
    REQUIRE(written.ok());
    auto loaded = core::LoadedBank::load(*backend, bankPath_, core::kSessionColumns);
    INFO(loaded.error().toStdString());
    REQUIRE(loaded.ok());
    bank_.emplace(std::move(*loaded));
}

core::SamplerPlugin EngineBank::sampler(const QString& id) const
{
    auto sampler = core::samplerPluginById(*manager_, id);
    INFO(sampler.error().toStdString());
    REQUIRE(sampler.ok());
    return *sampler;
}

core::ProjectStore EngineBank::newProject()
{
    const QString path = dir_.filePath(QStringLiteral("project%1.sltp").arg(++projects_));
    const core::BankRef ref{QString::fromStdString(bank_->metadata().uuid), bankPath_, bank_->size()};
    core::ProjectOptions options;
    options.synchronous = core::Synchronous::Normal; // tests do not need power-cut durability
    auto store = core::ProjectStore::create(path, ref, core::ClassSchema::withTissueClasses(4), QStringLiteral("tester"), options);
    INFO(store.error().toStdString());
    REQUIRE(store.ok());
    return std::move(*store);
}

core::ProjectStore EngineBank::reopen(const QString& path) const
{
    auto store = core::ProjectStore::open(path, QString::fromStdString(bank_->metadata().uuid));
    INFO(store.error().toStdString());
    REQUIRE(store.ok());
    return std::move(*store);
}

core::LabellingSession EngineBank::start(const core::SessionSettings& settings)
{
    auto session = core::LabellingSession::start(*bank_, newProject(), sampler(settings.samplerId), settings);
    INFO(session.error().toStdString());
    REQUIRE(session.ok());
    return std::move(*session);
}

core::SessionSettings smallSettings()
{
    core::SessionSettings settings;
    settings.budget = 60;
    settings.clusterSize = 6;
    settings.seed = 7;
    return settings;
}

void requireAttenuationMatchesBruteForce(const core::LabellingSession& session, const core::LoadedBank& bank)
{
    const int64_t n = bank.size();
    std::vector<uint8_t> labelled(static_cast<size_t>(n), 0);
    for (const core::PointLabel& label : session.labels())
        labelled[label.point] = core::ClassSchema::countsAsLabelled(label.state.classId) ? 1 : 0;
    std::vector<float> expected(static_cast<size_t>(n));
    core::bruteForceAttenuation(bank.embeddings().data(), n, bank.metadata().embeddingDim, session.prior(), labelled.data(),
                                session.attenuation().lambda(), expected.data());
    double worst = 0;
    for (int64_t i = 0; i < n; ++i) worst = std::max(worst, std::abs(double(expected[i]) - session.attenuation().value(i)));
    REQUIRE(worst <= 1e-6);
}

} // namespace slt::test
