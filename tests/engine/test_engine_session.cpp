// The labelling session on a small real bank: navigation (greedy against a brute-force z-score computation,
// never onto an assessed cluster, refusal while unassessed, history), agree and locks, undo/redo of labels
// AND attenuated values, and reopening a project.
#include "engine_test_support.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <map>

using namespace slt::core;
using slt::test::EngineBank;

namespace {

// Labels every crop of the current cluster with its predicted class through "agree".
void assessCurrent(LabellingSession& session)
{
    REQUIRE(session.agree(true).ok());
    for (const CropView& crop : session.currentView().crops)
        if (crop.label.classId == kUnlabelledClass) REQUIRE(session.labelOne(0, 0).ok());
}

// The greedy choice computed from scratch from the session's public state (the original's formulas).
int64_t bruteForceGreedy(const LabellingSession& session, const LoadedBank& bank)
{
    const int32_t dim = bank.metadata().embeddingDim;
    const float* x = bank.embeddings().data();
    std::map<int, int64_t> counts;
    std::vector<int64_t> tissue;
    for (const PointLabel& label : session.labels())
        if (label.state.classId >= 0) {
            ++counts[label.state.classId];
            tissue.push_back(label.point);
        }
    std::vector<int64_t> ids;
    std::vector<double> u, r, c;
    for (int64_t id = 0; id < static_cast<int64_t>(session.clusters().size()); ++id) {
        const ClusterView view = session.view(id);
        if (id == session.currentCluster() || view.assessed) continue;
        double sum = 0, n = 0;
        std::map<int, int64_t> labelled, predicted;
        std::vector<double> centroid(static_cast<size_t>(dim), 0.0);
        for (const CropView& crop : view.crops) {
            if (crop.label.classId == kUnlabelledClass) {
                sum += crop.attenuated;
                ++n;
            }
            if (crop.label.classId >= 0) ++labelled[crop.label.classId];
            ++predicted[crop.predicted];
            for (int32_t d = 0; d < dim; ++d) centroid[d] += x[crop.point * dim + d] / double(view.crops.size());
        }
        const auto& votes = labelled.empty() ? predicted : labelled;
        int majority = votes.begin()->first;
        for (const auto& [cls, count] : votes)
            if (count > votes.at(majority)) majority = cls;
        double nearest = tissue.empty() ? 0.0 : std::numeric_limits<double>::infinity();
        for (int64_t p : tissue) {
            double s = 0;
            for (int32_t d = 0; d < dim; ++d) s += (centroid[d] - x[p * dim + d]) * (centroid[d] - x[p * dim + d]);
            nearest = std::min(nearest, std::sqrt(s));
        }
        ids.push_back(id);
        u.push_back(sum / n);
        r.push_back(1.0 / (double(counts.count(majority) ? counts[majority] : 0) + 1.0));
        c.push_back(nearest);
    }
    auto z = [](const std::vector<double>& v) {
        double mean = 0, var = 0;
        for (double a : v) mean += a / v.size();
        for (double a : v) var += (a - mean) * (a - mean) / v.size();
        const double sd = var > 0 ? std::sqrt(var) : 1.0;
        std::vector<double> out;
        for (double a : v) out.push_back((a - mean) / sd);
        return out;
    };
    const auto zu = z(u), zr = z(r), zc = z(c);
    size_t best = 0;
    for (size_t i = 1; i < ids.size(); ++i)
        if (zu[i] + zr[i] + zc[i] > zu[best] + zr[best] + zc[best] + 1e-9) best = i;
    return ids[best];
}

} // namespace

TEST_CASE("greedy next equals a brute-force z-score computation and never lands on an assessed cluster")
{
    if (!slt::test::enginePluginsBuilt()) return;
    EngineBank bank;
    LabellingSession session = bank.start(slt::test::smallSettings());
    REQUIRE(session.clusters().size() >= 10);
    for (int step = 0; step < 8; ++step) {
        assessCurrent(session);
        // vary the classes so the rarity term is not constant
        REQUIRE(session.labelOne(0, step % 4).ok());
        const int64_t expected = bruteForceGreedy(session, bank.bank());
        const auto next = session.next();
        INFO(next.error().toStdString());
        REQUIRE(next.ok());
        REQUIRE(*next == expected);
        REQUIRE(!session.currentView().assessed);
    }
}

