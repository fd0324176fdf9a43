#include "slt/core/engine/labelling_session.hpp"

#include "session_settings_io.hpp"

#include <QStringList>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace slt::core {
namespace {

bool isTissue(int classId) { return classId >= 0; }
bool isAssessed(int classId) { return classId != kUnlabelledClass; }

// The bank score column named `metric` (the first column when empty).
Result<int32_t> metricColumn(const BankMetadata& metadata, const QString& metric)
{
    if (metadata.metrics() < 1) return Result<int32_t>::failure(QStringLiteral("the bank has no score columns"));
    if (metric.isEmpty()) return 0;
    for (int32_t m = 0; m < metadata.metrics(); ++m)
        if (QString::fromStdString(metadata.metricNames[m]) == metric) return m;
    QStringList names;
    for (const std::string& name : metadata.metricNames) names << QString::fromStdString(name);
    return Result<int32_t>::failure(
        QStringLiteral("the bank has no score column '%1' (it has: %2)").arg(metric, names.join(", ")));
}

Status checkBank(const LoadedBank& bank, const ProjectStore& store)
{
    if ((bank.loadedColumns() & kSessionColumns) != kSessionColumns)
        return Status::failure(QStringLiteral("the bank was loaded without predicted classes, scores or embeddings"));
    if (QString::fromStdString(bank.metadata().uuid) != store.bank().uuid)
        return Status::failure(QStringLiteral("the project belongs to bank %1, not to this bank (%2)")
                                   .arg(store.bank().uuid, QString::fromStdString(bank.metadata().uuid)));
    if (bank.size() < 1 || bank.metadata().embeddingDim < 1)
        return Status::failure(QStringLiteral("the bank has no points or no embeddings"));
    return Status();
}

} // namespace

struct LabellingSession::Impl {
    const LoadedBank* bank = nullptr;
    ProjectStore store;
    SessionSettings settings;
    int64_t numPoints = 0;
    int32_t dim = 0;
    const float* embeddings = nullptr;
    const int32_t* predicted = nullptr;
    std::vector<float> prior;
    std::optional<Attenuation> attenuation;
    std::unordered_map<int64_t, LabelState> labels; // points in a non-default state

    std::vector<Cluster> clusters;
    std::unordered_map<int64_t, int64_t> clusterOf;
    std::vector<int64_t> unassessed;   // per cluster: crops still kUnlabelledClass
    std::vector<double> centroids;     // clusters × dim, mean embedding of all crops
    std::vector<double> nearestSquared; // per cluster: squared distance centroid → nearest tissue label
    std::vector<int64_t> nearestPoint;  // that label's point, −1 when none
    std::map<int, int64_t> tissueCounts;

    int64_t current = -1;
    std::vector<int64_t> backStack;
    int64_t visits = 0;

    explicit Impl(ProjectStore s) : store(std::move(s)) {}

    // --- setup -------------------------------------------------------------------------------------------
    Status prepare(const LoadedBank& loaded)
    {
        bank = &loaded;
        numPoints = loaded.size();
        dim = loaded.metadata().embeddingDim;
        embeddings = loaded.embeddings().data();
        predicted = loaded.predictedClass().data();
        const auto column = metricColumn(loaded.metadata(), settings.metric);
        if (!column) return Status::failure(column.error());
        settings.metric = QString::fromStdString(loaded.metadata().metricNames[*column]);
        const int32_t metrics = loaded.metadata().metrics();
        prior.resize(static_cast<size_t>(numPoints));
        for (int64_t i = 0; i < numPoints; ++i) prior[i] = loaded.scores()[i * metrics + *column];
        AttenuationOptions options;
        options.lambda = settings.lambda > 0 ? settings.lambda : settings.lambdaEstimate;
        options.seed = settings.seed;
        options.precision = settings.precision;
        auto created = Attenuation::create(embeddings, numPoints, dim, prior.data(), options);
        if (!created) return Status::failure(QStringLiteral("attenuation: %1").arg(created.error()));
        attenuation.emplace(std::move(*created));
        if (settings.lambda <= 0)
            settings.lambdaEstimate = attenuation->lambda();
        const auto derived = store.derivedState();
        if (!derived) return Status::failure(derived.error());
        for (const PointLabel& label : derived->labels) {
            labels[label.point] = label.state;
            attenuation->setLabelled(label.point, ClassSchema::countsAsLabelled(label.state.classId));
            if (isTissue(label.state.classId)) ++tissueCounts[label.state.classId];
        }
        return Status();
    }

