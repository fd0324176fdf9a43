// AUROC of error detection, risk-coverage, AURC and E-AURC: scikit-learn and brute-force goldens, pair counting,
// and the closed-form optimum.
#include "goldens/sklearn_goldens.hpp"

#include "catch_qt.hpp"

#include <slt/core/eval/error_detection.hpp>

#include <cmath>
#include <random>

using namespace slt::core::eval;
using Catch::Matchers::WithinAbs;

namespace {

RankedOutcomes ranked(const std::vector<double>& scores, const std::vector<uint8_t>& wrong)
{
    auto r = rankOutcomes(scores, wrong);
    INFO(r.error().toStdString());
    REQUIRE(r.ok());
    return *r;
}

// P(u_wrong > u_right) + 0.5 P(equal), by counting every pair.
double pairCountingAuroc(const std::vector<double>& u, const std::vector<uint8_t>& wrong)
{
    double favourable = 0, pairs = 0;
    for (size_t i = 0; i < u.size(); ++i)
        for (size_t j = 0; j < u.size(); ++j)
            if (wrong[i] && !wrong[j]) {
                favourable += u[i] > u[j] ? 1.0 : u[i] == u[j] ? 0.5 : 0.0;
                pairs += 1;
            }
    return favourable / pairs;
}

} // namespace

TEST_CASE("auroc and aurc match scikit-learn and tie enumeration", "[eval]")
{
    for (const auto& golden : slt::test::goldens::ranking) {
        INFO("golden case " << golden.name);
        const RankedOutcomes r = ranked(golden.scores, golden.wrong);
        auto auroc = errorDetectionAuroc(r);
        REQUIRE(auroc.ok());
        CHECK_THAT(*auroc, WithinAbs(golden.auroc, 1e-12));
        CHECK_THAT(selectiveRisk(r).aurc, WithinAbs(golden.aurc, 1e-12));
    }
}

TEST_CASE("auroc equals pair counting on tied random scores", "[eval]")
{
    std::mt19937_64 random(5);
    std::vector<double> u(400);
    std::vector<uint8_t> wrong(400);
    for (size_t i = 0; i < u.size(); ++i) {
        u[i] = static_cast<double>(random() % 20) / 20.0; // 20 levels: many ties
        wrong[i] = static_cast<double>(random() % 10) < 3 + u[i] * 5 ? 1 : 0;
    }
    auto auroc = errorDetectionAuroc(ranked(u, wrong));
    REQUIRE(auroc.ok());
    CHECK_THAT(*auroc, WithinAbs(pairCountingAuroc(u, wrong), 1e-12));
    CHECK(*auroc > 0.5);
}

TEST_CASE("auroc is undefined with one outcome only", "[eval]")
{
    auto none = errorDetectionAuroc(ranked({0.1, 0.2}, {0, 0}));
    REQUIRE_FALSE(none.ok());
    CHECK(none.error().contains(QStringLiteral("no point is misclassified")));
    auto all = errorDetectionAuroc(ranked({0.1, 0.2}, {1, 1}));
    REQUIRE_FALSE(all.ok());
    CHECK(all.error().contains(QStringLiteral("every point is misclassified")));
    CHECK_FALSE(rankOutcomes({}, {}).ok());
    CHECK_FALSE(rankOutcomes({0.1}, {0, 1}).ok());
    auto nan = rankOutcomes({0.1, std::nan("")}, {0, 1});
    REQUIRE_FALSE(nan.ok());
    CHECK(nan.error().contains(QStringLiteral("point 1")));
}

TEST_CASE("risk coverage curve has one point per distinct score", "[eval]")
{
    // u: 0.1 (right), 0.1 (wrong), 0.5 (right), 0.9 (wrong), 0.9 (wrong)
    const SelectiveRisk s = selectiveRisk(ranked({0.9, 0.1, 0.5, 0.1, 0.9}, {1, 0, 0, 1, 1}), 0);
    REQUIRE(s.curve.size() == 3);
    CHECK_THAT(s.curve[0].coverage, WithinAbs(0.4, 1e-15));
    CHECK_THAT(s.curve[0].risk, WithinAbs(0.5, 1e-15));
    CHECK(s.curve[0].threshold == 0.1);
    CHECK_THAT(s.curve[1].coverage, WithinAbs(0.6, 1e-15));
    CHECK_THAT(s.curve[1].risk, WithinAbs(1.0 / 3.0, 1e-15));
    CHECK_THAT(s.curve[2].coverage, WithinAbs(1.0, 1e-15));
    CHECK_THAT(s.curve[2].risk, WithinAbs(0.6, 1e-15));
    // AURC by hand: prefixes 1,2 hold the tie {right, wrong}: expected risks (0.5/1), (1/2); then 1/3; then
    // 2/4, 3/5: (0.5 + 0.5 + 1/3 + 0.5 + 0.6) / 5
    CHECK_THAT(s.aurc, WithinAbs((0.5 + 0.5 + 1.0 / 3.0 + 0.5 + 0.6) / 5.0, 1e-15));
    CHECK_THAT(s.errorRate, WithinAbs(0.6, 1e-15));
}

TEST_CASE("eaurc of a perfect ranking is 0 and the optimum matches the closed form", "[eval]")
{
    std::vector<double> u;
    std::vector<uint8_t> wrong;
    for (int i = 0; i < 1000; ++i) {
        wrong.push_back(i % 10 == 0 ? 1 : 0);
        u.push_back(wrong.back() ? 1.0 + i : static_cast<double>(i) / 1000.0); // every wrong point above every right one
    }
    const SelectiveRisk perfect = selectiveRisk(ranked(u, wrong));
    CHECK_THAT(perfect.eaurc, WithinAbs(0.0, 1e-15));
    // The same with the wrong points tied among themselves and the right points tied: still perfect.
    std::vector<double> tied(u.size());
    for (size_t i = 0; i < u.size(); ++i)
        tied[i] = wrong[i] ? 1.0 : 0.0;
    CHECK_THAT(selectiveRisk(ranked(tied, wrong)).eaurc, WithinAbs(0.0, 1e-15));
    // A constant score carries no ranking: every prefix has expected risk e, so AURC = e.
    const SelectiveRisk constant = selectiveRisk(ranked(std::vector<double>(u.size(), 0.3), wrong));
    CHECK_THAT(constant.aurc, WithinAbs(0.1, 1e-12));
    // e = 0.1: AURC* -> 0.1 + 0.9 ln 0.9 = 0.005176 as n grows (al-methods §2.9).
    CHECK_THAT(optimalAurc(1000000, 100000), WithinAbs(0.1 + 0.9 * std::log(0.9), 1e-5));
    CHECK(optimalAurc(10, 0) == 0.0);
    CHECK_THAT(optimalAurc(4, 1), WithinAbs(0.25 / 4.0, 1e-15)); // prefixes 1-3 hold no error, prefix 4 risk 1/4
}

TEST_CASE("risk coverage thinning keeps the last point and the AURC", "[eval]")
{
    std::mt19937_64 random(9);
    std::vector<double> u(5000);
    std::vector<uint8_t> wrong(5000);
    for (size_t i = 0; i < u.size(); ++i) {
        u[i] = static_cast<double>(random() % 100000);
        wrong[i] = random() % 4 == 0;
    }
    const RankedOutcomes r = ranked(u, wrong);
    const SelectiveRisk full = selectiveRisk(r, 0), thin = selectiveRisk(r, 100);
    CHECK(thin.curve.size() <= 102);
    CHECK(full.curve.size() > 4000);
    CHECK(thin.curve.back().coverage == 1.0);
    CHECK(thin.aurc == full.aurc);
}
