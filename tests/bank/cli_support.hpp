// Helpers of the slt-cli bank tests: whether the real plugins are built, running `slt-cli bank ...` in an
// isolated home (tests/integration's runCli), file hashes, and the real backends in this process.
#pragma once

#include "fixture_support.hpp"

#include <slt/core/bank/bank_backend.hpp>
#include <slt/core/bank/loaded_bank.hpp>
#include <slt/core/plugin_manager.hpp>

#include <QByteArray>
#include <QTemporaryDir>

#include <memory>

namespace slt::test {

// True when the hdf5, sqlite and standard metric plugins are built next to slt-cli; otherwise prints why.
bool realPluginsBuilt();

// `slt-cli bank <args>` in a fresh isolated home.
CliRun runBank(const QStringList& args);

// SHA-256 of a file's bytes (empty for a missing file).
QByteArray fileHash(const QString& path);

// `bank synth` of a small bank with crops into `dir`; REQUIREs success. `extra` adds or overrides options.
QString synthBank(const QTemporaryDir& dir, const QString& name, const QStringList& extra = {});

// The bundled plugins, discovered in this process (for loading banks the CLI wrote).
class RealBackends {
public:
    RealBackends();
    core::BankBackend reader(const QString& path) const;
    core::LoadedBank load(const QString& path) const;

private:
    QTemporaryDir state_;
    std::unique_ptr<core::PluginManager> manager_;
    std::vector<core::BankBackend> backends_;
};

// Every column, image name and crop of two banks equal.
void requireSameBankContent(core::LoadedBank& a, core::LoadedBank& b);

} // namespace slt::test
