// The standard metrics plugin (org.slt.metric.standard), loaded from its built library and driven
// through the host-side MetricSet proxy. Golden values are worked out by hand in the comments (natural
// log; inputs are float, hence the 1e-6 margins).
#include "../fast_log.hpp"

#include <slt/sdk/cpp/host/metric_proxy.hpp>

#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
#include <slt_test/plugin_under_test.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace {

using slt::sdk::host::MetricSet;

const std::vector<std::string> kAll = {"bald",   "entropy",  "entropy_norm",   "msp",
                                       "margin", "variance", "variation_ratio"};
const std::vector<std::string> kSingleSample = {"entropy", "entropy_norm", "msp", "margin"};

const slt_plugin_entry* entry()
{
    static const slt_plugin_entry* loaded = slt::test::loadPluginEntry(SLT_STANDARD_METRICS_PATH);
    return loaded;
}

const slt_metric_factory* factory()
{
    return static_cast<const slt_metric_factory*>(entry()->get_factory(SLT_METRIC_FACTORY_ID));
}

MetricSet make_set(const std::vector<std::string>& names)
{
    auto set = MetricSet::create(factory(), nullptr, names);
    INFO(set.message());
    REQUIRE(set.ok());
    return std::move(*set);
}

// A contiguous f32 [T, N, C] view of `p`.
slt_array view(std::vector<float>& p, int64_t t, int64_t n, int64_t c)
{
    REQUIRE(p.size() == static_cast<size_t>(t * n * c));
    return slt_array{p.data(), SLT_DTYPE_F32, 3, {t, n, c}, {n * c, c, 1}};
}

// Scores of every metric in kAll (or `names`) for a single point given as T rows of C values.
std::vector<float> score_one(std::vector<float> p, int64_t t, int64_t c, const std::vector<std::string>& names = kAll)
{
    MetricSet set = make_set(names);
    auto scores = set.compute(view(p, t, 1, c));
    INFO(scores.message());
    REQUIRE(scores.ok());
    return *scores;
}

void check_scores(const std::vector<float>& got, const std::vector<double>& expected)
{
    REQUIRE(got.size() == expected.size());
    for (size_t j = 0; j < got.size(); ++j) {
        INFO("column " << j);
        CHECK(got[j] == Approx(expected[j]).margin(1e-6));
    }
}

// Deterministic probabilities: a small LCG, rows normalised to sum to 1, some exact zeros.
std::vector<float> pseudo_random_probs(int64_t t, int64_t n, int64_t c, uint64_t seed)
{
    std::vector<float> p(static_cast<size_t>(t * n * c));
    uint64_t state = seed;
    for (size_t row = 0; row < p.size() / static_cast<size_t>(c); ++row) {
        double sum = 0;
        for (int64_t k = 0; k < c; ++k) {
            state = state * 6364136223846793005ull + 1442695040888963407ull;
            const double u = static_cast<double>(state >> 11) / 9007199254740992.0;
            const double value = u < 0.1 ? 0.0 : u * u * u;
            p[row * static_cast<size_t>(c) + static_cast<size_t>(k)] = static_cast<float>(value);
            sum += value;
        }
        if (sum == 0) sum = p[row * static_cast<size_t>(c)] = 1.0f;
        for (int64_t k = 0; k < c; ++k) p[row * static_cast<size_t>(c) + static_cast<size_t>(k)] /= static_cast<float>(sum);
    }
    return p;
}

