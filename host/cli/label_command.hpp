// `slt-cli label`: a scripted labelling session without the GUI (docs/labelling.md).
#pragma once

#include "command_line.hpp"

namespace slt::cli {

int runLabelCommand(const QStringList& arguments, Context& context);

} // namespace slt::cli
