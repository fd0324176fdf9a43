#include "bench_attenuation.hpp"

#include "bench_report.hpp"
#include "bench_support.hpp"

#include "slt/core/bank/loaded_bank.hpp"
#include "slt/core/engine/attenuation.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <vector>

namespace slt::bench {
namespace {

using Clock = std::chrono::steady_clock;

double millisecondsSince(Clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// The points the benchmark labels: its own synthetic clusters, or a bank file's embeddings and first score
// column (the data the labelling session sees).
struct BenchData {
    int64_t points = 0;
    int32_t dim = 0;
    std::vector<float> embeddings; // synthetic: 100 Gaussian clusters, centres spread 1 per coordinate, noise 0.25
    std::vector<float> prior;      // synthetic: uniform in [0, 1]
    std::unique_ptr<BundledPlugins> plugins; // --bank: the bank plugin, loaded while the bank is
    std::optional<core::LoadedBank> bank;    // --bank: the embeddings stay in the loaded bank
    const float* rows() const { return bank ? bank->embeddings().data() : embeddings.data(); }
    float row(int64_t point, int32_t d) const { return rows()[point * dim + d]; }
};

BenchData syntheticBank(int64_t points, int32_t dim, uint64_t seed)
{
    constexpr int64_t kClusters = 100;
    std::mt19937_64 random(seed);
    std::normal_distribution<float> centre(0.0f, 1.0f), noise(0.0f, 0.25f);
    std::uniform_real_distribution<float> uncertainty(0.0f, 1.0f);
    std::vector<float> centres(static_cast<size_t>(kClusters * dim));
    for (float& c : centres) c = centre(random);
    BenchData bank;
    bank.points = points;
    bank.dim = dim;
    bank.embeddings.resize(static_cast<size_t>(points * dim));
    bank.prior.reserve(static_cast<size_t>(points));
    for (int64_t i = 0; i < points; ++i) {
        const int64_t cluster = static_cast<int64_t>(random() % kClusters);
        for (int32_t d = 0; d < dim; ++d)
            bank.embeddings[static_cast<size_t>(i * dim + d)] = centres[static_cast<size_t>(cluster * dim + d)] + noise(random);
        bank.prior.push_back(uncertainty(random));
    }
    return bank;
}

// Embeddings + first score column (the prior) of a bank file; a message on stderr when it cannot be read.
std::optional<BenchData> loadBankData(const QString& path)
{
    BenchData data;
    data.plugins = std::make_unique<BundledPlugins>();
    auto backend = core::findBankBackend(data.plugins->banks, path);
    if (!backend) {
        std::fprintf(stderr, "slt-bench attenuation: %s\n", qPrintable(backend.error()));
        return std::nullopt;
    }
    auto loaded = core::LoadedBank::load(*backend, path, core::ColumnEmbeddings | core::ColumnScores);
    if (!loaded) {
        std::fprintf(stderr, "slt-bench attenuation: %s\n", qPrintable(loaded.error()));
        return std::nullopt;
    }
    data.points = loaded->size();
    data.dim = loaded->metadata().embeddingDim;
    const int64_t metrics = loaded->metadata().metrics();
    if (data.points < 2 || metrics < 1) {
        std::fprintf(stderr, "slt-bench attenuation: %s needs at least 2 points and one score column\n", qPrintable(path));
        return std::nullopt;
    }
    data.prior.resize(static_cast<size_t>(data.points));
    for (int64_t i = 0; i < data.points; ++i) data.prior[static_cast<size_t>(i)] = loaded->scores().data()[i * metrics];
    data.bank.emplace(std::move(*loaded));
    return data;
}

double percentile(std::vector<double> samples, double share)
{
    if (samples.empty()) return 0;
    std::sort(samples.begin(), samples.end());
    const size_t index = static_cast<size_t>(std::ceil(share * static_cast<double>(samples.size()))) - 1;
    return samples[std::min(index, samples.size() - 1)];
}

// The unlabelled point with the highest attenuated value: the next one a user labels (not timed).
int64_t mostUncertain(const core::Attenuation& attenuation)
{
    int64_t best = -1;
    float bestValue = -1;
    for (int64_t i = 0; i < attenuation.size(); ++i)
        if (attenuation.values()[i] > bestValue && !attenuation.isLabelled(i)) {
            bestValue = attenuation.values()[i];
            best = i;
        }
    return best;
}

// Largest |value − exact| over a seeded sample of points, the exact value computed in double.
double sampledError(const core::Attenuation& attenuation, const BenchData& bank, int64_t samples, uint64_t seed)
{
    std::vector<int64_t> labels;
    for (int64_t i = 0; i < bank.points; ++i)
        if (attenuation.isLabelled(i)) labels.push_back(i);
    std::mt19937_64 random(seed);
    double worst = 0;
    for (int64_t s = 0; s < samples; ++s) {
        const int64_t point = static_cast<int64_t>(random() % static_cast<uint64_t>(bank.points));
        const std::vector<uint8_t> one{static_cast<uint8_t>(attenuation.isLabelled(point) ? 1 : 0)};
        double best = std::numeric_limits<double>::infinity();
        for (int64_t l : labels) {
            double sum = 0;
            for (int32_t d = 0; d < bank.dim; ++d) {
                const double diff = double(bank.row(point, d)) - bank.row(l, d);
                sum += diff * diff;
            }
            best = std::min(best, sum);
        }
        const double u0 = bank.prior[static_cast<size_t>(point)];
        const double exact = one[0] ? 0.0 : labels.empty() ? u0 : u0 * (1.0 - std::exp(-attenuation.lambda() * best));
        worst = std::max(worst, std::abs(exact - attenuation.value(point)));
    }
    return worst;
}

} // namespace

// --bank FILE: label the bank's points (its size and dimension replace --points and --dim).
int runAttenuation(const QStringList& args)
{
    QStringList numeric = args;
    const std::optional<QString> bankOption = takeTextOption(numeric, "--bank");
    if (bankOption && bankOption->isEmpty()) {
        std::fprintf(stderr, "slt-bench attenuation: --bank needs a file\n");
        return 2;
    }
    const QString bankPath = bankOption.value_or(QString());
    core::AttenuationOptions attenuationOptions;
    if (const std::optional<QString> precision = takeTextOption(numeric, "--precision");
        precision && !core::parsePrecision(*precision, &attenuationOptions.precision)) {
        std::fprintf(stderr, "slt-bench attenuation: --precision must be auto, exact or coded\n");
        return 2;
    }
    const auto options = parseIntOptions("slt-bench attenuation", numeric, {{"--points", 1000000}, {"--dim", 64}, {"--labels", 200},
                                                {"--unlabels", 50}, {"--seed", 1}, {"--per-label", 0}});
    if (!options) return 2;
    const uint64_t seed = static_cast<uint64_t>(options->at("--seed"));
    const bool perLabel = options->at("--per-label") != 0; // one line per label: its time and how many values changed
    if (options->at("--points") < 2 || options->at("--dim") < 1 || options->at("--dim") > 4096) {
        std::fprintf(stderr, "slt-bench attenuation: needs --points >= 2 and 1 <= --dim <= 4096\n");
        return 2;
    }
    std::optional<BenchData> loaded = bankPath.isEmpty()
        ? std::optional<BenchData>(syntheticBank(options->at("--points"), static_cast<int32_t>(options->at("--dim")), seed))
        : loadBankData(bankPath);
    if (!loaded) return 1;
    const BenchData& bank = *loaded;
    const int64_t points = bank.points, dim = bank.dim, labels = options->at("--labels");
    const int64_t unlabels = std::min(options->at("--unlabels"), labels);
    if (labels < 1 || labels > points) {
        std::fprintf(stderr, "slt-bench attenuation: needs 1 <= --labels <= the number of points (%lld)\n",
                     static_cast<long long>(points));
        return 2;
    }
    const size_t floats = static_cast<size_t>(points * dim);
    std::vector<double> reads;
    for (int run = 0; run < 5; ++run) reads.push_back(timeStreamingRead(bank.rows(), floats));

    attenuationOptions.seed = seed;
    auto start = Clock::now();
    auto made = core::Attenuation::create(bank.rows(), points, static_cast<int32_t>(dim), bank.prior.data(),
                                          attenuationOptions);
    const double createTime = millisecondsSince(start);
    if (!made) {
        std::fprintf(stderr, "slt-bench attenuation: %s\n", qPrintable(made.error()));
        return 1;
    }
    core::Attenuation& attenuation = *made;

    std::vector<double> labelTimes, unlabelTimes;
    std::vector<int64_t> labelled;
    // How many values each label changes (outside the timing): the work no index can avoid, since every changed
    // point needs its exact distance.
    std::vector<float> before(static_cast<size_t>(points));
    double changed = 0;
    for (int64_t i = 0; i < labels; ++i) {
        const int64_t next = mostUncertain(attenuation);
        std::copy_n(attenuation.values(), points, before.begin());
        start = Clock::now();
        attenuation.setLabelled(next, true);
        labelTimes.push_back(millisecondsSince(start));
        labelled.push_back(next);
        int64_t changedNow = 0;
        for (int64_t p = 0; p < points; ++p) changedNow += attenuation.values()[p] != before[static_cast<size_t>(p)];
        changed += static_cast<double>(changedNow);
        if (perLabel)
            print({"attenuation", "label", labelTimes.back(), "ms", std::nullopt,
                   QJsonObject{{"label", static_cast<double>(i)}, {"points_changed", static_cast<double>(changedNow)}}});
    }
    const double errorAfterLabels = sampledError(attenuation, bank, 2000, seed + 1);
    std::mt19937_64 random(seed);
    std::shuffle(labelled.begin(), labelled.end(), random);
    for (int64_t i = 0; i < unlabels; ++i) {
        start = Clock::now();
        attenuation.setLabelled(labelled[static_cast<size_t>(i)], false);
        unlabelTimes.push_back(millisecondsSince(start));
    }
    const double errorAfterUnlabels = sampledError(attenuation, bank, 2000, seed + 2);
    for (int run = 0; run < 5; ++run) reads.push_back(timeStreamingRead(bank.rows(), floats));
    const double read = median(reads);

    const QJsonObject extra{{"points", static_cast<double>(points)}, {"dim", static_cast<double>(dim)},
                            {"labels", static_cast<double>(labels)}, {"unlabels", static_cast<double>(unlabels)},
                            {"lambda", attenuation.lambda()},
                            {"precision", QLatin1String(core::precisionName(attenuation.precision()))},
                            {"baseline_is", "median of 10 single-thread streaming reads of the embeddings, 5 before create() and 5 after the updates"},
                            {"data", bankPath.isEmpty() ? QStringLiteral("synthetic clusters") : QStringLiteral("bank file")}};
    print({"attenuation", "create", createTime, "ms", read, extra});
    print({"attenuation", "label_p50", percentile(labelTimes, 0.5), "ms", read, extra});
    print({"attenuation", "label_p99", percentile(labelTimes, 0.99), "ms", read, extra});
    print({"attenuation", "label_max", percentile(labelTimes, 1.0), "ms", read, extra});
    print({"attenuation", "points_changed_per_label", changed / static_cast<double>(labels), "points", static_cast<double>(points), extra});
    print({"attenuation", "unlabel_p50", percentile(unlabelTimes, 0.5), "ms", read, extra});
    print({"attenuation", "unlabel_p99", percentile(unlabelTimes, 0.99), "ms", read, extra});
    print({"attenuation", "max_error_sampled_after_labels", errorAfterLabels, "abs", attenuation.errorBound(), extra});
    print({"attenuation", "max_error_sampled_after_unlabels", errorAfterUnlabels, "abs", attenuation.errorBound(), extra});
    return 0;
}

} // namespace slt::bench
