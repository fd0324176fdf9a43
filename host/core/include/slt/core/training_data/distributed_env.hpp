// Data-parallel training (SPEC M10) is set up from the environment the launcher gives each process:
// torchrun-style RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT, or SLURM's SLURM_PROCID and SLURM_NTASKS with
// MASTER_ADDR (and MASTER_PORT, default 29500) exported by the batch script. No variables: one process.
#pragma once

#include "slt/core/result.hpp"

#include <QProcessEnvironment>
#include <QString>

#include <cstdint>

namespace slt::core::training_data {

inline constexpr int kDefaultMasterPort = 29500;

struct DistributedSetup {
    int32_t rank = 0;
    int32_t worldSize = 1;
    QString init; // "tcp://host:port"; empty when alone
    QString source; // "RANK/WORLD_SIZE", "SLURM", or empty when alone
};

Result<DistributedSetup> distributedSetupFrom(const QProcessEnvironment& environment);

} // namespace slt::core::training_data
