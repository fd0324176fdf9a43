// A labelling session (SPEC S2–S5; docs/labelling.md): a loaded bank, its project, the attenuated
// uncertainty, the clusters of candidates and the navigation between them. Every action goes through the
// project store (committed before it returns) and then updates the attenuation incrementally.
//
// Threads: one thread owns a session (the project store's rule). The bank is borrowed and must outlive it.
#pragma once

#include "slt/core/bank/loaded_bank.hpp"
#include "slt/core/engine/attenuation.hpp"
#include "slt/core/engine/candidates.hpp"
#include "slt/core/engine/clustering.hpp"
#include "slt/core/engine/navigation.hpp"
#include "slt/core/engine/session_statistics.hpp"
#include "slt/core/project/project_store.hpp"
#include "slt/core/result.hpp"

#include <memory>
#include <unordered_map>

namespace slt::core {

// Chosen when the session starts, stored in the project's settings (docs/labelling.md lists the keys).
struct SessionSettings {
    QString samplerId = QString::fromLatin1(kDefaultSampler);
    int64_t budget = 3000;
    uint64_t seed = 0;
    int32_t clusterSize = 6;
    QString metric;     // the bank score column used as prior uncertainty; empty = the bank's first metric
    double lambda = 0;  // 0 = automatic
    // The automatic λ computed when the session started (stored, so a resumed session attenuates exactly as
    // before and does not pay the estimate again); 0 until then.
    double lambdaEstimate = 0;
    // Exact or coded attenuation distances (attenuation.hpp); automatic: coded from 2^24 embedding coordinates.
    AttenuationPrecision precision = AttenuationPrecision::Automatic;
    NavigationPolicy navigation = NavigationPolicy::Greedy;
    CoverageTarget coverage;
};

// The bank columns a session needs (LoadedBank::load's `columns`).
inline constexpr unsigned kSessionColumns = ColumnPredictedClass | ColumnScores | ColumnEmbeddings;

struct CropView {
    int64_t point = 0;
    LabelState label;
    int32_t predicted = 0;
    float prior = 0;
    float attenuated = 0;
};

struct ClusterView {
    int64_t cluster = -1;
    std::vector<CropView> crops;
    bool assessed = false; // every crop has a class (unsure counts)
};

class LabellingSession {
public:
    // A new session on a project without clusters: candidates from `sampler`, clusters, settings stored,
    // the first cluster chosen by the navigation policy and shown.
    static Result<LabellingSession> start(const LoadedBank& bank, ProjectStore store, const SamplerPlugin& sampler,
                                          const SessionSettings& settings);
    // Reopens a project whose session was started: the same clusters, labels, current cluster and history.
    static Result<LabellingSession> resume(const LoadedBank& bank, ProjectStore store);

    LabellingSession(LabellingSession&&) noexcept;
    LabellingSession& operator=(LabellingSession&&) noexcept;
    ~LabellingSession();

    const SessionSettings& settings() const;
    ProjectStore& store();
    const Attenuation& attenuation() const;
    const std::vector<Cluster>& clusters() const;
    int64_t currentCluster() const;
    ClusterView view(int64_t cluster) const;
    ClusterView currentView() const;
    LabelState label(int64_t point) const;
    std::vector<PointLabel> labels() const; // every point in a non-default state, by point id
    const float* prior() const;             // u0, N entries

    // Actions on the current cluster. Each is one undo step; an action that would change nothing records
    // nothing and succeeds.
    Status labelCluster(int classId);          // keys 0–8, U, A: every crop gets the class and is locked
    Status unlabelCluster();                   // −: every crop back to unlabelled, unlocked
    Status agree(bool force);                  // Space / Ctrl+Space: class ← predicted (force: locked too)
    Status labelOne(int64_t index, int classId); // right-click: one crop, locked; kUnlabelledClass unlabels it
    Status undo();
    Status redo();

    // Navigation. next() is refused while the current cluster has an unassessed crop and fails when no
    // other cluster has one; back() walks the history; goTo() shows any cluster.
    Result<int64_t> next();
    Result<int64_t> back();
    Status goTo(int64_t cluster);
    // The greedy terms and scores of every cluster next() would consider now (for tests and the GUI).
    std::vector<GreedyTerms> greedyCandidates() const;

    SessionStatistics statistics() const;
    Coverage coverage() const;

private:
    struct Impl;
    explicit LabellingSession(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> d;
};

} // namespace slt::core
