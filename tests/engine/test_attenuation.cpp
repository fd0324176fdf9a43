// Attenuation: after every label change every value equals the engine's own from-scratch recomputation
// (recomputedValues(): the incremental state is exact) and the double brute-force reference (to 1e-6 in exact
// precision, within errorBound() in both), automatic λ, edge cases and bad input.
#include "slt/core/engine/attenuation.hpp"

#include "engine/attenuation_cells.hpp"
#include "engine/attenuation_lambda.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

using slt::core::Attenuation;
using slt::core::AttenuationOptions;
using slt::core::AttenuationPrecision;

namespace {

struct Bank {
    int64_t points = 0;
    int32_t dim = 0;
    std::vector<float> embeddings;
    std::vector<float> prior;
};

// `clusters` Gaussian blobs (centres spread 1 per coordinate, noise 0.3), prior uniform in [0, 1].
Bank clusteredBank(int64_t points, int32_t dim, int clusters, uint64_t seed)
{
    std::mt19937_64 random(seed);
    std::normal_distribution<float> centre(0.0f, 1.0f), noise(0.0f, 0.3f);
    std::uniform_real_distribution<float> uncertainty(0.0f, 1.0f);
    std::vector<float> centres(static_cast<size_t>(clusters) * dim);
    for (float& c : centres) c = centre(random);
    Bank bank{points, dim, {}, {}};
    for (int64_t i = 0; i < points; ++i) {
        const size_t cluster = random() % static_cast<size_t>(clusters);
        for (int32_t d = 0; d < dim; ++d) bank.embeddings.push_back(centres[cluster * dim + d] + noise(random));
        bank.prior.push_back(uncertainty(random));
    }
    return bank;
}

Attenuation create(const Bank& bank, AttenuationOptions options = {})
{
    auto attenuation = Attenuation::create(bank.embeddings.data(), bank.points, bank.dim, bank.prior.data(), options);
    INFO(attenuation.error().toStdString());
    REQUIRE(attenuation.ok());
    return std::move(*attenuation);
}

std::vector<uint8_t> labelledMask(const Attenuation& attenuation)
{
    std::vector<uint8_t> mask(static_cast<size_t>(attenuation.size()));
    for (int64_t i = 0; i < attenuation.size(); ++i) mask[static_cast<size_t>(i)] = attenuation.isLabelled(i) ? 1 : 0;
    return mask;
}

double squaredDistance(const Bank& bank, int64_t a, int64_t b)
{
    double sum = 0;
    for (int32_t d = 0; d < bank.dim; ++d) {
        const double diff = double(bank.embeddings[a * bank.dim + d]) - bank.embeddings[b * bank.dim + d];
        sum += diff * diff;
    }
    return sum;
}

AttenuationOptions withPrecision(AttenuationPrecision precision)
{
    AttenuationOptions options;
    options.precision = precision;
    return options;
}

// Every value equals the from-scratch recomputation with the same distances, bit for bit.
void requireMatchesRecomputation(const Attenuation& attenuation)
{
    const std::vector<float> recomputed = attenuation.recomputedValues();
    int64_t differing = 0, first = -1;
    for (int64_t i = 0; i < attenuation.size(); ++i)
        if (attenuation.values()[i] != recomputed[static_cast<size_t>(i)]) {
            if (differing++ == 0) first = i;
        }
    INFO("labelled " << attenuation.labelledCount() << ", first differing point " << first << ": "
                     << (first >= 0 ? attenuation.values()[first] : 0.0f) << " vs "
                     << (first >= 0 ? recomputed[static_cast<size_t>(first)] : 0.0f));
    REQUIRE(differing == 0);
}

// Every value against the recomputation (equal) and brute force (1e-6 absolute in exact precision, and
// errorBound() in both); in exact precision nearestLabelled() at a stride of points is a labelled point at the
// smallest distance.
void requireMatchesBruteForce(const Attenuation& attenuation, const Bank& bank, int64_t nearestStride = 37)
{
    requireMatchesRecomputation(attenuation);
    const bool exact = attenuation.precision() == AttenuationPrecision::Exact;
    const std::vector<uint8_t> mask = labelledMask(attenuation);
    std::vector<float> expected(static_cast<size_t>(bank.points));
    slt::core::bruteForceAttenuation(bank.embeddings.data(), bank.points, bank.dim, bank.prior.data(), mask.data(),
                                     attenuation.lambda(), expected.data());
    double worst = 0;
    int64_t worstPoint = 0;
    for (int64_t i = 0; i < bank.points; ++i) {
        const double difference = std::abs(double(attenuation.values()[i]) - expected[static_cast<size_t>(i)]);
        if (difference > worst) {
            worst = difference;
            worstPoint = i;
        }
    }
    INFO("labelled " << attenuation.labelledCount() << ", worst point " << worstPoint << ", error bound "
                     << attenuation.errorBound());
    if (exact) REQUIRE(worst <= 1e-6);
    REQUIRE(worst <= attenuation.errorBound());
    std::vector<int64_t> labels;
    for (int64_t i = 0; i < bank.points; ++i)
        if (mask[static_cast<size_t>(i)]) labels.push_back(i);
    for (int64_t i = 0; i < bank.points; i += nearestStride) {
        const int64_t nearest = attenuation.nearestLabelled(i);
        if (labels.empty()) {
            REQUIRE(nearest == -1);
            continue;
        }
        REQUIRE(attenuation.isLabelled(nearest));
        if (!exact) continue; // coded: nearest by the coded distance
        double best = std::numeric_limits<double>::infinity();
        for (int64_t l : labels) best = std::min(best, squaredDistance(bank, i, l));
        REQUIRE(squaredDistance(bank, i, nearest) <= best * (1 + 1e-5) + 1e-9);
    }
}

} // namespace

