// Classification measures against scikit-learn goldens (goldens/generate_goldens.py) and hand values.
#include "goldens/sklearn_goldens.hpp"

#include "catch_qt.hpp"

#include <slt/core/eval/classification.hpp>

using namespace slt::core::eval;
using Catch::Matchers::WithinAbs;

TEST_CASE("classification matches scikit-learn", "[eval]")
{
    for (const auto& golden : slt::test::goldens::classification) {
        INFO("golden case " << golden.name);
        auto s = summariseClassification(golden.truth, golden.predicted, golden.classes);
        INFO(s.error().toStdString());
        REQUIRE(s.ok());
        CHECK(s->confusion == golden.confusion);
        CHECK_THAT(s->accuracy, WithinAbs(golden.accuracy, 1e-12));
        CHECK_THAT(s->macroF1, WithinAbs(golden.macroF1, 1e-12));
        CHECK_THAT(s->weightedF1, WithinAbs(golden.weightedF1, 1e-12));
        REQUIRE(s->kappa.has_value());
        CHECK_THAT(*s->kappa, WithinAbs(golden.kappa, 1e-12));
        CHECK_THAT(s->balancedAccuracy, WithinAbs(golden.balancedAccuracy, 1e-12));
        for (int c = 0; c < golden.classes; ++c) {
            INFO("class " << c);
            CHECK_THAT(s->perClass[c].precision, WithinAbs(golden.precision[c], 1e-12));
            CHECK_THAT(s->perClass[c].recall, WithinAbs(golden.recall[c], 1e-12));
            CHECK_THAT(s->perClass[c].f1, WithinAbs(golden.f1[c], 1e-12));
        }
    }
}

TEST_CASE("classification hand values of a two-class example", "[eval]")
{
    // confusion [[1, 1], [0, 2]]: p_o = 3/4, p_e = (2/4)(1/4) + (2/4)(3/4) = 1/2, kappa = (3/4 - 1/2) / (1/2) = 1/2
    auto s = summariseClassification({0, 0, 1, 1}, {0, 1, 1, 1}, 2);
    REQUIRE(s.ok());
    CHECK(s->count(0, 0) == 1);
    CHECK(s->count(0, 1) == 1);
    CHECK(s->count(1, 1) == 2);
    CHECK(s->accuracy == 0.75);
    CHECK_THAT(*s->kappa, WithinAbs(0.5, 1e-15));
    CHECK_THAT(s->perClass[0].f1, WithinAbs(2.0 / 3.0, 1e-15)); // precision 1, recall 1/2
    CHECK_THAT(s->perClass[1].f1, WithinAbs(0.8, 1e-15));       // precision 2/3, recall 1
    CHECK_THAT(s->macroF1, WithinAbs((2.0 / 3.0 + 0.8) / 2, 1e-15));
    CHECK_THAT(s->weightedF1, WithinAbs((2.0 / 3.0 + 0.8) / 2, 1e-15));
    CHECK_THAT(s->balancedAccuracy, WithinAbs(0.75, 1e-15));
}

TEST_CASE("classification degenerate inputs are values with messages", "[eval]")
{
    CHECK_FALSE(summariseClassification({}, {}, 3).ok());
    auto mismatch = summariseClassification({0, 1}, {0}, 3);
    REQUIRE_FALSE(mismatch.ok());
    CHECK(mismatch.error().contains(QStringLiteral("2 true classes but 1 predictions")));
    auto outside = summariseClassification({0, 3}, {0, 1}, 3);
    REQUIRE_FALSE(outside.ok());
    CHECK(outside.error().contains(QStringLiteral("point 1")));

    // One class only, everywhere: accuracy 1, kappa undefined (chance agreement 1), no NaN anywhere.
    auto single = summariseClassification({2, 2, 2}, {2, 2, 2}, 3);
    REQUIRE(single.ok());
    CHECK(single->accuracy == 1.0);
    CHECK(single->macroF1 == 1.0);
    CHECK(single->balancedAccuracy == 1.0);
    CHECK_FALSE(single->kappa.has_value());
    CHECK(single->kappaNote.contains(QStringLiteral("undefined")));
    CHECK(single->perClass[0].precision == 0.0); // never predicted, never true: 0, not NaN
}
