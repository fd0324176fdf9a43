// The steps of `slt-cli train` after the command line: output folder, data, model plugin, datasets, the
// training call with progress and Ctrl-C, and the messages for each failure.
#pragma once

#include "command_line.hpp"

#include <slt/core/training_data/train_config.hpp>

namespace slt::cli {

struct TrainRunOptions {
    core::training_data::TrainConfig config;
    bool forceProgress = false; // draw the progress bar even when stderr is not a terminal
    bool dryRun = false;        // stop before training, after every check and the model's creation
};

// Returns an exit code (0, or 1 with the message on stderr).
int runTraining(const TrainRunOptions& options, const Context& context);

} // namespace slt::cli
