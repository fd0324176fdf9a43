#include "slt/core/training_data/sample_mixing.hpp"

#include <algorithm>
#include <cmath>
#include <map>

namespace slt::core::training_data {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr float kMaximumClassWeight = 10.0f;

// `indices` ordered by a seeded hash of each index: a shuffle that does not depend on the standard library.
void seededOrder(std::vector<size_t>& indices, uint64_t seed)
{
    std::vector<std::pair<uint64_t, size_t>> keyed;
    keyed.reserve(indices.size());
    for (size_t index : indices)
        keyed.emplace_back(mixBits(seed ^ mixBits(index + 1)), index);
    std::sort(keyed.begin(), keyed.end());
    for (size_t i = 0; i < keyed.size(); ++i)
        indices[i] = keyed[i].second;
}

size_t heldOut(size_t count, double fraction)
{
    return static_cast<size_t>(std::llround(static_cast<double>(count) * fraction));
}

void finishSplit(SampleSplit& split, size_t total, const std::vector<bool>& isValidation)
{
    for (size_t i = 0; i < total; ++i)
        (isValidation[i] ? split.validation : split.train).push_back(i);
}

} // namespace

uint64_t mixBits(uint64_t value)
{
    value += 0x9e3779b97f4a7c15ULL;
    value = (value ^ (value >> 30)) * 0xbf58476d1ce4e5b9ULL;
    value = (value ^ (value >> 27)) * 0x94d049bb133111ebULL;
    return value ^ (value >> 31);
}

SampleSplit splitSamples(const std::vector<TrainingSample>& samples, double fraction, uint64_t seed)
{
    SampleSplit split;
    std::vector<bool> isValidation(samples.size(), false);
    if (fraction <= 0 || samples.size() < 2) {
        finishSplit(split, samples.size(), isValidation);
        return split;
    }
    std::map<int32_t, std::vector<size_t>> byClass;
    for (size_t i = 0; i < samples.size(); ++i)
        byClass[samples[i].stratum].push_back(i);
    for (auto& [stratum, indices] : byClass) {
        if (indices.size() < 2)
            continue;
        seededOrder(indices, seed ^ mixBits(static_cast<uint64_t>(stratum) + 0x5eed));
        const size_t take = std::min(heldOut(indices.size(), fraction), indices.size() - 1);
        for (size_t i = 0; i < take; ++i)
            isValidation[indices[i]] = true;
        split.stratified = split.stratified || take > 0;
    }
    if (!split.stratified) {
        std::vector<size_t> all(samples.size());
        for (size_t i = 0; i < all.size(); ++i)
            all[i] = i;
        seededOrder(all, seed);
        const size_t take = std::clamp<size_t>(heldOut(all.size(), fraction), 1, all.size() - 1);
        for (size_t i = 0; i < take; ++i)
            isValidation[all[i]] = true;
    }
    finishSplit(split, samples.size(), isValidation);
    return split;
}

QStringList rehearsalDecayNames()
{
    return {QStringLiteral("half-life"), QStringLiteral("linear"), QStringLiteral("cosine")};
}

Result<RehearsalDecay> rehearsalDecayFromName(const QString& name)
{
    const int index = static_cast<int>(rehearsalDecayNames().indexOf(name.trimmed().toLower()));
    if (index < 0)
        return Result<RehearsalDecay>::failure(QStringLiteral("unknown rehearsal decay '%1' (expected one of %2)")
                                                   .arg(name, rehearsalDecayNames().join(QStringLiteral(", "))));
    return static_cast<RehearsalDecay>(index);
}

double newSampleShare(const RehearsalSchedule& schedule, int epoch, int64_t newCount, int64_t oldCount)
{
    if (oldCount <= 0 || epoch < schedule.warmupEpochs)
        return 1.0;
    const double floor = schedule.floor >= 0
                             ? schedule.floor
                             : static_cast<double>(newCount) / static_cast<double>(newCount + oldCount);
    const double t = static_cast<double>(epoch - schedule.warmupEpochs);
    const double h = std::max(schedule.halfLife, 1e-9);
    double share = 1.0;
    switch (schedule.decay) {
    case RehearsalDecay::HalfLife: share = std::pow(0.5, t / h); break;
    case RehearsalDecay::Linear: share = 1.0 - t / h; break;
    case RehearsalDecay::Cosine: share = 0.5 * (1.0 + std::cos(kPi * std::min(1.0, t / h))); break;
    }
    return std::clamp(std::max(share, floor), 1e-9, 1.0);
}

std::vector<size_t> rehearsalDraw(const RehearsalSchedule& schedule, int epoch, int64_t newCount, int64_t oldCount,
                                  uint64_t seed)
{
    const double share = newSampleShare(schedule, epoch, newCount, oldCount);
    const double wanted = static_cast<double>(newCount) * (1.0 - share) / share;
    const auto count = static_cast<size_t>(std::min<double>(std::llround(wanted), static_cast<double>(oldCount)));
    std::vector<size_t> old(static_cast<size_t>(std::max<int64_t>(oldCount, 0)));
    for (size_t i = 0; i < old.size(); ++i)
        old[i] = i;
    seededOrder(old, seed ^ mixBits(static_cast<uint64_t>(epoch) + 0xe90c));
    old.resize(count);
    std::sort(old.begin(), old.end());
    return old;
}

QStringList classWeightingNames()
{
    return {QStringLiteral("none"), QStringLiteral("inverse"), QStringLiteral("sqrt-inverse")};
}

Result<ClassWeighting> classWeightingFromName(const QString& name)
{
    const int index = static_cast<int>(classWeightingNames().indexOf(name.trimmed().toLower()));
    if (index < 0)
        return Result<ClassWeighting>::failure(QStringLiteral("unknown class weighting '%1' (expected one of %2)")
                                                   .arg(name, classWeightingNames().join(QStringLiteral(", "))));
    return static_cast<ClassWeighting>(index);
}

std::vector<float> classWeights(const std::vector<int64_t>& counts, ClassWeighting weighting)
{
    if (weighting == ClassWeighting::None)
        return {};
    int64_t total = 0;
    int64_t present = 0;
    for (int64_t count : counts) {
        total += count;
        present += count > 0 ? 1 : 0;
    }
    std::vector<float> weights(counts.size(), 1.0f);
    for (size_t c = 0; c < counts.size(); ++c) {
        if (counts[c] <= 0)
            continue;
        double weight = static_cast<double>(total) / (static_cast<double>(present) * static_cast<double>(counts[c]));
        if (weighting == ClassWeighting::SqrtInverse)
            weight = std::sqrt(weight);
        weights[c] = std::min(static_cast<float>(weight), kMaximumClassWeight);
    }
    return weights;
}

} // namespace slt::core::training_data