// The textbook formulas, written independently of the plugin, for the pseudo-random cross-check.
std::vector<double> brute_force(const std::vector<float>& p, int64_t t_count, int64_t n_count, int64_t c_count, int64_t n)
{
    auto at = [&](int64_t t, int64_t c) { return static_cast<double>(p[static_cast<size_t>((t * n_count + n) * c_count + c)]); };
    auto h = [](const std::vector<double>& q) {
        double sum = 0;
        for (double x : q) sum -= x > 0 ? x * std::log(x) : 0;
        return sum;
    };
    std::vector<double> mean(static_cast<size_t>(c_count), 0.0);
    std::vector<int> votes(static_cast<size_t>(c_count), 0);
    double mean_sample_entropy = 0;
    for (int64_t t = 0; t < t_count; ++t) {
        std::vector<double> row;
        int64_t best = 0;
        for (int64_t c = 0; c < c_count; ++c) {
            row.push_back(at(t, c));
            mean[static_cast<size_t>(c)] += at(t, c) / static_cast<double>(t_count);
            if (at(t, c) > at(t, best)) best = c;
        }
        ++votes[static_cast<size_t>(best)];
        mean_sample_entropy += h(row) / static_cast<double>(t_count);
    }
    double variance = 0;
    for (int64_t c = 0; c < c_count; ++c)
        for (int64_t t = 0; t < t_count; ++t)
            variance += std::pow(at(t, c) - mean[static_cast<size_t>(c)], 2) / static_cast<double>(t_count);
    std::vector<double> sorted = mean;
    std::sort(sorted.rbegin(), sorted.rend());
    const double entropy = h(mean);
    const int modal = *std::max_element(votes.begin(), votes.end());
    return {entropy - mean_sample_entropy,
            entropy,
            entropy / std::log(static_cast<double>(c_count)),
            1 - sorted[0],
            sorted[0] - sorted[1],
            variance,
            1 - static_cast<double>(modal) / static_cast<double>(t_count)};
}

} // namespace

TEST_CASE("the plugin lists the seven standard metrics with their minimum T and direction")
{
    auto all = MetricSet::list(factory());
    REQUIRE(all.ok());
    REQUIRE(all->size() == kAll.size());
    for (size_t i = 0; i < kAll.size(); ++i) {
        INFO(kAll[i]);
        CHECK((*all)[i].name == kAll[i]);
        const bool single = std::find(kSingleSample.begin(), kSingleSample.end(), kAll[i]) != kSingleSample.end();
        CHECK((*all)[i].min_mc_samples == (single ? 1 : 2));
        CHECK((*all)[i].higher_is_more_uncertain == (kAll[i] != "margin"));
        CHECK_FALSE((*all)[i].description.empty());
    }
}

TEST_CASE("value ranges for C classes and T samples")
{
    MetricSet set = make_set(kAll);
    auto max_of = [&](size_t column, int64_t c, int64_t t) {
        auto range = set.value_range(column, c, t);
        REQUIRE(range.ok());
        CHECK(range->first == 0);
        return range->second;
    };
    CHECK(max_of(0, 9, 20) == Approx(2.1972246));  // bald: min(ln 9, ln 20) = ln 9
    CHECK(max_of(0, 9, 2) == Approx(0.6931472));   // bald: min(ln 9, ln 2) = ln 2
    CHECK(max_of(1, 9, 20) == Approx(2.1972246));  // entropy: ln 9
    CHECK(max_of(2, 9, 20) == 1);                   // entropy_norm
    CHECK(max_of(2, 1, 20) == 0);                   // one class: nothing to be unsure about
    CHECK(max_of(3, 4, 20) == Approx(0.75));        // msp: 1 - 1/C
    CHECK(max_of(4, 9, 20) == 1);                   // margin
    CHECK(max_of(5, 2, 3) == Approx(4.0 / 9));      // variance: one-hot split 2:1 -> 1 - (4 + 1)/9
    CHECK(max_of(5, 9, 20) == Approx(1 - 46.0 / 400)); // 20 over 9 classes: two get 3, seven get 2 -> 1 - (2*9 + 7*4)/400
    CHECK(max_of(6, 9, 20) == Approx(0.85));        // variation ratio: modal class has >= ceil(20/9) = 3 votes
    CHECK(max_of(6, 9, 1) == 0);

    double lo = 0, hi = 0;
    char buffer[256] = "";
    slt_error err{buffer, sizeof buffer};
    CHECK(factory()->value_range(7, 9, 20, &lo, &hi, &err) == SLT_ERR_INVALID_ARGUMENT);
    CHECK(factory()->value_range(0, 0, 20, &lo, &hi, &err) == SLT_ERR_INVALID_ARGUMENT);
    CHECK(std::string(buffer) == "classes and samples must be at least 1");
}