    std::vector<uint8_t> labelledMask() const
    {
        std::vector<uint8_t> mask(static_cast<size_t>(numPoints), 0);
        for (const auto& [point, state] : labels) mask[point] = ClassSchema::countsAsLabelled(state.classId) ? 1 : 0;
        return mask;
    }

    void indexClusters()
    {
        const size_t count = clusters.size();
        unassessed.assign(count, 0);
        centroids.assign(count * static_cast<size_t>(dim), 0.0);
        for (size_t c = 0; c < count; ++c) {
            for (int64_t point : clusters[c]) {
                clusterOf[point] = static_cast<int64_t>(c);
                if (!isAssessed(label(point).classId)) ++unassessed[c];
                for (int32_t d = 0; d < dim; ++d) centroids[c * dim + d] += embeddings[point * dim + d];
            }
            for (int32_t d = 0; d < dim; ++d) centroids[c * dim + d] /= static_cast<double>(clusters[c].size());
        }
        nearestSquared.assign(count, std::numeric_limits<double>::infinity());
        nearestPoint.assign(count, -1);
        for (size_t c = 0; c < count; ++c) recomputeNearest(static_cast<int64_t>(c));
    }

    // --- greedy coverage distance cache: centroid → nearest tissue label, updated per label change -------
    double centroidDistanceSquared(int64_t cluster, int64_t point) const
    {
        double sum = 0;
        for (int32_t d = 0; d < dim; ++d) {
            const double diff = centroids[cluster * dim + d] - static_cast<double>(embeddings[point * dim + d]);
            sum += diff * diff;
        }
        return sum;
    }

    void recomputeNearest(int64_t cluster)
    {
        nearestSquared[cluster] = std::numeric_limits<double>::infinity();
        nearestPoint[cluster] = -1;
        for (const auto& [point, state] : labels)
            if (isTissue(state.classId)) offerNearest(cluster, point);
    }

    void offerNearest(int64_t cluster, int64_t point)
    {
        const double distance = centroidDistanceSquared(cluster, point);
        if (distance < nearestSquared[cluster] || (distance == nearestSquared[cluster] && point < nearestPoint[cluster])) {
            nearestSquared[cluster] = distance;
            nearestPoint[cluster] = point;
        }
    }

    // --- applying what the store recorded ---------------------------------------------------------------
    LabelState label(int64_t point) const
    {
        const auto found = labels.find(point);
        return found == labels.end() ? LabelState{} : found->second;
    }

    void apply(const RecordedAction& action)
    {
        for (const PointLabel& change : action.changed) applyChange(change.point, label(change.point), change.state);
    }

    void applyChange(int64_t point, LabelState before, LabelState after)
    {
        if (after.isDefault()) labels.erase(point);
        else labels[point] = after;
        attenuation->setLabelled(point, ClassSchema::countsAsLabelled(after.classId));
        if (const auto found = clusterOf.find(point); found != clusterOf.end())
            unassessed[found->second] += (isAssessed(before.classId) ? 1 : 0) - (isAssessed(after.classId) ? 1 : 0);
        if (isTissue(before.classId) && --tissueCounts[before.classId] == 0) tissueCounts.erase(before.classId);
        if (isTissue(after.classId)) ++tissueCounts[after.classId];
        const bool wasTissue = isTissue(before.classId), nowTissue = isTissue(after.classId);
        for (int64_t c = 0; c < static_cast<int64_t>(clusters.size()); ++c) {
            if (nowTissue && !wasTissue) offerNearest(c, point);
            if (wasTissue && !nowTissue && nearestPoint[c] == point) recomputeNearest(c);
        }
    }

    Status record(Result<RecordedAction> recorded)
    {
        if (!recorded) return Status::failure(recorded.error());
        apply(*recorded);
        return Status();
    }

