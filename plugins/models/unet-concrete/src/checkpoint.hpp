// Checkpoints of org.slt.model.unet-concrete.
//
// Format: one LibTorch archive at `path` holding
//   "slt_format"  = "slt-unet-concrete/1"
//   "slt_config"  = the architecture as TOML (UNetConfig::toToml(): classes, input size)
//   "slt_extra"   = free TOML text the caller stores with the weights (training state, may be "")
//   "slt_count"   = number of tensors
//   "slt_checksum"= FNV-1a of every tensor's bytes in key order (the zip layer's CRCs are not checked)
//   "p__<name>"   = every parameter, "b__<name>" = every buffer (module name dots written as "__")
// plus a human-readable sidecar `path + ".toml"` with the same architecture TOML, which is a valid
// model config: create the model from the sidecar, then load the checkpoint. The archive is the
// authority on load; the sidecar is written for people and tools and is not needed to load.
#pragma once

#include "network.hpp"

#include <string>

namespace slt::unet {

struct CheckpointContent {
    UNetConfig config;   // architecture stored in the file
    std::string extra;   // the "slt_extra" text
};

// Writes the archive and its sidecar (both replaced atomically: written to a temporary name and
// renamed). Throws slt::sdk::Error(SLT_ERR_IO, ...) when a file cannot be written.
void saveCheckpoint(UNet& net, const std::string& path, const std::string& extra = {});

// Reads only the stored architecture and extra text (no weights).
// Throws slt::sdk::Error(SLT_ERR_FORMAT / SLT_ERR_IO) for a missing, corrupt or foreign file.
CheckpointContent readCheckpointHeader(const std::string& path);

// Loads weights into `net` after checking that the stored architecture equals net's and that every
// parameter and buffer exists with the same shape. On any mismatch nothing is changed and
// slt::sdk::Error(SLT_ERR_FORMAT, ...) names every differing field / tensor. Returns the content.
CheckpointContent loadCheckpoint(UNet& net, const std::string& path);

} // namespace slt::unet