TEST_CASE("T = 1: the single-sample metrics of p = (0.7, 0.2, 0.1)")
{
    // H = -(0.7 ln 0.7 + 0.2 ln 0.2 + 0.1 ln 0.1) = 0.2496725 + 0.3218876 + 0.2302585 = 0.8018186
    // H / ln 3 = 0.8018186 / 1.0986123 = 0.7298467; 1 - MSP = 0.3; margin = 0.7 - 0.2 = 0.5
    check_scores(score_one({0.7f, 0.2f, 0.1f}, 1, 3, kSingleSample), {0.8018186, 0.7298467, 0.3, 0.5});
}

TEST_CASE("one-hot samples that agree carry no uncertainty")
{
    // T = 3, C = 4, every sample (0, 0, 1, 0): every score 0 except margin = 1 (fully certain).
    const std::vector<float> sample = {0, 0, 1, 0};
    std::vector<float> p;
    for (int t = 0; t < 3; ++t) p.insert(p.end(), sample.begin(), sample.end());
    check_scores(score_one(p, 3, 4), {0, 0, 0, 0, 1, 0, 0});
}

TEST_CASE("uniform samples: entropy ln C and no disagreement")
{
    // T = 2, C = 4, all 0.25: H = ln 4 = 1.3862944, normalised 1, BALD = ln 4 - ln 4 = 0, 1 - MSP = 0.75,
    // margin 0, variance 0; every argmax is a four-way tie won by class 0, so the variation ratio is 0.
    check_scores(score_one(std::vector<float>(8, 0.25f), 2, 4), {0, 1.3862944, 1, 0.75, 0, 0, 0});
}

TEST_CASE("two disagreeing one-hot samples: BALD = ln 2")
{
    // (1, 0) and (0, 1): mean (0.5, 0.5), H = ln 2, each sample's entropy 0 -> BALD = ln 2 = 0.6931472;
    // 1 - MSP 0.5, margin 0, variance 0.25 + 0.25 = 0.5, votes 1:1 -> variation ratio 1 - 1/2 = 0.5.
    check_scores(score_one({1, 0, 0, 1}, 2, 2), {0.6931472, 0.6931472, 1, 0.5, 0, 0.5, 0.5});
}

TEST_CASE("exact zeros in p count as 0 ln 0 = 0")
{
    // (0.5, 0.5, 0) and (1, 0, 0): mean (0.75, 0.25, 0), H = 0.75 ln(4/3) + 0.25 ln 4 = 0.5623351;
    // sample entropies ln 2 and 0 -> mean 0.3465736, BALD = 0.2157616; H / ln 3 = 0.5118595;
    // 1 - MSP = 0.25; margin 0.5; variance 0.0625 + 0.0625 + 0 = 0.125; argmax (tie -> class 0) and 0 -> 0.
    check_scores(score_one({0.5f, 0.5f, 0, 1, 0, 0}, 2, 3), {0.2157616, 0.5623351, 0.5118595, 0.25, 0.5, 0.125, 0});
}

TEST_CASE("ties: margin 0 and the lowest class index wins an argmax tie")
{
    // (0.4, 0.4, 0.2) twice: 1 - MSP 0.6, margin 0.
    const auto tied = score_one({0.4f, 0.4f, 0.2f, 0.4f, 0.4f, 0.2f}, 2, 3, {"msp", "margin"});
    check_scores(tied, {0.6, 0});
    // (0.5, 0.5), (0.5, 0.5), (0.2, 0.8): the two ties vote for class 0, the last for class 1 ->
    // modal count 2 of 3 -> 1/3 (breaking ties towards the highest index would give 0).
    check_scores(score_one({0.5f, 0.5f, 0.5f, 0.5f, 0.2f, 0.8f}, 3, 2, {"variation_ratio"}), {1.0 / 3});
}

TEST_CASE("pseudo-random pools agree with a brute-force computation of every formula")
{
    const int64_t t = 5, n = 200, c = 4;
    std::vector<float> p = pseudo_random_probs(t, n, c, 7);
    MetricSet set = make_set(kAll);
    auto scores = set.compute(view(p, t, n, c));
    REQUIRE(scores.ok());
    for (int64_t point = 0; point < n; ++point) {
        const std::vector<double> expected = brute_force(p, t, n, c, point);
        for (size_t j = 0; j < kAll.size(); ++j) {
            INFO("point " << point << " " << kAll[j]);
            CHECK((*scores)[static_cast<size_t>(point) * kAll.size() + j] == Approx(expected[j]).margin(1e-6));
        }
    }
}

