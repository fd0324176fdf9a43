// Navigation policies (SPEC S4; the original's ClusterSelection, docs/labelling.md): which cluster "next"
// shows. Every policy only considers clusters with an unassessed crop, other than the current one.
#pragma once

#include <QString>

#include <cstdint>
#include <optional>
#include <vector>

namespace slt::core {

enum class NavigationPolicy { Greedy, Sequential, Random };

QString navigationPolicyName(NavigationPolicy policy); // "greedy", "sequential", "random"
std::optional<NavigationPolicy> navigationPolicyFromName(const QString& name);

// The greedy terms of one candidate cluster.
struct GreedyTerms {
    int64_t cluster = 0;
    double uncertainty = 0; // U: mean attenuated uncertainty of the cluster's unassessed points
    double rarity = 0;      // R: 1 / (labelled count of the cluster's majority class + 1)
    double distance = 0;    // C: centroid to the nearest labelled tissue point, 0 when none
    double score = 0;       // z(U) + z(R) + z(C), filled by scoreGreedy
};

// Fills `score` of every entry: the sum of the three z-scores over the entries (population standard
// deviation; a zero deviation counts as 1, so a constant term adds 0).
void scoreGreedy(std::vector<GreedyTerms>& candidates);

// The cluster with the highest score; ties go to the lowest cluster id. Null for no candidates.
std::optional<int64_t> greedyChoice(const std::vector<GreedyTerms>& scored);

// Sequential: the first cluster after `current` in id order (wrapping) that `eligible` allows.
std::optional<int64_t> sequentialChoice(const std::vector<bool>& eligible, int64_t current);

// Random: a uniform choice among eligible clusters, from a draw keyed by (seed, step) so a reopened
// project makes the same choice at the same step.
std::optional<int64_t> randomChoice(const std::vector<bool>& eligible, int64_t current, uint64_t seed, uint64_t step);

} // namespace slt::core
