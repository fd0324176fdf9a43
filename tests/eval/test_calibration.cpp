// ECE on hand-made bins, isotonic regression against scikit-learn and an exhaustive search, temperature scaling
// recovering a known temperature, the ECDF + isotonic score map and its JSON form, the seeded split.
#include "goldens/sklearn_goldens.hpp"

#include "catch_qt.hpp"

#include <slt/core/eval/data_split.hpp>
#include <slt/core/eval/isotonic.hpp>
#include <slt/core/eval/reliability.hpp>
#include <slt/core/eval/score_calibration.hpp>
#include <slt/core/eval/temperature_scaling.hpp>

#include <QJsonArray>

#include <cmath>
#include <limits>
#include <random>

using namespace slt::core::eval;
using Catch::Matchers::WithinAbs;

namespace {

// The exact monotone least-squares fit of a short sequence: the solution is the block means of some partition
// into consecutive blocks, so try all 2^(n-1) partitions and keep the best non-decreasing one.
std::vector<double> exhaustiveIsotonic(const std::vector<double>& y, const std::vector<double>& w)
{
    const size_t n = y.size();
    double bestLoss = std::numeric_limits<double>::infinity();
    std::vector<double> best;
    for (unsigned cuts = 0; cuts < (1u << (n - 1)); ++cuts) {
        std::vector<double> fit(n);
        size_t first = 0;
        for (size_t i = 0; i < n; ++i) {
            if (i + 1 < n && !(cuts & (1u << i)))
                continue; // block goes on
            double sum = 0, weight = 0;
            for (size_t k = first; k <= i; ++k) {
                sum += w[k] * y[k];
                weight += w[k];
            }
            for (size_t k = first; k <= i; ++k)
                fit[k] = sum / weight;
            first = i + 1;
        }
        bool monotone = true;
        double loss = 0;
        for (size_t i = 0; i < n; ++i) {
            monotone = monotone && (i == 0 || fit[i] >= fit[i - 1] - 1e-12);
            loss += w[i] * (y[i] - fit[i]) * (y[i] - fit[i]);
        }
        if (monotone && loss < bestLoss) {
            bestLoss = loss;
            best = fit;
        }
    }
    return best;
}

double uniform(std::mt19937_64& random) { return static_cast<double>(random() >> 11) * 0x1.0p-53; }

} // namespace

TEST_CASE("ece on hand-made bins", "[eval]")
{
    // 10 bins: bin 0 {0.05 wrong}: gap 0.05; bin 1 {0.15 right}: gap 0.85; bin 5 {0.55 wrong, 0.58 right}: mean
    // 0.565, accuracy 0.5, gap 0.065; bin 9 {0.95, 0.97 right}: gap 0.04. ECE = (0.05 + 0.85 + 2*0.065 + 2*0.04) / 6
    auto r = reliability({0.05, 0.15, 0.95, 0.97, 0.55, 0.58}, {0, 1, 1, 1, 0, 1}, 10);
    REQUIRE(r.ok());
    CHECK_THAT(r->ece, WithinAbs((0.05 + 0.85 + 2 * 0.065 + 2 * 0.04) / 6.0, 1e-15));
    CHECK_THAT(r->mce, WithinAbs(0.85, 1e-15));
    REQUIRE(r->bins.size() == 10);
    CHECK(r->bins[5].count == 2);
    CHECK_THAT(r->bins[5].meanConfidence, WithinAbs(0.565, 1e-15));
    CHECK(r->bins[5].accuracy == 0.5);
    CHECK(r->bins[3].count == 0);
    CHECK_THAT(r->bins[9].upper, WithinAbs(1.0, 1e-15));
    // A confidence of exactly 1 lands in the last bin, values outside [0, 1] are clamped.
    auto edges = reliability({1.0, 1.5, -0.2}, {1, 1, 0}, 15);
    REQUIRE(edges.ok());
    CHECK(edges->bins[14].count == 2);
    CHECK(edges->bins[0].count == 1);
    CHECK(edges->ece == 0.0);
    // Perfectly calibrated bins give 0.
    auto perfect = reliability({0.25, 0.25, 0.25, 0.25}, {1, 0, 0, 0}, 4);
    REQUIRE(perfect.ok());
    CHECK_THAT(perfect->ece, WithinAbs(0.0, 1e-15));
    CHECK_FALSE(reliability({}, {}, 15).ok());
    CHECK_FALSE(reliability({0.5}, {1, 0}, 15).ok());
    CHECK_FALSE(reliability({0.5}, {1}, 0).ok());
    CHECK_FALSE(reliability({std::nan("")}, {1}, 15).ok());
}

