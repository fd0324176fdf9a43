// Child process of the durability test: opens a project and records label actions in a tight loop until it is
// killed. After each call returns (the action is committed), it prints the action's event ids, one per line, and
// flushes, so every line the parent reads is an acknowledged event.
//   slt_project_journal_writer PROJECT BANK_UUID SEED
#include <slt/core/project/project_store.hpp>

#include <cstdio>
#include <cstdlib>
#include <random>

using namespace slt::core;

namespace {

// A realistic mix: mostly single-point and cluster (6-point) labels, some right-click locks, unlabels, undos
// and redos.
Result<RecordedAction> nextAction(ProjectStore& store, std::mt19937& random)
{
    auto pick = [&](qint64 low, qint64 high) { return std::uniform_int_distribution<qint64>(low, high)(random); };
    const qint64 points = store.bank().pointCount;
    const int tissue = store.classSchema().tissueClassCount();
    const int choice = static_cast<int>(pick(0, 19));
    const qint64 first = pick(0, points - 6);
    const int classId = static_cast<int>(pick(0, tissue - 1));
    if (choice < 8)
        return store.setClass({first}, classId);
    if (choice < 13)
        return store.setClass({first, first + 1, first + 2, first + 3, first + 4, first + 5}, classId);
    if (choice < 15)
        return store.setClassAndLock({first}, choice == 14 ? kArtefactClass : classId);
    if (choice < 16)
        return store.unlabel({first, first + 1, first + 2});
    if (choice < 17)
        return store.unlock({first});
    if (choice < 19)
        return store.undo();
    return store.redo();
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 4) {
        std::fprintf(stderr, "usage: slt_project_journal_writer PROJECT BANK_UUID SEED\n");
        return 2;
    }
    auto store = ProjectStore::open(QString::fromLocal8Bit(argv[1]), QString::fromLocal8Bit(argv[2]));
    if (!store) {
        std::fprintf(stderr, "%s\n", qPrintable(store.error()));
        return 1;
    }
    std::mt19937 random(static_cast<unsigned>(std::strtoul(argv[3], nullptr, 10)));
    while (true) {
        const auto recorded = nextAction(*store, random);
        if (!recorded) {
            // Undo with an empty history and redo with an empty redo chain are expected refusals.
            if (recorded.error().startsWith(QLatin1String("nothing to")))
                continue;
            std::fprintf(stderr, "%s\n", qPrintable(recorded.error()));
            return 1;
        }
        for (qint64 event = recorded->firstEvent; event <= recorded->lastEvent; ++event)
            std::printf("%lld\n", static_cast<long long>(event));
        std::fflush(stdout);
    }
}
