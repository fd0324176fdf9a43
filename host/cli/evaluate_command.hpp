// `slt-cli evaluate`: a bank's predictions and uncertainty scores against ground truth (SPEC V1, V3, U2):
// metrics.json, CSV tables, PNG charts and report.html in one folder (docs/evaluation.md).
#pragma once

#include "command_line.hpp"

namespace slt::cli {

// True when the command line runs `evaluate` (the first word that is neither an option nor the value of
// --plugin-path): main() then creates a QGuiApplication, which the charts need for fonts.
bool isEvaluateCommand(int argc, char** argv);

int runEvaluateCommand(const QStringList& arguments, Context& context);

} // namespace slt::cli