TEST_CASE("isotonic matches scikit-learn", "[eval]")
{
    for (const auto& golden : slt::test::goldens::isotonic) {
        INFO("golden case " << golden.name);
        const std::vector<double> fit = isotonicFit(golden.values, golden.weights);
        REQUIRE(fit.size() == golden.fitted.size());
        for (size_t i = 0; i < fit.size(); ++i)
            CHECK_THAT(fit[i], WithinAbs(golden.fitted[i], 1e-9));
    }
}

TEST_CASE("isotonic equals the exhaustive monotone least-squares solution", "[eval]")
{
    std::mt19937_64 random(3);
    for (int trial = 0; trial < 300; ++trial) {
        const size_t n = 1 + random() % 9;
        std::vector<double> y(n), w(n);
        for (size_t i = 0; i < n; ++i) {
            y[i] = trial % 2 ? static_cast<double>(random() % 2) : static_cast<double>(random() % 7) - 3; // binary or ties
            w[i] = 0.5 + static_cast<double>(random() % 4);
        }
        const std::vector<double> pav = isotonicFit(y, w), exact = exhaustiveIsotonic(y, w);
        INFO("trial " << trial);
        for (size_t i = 0; i < n; ++i)
            CHECK_THAT(pav[i], WithinAbs(exact[i], 1e-12));
    }
}

TEST_CASE("temperature scaling recovers the temperature the data came from", "[eval]")
{
    // True class probabilities softmax(z / 2); the "model" reports softmax(z): over-confident by T = 2.
    const int n = 20000, classes = 5;
    const double trueT = 2.0;
    std::mt19937_64 random(11);
    std::normal_distribution<double> normal(0.0, 3.0);
    std::vector<float> probs(static_cast<size_t>(n) * classes);
    std::vector<int32_t> truth(n);
    std::vector<int64_t> rows(n);
    for (int i = 0; i < n; ++i) {
        double z[classes], reported = 0, actual = 0;
        for (double& v : z)
            v = normal(random);
        for (double v : z) {
            reported += std::exp(v);
            actual += std::exp(v / trueT);
        }
        double u = uniform(random) * actual;
        truth[i] = classes - 1;
        for (int c = 0; c < classes; ++c) {
            probs[static_cast<size_t>(i) * classes + c] = static_cast<float>(std::exp(z[c]) / reported);
            if (u >= 0 && u < std::exp(z[c] / trueT))
                truth[i] = c, u = -1;
            else if (u >= 0)
                u -= std::exp(z[c] / trueT);
        }
        rows[i] = i;
    }
    const ProbabilityTable table{probs.data(), n, classes};
    auto fit = fitTemperature(table, truth, rows);
    REQUIRE(fit.ok());
    CHECK_THAT(fit->temperature, WithinAbs(trueT, 0.1));
    CHECK(fit->nllAfter < fit->nllBefore);
    CHECK_FALSE(fit->atBound);
    // The fitted T is the minimum: a little either side is worse.
    CHECK(temperatureNll(table, truth, rows, fit->temperature * 1.05) > fit->nllAfter);
    CHECK(temperatureNll(table, truth, rows, fit->temperature / 1.05) > fit->nllAfter);
    // Scaling keeps a row summing to 1 and sharpens/flattens as expected.
    double sum = 0;
    for (int c = 0; c < classes; ++c)
        sum += scaledProbability(table, 0, c, 2.0);
    CHECK_THAT(sum, WithinAbs(1.0, 1e-12));
    CHECK_THAT(scaledProbability(table, 0, 0, 1.0), WithinAbs(probs[0], 1e-6));

    CHECK_FALSE(fitTemperature(table, truth, {}).ok());
    std::vector<int32_t> badTruth = truth;
    badTruth[3] = classes;
    CHECK_FALSE(fitTemperature(table, badTruth, rows).ok());
}

TEST_CASE("ecdf percentile uses mid-ranks", "[eval]")
{
    const EcdfReference reference({3.0, 1.0, 2.0, 2.0});
    CHECK(reference.percentile(0.5) == 0.0);
    CHECK(reference.percentile(1.0) == 0.125);     // (0 + 0.5) / 4
    CHECK(reference.percentile(2.0) == 0.5);       // (1 + 1) / 4
    CHECK(reference.percentile(2.5) == 0.75);
    CHECK(reference.percentile(9.0) == 1.0);
    CHECK(reference.knots(3) == std::vector<double>{1.0, 2.0, 3.0});
}

