// Plugin entry of org.slt.bank.hdf5.
#include "hdf5_bank.hpp"
#include "hdf5_support.hpp"

#include <slt/sdk/cpp/plugin.hpp>

namespace {

// HDF5 prints its error stack to stderr by default; every failure becomes our status + message instead.
void quiet_hdf5(const slt::sdk::Host&) { slt::banks::hdf5::silence_errors(); }

} // namespace

SLT_PLUGIN_WITH_INIT("org.slt.bank.hdf5", "1.0.0", quiet_hdf5, slt::banks::hdf5::Hdf5Bank)
