// Uncertainty scores as detectors of misclassified points (al-methods §2.9-2.10): AUROC of error detection,
// the risk-coverage curve, AURC and E-AURC.
//
// Every function takes the score oriented so that HIGHER = MORE UNCERTAIN (orientScores() flips scores whose
// metric declares the opposite) and a flag per point, 1 = misclassified.
//
// Ties are handled exactly, never by index order:
// - AUROC = P(u_wrong > u_right) + 0.5 P(u_wrong == u_right), the Mann-Whitney U over n_wrong * n_right
//   computed from mid-ranks;
// - the risk-coverage curve has one point per distinct score: points enter from the most to the least
//   confident (lowest u first) and all points with equal u enter together;
// - AURC is the classic estimator (1/n) sum_{k=1..n} risk(k most confident points) averaged over every order of
//   the tied points: within a tie group of s points with e errors, entering after n0 points with E0 errors,
//   the expected risk of the j-th point's prefix is (E0 + j e / s) / (n0 + j). Without ties this is exactly
//   Geifman's estimator.
// - The optimal AURC for the same error count is that estimator on a perfect ranking (every right point
//   before every wrong one): with m right points out of n, AURC* = (n_wrong - m (H_n - H_m)) / n (H = harmonic
//   numbers), which tends to e + (1 - e) ln(1 - e) for error rate e as n grows. E-AURC = AURC - AURC*, so a
//   perfect ranking has E-AURC 0 exactly; plateaus in the score may make it slightly negative (not clamped).
#pragma once

#include "slt/core/result.hpp"

#include <cstdint>
#include <vector>

namespace slt::core::eval {

// Points sorted by uncertainty, ascending (most confident first), ready for the tie-grouped measures.
struct RankedOutcomes {
    std::vector<double> uncertainty; // ascending
    std::vector<uint8_t> wrong;      // 1 = misclassified, same order
    int64_t errors = 0;
    int64_t size() const { return static_cast<int64_t>(uncertainty.size()); }
};

// Fails for empty input, mismatched sizes or a NaN score (the message names the point).
Result<RankedOutcomes> rankOutcomes(const std::vector<double>& uncertainty, const std::vector<uint8_t>& wrong);

// Undefined (a failed Result saying why) when every point is right or every point is wrong.
Result<double> errorDetectionAuroc(const RankedOutcomes& ranked);

struct RiskCoveragePoint {
    double coverage = 0;      // share of points kept, (0, 1]
    double risk = 0;          // share of the kept points that are wrong
    double threshold = 0;     // the kept points have uncertainty <= threshold
};

struct SelectiveRisk {
    std::vector<RiskCoveragePoint> curve; // one point per distinct score, coverage ascending (maybe thinned)
    double aurc = 0;
    double aurcOptimal = 0;
    double eaurc = 0;
    double errorRate = 0;
};

// The curve is thinned to about `maxCurvePoints` points (the last one, coverage 1, is always kept; 0 keeps
// every tie group); AURC uses every point regardless.
SelectiveRisk selectiveRisk(const RankedOutcomes& ranked, int maxCurvePoints = 1000);

// AURC* for n points of which `errors` are wrong (see above).
double optimalAurc(int64_t n, int64_t errors);

} // namespace slt::core::eval