TEST_CASE("scripted labels, unlabels, re-labels and undo/redo equal brute force after every step", "[attenuation]")
{
    const Bank bank = clusteredBank(2000, 8, 12, 7);
    const AttenuationPrecision precision = GENERATE(AttenuationPrecision::Exact, AttenuationPrecision::Coded);
    Attenuation attenuation = create(bank, withPrecision(precision));
    REQUIRE(attenuation.precision() == precision);
    REQUIRE(attenuation.lambda() > 0);
    requireMatchesBruteForce(attenuation, bank); // nothing labelled: the prior

    struct Step {
        int64_t point;
        bool labelled;
    };
    const std::vector<Step> script = {
        {5, true},     {1200, true}, {77, true},   {1999, true}, {640, true},  {5, false},   // unlabel the first
        {1200, false}, {1200, true},                                                      // re-label
        {300, true},   {301, true},  {301, false}, {300, false}, {300, true},  {301, true}, // undo, undo, redo, redo
        {77, false},   {640, false}, {1999, false}, {300, false}, {301, false}, {1200, false}, // back to nothing
        {0, true},     {1, true},    {2, true},    {1, false},   {1, true},                 // undo + redo of the last
    };
    for (const Step& step : script) {
        attenuation.setLabelled(step.point, step.labelled);
        REQUIRE(attenuation.isLabelled(step.point) == step.labelled);
        requireMatchesBruteForce(attenuation, bank);
    }
}

TEST_CASE("unlabelling everything restores the prior exactly", "[attenuation]")
{
    const Bank bank = clusteredBank(1500, 8, 5, 3);
    Attenuation attenuation = create(bank);
    for (int64_t p : {10, 500, 900, 1400}) attenuation.setLabelled(p, true);
    for (int64_t p : {900, 10, 1400, 500}) attenuation.setLabelled(p, false);
    REQUIRE(attenuation.labelledCount() == 0);
    for (int64_t i = 0; i < bank.points; ++i) REQUIRE(attenuation.value(i) == bank.prior[static_cast<size_t>(i)]);
}

TEST_CASE("automatic lambda: points 0, 2, 4, 6 with k = 1 give 0.25", "[attenuation][lambda]")
{
    const std::vector<float> points = {0, 2, 4, 6};
    const auto cells = slt::core::attenuation_detail::buildCellPartition(points.data(), 4, 1, 2, 0);
    const auto lambda = slt::core::attenuation_detail::automaticLambda(cells, 1, 1000, 0);
    REQUIRE(lambda.ok());
    REQUIRE(*lambda == Approx(0.25).epsilon(1e-12));
}

TEST_CASE("automatic lambda uses k = ceil(log2 N), at least 1 and at most N - 1", "[attenuation][lambda]")
{
    using slt::core::attenuation_detail::neighbourRank;
    REQUIRE(neighbourRank(2) == 1);
    REQUIRE(neighbourRank(3) == 2);
    REQUIRE(neighbourRank(4) == 2);
    REQUIRE(neighbourRank(5) == 3);
    REQUIRE(neighbourRank(1000000) == 20);
    // Through create(): N = 4 gives k = 2; the 2nd-neighbour distances of 0, 2, 4, 6 are 4, 2, 2, 4.
    const Bank line{4, 1, {0, 2, 4, 6}, {1, 1, 1, 1}};
    REQUIRE(create(line).lambda() == Approx(1.0 / 9.0).epsilon(1e-12));
}