    // --- navigation -------------------------------------------------------------------------------------
    std::vector<bool> eligible() const
    {
        std::vector<bool> result(clusters.size());
        for (size_t c = 0; c < clusters.size(); ++c) result[c] = unassessed[c] > 0 && static_cast<int64_t>(c) != current;
        return result;
    }

    int majorityClass(const Cluster& cluster) const
    {
        std::map<int, int64_t> votes;
        for (int64_t point : cluster)
            if (isTissue(label(point).classId)) ++votes[label(point).classId];
        if (votes.empty())
            for (int64_t point : cluster) ++votes[predicted[point]];
        // std::map iterates ids upwards and max_element keeps the first maximum: ties go to the lowest id
        return std::max_element(votes.begin(), votes.end(), [](const auto& a, const auto& b) { return a.second < b.second; })->first;
    }

    std::vector<GreedyTerms> greedyCandidates() const
    {
        std::vector<GreedyTerms> candidates;
        const std::vector<bool> allowed = eligible();
        for (int64_t c = 0; c < static_cast<int64_t>(clusters.size()); ++c) {
            if (!allowed[c]) continue;
            GreedyTerms terms;
            terms.cluster = c;
            double sum = 0;
            for (int64_t point : clusters[c])
                if (!isAssessed(label(point).classId)) sum += attenuation->value(point);
            terms.uncertainty = sum / static_cast<double>(unassessed[c]);
            const auto count = tissueCounts.find(majorityClass(clusters[c]));
            terms.rarity = 1.0 / (static_cast<double>(count == tissueCounts.end() ? 0 : count->second) + 1.0);
            terms.distance = nearestPoint[c] < 0 ? 0.0 : std::sqrt(nearestSquared[c]);
            candidates.push_back(terms);
        }
        scoreGreedy(candidates);
        return candidates;
    }

    std::optional<int64_t> choose() const
    {
        switch (settings.navigation) {
        case NavigationPolicy::Greedy: return greedyChoice(greedyCandidates());
        case NavigationPolicy::Sequential: return sequentialChoice(eligible(), current);
        case NavigationPolicy::Random: return randomChoice(eligible(), current, settings.seed, static_cast<uint64_t>(visits));
        }
        return std::nullopt;
    }

    Status show(int64_t cluster)
    {
        if (Status visited = store.recordVisit(cluster); !visited) return visited;
        current = cluster;
        ++visits;
        return Status();
    }

    Status saveBackStack() { return store.setSetting(QString::fromLatin1(engine_io::kBackStackKey), engine_io::idListText(backStack)); }

    // Leaves the current cluster for `target`, remembering where it came from.
    Status moveTo(int64_t target)
    {
        if (current >= 0) {
            backStack.push_back(current);
            if (Status saved = saveBackStack(); !saved) {
                backStack.pop_back();
                return saved;
            }
        }
        return show(target);
    }

    ClusterView view(int64_t cluster) const
    {
        ClusterView result;
        if (cluster < 0 || cluster >= static_cast<int64_t>(clusters.size())) return result;
        result.cluster = cluster;
        for (int64_t point : clusters[cluster])
            result.crops.push_back({point, label(point), predicted[point], prior[point], attenuation->value(point)});
        result.assessed = unassessed[cluster] == 0;
        return result;
    }
};

LabellingSession::LabellingSession(std::unique_ptr<Impl> impl) : d(std::move(impl)) {}
LabellingSession::LabellingSession(LabellingSession&&) noexcept = default;
LabellingSession& LabellingSession::operator=(LabellingSession&&) noexcept = default;
LabellingSession::~LabellingSession() = default;

