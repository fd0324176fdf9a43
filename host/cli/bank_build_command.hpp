// `slt-cli bank build`: a bank from a model checkpoint over images or slides (docs/bank-build.md).
#pragma once

#include "command_line.hpp"

namespace slt::cli {

int bankBuildCommand(const QStringList& arguments, Context& context);

} // namespace slt::cli
