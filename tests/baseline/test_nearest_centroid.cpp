// Nearest centroid: means on a hand-made two-class case, ties to the lowest class, classes absent from training
// never predicted, the accumulator agreeing with fit(), and every refused input.
#include <slt/core/baseline/nearest_centroid.hpp>

#include <catch2/catch.hpp>

using namespace slt::core;
using baseline::CentroidAccumulator;
using baseline::NearestCentroid;

TEST_CASE("nearest centroid: the class means of a two-class case", "[centroid]")
{
    // Class 0 around (0, 1), class 1 around (4, 1).
    auto classifier = NearestCentroid::fit({{0, 0}, {0, 2}, {4, 0}, {4, 2}, {4, 1}}, {0, 0, 1, 1, 1});
    REQUIRE(classifier.ok());
    CHECK(classifier->dimension() == 2);
    CHECK(classifier->classes() == std::vector<int32_t>{0, 1});
    CHECK(classifier->centroid(0) == std::vector<double>{0.0, 1.0});
    CHECK(classifier->centroid(1) == std::vector<double>{4.0, 1.0});
    CHECK(classifier->trainingCount(0) == 2);
    CHECK(classifier->trainingCount(1) == 3);
    CHECK(*classifier->predict({1.0f, 1.0f}) == 0);
    CHECK(*classifier->predict({-5.0f, 9.0f}) == 0);
    CHECK(*classifier->predict({3.0f, 1.0f}) == 1);
    CHECK(*classifier->predict({2.1f, -3.0f}) == 1);
}

TEST_CASE("nearest centroid: an equal distance goes to the lowest class", "[centroid]")
{
    auto classifier = NearestCentroid::fit({{4, 0}, {0, 0}}, {7, 3});
    REQUIRE(classifier.ok());
    CHECK(classifier->classes() == std::vector<int32_t>{3, 7});
    CHECK(*classifier->predict({2.0f, 0.0f}) == 3);
    CHECK(*classifier->predict({2.0f, 5.0f}) == 3);
    CHECK(*classifier->predict({2.5f, 0.0f}) == 7);

    auto same = NearestCentroid::fit({{1, 1}, {1, 1}}, {5, 2}); // two classes with one and the same centroid
    REQUIRE(same.ok());
    CHECK(*same->predict({1.0f, 1.0f}) == 2);
    CHECK(*same->predict({-3.0f, 8.0f}) == 2);
}

TEST_CASE("nearest centroid: a class absent from training is never predicted", "[centroid]")
{
    auto classifier = NearestCentroid::fit({{0}, {10}}, {0, 2});
    REQUIRE(classifier.ok());
    CHECK(classifier->classes() == std::vector<int32_t>{0, 2});
    CHECK(classifier->trainingCount(1) == 0);
    for (float x = -5.0f; x <= 15.0f; x += 0.5f) {
        auto predicted = classifier->predict({x});
        REQUIRE(predicted.ok());
        CHECK(*predicted != 1);
        CHECK(*predicted == (x <= 5.0f ? 0 : 2));
    }
}

TEST_CASE("nearest centroid: adding one feature at a time gives the same classifier as fit", "[centroid]")
{
    const std::vector<std::vector<float>> features{{1, 2, 3}, {2, 2, 2}, {9, 8, 7}, {0, 1, 0}};
    const std::vector<int32_t> classes{1, 1, 4, 0};
    CentroidAccumulator accumulator;
    for (size_t i = 0; i < features.size(); ++i)
        REQUIRE(accumulator.add(features[i], classes[i]).ok());
    CHECK(accumulator.count() == 4);
    auto built = accumulator.finish();
    auto fitted = NearestCentroid::fit(features, classes);
    REQUIRE((built.ok() && fitted.ok()));
    CHECK(built->classes() == fitted->classes());
    for (int32_t c : fitted->classes())
        CHECK(built->centroid(c) == fitted->centroid(c));
    CHECK(fitted->centroid(1) == std::vector<double>{1.5, 2.0, 2.5});
}

TEST_CASE("nearest centroid refuses bad training sets and bad features", "[centroid][bad-input]")
{
    const auto refused = [](const Result<NearestCentroid>& result, const char* expected) {
        REQUIRE_FALSE(result.ok());
        INFO(result.error().toStdString());
        CHECK(result.error().contains(QLatin1String(expected)));
    };
    refused(NearestCentroid::fit({}, {}), "no training feature");
    refused(NearestCentroid::fit({{1}, {2}}, {0}), "2 feature(s) but 1 class(es)");
    refused(NearestCentroid::fit({{1, 2}, {3}}, {0, 1}), "feature 1: the feature has 1 value(s), the first one had 2");
    refused(NearestCentroid::fit({{}}, {0}), "empty");
    refused(NearestCentroid::fit({{1}}, {-1}), "negative");
    refused(CentroidAccumulator().finish(), "no training feature");

    auto classifier = NearestCentroid::fit({{1, 2}}, {0});
    REQUIRE(classifier.ok());
    for (const std::vector<float>& wrong : {std::vector<float>{}, std::vector<float>{1}, std::vector<float>{1, 2, 3}}) {
        auto predicted = classifier->predict(wrong);
        REQUIRE_FALSE(predicted.ok());
        CHECK(predicted.error().contains(QStringLiteral("the centroids 2")));
    }
}