Result<LabellingSession> LabellingSession::start(const LoadedBank& bank, ProjectStore store, const SamplerPlugin& sampler,
                                                 const SessionSettings& settings)
{
    using R = Result<LabellingSession>;
    if (Status fits = checkBank(bank, store); !fits) return R::failure(fits.error());
    if (settings.budget < 1 || settings.clusterSize < 1)
        return R::failure(QStringLiteral("the budget and the cluster size must be at least 1"));
    const auto existing = store.setting(QString::fromLatin1(engine_io::kClustersKey));
    if (!existing) return R::failure(existing.error());
    if (existing->has_value())
        return R::failure(QStringLiteral("the project already has a labelling session; open it without creating one"));
    auto impl = std::make_unique<Impl>(std::move(store));
    impl->settings = settings;
    impl->settings.samplerId = sampler.pluginId;
    if (Status prepared = impl->prepare(bank); !prepared) return R::failure(prepared.error());
    const std::vector<uint8_t> mask = impl->labelledMask();
    const CandidatePool pool{impl->numPoints, impl->dim, impl->prior.data(), impl->embeddings, mask.data()};
    auto candidates = selectCandidates(sampler, pool, settings.budget, settings.seed);
    if (!candidates) return R::failure(candidates.error());
    if (candidates->empty()) return R::failure(QStringLiteral("the sampler found no unlabelled point to show"));
    ClusteringOptions clustering;
    clustering.maxClusterSize = settings.clusterSize;
    clustering.seed = settings.seed;
    impl->clusters = clusterCandidates(impl->embeddings, impl->dim, *candidates, clustering);
    impl->indexClusters();
    if (Status saved = engine_io::saveSettings(impl->store, impl->settings); !saved) return R::failure(saved.error());
    // The clusters go last: their presence marks a started session, so a failure before leaves none.
    if (Status saved = impl->store.setSetting(QString::fromLatin1(engine_io::kClustersKey),
                                              engine_io::clustersText(impl->clusters));
        !saved)
        return R::failure(saved.error());
    const std::optional<int64_t> first = impl->choose();
    if (Status shown = impl->show(first.value_or(0)); !shown) return R::failure(shown.error());
    return LabellingSession(std::move(impl));
}

Result<LabellingSession> LabellingSession::resume(const LoadedBank& bank, ProjectStore store)
{
    using R = Result<LabellingSession>;
    if (Status fits = checkBank(bank, store); !fits) return R::failure(fits.error());
    const auto clustersText = store.setting(QString::fromLatin1(engine_io::kClustersKey));
    if (!clustersText) return R::failure(clustersText.error());
    if (!clustersText->has_value())
        return R::failure(QStringLiteral("the project has no labelling session yet; create one first"));
    auto settings = engine_io::loadSettings(store);
    if (!settings) return R::failure(settings.error());
    auto clusters = engine_io::parseClusters(**clustersText, bank.size());
    if (!clusters) return R::failure(clusters.error());
    const auto back = store.setting(QString::fromLatin1(engine_io::kBackStackKey));
    const auto visited = store.visitedClusters();
    if (!back || !visited) return R::failure(!back ? back.error() : visited.error());
    const int64_t clusterCount = static_cast<int64_t>(clusters->size());
    auto stack = engine_io::parseIdList(back->value_or(QString()), clusterCount, QStringLiteral("back stack"));
    if (!stack) return R::failure(stack.error());
    auto impl = std::make_unique<Impl>(std::move(store));
    impl->settings = *settings;
    if (Status prepared = impl->prepare(bank); !prepared) return R::failure(prepared.error());
    impl->clusters = std::move(*clusters);
    impl->indexClusters();
    impl->backStack = std::move(*stack);
    impl->visits = static_cast<int64_t>(visited->size());
    if (!visited->empty() && visited->back() >= 0 && visited->back() < clusterCount) {
        impl->current = visited->back();
    } else if (Status shown = impl->show(impl->choose().value_or(0)); !shown) {
        return R::failure(shown.error());
    }
    return LabellingSession(std::move(impl));
}

const SessionSettings& LabellingSession::settings() const { return d->settings; }
ProjectStore& LabellingSession::store() { return d->store; }
const Attenuation& LabellingSession::attenuation() const { return *d->attenuation; }
const std::vector<Cluster>& LabellingSession::clusters() const { return d->clusters; }
int64_t LabellingSession::currentCluster() const { return d->current; }
ClusterView LabellingSession::view(int64_t cluster) const { return d->view(cluster); }
ClusterView LabellingSession::currentView() const { return d->view(d->current); }
LabelState LabellingSession::label(int64_t point) const { return d->label(point); }
const float* LabellingSession::prior() const { return d->prior.data(); }

std::vector<PointLabel> LabellingSession::labels() const
{
    std::vector<PointLabel> result;
    result.reserve(d->labels.size());
    for (const auto& [point, state] : d->labels) result.push_back({point, state});
    std::sort(result.begin(), result.end(), [](const PointLabel& a, const PointLabel& b) { return a.point < b.point; });
    return result;
}

