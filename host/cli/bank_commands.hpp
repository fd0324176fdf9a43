// `slt-cli bank ...`: synth, info, verify, convert, merge and dump (issue: banks, items 5 and 6).
#pragma once

#include "command_line.hpp"

#include <QStringList>

namespace slt::cli {

// `arguments` starts with "bank".
int runBankCommand(const QStringList& arguments, Context& context);

} // namespace slt::cli