TEST_CASE("automatic lambda on a sample of query points is deterministic and close to the exact one",
          "[attenuation][lambda]")
{
    const Bank bank = clusteredBank(4000, 8, 6, 11);
    const double exact = create(bank).lambda();
    AttenuationOptions sampled;
    sampled.lambdaSamplePoints = 800;
    sampled.seed = 5;
    const double first = create(bank, sampled).lambda();
    REQUIRE(first == create(bank, sampled).lambda());
    REQUIRE(first == Approx(exact).epsilon(0.1));
}

TEST_CASE("a user-set lambda is used as given", "[attenuation][lambda]")
{
    const Bank bank = clusteredBank(500, 4, 3, 2);
    AttenuationOptions options;
    options.lambda = 0.7;
    Attenuation attenuation = create(bank, options);
    REQUIRE(attenuation.lambda() == 0.7);
    attenuation.setLabelled(3, true);
    requireMatchesBruteForce(attenuation, bank, 1);
}

TEST_CASE("all points labelled: every value is 0; unlabelled again: the prior", "[attenuation]")
{
    const Bank bank = clusteredBank(300, 4, 3, 9);
    Attenuation attenuation = create(bank);
    for (int64_t i = 0; i < bank.points; ++i) attenuation.setLabelled(i, true);
    REQUIRE(attenuation.labelledCount() == bank.points);
    for (int64_t i = 0; i < bank.points; ++i) {
        REQUIRE(attenuation.value(i) == 0.0f);
        REQUIRE(attenuation.nearestLabelled(i) == i);
    }
    for (int64_t i = bank.points - 1; i >= 0; i -= 2) attenuation.setLabelled(i, false);
    requireMatchesBruteForce(attenuation, bank, 1);
    for (int64_t i = 0; i < bank.points; ++i) attenuation.setLabelled(i, false);
    for (int64_t i = 0; i < bank.points; ++i) REQUIRE(attenuation.value(i) == bank.prior[static_cast<size_t>(i)]);
}

TEST_CASE("duplicate points: labelling one sends its twins to 0, unlabelling restores them", "[attenuation]")
{
    Bank bank = clusteredBank(600, 6, 4, 21);
    for (int64_t copy : {100, 200, 300}) // points 100, 200 and 300 become copies of point 0
        std::copy_n(bank.embeddings.begin(), bank.dim, bank.embeddings.begin() + copy * bank.dim);
    Attenuation attenuation = create(bank);
    attenuation.setLabelled(0, true);
    for (int64_t twin : {100, 200, 300}) REQUIRE(attenuation.value(twin) == 0.0f);
    requireMatchesBruteForce(attenuation, bank, 1);
    attenuation.setLabelled(200, true); // a labelled twin of a labelled point
    attenuation.setLabelled(0, false);
    REQUIRE(attenuation.value(0) == 0.0f);
    REQUIRE(attenuation.nearestLabelled(0) == 200);
    requireMatchesBruteForce(attenuation, bank, 1);
    attenuation.setLabelled(200, false);
    for (int64_t twin : {0, 100, 200, 300}) REQUIRE(attenuation.value(twin) == bank.prior[static_cast<size_t>(twin)]);
    requireMatchesBruteForce(attenuation, bank, 1);
}

TEST_CASE("labelling a labelled point, unlabelling an unlabelled one and out-of-range ids change nothing",
          "[attenuation]")
{
    const Bank bank = clusteredBank(400, 4, 3, 4);
    Attenuation attenuation = create(bank);
    attenuation.setLabelled(7, true);
    const std::vector<float> before(attenuation.values(), attenuation.values() + bank.points);
    attenuation.setLabelled(7, true);
    attenuation.setLabelled(8, false);
    attenuation.setLabelled(-1, true);
    attenuation.setLabelled(bank.points, true);
    REQUIRE(attenuation.labelledCount() == 1);
    REQUIRE(std::equal(before.begin(), before.end(), attenuation.values()));
    REQUIRE_FALSE(attenuation.isLabelled(-1));
    REQUIRE(attenuation.nearestLabelled(bank.points) == -1);
}