Status LabellingSession::labelCluster(int classId)
{
    if (classId == kUnlabelledClass) return unlabelCluster();
    const Cluster& cluster = d->clusters[d->current];
    return d->record(d->store.setClassAndLock(std::vector<qint64>(cluster.begin(), cluster.end()), classId));
}

Status LabellingSession::unlabelCluster()
{
    std::vector<qint64> points;
    for (int64_t point : d->clusters[d->current])
        if (!d->label(point).isDefault()) points.push_back(point);
    if (points.empty()) return Status();
    return d->record(d->store.unlabel(points));
}

Status LabellingSession::agree(bool force)
{
    std::vector<LabelEdit> edits;
    for (int64_t point : d->clusters[d->current]) {
        const LabelState state = d->label(point);
        if ((state.locked && !force) || state.classId == d->predicted[point]) continue;
        edits.push_back({LabelEventKind::SetClass, point, d->predicted[point]});
        if (!state.locked) edits.push_back({LabelEventKind::Lock, point, kUnlabelledClass});
    }
    if (edits.empty()) return Status();
    return d->record(d->store.record(edits));
}

Status LabellingSession::labelOne(int64_t index, int classId)
{
    const Cluster& cluster = d->clusters[d->current];
    if (index < 0 || index >= static_cast<int64_t>(cluster.size()))
        return Status::failure(QStringLiteral("crop %1 is not in the current cluster (it has %2 crops)")
                                   .arg(index)
                                   .arg(cluster.size()));
    const std::vector<qint64> point{cluster[index]};
    if (classId == kUnlabelledClass) return d->record(d->store.unlabel(point));
    return d->record(d->store.setClassAndLock(point, classId));
}

Status LabellingSession::undo() { return d->record(d->store.undo()); }
Status LabellingSession::redo() { return d->record(d->store.redo()); }

Result<int64_t> LabellingSession::next()
{
    using R = Result<int64_t>;
    if (d->current >= 0 && d->unassessed[d->current] > 0)
        return R::failure(QStringLiteral("finish labelling first: %1 crops of cluster %2 are not assessed")
                              .arg(d->unassessed[d->current])
                              .arg(d->current));
    const std::optional<int64_t> target = d->choose();
    if (!target) return R::failure(QStringLiteral("every cluster is assessed; there is no next cluster"));
    if (Status moved = d->moveTo(*target); !moved) return R::failure(moved.error());
    return *target;
}

Result<int64_t> LabellingSession::back()
{
    using R = Result<int64_t>;
    if (d->backStack.empty()) return R::failure(QStringLiteral("no earlier cluster in the history"));
    const int64_t target = d->backStack.back();
    d->backStack.pop_back();
    if (Status saved = d->saveBackStack(); !saved) {
        d->backStack.push_back(target);
        return R::failure(saved.error());
    }
    if (Status shown = d->show(target); !shown) return R::failure(shown.error());
    return target;
}

Status LabellingSession::goTo(int64_t cluster)
{
    if (cluster < 0 || cluster >= static_cast<int64_t>(d->clusters.size()))
        return Status::failure(QStringLiteral("no cluster %1 (the session has clusters 0 to %2)")
                                   .arg(cluster)
                                   .arg(static_cast<int64_t>(d->clusters.size()) - 1));
    if (cluster == d->current) return Status();
    return d->moveTo(cluster);
}

std::vector<GreedyTerms> LabellingSession::greedyCandidates() const { return d->greedyCandidates(); }

SessionStatistics LabellingSession::statistics() const
{
    return computeStatistics(labels(), d->store.classSchema(), d->prior.data(), d->predicted);
}

Coverage LabellingSession::coverage() const
{
    const int64_t assessedClusters = std::count(d->unassessed.begin(), d->unassessed.end(), 0);
    int64_t labelled = 0;
    for (const auto& [point, state] : d->labels) labelled += ClassSchema::countsAsLabelled(state.classId) ? 1 : 0;
    return computeCoverage(d->settings.coverage, static_cast<int64_t>(d->clusters.size()), assessedClusters, labelled);
}

} // namespace slt::core
