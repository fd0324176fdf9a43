#include "slt/core/engine/navigation.hpp"

#include <cmath>
#include <random>

namespace slt::core {
namespace {

// z-scores of one term, added to `score`.
template <class Term>
void addZScores(std::vector<GreedyTerms>& candidates, Term term)
{
    const double n = static_cast<double>(candidates.size());
    double mean = 0;
    for (const GreedyTerms& c : candidates) mean += term(c) / n;
    double variance = 0;
    for (const GreedyTerms& c : candidates) variance += (term(c) - mean) * (term(c) - mean) / n;
    const double deviation = variance > 0 ? std::sqrt(variance) : 1.0;
    for (GreedyTerms& c : candidates) c.score += (term(c) - mean) / deviation;
}

} // namespace

QString navigationPolicyName(NavigationPolicy policy)
{
    switch (policy) {
    case NavigationPolicy::Greedy: return QStringLiteral("greedy");
    case NavigationPolicy::Sequential: return QStringLiteral("sequential");
    case NavigationPolicy::Random: return QStringLiteral("random");
    }
    return QString();
}

std::optional<NavigationPolicy> navigationPolicyFromName(const QString& name)
{
    for (NavigationPolicy policy : {NavigationPolicy::Greedy, NavigationPolicy::Sequential, NavigationPolicy::Random})
        if (navigationPolicyName(policy) == name) return policy;
    return std::nullopt;
}

void scoreGreedy(std::vector<GreedyTerms>& candidates)
{
    if (candidates.empty()) return;
    for (GreedyTerms& c : candidates) c.score = 0;
    addZScores(candidates, [](const GreedyTerms& c) { return c.uncertainty; });
    addZScores(candidates, [](const GreedyTerms& c) { return c.rarity; });
    addZScores(candidates, [](const GreedyTerms& c) { return c.distance; });
}

std::optional<int64_t> greedyChoice(const std::vector<GreedyTerms>& scored)
{
    const GreedyTerms* best = nullptr;
    for (const GreedyTerms& c : scored)
        if (!best || c.score > best->score || (c.score == best->score && c.cluster < best->cluster)) best = &c;
    if (!best) return std::nullopt;
    return best->cluster;
}

std::optional<int64_t> sequentialChoice(const std::vector<bool>& eligible, int64_t current)
{
    const int64_t count = static_cast<int64_t>(eligible.size());
    for (int64_t step = 1; step <= count; ++step) {
        const int64_t cluster = ((current < 0 ? -1 : current) + step) % count;
        if (cluster != current && eligible[cluster]) return cluster;
    }
    return std::nullopt;
}

std::optional<int64_t> randomChoice(const std::vector<bool>& eligible, int64_t current, uint64_t seed, uint64_t step)
{
    std::vector<int64_t> pool;
    for (int64_t c = 0; c < static_cast<int64_t>(eligible.size()); ++c)
        if (c != current && eligible[c]) pool.push_back(c);
    if (pool.empty()) return std::nullopt;
    std::seed_seq keys{static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32), static_cast<uint32_t>(step),
                       static_cast<uint32_t>(step >> 32)};
    std::mt19937_64 generator(keys);
    return pool[generator() % pool.size()];
}

} // namespace slt::core
