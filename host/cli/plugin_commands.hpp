// `slt-cli plugins ...`: list, info, validate, enable, disable (and the hidden probe / validate-child that
// run inside child processes).
#pragma once

#include "command_line.hpp"

#include <QStringList>

namespace slt::cli {

// `arguments` starts with "plugins".
int runPluginsCommand(const QStringList& arguments, Context& context);

} // namespace slt::cli
