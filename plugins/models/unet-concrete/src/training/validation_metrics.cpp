#include "training/validation_metrics.hpp"

#include <limits>
#include <numeric>

namespace slt::unet::training {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double ratio(double numerator, double denominator) { return denominator > 0 ? numerator / denominator : 0.0; }

void scoreClasses(const ConfusionMatrix& m, ValidationScores& s, std::vector<int64_t>& predicted)
{
    const int32_t c = m.classes();
    s.precision.assign(static_cast<size_t>(c), 0.0);
    s.recall.assign(static_cast<size_t>(c), 0.0);
    s.f1.assign(static_cast<size_t>(c), 0.0);
    s.support.assign(static_cast<size_t>(c), 0);
    predicted.assign(static_cast<size_t>(c), 0);
    for (int32_t t = 0; t < c; ++t)
        for (int32_t p = 0; p < c; ++p) {
            s.support[static_cast<size_t>(t)] += m.at(t, p);
            predicted[static_cast<size_t>(p)] += m.at(t, p);
        }
    for (int32_t k = 0; k < c; ++k) {
        const auto i = static_cast<size_t>(k);
        const double tp = static_cast<double>(m.at(k, k));
        s.precision[i] = ratio(tp, static_cast<double>(predicted[i]));
        s.recall[i] = ratio(tp, static_cast<double>(s.support[i]));
        s.f1[i] = ratio(2 * s.precision[i] * s.recall[i], s.precision[i] + s.recall[i]);
    }
}

void scoreAverages(const ConfusionMatrix& m, ValidationScores& s, const std::vector<int64_t>& predicted)
{
    const double n = static_cast<double>(s.points);
    double correct = 0, macroSum = 0, weightedSum = 0, recallSum = 0, chance = 0;
    int32_t macroClasses = 0, occurringClasses = 0;
    for (int32_t k = 0; k < m.classes(); ++k) {
        const auto i = static_cast<size_t>(k);
        correct += static_cast<double>(m.at(k, k));
        if (s.support[i] > 0 || predicted[i] > 0) {
            macroSum += s.f1[i];
            ++macroClasses;
        }
        if (s.support[i] > 0) {
            recallSum += s.recall[i];
            ++occurringClasses;
        }
        weightedSum += s.f1[i] * static_cast<double>(s.support[i]);
        chance += static_cast<double>(s.support[i]) * static_cast<double>(predicted[i]) / (n * n);
    }
    s.accuracy = correct / n;
    s.macroF1 = macroSum / macroClasses;
    s.weightedF1 = weightedSum / n;
    s.balancedAccuracy = recallSum / occurringClasses;
    s.kappa = chance < 1.0 ? (s.accuracy - chance) / (1.0 - chance) : kNaN;
}

} // namespace

int64_t ConfusionMatrix::total() const { return std::accumulate(counts_.begin(), counts_.end(), int64_t{0}); }

ValidationScores scoreConfusion(const ConfusionMatrix& confusion)
{
    ValidationScores s;
    s.points = confusion.total();
    std::vector<int64_t> predicted;
    scoreClasses(confusion, s, predicted);
    if (s.points == 0) {
        s.accuracy = s.macroF1 = s.weightedF1 = s.balancedAccuracy = s.kappa = kNaN;
        return s;
    }
    scoreAverages(confusion, s, predicted);
    return s;
}

} // namespace slt::unet::training