TEST_CASE("BALD with the fast log stays within its documented bound of the exact double computation")
{
    // BALD's per-sample entropies use the fast log (fast_log.hpp): each is off by at most
    // kLogMantissaError for a row summing to 1, so their mean is too; H of the mean uses std::log in
    // double. Storing the score as float adds half an ulp. The entropy column has no fast log at all.
    const int64_t t = 20, n = 3000, c = 9;
    std::vector<float> p = pseudo_random_probs(t, n, c, 13);
    MetricSet set = make_set({"bald", "entropy"});
    auto scores = set.compute(view(p, t, n, c));
    REQUIRE(scores.ok());
    const double row_sum = 1.0 + 1e-6; // float rows normalised to 1
    for (int64_t point = 0; point < n; ++point) {
        const std::vector<double> exact = brute_force(p, t, n, c, point);
        const double bald = (*scores)[static_cast<size_t>(point) * 2];
        const double entropy = (*scores)[static_cast<size_t>(point) * 2 + 1];
        const double half_ulp = std::ldexp(1.0, -24);
        INFO("point " << point);
        REQUIRE(std::fabs(bald - exact[0]) <= slt::metrics::standard::kLogMantissaError * row_sum + half_ulp * exact[0]);
        REQUIRE(std::fabs(entropy - exact[1]) <= half_ulp * exact[1] + 1e-12);
    }
}

TEST_CASE("strided input gives the same scores as contiguous input")
{
    const int64_t t = 4, n = 50, c = 3;
    std::vector<float> p = pseudo_random_probs(t, n, c, 11);
    // the same values laid out point-major [N, T, C] with every class padded to two floats
    std::vector<float> padded(static_cast<size_t>(n * t * c * 2), -1.0f);
    for (int64_t i = 0; i < t; ++i)
        for (int64_t j = 0; j < n; ++j)
            for (int64_t k = 0; k < c; ++k)
                padded[static_cast<size_t>(((j * t + i) * c + k) * 2)] = p[static_cast<size_t>((i * n + j) * c + k)];
    slt_array strided{padded.data(), SLT_DTYPE_F32, 3, {t, n, c}, {c * 2, t * c * 2, 2}};
    MetricSet set = make_set(kAll);
    auto contiguous = set.compute(view(p, t, n, c));
    auto other = set.compute(strided);
    REQUIRE(contiguous.ok());
    REQUIRE(other.ok());
    CHECK(*other == *contiguous);
}

TEST_CASE("chunked calls give the same scores as one call")
{
    const int64_t t = 6, n = 1000, c = 9;
    std::vector<float> p = pseudo_random_probs(t, n, c, 3);
    MetricSet set = make_set({"variation_ratio", "bald", "margin"});
    auto whole = set.compute(view(p, t, n, c));
    REQUIRE(whole.ok());
    std::vector<float> chunked(whole->size(), -1.0f);
    for (int64_t first = 0; first < n; first += 77) {
        const int64_t count = std::min<int64_t>(77, n - first);
        slt_array chunk{p.data() + first * c, SLT_DTYPE_F32, 3, {t, count, c}, {n * c, c, 1}};
        REQUIRE(set.compute(chunk, chunked.data() + first * 3, static_cast<size_t>(count * 3)).ok());
    }
    CHECK(chunked == *whole);
}

