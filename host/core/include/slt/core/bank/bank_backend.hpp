// Bank backends as the host sees them: the active bank plugins, finding the one that reads a file (every
// backend probes it, the most confident wins), and opening or creating a bank through the SDK proxy.
#pragma once

#include "slt/core/result.hpp"

#include <slt/sdk/bank.h>
#include <slt/sdk/cpp/host/bank_proxy.hpp>

#include <QString>

#include <vector>

namespace slt::core {

class PluginManager;

struct BankBackend {
    QString pluginId;                         // "org.slt.bank.hdf5"
    const slt_bank_factory* factory = nullptr; // checked by BankProxy::factory
    const slt_host* host = nullptr;           // the host given to the plugin's init()

    QString formatName() const; // "HDF5 bank (org.slt.bank.hdf5)"
    bool canWrite() const { return factory && (factory->capabilities & SLT_BANK_CAN_WRITE); }
    bool storesCrops() const { return factory && (factory->capabilities & SLT_BANK_HAS_CROPS); }
};

// Every active plugin with a valid "slt.bank/1" factory, in the manager's order.
std::vector<BankBackend> activeBankBackends(const PluginManager& manager);

// "hdf5" -> "org.slt.bank.hdf5" (the --backend names of slt-cli).
QString bankPluginId(const QString& backendName);

// The backend with this plugin id, or a message naming the ids that are active.
Result<BankBackend> bankBackendById(const std::vector<BankBackend>& backends, const QString& pluginId);

// The backend that reads `path` best. Fails, with a message a person can act on, for a missing file, a
// folder, an empty file, no active bank plugin, or when no backend is confident (> 0): the message lists
// the formats tried.
Result<BankBackend> findBankBackend(const std::vector<BankBackend>& backends, const QString& path);

// Opens (SLT_BANK_READ / SLT_BANK_APPEND) or creates (SLT_BANK_CREATE, `create` required) a bank. The
// message names the file and the backend.
Result<sdk::host::BankProxy> openBank(const BankBackend& backend, const QString& path, slt_bank_mode mode,
                                      const slt_bank_metadata* create = nullptr);

// The SDK proxy's message as a QString.
QString toQString(const sdk::host::Status& status);

} // namespace slt::core
