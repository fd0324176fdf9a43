#include "slt/core/eval/classification.hpp"

namespace slt::core::eval {
namespace {

double ratio(double numerator, double denominator) { return denominator > 0 ? numerator / denominator : 0.0; }

QString inputProblem(const std::vector<int32_t>& truth, const std::vector<int32_t>& predicted, int32_t classes)
{
    if (classes < 1)
        return QStringLiteral("no classes");
    if (truth.empty())
        return QStringLiteral("no points to evaluate");
    if (truth.size() != predicted.size())
        return QStringLiteral("%1 true classes but %2 predictions").arg(truth.size()).arg(predicted.size());
    for (size_t i = 0; i < truth.size(); ++i)
        if (truth[i] < 0 || truth[i] >= classes || predicted[i] < 0 || predicted[i] >= classes)
            return QStringLiteral("point %1: class outside [0, %2)").arg(i).arg(classes);
    return {};
}

void fillPerClass(ClassificationSummary& s)
{
    const int32_t C = s.classes;
    s.perClass.assign(static_cast<size_t>(C), ClassScores{});
    for (int32_t t = 0; t < C; ++t)
        for (int32_t p = 0; p < C; ++p) {
            s.perClass[t].support += s.count(t, p);
            s.perClass[p].predicted += s.count(t, p);
        }
    for (int32_t c = 0; c < C; ++c) {
        ClassScores& k = s.perClass[c];
        const double hits = static_cast<double>(s.count(c, c));
        k.precision = ratio(hits, static_cast<double>(k.predicted));
        k.recall = ratio(hits, static_cast<double>(k.support));
        k.f1 = ratio(2 * k.precision * k.recall, k.precision + k.recall);
    }
}

void fillAverages(ClassificationSummary& s)
{
    double hits = 0, f1Sum = 0, weighted = 0, recallSum = 0;
    int present = 0, occurring = 0;
    for (int32_t c = 0; c < s.classes; ++c) {
        const ClassScores& k = s.perClass[c];
        hits += static_cast<double>(s.count(c, c));
        weighted += k.f1 * static_cast<double>(k.support);
        if (k.support > 0 || k.predicted > 0) {
            f1Sum += k.f1;
            ++present;
        }
        if (k.support > 0) {
            recallSum += k.recall;
            ++occurring;
        }
    }
    const double n = static_cast<double>(s.points);
    s.accuracy = hits / n;
    s.macroF1 = ratio(f1Sum, present);
    s.weightedF1 = weighted / n;
    s.balancedAccuracy = ratio(recallSum, occurring);
}

// Cohen's kappa = (p_o - p_e) / (1 - p_e) with p_e the agreement expected from the marginals.
void fillKappa(ClassificationSummary& s)
{
    const double n = static_cast<double>(s.points);
    double expected = 0;
    for (const ClassScores& k : s.perClass)
        expected += (static_cast<double>(k.support) / n) * (static_cast<double>(k.predicted) / n);
    if (expected >= 1.0) {
        s.kappaNote = QStringLiteral("kappa is undefined: truth and predictions are all one class (chance agreement 1)");
        return;
    }
    s.kappa = (s.accuracy - expected) / (1.0 - expected);
}

} // namespace

Result<ClassificationSummary> summariseClassification(const std::vector<int32_t>& truth,
                                                      const std::vector<int32_t>& predicted, int32_t classes)
{
    if (const QString problem = inputProblem(truth, predicted, classes); !problem.isEmpty())
        return Result<ClassificationSummary>::failure(problem);
    ClassificationSummary s;
    s.classes = classes;
    s.points = static_cast<int64_t>(truth.size());
    s.confusion.assign(static_cast<size_t>(classes) * classes, 0);
    for (size_t i = 0; i < truth.size(); ++i)
        ++s.confusion[static_cast<size_t>(truth[i]) * classes + predicted[i]];
    fillPerClass(s);
    fillAverages(s);
    fillKappa(s);
    return s;
}

} // namespace slt::core::eval