TEST_CASE("next is refused while the current cluster has an unassessed crop; back walks the history")
{
    if (!slt::test::enginePluginsBuilt()) return;
    EngineBank bank;
    SessionSettings settings = slt::test::smallSettings();
    settings.navigation = NavigationPolicy::Sequential;
    LabellingSession session = bank.start(settings);
    const int64_t first = session.currentCluster();
    const auto refused = session.next();
    REQUIRE(!refused.ok());
    REQUIRE(refused.error().contains(QStringLiteral("finish labelling first")));
    REQUIRE(session.currentCluster() == first);
    REQUIRE(session.labelCluster(kUnsureClass).ok()); // unsure counts as assessed for moving on
    const auto second = session.next();
    REQUIRE(second.ok());
    REQUIRE(*second != first);
    REQUIRE(session.goTo(0).ok());
    REQUIRE(*session.back() == *second);
    REQUIRE(*session.back() == first);
    REQUIRE(!session.back().ok());
    REQUIRE(!session.goTo(static_cast<int64_t>(session.clusters().size())).ok());
}

TEST_CASE("every policy visits only clusters with unassessed crops until none is left")
{
    if (!slt::test::enginePluginsBuilt()) return;
    EngineBank bank;
    for (NavigationPolicy policy : {NavigationPolicy::Greedy, NavigationPolicy::Sequential, NavigationPolicy::Random}) {
        SessionSettings settings = slt::test::smallSettings();
        settings.navigation = policy;
        settings.budget = 30;
        LabellingSession session = bank.start(settings);
        size_t visited = 1;
        while (true) {
            assessCurrent(session);
            const auto next = session.next();
            if (!next.ok()) {
                REQUIRE(next.error().contains(QStringLiteral("every cluster is assessed")));
                break;
            }
            REQUIRE(!session.currentView().assessed);
            ++visited;
        }
        REQUIRE(visited == session.clusters().size());
        REQUIRE(session.coverage().reached);
        REQUIRE(session.coverage().progress == 1.0);
    }
}

TEST_CASE("agree skips locked crops, force-agree does not")
{
    if (!slt::test::enginePluginsBuilt()) return;
    EngineBank bank;
    LabellingSession session = bank.start(slt::test::smallSettings());
    const ClusterView view = session.currentView();
    REQUIRE(view.crops.size() >= 2);
    const int other = (view.crops[0].predicted + 1) % 4;
    REQUIRE(session.labelOne(0, other).ok());
    REQUIRE(session.agree(false).ok());
    ClusterView after = session.currentView();
    REQUIRE(after.crops[0].label == LabelState{other, true});
    for (size_t i = 1; i < after.crops.size(); ++i) REQUIRE(after.crops[i].label == LabelState{after.crops[i].predicted, true});
    REQUIRE(session.agree(true).ok());
    REQUIRE(session.currentView().crops[0].label == LabelState{view.crops[0].predicted, true});
}

