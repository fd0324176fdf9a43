#include "bench_engine.hpp"

#include "bench_report.hpp"
#include "bench_support.hpp"

#include "slt/core/bank/loaded_bank.hpp"
#include "slt/core/class_schema.hpp"
#include "slt/core/engine/candidates.hpp"
#include "slt/core/engine/clustering.hpp"
#include "slt/core/engine/labelling_session.hpp"
#include "slt/core/project/project_store.hpp"

#include <QElapsedTimer>

#include <algorithm>
#include <cstdio>
#include <optional>

namespace slt::bench {
namespace {

double msSince(const QElapsedTimer& timer)
{
    return static_cast<double>(timer.nsecsElapsed()) / 1e6;
}

double percentile(std::vector<double> samples, double q)
{
    if (samples.empty())
        return 0;
    std::sort(samples.begin(), samples.end());
    return samples[static_cast<size_t>(q * static_cast<double>(samples.size() - 1))];
}

// A loaded synthetic bank (or --bank FILE), the bundled plugins and a temporary folder for projects.
struct EngineSetup {
    BundledPlugins plugins;
    QTemporaryDir folder;
    std::optional<core::LoadedBank> bank;
    std::optional<core::SamplerPlugin> sampler;

    bool prepare(const QStringList& args, const char* what)
    {
        QString path = textOption(args, "--bank");
        if (path.isEmpty()) {
            path = folder.filePath(QStringLiteral("bench.h5"));
            const core::Status made = synthesizeBenchBank(plugins, path, intOption(args, "--points", 1000000),
                                                          static_cast<int>(intOption(args, "--dim", 64)), what);
            if (!made)
                return fail(what, made.error());
        }
        auto backend = core::findBankBackend(plugins.banks, path);
        if (!backend)
            return fail(what, backend.error());
        auto loaded = core::LoadedBank::load(*backend, path, core::kSessionColumns);
        if (!loaded)
            return fail(what, loaded.error());
        bank.emplace(std::move(*loaded));
        auto found = core::samplerPluginById(*plugins.manager, QLatin1String(core::kDefaultSampler));
        if (!found)
            return fail(what, found.error());
        sampler = *found;
        return true;
    }

    core::Result<core::ProjectStore> newProject(int run)
    {
        const core::BankRef ref{QString::fromStdString(bank->metadata().uuid), QStringLiteral("bench.h5"), bank->size()};
        return core::ProjectStore::create(folder.filePath(QStringLiteral("run%1.sltp").arg(run)), ref,
                                          core::ClassSchema::withTissueClasses(bank->metadata().classes()), "bench");
    }

    static bool fail(const char* what, const QString& message)
    {
        std::fprintf(stderr, "%s: %s\n", what, qPrintable(message));
        return false;
    }
};

// The prior (first score column) as the contiguous array the sampler reads.
std::vector<float> firstScoreColumn(const core::LoadedBank& bank)
{
    const int64_t n = bank.size();
    const int64_t m = bank.metadata().metrics();
    std::vector<float> prior(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i)
        prior[static_cast<size_t>(i)] = bank.scores().data()[i * m];
    return prior;
}

} // namespace

int runClusters(const QStringList& args)
{
    const char* what = "slt-bench clusters";
    EngineSetup setup;
    if (!setup.prepare(args, what))
        return 1;
    const core::LoadedBank& bank = *setup.bank;
    const int32_t dim = bank.metadata().embeddingDim;
    const int64_t budget = intOption(args, "--budget", 3000);
    const int runs = static_cast<int>(std::max<qint64>(1, intOption(args, "--runs", 3)));
    const std::vector<float> prior = firstScoreColumn(bank);
    const double read = timeStreamingRead(bank.embeddings().data(), static_cast<size_t>(bank.size()) * dim);

    std::vector<double> selection, clustering, start;
    for (int run = 0; run < runs; ++run) {
        QElapsedTimer timer;
        timer.start();
        core::CandidatePool pool{bank.size(), dim, prior.data(), bank.embeddings().data(), nullptr};
        auto candidates = core::selectCandidates(*setup.sampler, pool, budget, static_cast<uint64_t>(run));
        if (!candidates)
            return EngineSetup::fail(what, candidates.error()) ? 0 : 1;
        selection.push_back(msSince(timer));
        timer.restart();
        core::ClusteringOptions options;
        options.seed = static_cast<uint64_t>(run);
        const auto clusters = core::clusterCandidates(bank.embeddings().data(), dim, *candidates, options);
        clustering.push_back(msSince(timer));

        auto store = setup.newProject(run);
        if (!store)
            return EngineSetup::fail(what, store.error()) ? 0 : 1;
        core::SessionSettings settings;
        settings.budget = budget;
        settings.seed = static_cast<uint64_t>(run);
        timer.restart();
        auto session = core::LabellingSession::start(bank, std::move(*store), *setup.sampler, settings);
        if (!session)
            return EngineSetup::fail(what, session.error()) ? 0 : 1;
        start.push_back(msSince(timer));
    }
    const QJsonObject extra{{"points", static_cast<double>(bank.size())}, {"dim", dim}, {"budget", static_cast<double>(budget)},
                            {"runs", runs}};
    print({"clusters", "select_median", median(selection), "ms", read, extra});
    print({"clusters", "cluster_median", median(clustering), "ms", read, extra});
    print({"clusters", "session_start_median", median(start), "ms", read, extra});
    return 0;
}

int runNext(const QStringList& args)
{
    const char* what = "slt-bench next";
    EngineSetup setup;
    if (!setup.prepare(args, what))
        return 1;
    const core::LoadedBank& bank = *setup.bank;
    auto store = setup.newProject(0);
    if (!store)
        return EngineSetup::fail(what, store.error()) ? 0 : 1;
    core::SessionSettings settings;
    settings.budget = intOption(args, "--budget", 3000);
    auto session = core::LabellingSession::start(bank, std::move(*store), *setup.sampler, settings);
    if (!session)
        return EngineSetup::fail(what, session.error()) ? 0 : 1;

    const int64_t steps = intOption(args, "--steps", 300);
    std::vector<double> action, next;
    for (int64_t step = 0; step < steps; ++step) {
        QElapsedTimer timer;
        timer.start();
        if (core::Status agreed = session->agree(false); !agreed)
            return EngineSetup::fail(what, agreed.error()) ? 0 : 1;
        action.push_back(msSince(timer));
        timer.restart();
        if (!session->next())
            break; // every cluster assessed
        next.push_back(msSince(timer));
    }
    const QJsonObject extra{{"points", static_cast<double>(bank.size())}, {"dim", bank.metadata().embeddingDim},
                            {"clusters", static_cast<double>(session->clusters().size())},
                            {"steps", static_cast<double>(next.size())}, {"navigation", "greedy"}};
    print({"next", "agree_p50", percentile(action, 0.5), "ms", std::nullopt, extra});
    print({"next", "agree_p99", percentile(action, 0.99), "ms", std::nullopt, extra});
    print({"next", "next_p50", percentile(next, 0.5), "ms", std::nullopt, extra});
    print({"next", "next_p99", percentile(next, 0.99), "ms", std::nullopt, extra});
    return 0;
}

} // namespace slt::bench