TEST_CASE("score calibration is a monotone step map of the raw score", "[eval]")
{
    // Lower score = more uncertain (like margin): errors where the score is small.
    const std::vector<double> scores{0.9, 0.8, 0.7, 0.7, 0.3, 0.2, 0.1, 0.1};
    const std::vector<uint8_t> wrong{0, 0, 1, 0, 0, 1, 1, 1};
    auto fit = fitScoreCalibration(QStringLiteral("margin"), false, scores, wrong);
    REQUIRE(fit.ok());
    // Oriented u = -score ascending: 0.9 (0), 0.8 (0), 0.7 x2 (0.5), 0.3 (0), 0.2 (1), 0.1 x2 (1). PAV pools the
    // tie group at 0.7 with 0.3: (1 + 0) / 3.
    REQUIRE(fit->pError.size() == 3);
    CHECK(fit->pError[0] == 0.0);
    CHECK_THAT(fit->pError[1], WithinAbs(1.0 / 3.0, 1e-15));
    CHECK(fit->pError[2] == 1.0);
    CHECK(fit->probabilityOfError(0.95) == 0.0);
    CHECK(fit->probabilityOfError(0.8) == 0.0);
    CHECK_THAT(fit->probabilityOfError(0.7), WithinAbs(1.0 / 3.0, 1e-15));
    CHECK_THAT(fit->probabilityOfError(0.25), WithinAbs(1.0 / 3.0, 1e-15)); // between 0.3 and 0.2: the 0.3 step
    CHECK(fit->probabilityOfError(0.2) == 1.0);
    CHECK(fit->probabilityOfError(-5.0) == 1.0);
    CHECK(fit->fitPoints == 8);
    CHECK(fit->fitErrorRate == 0.5);
    REQUIRE(fit->percentileKnots.size() == 101);
    CHECK(fit->percentileKnots.front() == 0.9); // the most confident score first
    CHECK(fit->percentileKnots.back() == 0.1);

    auto back = calibrationFromJson(calibrationToJson(*fit));
    INFO(back.error().toStdString());
    REQUIRE(back.ok());
    for (double s : {1.0, 0.75, 0.7, 0.5, 0.25, 0.15, 0.0})
        CHECK(back->probabilityOfError(s) == fit->probabilityOfError(s));
    CHECK_FALSE(back->higherIsMoreUncertain);
}

TEST_CASE("score calibration refuses bad input and bad JSON", "[eval]")
{
    CHECK_FALSE(fitScoreCalibration(QStringLiteral("x"), true, {}, {}).ok());
    CHECK_FALSE(fitScoreCalibration(QStringLiteral("x"), true, {0.1}, {0, 1}).ok());
    CHECK_FALSE(fitScoreCalibration(QStringLiteral("x"), true, {std::nan("")}, {0}).ok());
    auto good = fitScoreCalibration(QStringLiteral("x"), true, {0.1, 0.2, 0.3}, {0, 1, 1});
    REQUIRE(good.ok());
    const QJsonObject json = calibrationToJson(*good);
    QJsonObject wrongFormat = json;
    wrongFormat.insert(QStringLiteral("format"), QStringLiteral("other/1"));
    CHECK(calibrationFromJson(wrongFormat).error().contains(QStringLiteral("format")));
    QJsonObject decreasing = json;
    decreasing.insert(QStringLiteral("p_error"), QJsonArray{0.9, 0.1});
    decreasing.insert(QStringLiteral("step_start"), QJsonArray{0.1, 0.2});
    CHECK(calibrationFromJson(decreasing).error().contains(QStringLiteral("must not decrease")));
    QJsonObject notNumbers = json;
    notNumbers.insert(QStringLiteral("p_error"), QStringLiteral("0.5"));
    CHECK_FALSE(calibrationFromJson(notNumbers).ok());
}

TEST_CASE("split is seeded and deterministic", "[eval]")
{
    const DataSplit a = splitPoints(10000, 0.5, 7), b = splitPoints(10000, 0.5, 7), c = splitPoints(10000, 0.5, 8);
    CHECK(a.calibration == b.calibration);
    CHECK(a.calibration != c.calibration);
    CHECK(a.calibration.size() + a.evaluation.size() == 10000);
    CHECK(std::abs(static_cast<double>(a.calibration.size()) - 5000.0) < 200.0);
    CHECK(splitPoints(1000, 0.2, 1).calibration.size() < 260);
}
