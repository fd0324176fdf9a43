// slt-bench: benchmarks as a manual program (KDE style: not a test, never fails on time).
//   slt-bench plugins [--runs N]
#include "bench_attenuation.hpp"
#include "bench_journal.hpp"
#include "bench_bank.hpp"
#include "bench_engine.hpp"
#include "bench_mc.hpp"
#include "bench_metrics.hpp"
#include "bench_plugins.hpp"
#include "bench_samplers.hpp"
#include "bench_train.hpp"

#include <QCoreApplication>
#include <QStringList>

#include <cstdio>
#include <functional>
#include <map>

namespace {

using Command = std::function<int(const QStringList& args)>;

const std::map<QString, std::pair<Command, const char*>>& commands()
{
    static const std::map<QString, std::pair<Command, const char*>> table = {
        {"bank-open", {slt::bench::runBankOpen, "LoadedBank of embeddings + scores (default 1,000,000 x 64, C = 9); baseline: pread of the same file byte ranges"}}, {"bank-write", {slt::bench::runBankWrite, "BankWriter points/s, hdf5 and sqlite, with and without crops; baseline: write() of the same column bytes"}},
        {"journal", {slt::bench::runJournal, "label journal append latency p50/p99, synchronous FULL and NORMAL; baseline: raw 4 KiB pwrite + fdatasync"}},
        {"mc", {slt::bench::runMc, "U-Net plugin MC inference, T = 20, images/s at 64x64 and 256x256: encoder once + decoder loop (dropout in the decoder), every-block dropout; baseline: T plain full passes"}},
        {"metrics", {slt::bench::runMetrics,
                     "standard metrics plugin, all metrics in one pass over f32 [T, N, C] (default 1,000,000 x 20 x 9); "
                     "baseline: one streaming read of the same array"}},
        {"plugins", {slt::bench::runPlugins,
                     "discover + load + init of every bundled plugin without a heavy runtime; "
                     "baseline: plain dlopen + entry lookup of the same libraries"}},
        {"clusters", {slt::bench::runClusters, "candidate selection (uncertainty sampler, budget 3000) + clustering + session start on 1,000,000 x 64; baseline: one streaming read of the embeddings"}},
        {"next", {slt::bench::runNext, "pathologist loop: agree (journal commit + attenuation) then next cluster (greedy), p50/p99"}},
        {"attenuation", {slt::bench::runAttenuation, "per-label attenuation update p50/p99 (default 1,000,000 x 64, 200 labels in uncertainty order), unlabel p50/p99; baseline: one streaming read of the matrix"}},
        {"train", {slt::bench::runTrain, "U-Net plugin training images/s (small and original presets, default 64x64, batch 8), one epoch per train() call incl. its checkpoint writes"}},
        {"kcenter", {slt::bench::runKCenter, "k-center sampler: time per centre vs one streaming read of the matrix"}}, {"typicality", {slt::bench::runTypicality, "typicality sampler: total select time (cold start)"}},
    };
    return table;
}

void usage(std::FILE* out)
{
    std::fprintf(out, "usage: slt-bench <command> [--runs N]\n\ncommands:\n");
    for (const auto& [name, command] : commands())
        std::fprintf(out, "  %-10s %s\n", qPrintable(name), command.second);
    std::fprintf(out, "\nEach command prints one JSON object per line.\n");
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QStringList args = app.arguments().mid(1);
    if (args.isEmpty() || args.first() == "--help" || args.first() == "-h") {
        usage(args.isEmpty() ? stderr : stdout);
        return args.isEmpty() ? 2 : 0;
    }
    const auto found = commands().find(args.takeFirst());
    if (found == commands().end()) {
        std::fprintf(stderr, "slt-bench: unknown command\n");
        usage(stderr);
        return 2;
    }
    return found->second.first(args);
}
