// The charts and the HTML page of `slt-cli evaluate` (drawn by Slt::report, offscreen).
#pragma once

#include <slt/core/eval/evaluation_output.hpp>

#include <QStringList>

#include <vector>

namespace slt::cli {

// Writes risk_coverage.png, reliability_temperature.png, reliability_<score>.png and histogram_<score>.png into
// `dir`; `wrong` flags every point (1 = misclassified). Returns the file names, or the first failure.
core::Result<QStringList> writeEvaluationCharts(const core::eval::EvaluationReport& report,
                                                const std::vector<uint8_t>& wrong, const QString& dir);

// Writes report.html next to the charts: the summary, the per-score table, the per-class table and every chart.
core::Status writeEvaluationPage(const core::eval::EvaluationReport& report, const core::eval::EvaluationContext& context,
                                 const QString& dir);

} // namespace slt::cli