TEST_CASE("bad input returns a status and a message and leaves the input untouched")
{
    std::vector<float> p = pseudo_random_probs(2, 3, 4, 5);
    const std::vector<float> original = p;
    MetricSet set = make_set(kAll);
    slt_array probs = view(p, 2, 3, 4);
    char buffer[512] = "";
    slt_error err{buffer, sizeof buffer};

    SECTION("T below the largest minimum of the selection")
    {
        probs.shape[0] = 1;
        auto few = set.compute(probs);
        CHECK(few.status().code == SLT_ERR_INVALID_ARGUMENT);
        CHECK(few.message() == "compute: the selected metrics need at least 2 MC samples, got 1");
        // a host that skips the proxy gets the same answer from the plugin itself
        const int32_t bald = 0;
        slt_metric* raw = nullptr;
        REQUIRE(factory()->create(nullptr, &bald, 1, &raw, nullptr) == SLT_OK);
        float out[3];
        slt_array out_view{out, SLT_DTYPE_F32, 2, {3, 1}, {1, 1}};
        CHECK(factory()->compute(raw, &probs, &out_view, nullptr, &err) == SLT_ERR_INVALID_ARGUMENT);
        CHECK(std::string(buffer) == "bald needs at least 2 MC samples, got 1");
        factory()->destroy(raw);
    }
    SECTION("wrong dtype or shape, through the proxy and straight through the C table")
    {
        probs.dtype = SLT_DTYPE_F16;
        CHECK(set.compute(probs).status().code == SLT_ERR_INVALID_ARGUMENT);
        const int32_t entropy = 1;
        slt_metric* raw = nullptr;
        REQUIRE(factory()->create(nullptr, &entropy, 1, &raw, nullptr) == SLT_OK);
        float out[3];
        slt_array out_view{out, SLT_DTYPE_F32, 2, {3, 1}, {1, 1}};
        CHECK(factory()->compute(raw, &probs, &out_view, nullptr, &err) == SLT_ERR_INVALID_ARGUMENT);
        CHECK(std::string(buffer).find("probs: expected dtype") == 0);
        probs.dtype = SLT_DTYPE_F32;
        probs.ndim = 2;
        CHECK(factory()->compute(raw, &probs, &out_view, nullptr, &err) == SLT_ERR_INVALID_ARGUMENT);
        probs.ndim = 3;
        out_view.shape[0] = 2;
        CHECK(factory()->compute(raw, &probs, &out_view, nullptr, &err) == SLT_ERR_INVALID_ARGUMENT);
        CHECK(std::string(buffer) == "out_scores: expected 3 rows, got 2");
        probs.shape[2] = 0;
        CHECK(set.compute(probs).status().code == SLT_ERR_INVALID_ARGUMENT);
        factory()->destroy(raw);
    }
    SECTION("NaN is refused with its position")
    {
        p[1 * 12 + 2 * 4 + 3] = std::numeric_limits<float>::quiet_NaN(); // t = 1, n = 2, c = 3
        const std::vector<float> with_nan = p;
        auto scores = set.compute(probs);
        CHECK(scores.status().code == SLT_ERR_INVALID_ARGUMENT);
        CHECK(scores.message() == "compute: probs[1, 2, 3] = nan is not a probability (NaN or outside [0, 1])");
        CHECK(std::equal(p.begin(), p.end(), with_nan.begin(), [](float a, float b) {
            return a == b || (std::isnan(a) && std::isnan(b));
        }));
    }
    SECTION("negative and larger-than-one values are refused")
    {
        p[0] = -0.25f;
        CHECK(set.compute(probs).status().code == SLT_ERR_INVALID_ARGUMENT);
        p[0] = 1.5f;
        auto scores = set.compute(probs);
        CHECK(scores.status().code == SLT_ERR_INVALID_ARGUMENT);
        CHECK(scores.message().find("probs[0, 0, 0] = 1.5") != std::string::npos);
        p[0] = original[0];
    }
    SECTION("an unknown metric name")
    {
        auto unknown = MetricSet::create(factory(), nullptr, {"entropy", "mutual_information"});
        CHECK(unknown.status().code == SLT_ERR_NOT_FOUND);
    }
    CHECK((p == original || std::isnan(p[1 * 12 + 2 * 4 + 3])));
}

TEST_CASE("a cancelled job stops the computation with SLT_ERR_CANCELLED")
{
    std::vector<float> p = pseudo_random_probs(2, 10, 3, 9);
    MetricSet set = make_set(kAll);
    const slt_job cancelled{sizeof(slt_job), nullptr, nullptr, [](const slt_job*) { return 1; }};
    auto scores = set.compute(view(p, 2, 10, 3), &cancelled);
    CHECK(scores.status().code == SLT_ERR_CANCELLED);
}

TEST_CASE("an empty chunk is fine")
{
    std::vector<float> none;
    MetricSet set = make_set(kAll);
    slt_array empty{nullptr, SLT_DTYPE_F32, 3, {2, 0, 9}, {0, 9, 1}};
    auto scores = set.compute(empty);
    REQUIRE(scores.ok());
    CHECK(scores->empty());
}