TEST_CASE("a large random script of labels and unlabels equals brute force at checkpoints", "[attenuation]")
{
    const Bank bank = clusteredBank(10000, 16, 40, 1234);
    Attenuation attenuation = create(bank, withPrecision(GENERATE(AttenuationPrecision::Exact, AttenuationPrecision::Coded)));
    std::mt19937_64 random(99);
    std::vector<int64_t> labelled;
    for (int step = 1; step <= 3000; ++step) {
        const bool unlabel = !labelled.empty() && random() % 3 == 0;
        if (unlabel) {
            const size_t which = random() % labelled.size();
            attenuation.setLabelled(labelled[which], false);
            labelled.erase(labelled.begin() + static_cast<std::ptrdiff_t>(which));
        } else {
            const int64_t point = static_cast<int64_t>(random() % static_cast<uint64_t>(bank.points));
            if (!attenuation.isLabelled(point)) labelled.push_back(point);
            attenuation.setLabelled(point, true);
        }
        if (step % 500 == 0) {
            REQUIRE(attenuation.labelledCount() == static_cast<int64_t>(labelled.size()));
            requireMatchesBruteForce(attenuation, bank, 97);
        }
    }
}

TEST_CASE("labels scanning many cells (two threads, AVX2 code filter with a tail) equal brute force", "[attenuation]")
{
    // 40,000 points in 3 clusters: about 80 cells of at most 512, so the first label of a cluster scans more
    // cells than the two-thread threshold; D = 24 is one 16-coordinate block plus a tail of 8.
    const Bank bank = clusteredBank(40000, 24, 3, 5);
    Attenuation attenuation = create(bank, withPrecision(GENERATE(AttenuationPrecision::Exact, AttenuationPrecision::Coded)));
    const std::vector<std::pair<int64_t, bool>> script = {
        {11, true}, {20000, true}, {39999, true}, {12, true}, {20000, false}, {7777, true}, {11, false}, {20000, true},
    };
    for (const auto& [point, labelled] : script) {
        attenuation.setLabelled(point, labelled);
        requireMatchesBruteForce(attenuation, bank, 997);
    }
}

TEST_CASE("strongly overlapping clusters (cell bounds prune almost nothing) equal brute force", "[attenuation]")
{
    // Like the project's synthetic bank: isotropic unit noise around centres only 0.3 apart per coordinate, so
    // every cell's radius spans most of the data, the cut-off radius exceeds the data's diameter, and each
    // label reaches points in nearly every cell. Labels in uncertainty order (as a user would), then unlabels.
    const int32_t dim = 32;
    std::mt19937_64 random(21);
    std::normal_distribution<float> unit(0.0f, 1.0f);
    std::uniform_real_distribution<float> uncertainty(0.0f, 1.0f);
    std::vector<float> centres(static_cast<size_t>(8 * dim));
    for (float& c : centres) c = 0.3f * unit(random);
    Bank bank{20000, dim, {}, {}};
    for (int64_t i = 0; i < bank.points; ++i) {
        const size_t cluster = random() % 8;
        for (int32_t d = 0; d < dim; ++d) bank.embeddings.push_back(centres[cluster * dim + d] + unit(random));
        bank.prior.push_back(uncertainty(random));
    }
    Attenuation attenuation = create(bank, withPrecision(GENERATE(AttenuationPrecision::Exact, AttenuationPrecision::Coded)));
    std::vector<int64_t> labelled;
    for (int step = 0; step < 24; ++step) {
        const float* values = attenuation.values();
        const int64_t next = std::max_element(values, values + bank.points) - values;
        attenuation.setLabelled(next, true);
        labelled.push_back(next);
        if (step % 6 == 5) requireMatchesBruteForce(attenuation, bank, 211);
    }
    for (size_t i = 0; i < labelled.size(); i += 3) attenuation.setLabelled(labelled[i], false);
    requireMatchesBruteForce(attenuation, bank, 211);
}

TEST_CASE("the error bound is small and scales with the largest prior", "[attenuation]")
{
    Bank bank = clusteredBank(200, 64, 2, 8);
    const double bound = create(bank).errorBound();
    REQUIRE(bound > 0);
    REQUIRE(bound < 2e-6);
    for (float& u : bank.prior) u *= 10;
    REQUIRE(create(bank).errorBound() == Approx(bound * 10).epsilon(1e-5));
}

