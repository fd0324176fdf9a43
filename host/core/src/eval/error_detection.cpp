#include "slt/core/eval/error_detection.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace slt::core::eval {
namespace {

// Calls visit(first, end, errors) for each run of equal uncertainty [first, end) of `ranked`.
template <class Visit>
void forEachTieGroup(const RankedOutcomes& ranked, Visit visit)
{
    const int64_t n = ranked.size();
    for (int64_t first = 0; first < n;) {
        int64_t end = first;
        int64_t errors = 0;
        while (end < n && ranked.uncertainty[end] == ranked.uncertainty[first])
            errors += ranked.wrong[end++];
        visit(first, end, errors);
        first = end;
    }
}

} // namespace

Result<RankedOutcomes> rankOutcomes(const std::vector<double>& uncertainty, const std::vector<uint8_t>& wrong)
{
    if (uncertainty.empty())
        return Result<RankedOutcomes>::failure(QStringLiteral("no points to rank"));
    if (uncertainty.size() != wrong.size())
        return Result<RankedOutcomes>::failure(
            QStringLiteral("%1 scores but %2 correctness flags").arg(uncertainty.size()).arg(wrong.size()));
    std::vector<int64_t> order(uncertainty.size());
    std::iota(order.begin(), order.end(), int64_t{0});
    for (size_t i = 0; i < uncertainty.size(); ++i)
        if (std::isnan(uncertainty[i]))
            return Result<RankedOutcomes>::failure(QStringLiteral("the score of point %1 is NaN").arg(i));
    std::sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return uncertainty[a] < uncertainty[b]; });
    RankedOutcomes ranked;
    ranked.uncertainty.reserve(order.size());
    ranked.wrong.reserve(order.size());
    for (int64_t i : order) {
        ranked.uncertainty.push_back(uncertainty[i]);
        ranked.wrong.push_back(wrong[i] ? 1 : 0);
        ranked.errors += wrong[i] ? 1 : 0;
    }
    return ranked;
}

Result<double> errorDetectionAuroc(const RankedOutcomes& ranked)
{
    const int64_t n = ranked.size(), nWrong = ranked.errors, nRight = n - nWrong;
    if (nWrong == 0)
        return Result<double>::failure(QStringLiteral("AUROC is undefined: no point is misclassified"));
    if (nRight == 0)
        return Result<double>::failure(QStringLiteral("AUROC is undefined: every point is misclassified"));
    // Sum of the (1-based, mid-) ranks of the wrong points; a tie group [first, end) shares rank (first+1+end)/2.
    double wrongRankSum = 0;
    forEachTieGroup(ranked, [&](int64_t first, int64_t end, int64_t errors) {
        wrongRankSum += static_cast<double>(errors) * (static_cast<double>(first + 1 + end) / 2.0);
    });
    const double u = wrongRankSum - static_cast<double>(nWrong) * static_cast<double>(nWrong + 1) / 2.0;
    return u / (static_cast<double>(nWrong) * static_cast<double>(nRight));
}

double optimalAurc(int64_t n, int64_t errors)
{
    if (n <= 0 || errors <= 0)
        return 0;
    const int64_t right = n - errors;
    // (1/n) sum_{k=right+1..n} (k - right) / k: the first `right` prefixes hold no error.
    double sum = 0;
    for (int64_t k = right + 1; k <= n; ++k)
        sum += static_cast<double>(k - right) / static_cast<double>(k);
    return sum / static_cast<double>(n);
}

SelectiveRisk selectiveRisk(const RankedOutcomes& ranked, int maxCurvePoints)
{
    SelectiveRisk result;
    const int64_t n = ranked.size();
    if (n == 0)
        return result;
    const double minStep = maxCurvePoints > 0 ? 1.0 / maxCurvePoints : 0.0;
    double riskSum = 0;
    int64_t errorsBefore = 0;
    forEachTieGroup(ranked, [&](int64_t first, int64_t end, int64_t errors) {
        const double s = static_cast<double>(end - first), perPoint = static_cast<double>(errors) / s;
        for (int64_t j = 1; j <= end - first; ++j) // expected prefix risk over the orders of the tie group
            riskSum += (static_cast<double>(errorsBefore) + static_cast<double>(j) * perPoint) / static_cast<double>(first + j);
        errorsBefore += errors;
        const RiskCoveragePoint point{static_cast<double>(end) / static_cast<double>(n),
                                      static_cast<double>(errorsBefore) / static_cast<double>(end),
                                      ranked.uncertainty[first]};
        if (result.curve.empty() || end == n || point.coverage - result.curve.back().coverage >= minStep)
            result.curve.push_back(point);
    });
    result.errorRate = static_cast<double>(ranked.errors) / static_cast<double>(n);
    result.aurc = riskSum / static_cast<double>(n);
    result.aurcOptimal = optimalAurc(n, ranked.errors);
    result.eaurc = result.aurc - result.aurcOptimal;
    return result;
}

} // namespace slt::core::eval