TEST_CASE("undo and redo through the session restore labels and attenuated values")
{
    if (!slt::test::enginePluginsBuilt()) return;
    EngineBank bank;
    LabellingSession session = bank.start(slt::test::smallSettings());
    const std::vector<float> untouched(session.attenuation().values(), session.attenuation().values() + bank.bank().size());
    REQUIRE(session.labelCluster(2).ok());
    const std::vector<PointLabel> labelled = session.labels();
    const std::vector<float> attenuated(session.attenuation().values(), session.attenuation().values() + bank.bank().size());
    slt::test::requireAttenuationMatchesBruteForce(session, bank.bank());
    REQUIRE(session.labelOne(1, kArtefactClass).ok());
    REQUIRE(session.labelOne(2, kUnsureClass).ok());
    slt::test::requireAttenuationMatchesBruteForce(session, bank.bank());
    REQUIRE(session.undo().ok());
    REQUIRE(session.undo().ok());
    REQUIRE(session.labels() == labelled);
    REQUIRE(std::equal(attenuated.begin(), attenuated.end(), session.attenuation().values()));
    REQUIRE(session.undo().ok());
    REQUIRE(session.labels().empty());
    REQUIRE(std::equal(untouched.begin(), untouched.end(), session.attenuation().values()));
    REQUIRE(session.redo().ok());
    REQUIRE(session.labels() == labelled);
    slt::test::requireAttenuationMatchesBruteForce(session, bank.bank());
    REQUIRE(session.unlabelCluster().ok());
    REQUIRE(session.labels().empty());
    slt::test::requireAttenuationMatchesBruteForce(session, bank.bank());
}

TEST_CASE("statistics: counts, balanced weights, mean prior uncertainty and agreement")
{
    if (!slt::test::enginePluginsBuilt()) return;
    EngineBank bank;
    LabellingSession session = bank.start(slt::test::smallSettings());
    const ClusterView view = session.currentView();
    REQUIRE(session.labelCluster(1).ok());
    REQUIRE(session.labelOne(0, 3).ok());
    const SessionStatistics stats = session.statistics();
    const int64_t n = static_cast<int64_t>(view.crops.size());
    REQUIRE(stats.tissueLabelled == n);
    REQUIRE(stats.classes[1].count == n - 1);
    REQUIRE(stats.classes[3].count == 1);
    REQUIRE(stats.classes[1].weight == Approx(double(n) / (2.0 * double(n - 1))));
    REQUIRE(stats.classes[3].weight == Approx(double(n) / 2.0));
    REQUIRE(stats.classes[3].meanPriorUncertainty == Approx(view.crops[0].prior));
    int64_t agreeing = view.crops[0].predicted == 3 ? 1 : 0;
    for (int64_t i = 1; i < n; ++i) agreeing += view.crops[i].predicted == 1 ? 1 : 0;
    REQUIRE(stats.agreeing == agreeing);
    REQUIRE(stats.agreement == Approx(double(agreeing) / double(n)));
}

TEST_CASE("reopening the project shows the same clusters, labels, current cluster and history")
{
    if (!slt::test::enginePluginsBuilt()) return;
    EngineBank bank;
    std::vector<Cluster> clusters;
    std::vector<PointLabel> labels;
    int64_t current = -1, previous = -1;
    double lambda = 0;
    QString path;
    {
        LabellingSession session = bank.start(slt::test::smallSettings());
        path = session.store().path();
        lambda = session.attenuation().lambda();
        REQUIRE(session.settings().lambdaEstimate == lambda); // automatic λ, stored for the next opening
        previous = session.currentCluster();
        assessCurrent(session);
        REQUIRE(session.next().ok());
        REQUIRE(session.labelOne(0, kArtefactClass).ok());
        clusters = session.clusters();
        labels = session.labels();
        current = session.currentCluster();
    }
    auto resumed = LabellingSession::resume(bank.bank(), bank.reopen(path));
    INFO(resumed.error().toStdString());
    REQUIRE(resumed.ok());
    REQUIRE(resumed->clusters() == clusters);
    REQUIRE(resumed->labels() == labels);
    REQUIRE(resumed->currentCluster() == current);
    REQUIRE(resumed->attenuation().lambda() == lambda);
    REQUIRE(resumed->settings().lambda == 0); // still "automatic"
    slt::test::requireAttenuationMatchesBruteForce(*resumed, bank.bank());
    REQUIRE(*resumed->back() == previous);
    // a second start on the same project is refused
    REQUIRE(!LabellingSession::start(bank.bank(), bank.reopen(path), bank.sampler(QStringLiteral("org.slt.sampler.random")),
                                     slt::test::smallSettings()).ok());
}
