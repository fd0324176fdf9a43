// A whole evaluation of a bank against its ground truth (SPEC V1, U2): classification quality on every point;
// per uncertainty score AUROC of error detection, risk-coverage, AURC, E-AURC on every point; calibration
// (temperature scaling of the probabilities, ECDF + isotonic per score) fitted on the calibration split and
// measured (ECE before / after) on the evaluation split.
#pragma once

#include "slt/core/eval/classification.hpp"
#include "slt/core/eval/error_detection.hpp"
#include "slt/core/eval/reliability.hpp"
#include "slt/core/eval/score_calibration.hpp"
#include "slt/core/eval/temperature_scaling.hpp"

#include <QString>
#include <QStringList>

#include <optional>

namespace slt::core::eval {

// How the uncorrected "confidence that the prediction is right" of a score is defined for ece_before.
enum class ConfidenceBefore {
    OneMinusScore,      // the score is 1 - MSP (a probability of the predicted class): confidence = 1 - score
    OneMinusPercentile, // any other score: confidence = 1 - its ECDF percentile on the calibration split
};

struct ScoreColumn {
    QString name;
    bool higherIsMoreUncertain = true;
    QString directionSource;  // where the direction came from (a plugin id, or "assumed")
    ConfidenceBefore confidenceBefore = ConfidenceBefore::OneMinusPercentile;
    const float* values = nullptr; // values[i * stride]
    int64_t stride = 1;
};

struct EvaluationInput {
    int64_t points = 0;
    int32_t classes = 0;
    const int32_t* truth = nullptr;     // [points] true probability column
    const int32_t* predicted = nullptr; // [points] predicted probability column
    ProbabilityTable probabilities;     // [points, classes]
    std::vector<ScoreColumn> scores;
};

struct EvaluationOptions {
    double calibrationFraction = 0.5;
    uint64_t seed = 1;
    int bins = kDefaultEceBins;
    int maxCurvePoints = 1000;
};

struct ScoreEvaluation {
    ScoreColumn column;                 // values not owned; valid while the input lives
    std::optional<double> auroc;
    SelectiveRisk selective;
    Reliability before;                 // on the evaluation split
    Reliability after;
    ScoreCalibration calibration;       // fitted on the calibration split
    QStringList notes;                  // why a value is missing
};

struct TemperatureEvaluation {
    TemperatureFit fit;
    Reliability before;                 // confidence = probability of the predicted class, evaluation split
    Reliability after;                  // the same after scaling with the fitted T
    double nllEvaluationBefore = 0;
    double nllEvaluationAfter = 0;
};

struct EvaluationReport {
    ClassificationSummary classification;
    TemperatureEvaluation temperature;
    std::vector<ScoreEvaluation> scores;
    int64_t calibrationPoints = 0;
    int64_t evaluationPoints = 0;
    EvaluationOptions options;
};

// Fails with a message for inconsistent input, a fraction outside (0, 1), a split that leaves one side
// empty, or a NaN score. Undefined measures (AUROC when no point is wrong, kappa of one class) are not
// failures: they are empty, with a note.
Result<EvaluationReport> evaluate(const EvaluationInput& input, const EvaluationOptions& options);

} // namespace slt::core::eval
