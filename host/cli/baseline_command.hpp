// `slt-cli baseline`: the colour-histogram nearest-centroid baseline (docs/evaluation.md). Reads training and test
// data as `slt-cli train` does, classifies every test sample (or labelled point, with --window) by the nearest class
// mean of Hellinger-mapped colour histograms, and writes predictions.csv and metrics.json: what a model must beat
// to have learned more than stain colour.
#pragma once

#include "command_line.hpp"

namespace slt::cli {

int runBaselineCommand(const QStringList& arguments, Context& context);

} // namespace slt::cli
