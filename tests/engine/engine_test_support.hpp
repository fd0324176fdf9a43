// A small real bank for the session tests: synthesised with the standard metric plugin, written with the
// hdf5 plugin and loaded back, plus the sampler plugins of this build, all in a temporary folder.
#pragma once

#include <slt/core/engine/labelling_session.hpp>
#include <slt/core/plugin_manager.hpp>

#include <QTemporaryDir>

#include <memory>
#include <optional>

namespace slt::test {

// True when the hdf5, standard metric and uncertainty/random sampler plugins are built; otherwise WARNs why.
bool enginePluginsBuilt();

class EngineBank {
public:
    explicit EngineBank(int64_t points = 1500, uint64_t seed = 5);
    const core::LoadedBank& bank() const { return *bank_; }
    const QString& path() const { return bankPath_; }
    QString folder() const { return dir_.path(); }
    core::SamplerPlugin sampler(const QString& id) const;
    // A new project on this bank (a fresh file name each call).
    core::ProjectStore newProject();
    core::ProjectStore reopen(const QString& path) const;
    core::LabellingSession start(const core::SessionSettings& settings);

private:
    QTemporaryDir dir_;
    QTemporaryDir state_;
    std::unique_ptr<core::PluginManager> manager_;
    QString bankPath_;
    std::optional<core::LoadedBank> bank_;
    int projects_ = 0;
};

core::SessionSettings smallSettings(); // budget 60, M = 6, seed 7, uncertainty sampler

// Every attenuated value of the session equal to a brute-force computation from its labels, to 1e-6.
void requireAttenuationMatchesBruteForce(const core::LabellingSession& session, const core::LoadedBank& bank);

} // namespace slt::test
