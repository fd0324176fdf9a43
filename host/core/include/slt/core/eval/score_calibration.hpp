// Calibration of any uncertainty score into a probability of error: ECDF transfer + isotonic regression
// (al-methods §2.11, SPEC U2), and its JSON form stored in a bank as the text attribute "calibration/<metric>".
//
// Fitting, on the calibration split: the score is oriented (u = score, or -score for a metric where lower
// means more uncertain), mapped to its percentile on the split, q = F(u) (mid-rank ECDF: (#{u_ref < u} +
// 0.5 #{u_ref == u}) / n), and the error flags are regressed on q with pool-adjacent-violators, non-decreasing
// (more uncertain, more errors); points with equal q are pooled first so equal scores get one value. Because
// F is strictly increasing across distinct reference scores, the fitted map is a step function of the raw
// score itself, and that composed function is what is stored and applied: p_error(score) = the value of the
// last step whose start is <= u (below the first start: the first value). The ECDF is also kept as 101
// percentile knots so that a reader can show a score's percentile.
//
// See docs/evaluation.md for the JSON format.
#pragma once

#include "slt/core/result.hpp"

#include <QJsonObject>
#include <QString>

#include <cstdint>
#include <vector>

namespace slt::core::eval {

// The sorted oriented scores of the fitting points: the reference of the ECDF transfer.
class EcdfReference {
public:
    explicit EcdfReference(std::vector<double> orientedScores); // sorts
    // Mid-rank percentile in [0, 1]; 0.5 for an empty reference.
    double percentile(double oriented) const;
    // The oriented score at percentile levels 0, 1/(k-1), ..., 1 (nearest rank); empty for an empty reference.
    std::vector<double> knots(int count) const;
    size_t size() const { return sorted_.size(); }

private:
    std::vector<double> sorted_;
};

struct ScoreCalibration {
    QString metric;
    bool higherIsMoreUncertain = true;
    int64_t fitPoints = 0;
    double fitErrorRate = 0;
    std::vector<double> stepStart; // oriented score where each step starts, ascending
    std::vector<double> pError;    // the step values, non-decreasing
    std::vector<double> percentileKnots; // raw scores at the percentiles 0..100 of the fit split (oriented order)

    double orient(double score) const { return higherIsMoreUncertain ? score : -score; }
    // Calibrated probability that a point with this raw score is misclassified.
    double probabilityOfError(double score) const;
};

// Fits on the raw `scores` of the calibration points and their error flags (1 = wrong). Fails for empty
// input, mismatched sizes or a NaN score.
Result<ScoreCalibration> fitScoreCalibration(const QString& metric, bool higherIsMoreUncertain,
                                             const std::vector<double>& scores, const std::vector<uint8_t>& wrong);

// The stored form ("format": "slt.calibration/1") and back; fromJson fails with a message for anything
// that is not a valid map (wrong format tag, unsorted steps, values outside [0, 1], ...).
QJsonObject calibrationToJson(const ScoreCalibration& calibration);
Result<ScoreCalibration> calibrationFromJson(const QJsonObject& object);

inline QString calibrationAttributeKey(const QString& metric) { return QStringLiteral("calibration/") + metric; }

} // namespace slt::core::eval
