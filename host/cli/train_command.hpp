// `slt-cli train`: trains a model plugin ("slt.model/1") on point-labelled tiles or slides (SPEC M4-M7, M10;
// docs/training.md). The configuration is a TOML file (--config) overridden by flags; everything that can be
// checked is checked before the model is created, so bad input never starts a training.
#pragma once

#include "command_line.hpp"

namespace slt::cli {

int runTrainCommand(const QStringList& arguments, Context& context);

} // namespace slt::cli