TEST_CASE("coded precision: values depend only on the labelled set, not on the order of changes", "[attenuation]")
{
    const Bank bank = clusteredBank(6000, 32, 10, 17);
    const AttenuationOptions coded = withPrecision(AttenuationPrecision::Coded);
    Attenuation incremental = create(bank, coded);
    for (int64_t p : {5, 900, 1800, 2700, 3600, 4500, 5400, 77, 78}) incremental.setLabelled(p, true);
    for (int64_t p : {900, 78, 4500}) incremental.setLabelled(p, false);
    incremental.setLabelled(4500, true);
    Attenuation fresh = create(bank, coded);
    for (int64_t p : {4500, 5400, 3600, 2700, 1800, 77, 5}) fresh.setLabelled(p, true);
    REQUIRE(std::equal(fresh.values(), fresh.values() + bank.points, incremental.values()));
    for (int64_t p : {4500, 5400, 3600, 2700, 1800, 77, 5}) incremental.setLabelled(p, false);
    for (int64_t i = 0; i < bank.points; ++i) REQUIRE(incremental.value(i) == bank.prior[static_cast<size_t>(i)]);
}

TEST_CASE("automatic precision is exact for small banks; coded's bound is small next to the prior", "[attenuation]")
{
    const Bank bank = clusteredBank(3000, 64, 6, 29);
    REQUIRE(create(bank).precision() == AttenuationPrecision::Exact);
    Attenuation coded = create(bank, withPrecision(AttenuationPrecision::Coded));
    const double largestPrior = *std::max_element(bank.prior.begin(), bank.prior.end());
    INFO("coded error bound " << coded.errorBound() << ", largest prior " << largestPrior);
    REQUIRE(coded.errorBound() > create(bank).errorBound());
    REQUIRE(coded.errorBound() < 0.05 * largestPrior);
    for (int64_t p : {0, 1000, 2000}) coded.setLabelled(p, true);
    requireMatchesBruteForce(coded, bank);
}

TEST_CASE("precision names round-trip; anything else is refused", "[attenuation]")
{
    for (AttenuationPrecision precision :
         {AttenuationPrecision::Automatic, AttenuationPrecision::Exact, AttenuationPrecision::Coded}) {
        AttenuationPrecision parsed = AttenuationPrecision::Automatic;
        REQUIRE(slt::core::parsePrecision(QString::fromLatin1(slt::core::precisionName(precision)), &parsed));
        REQUIRE(parsed == precision);
    }
    AttenuationPrecision untouched = AttenuationPrecision::Coded;
    REQUIRE_FALSE(slt::core::parsePrecision(QStringLiteral("fast"), &untouched));
    REQUIRE(untouched == AttenuationPrecision::Coded);
}

TEST_CASE("bad input to create() fails with a message", "[attenuation][errors]")
{
    const Bank bank = clusteredBank(50, 4, 2, 1);
    const auto failsWith = [](const Bank& input, const char* fragment, AttenuationOptions options = {}) {
        const auto made = Attenuation::create(input.embeddings.empty() ? nullptr : input.embeddings.data(), input.points,
                                              input.dim, input.prior.empty() ? nullptr : input.prior.data(), options);
        REQUIRE_FALSE(made.ok());
        INFO(made.error().toStdString());
        REQUIRE(made.error().contains(fragment));
    };
    Bank empty = bank;
    empty.points = 0;
    failsWith(empty, "at least one point");
    Bank noDim = bank;
    noDim.dim = 0;
    failsWith(noDim, "dimension");
    Bank noPrior = bank;
    noPrior.prior.clear();
    failsWith(noPrior, "null");
    Bank nan = bank;
    nan.embeddings[4 * 7 + 2] = std::numeric_limits<float>::quiet_NaN();
    failsWith(nan, "point 7");
    Bank negative = bank;
    negative.prior[3] = -0.5f;
    failsWith(negative, "point 3");
    Bank infinitePrior = bank;
    infinitePrior.prior[9] = std::numeric_limits<float>::infinity();
    failsWith(infinitePrior, "point 9");
    AttenuationOptions badLambda;
    badLambda.lambda = -1;
    failsWith(bank, "lambda", badLambda);
    badLambda.lambda = std::numeric_limits<double>::infinity();
    failsWith(bank, "lambda", badLambda);
    AttenuationOptions noSample;
    noSample.lambdaSamplePoints = 0;
    failsWith(bank, "lambdaSamplePoints", noSample);
    Bank identical = bank;
    std::fill(identical.embeddings.begin(), identical.embeddings.end(), 1.0f);
    failsWith(identical, "set lambda explicitly");
    Bank single{1, 2, {0.5f, 0.5f}, {0.3f}};
    failsWith(single, "at least 2 points");
    AttenuationOptions given;
    given.lambda = 2;
    REQUIRE(Attenuation::create(single.embeddings.data(), 1, 2, single.prior.data(), given).ok());
}
