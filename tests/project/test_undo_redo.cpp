// Undo and redo: whole actions as units, chains of mixed actions, the redo chain cleared by a new action,
// persistence across reopen, and the derived state against an independent model and against a rebuild.
#include "project_test_support.hpp"

#include <map>
#include <random>

using namespace slt::core;
using slt::test::ProjectFolder;
using slt::test::text;

namespace {

using Labels = std::map<qint64, LabelState>;

Labels labelsOf(ProjectStore& store)
{
    const auto state = store.derivedState();
    REQUIRE(state.ok());
    Labels labels;
    for (const PointLabel& label : state->labels)
        labels[label.point] = label.state;
    return labels;
}

// The editor model the store must follow, written the simplest way: whole snapshots on two stacks.
class EditorModel {
public:
    void action(const std::vector<LabelEdit>& edits)
    {
        undoStack_.push_back(current_);
        redoStack_.clear();
        for (const LabelEdit& edit : edits) {
            const LabelState after = applyLabelEvent(current_[edit.point], edit.kind, edit.classId);
            current_[edit.point] = after;
        }
        prune();
    }
    bool undo()
    {
        if (undoStack_.empty())
            return false;
        redoStack_.push_back(current_);
        current_ = undoStack_.back();
        undoStack_.pop_back();
        return true;
    }
    bool redo()
    {
        if (redoStack_.empty())
            return false;
        undoStack_.push_back(current_);
        current_ = redoStack_.back();
        redoStack_.pop_back();
        return true;
    }
    const Labels& labels() const { return current_; }

private:
    void prune()
    {
        for (auto it = current_.begin(); it != current_.end();)
            it = it->second.isDefault() ? current_.erase(it) : std::next(it);
    }
    Labels current_;
    std::vector<Labels> undoStack_, redoStack_;
};

} // namespace

TEST_CASE("undo: nothing to undo or redo in a new project", "[project][undo]")
{
    ProjectFolder folder;
    ProjectStore store = folder.create();
    auto undo = store.undo();
    REQUIRE_FALSE(undo.ok());
    CHECK(undo.error() == "nothing to undo");
    auto redo = store.redo();
    REQUIRE_FALSE(redo.ok());
    CHECK(redo.error() == "nothing to redo");
    CHECK_FALSE(*store.canUndo());
    CHECK_FALSE(*store.canRedo());
    CHECK(store.journal()->empty()); // refused undo/redo write nothing
}

TEST_CASE("undo: a cluster label is one unit for undo and redo", "[project][undo]")
{
    ProjectFolder folder;
    ProjectStore store = folder.create();
    REQUIRE(store.setClass({2}, 7).ok());
    const std::vector<qint64> cluster = {1, 2, 3, 4, 5, 6};
    auto labelled = store.setClass(cluster, 4);
    REQUIRE(labelled.ok());

    auto undone = store.undo();
    REQUIRE(undone.ok());
    CHECK(undone->kind == LabelEventKind::Undo);
    CHECK(undone->target == labelled->action);
    CHECK(undone->firstEvent == undone->lastEvent);
    CHECK(undone->changed.size() == 6);
    CHECK(labelsOf(store) == Labels{{2, {7, false}}});
    CHECK(*store.canRedo());

    auto redone = store.redo();
    REQUIRE(redone.ok());
    CHECK(redone->kind == LabelEventKind::Redo);
    CHECK(redone->target == labelled->action);
    CHECK(redone->changed.size() == 6);
    Labels expected;
    for (qint64 point : cluster)
        expected[point] = {4, false};
    CHECK(labelsOf(store) == expected);
    CHECK_FALSE(*store.canRedo());
}

TEST_CASE("undo: a chain of mixed actions, then a new action clears the redo chain", "[project][undo]")
{
    ProjectFolder folder;
    ProjectStore store = folder.create();
    const qint64 a1 = store.setClass({1, 2, 3}, 1)->action;          // 1,2,3 -> class 1
    const qint64 a2 = store.setClassAndLock({2}, kArtefactClass)->action; // 2 -> artefact, locked
    const qint64 a3 = store.unlabel({1, 2})->action;                 // 1,2 -> unlabelled, unlocked
    const Labels afterA1 = {{1, {1, false}}, {2, {1, false}}, {3, {1, false}}};
    const Labels afterA2 = {{1, {1, false}}, {2, {kArtefactClass, true}}, {3, {1, false}}};
    const Labels afterA3 = {{3, {1, false}}};
    CHECK(labelsOf(store) == afterA3);

    CHECK(store.undo()->target == a3);
    CHECK(labelsOf(store) == afterA2);
    CHECK(store.undo()->target == a2); // restores class and lock flag of point 2
    CHECK(labelsOf(store) == afterA1);
    CHECK(store.redo()->target == a2);
    CHECK(labelsOf(store) == afterA2);
    CHECK(store.undo()->target == a2);
    CHECK(store.undo()->target == a1);
    CHECK(labelsOf(store).empty());
    CHECK_FALSE(*store.canUndo());
    CHECK(store.redo()->target == a1);
    CHECK(labelsOf(store) == afterA1);

    // a2 and a3 are on the redo chain; a new action discards them.
    const qint64 a4 = store.lock({3})->action;
    CHECK_FALSE(*store.canRedo());
    CHECK(store.redo().error() == "nothing to redo");
    const auto state = store.derivedState();
    std::map<qint64, ActionStatus> statuses;
    for (const ActionState& action : state->actions)
        statuses[action.action] = action.status;
    const std::map<qint64, ActionStatus> expected = {{a1, ActionStatus::Applied},
                                                     {a2, ActionStatus::Discarded},
                                                     {a3, ActionStatus::Discarded},
                                                     {a4, ActionStatus::Applied}};
    CHECK(statuses == expected);
    CHECK(state->actions.at(1).firstEvent == 4); // a1 holds events 1-3, a2 (set_class + lock) events 4-5
    CHECK(state->actions.at(1).lastEvent == 5);
    CHECK(store.undo()->target == a4);
    CHECK(store.undo()->target == a1); // undo skips the discarded actions
    CHECK(labelsOf(store).empty());
}

TEST_CASE("undo: the undo history survives closing and reopening", "[project][undo]")
{
    ProjectFolder folder;
    qint64 second = 0;
    {
        ProjectStore store = folder.create();
        REQUIRE(store.setClass({1}, 1).ok());
        second = store.setClass({1}, 2)->action;
        REQUIRE(store.setClass({1}, 3).ok());
        REQUIRE(store.undo().ok());
    }
    auto store = ProjectStore::open(folder.path(), slt::test::testBank().uuid);
    REQUIRE(store.ok());
    CHECK(*store->label(1) == LabelState{2, false});
    CHECK(store->redo().ok());
    CHECK(*store->label(1) == LabelState{3, false});
    REQUIRE(store->undo().ok());
    CHECK(store->undo()->target == second);
    CHECK(*store->label(1) == LabelState{1, false});
}

TEST_CASE("undo: a random script matches the editor model, and a rebuild gives the same state", "[project][undo]")
{
    ProjectFolder folder;
    ProjectStore store = folder.create("p.sltp", 40);
    EditorModel model;
    std::mt19937 random(1234);
    auto pick = [&](int low, int high) { return std::uniform_int_distribution<int>(low, high)(random); };
    const int classes[] = {kArtefactClass, kUnsureClass, 0, 1, 2, 3, 4, 5, 6, 7, 8};
    const LabelEventKind edits[] = {LabelEventKind::SetClass, LabelEventKind::Lock, LabelEventKind::Unlock,
                                    LabelEventKind::Unlabel};
    for (int step = 0; step < 600; ++step) {
        const int choice = pick(0, 9);
        if (choice < 2) {
            CHECK(store.undo().ok() == model.undo());
        } else if (choice < 3) {
            CHECK(store.redo().ok() == model.redo());
        } else {
            // One action of 1..6 distinct neighbouring points with mixed kinds and classes.
            std::vector<LabelEdit> action;
            const int size = pick(1, 6);
            const int first = pick(0, 39 - size);
            for (int i = 0; i < size; ++i)
                action.push_back({edits[pick(0, 3)], first + i, classes[pick(0, 10)]});
            auto recorded = store.record(action);
            INFO(text(recorded.error()));
            REQUIRE(recorded.ok());
            model.action(action);
        }
        REQUIRE(labelsOf(store) == model.labels());
    }
    const auto incremental = store.derivedState();
    REQUIRE(incremental.ok());
    REQUIRE(store.rebuildDerivedState().ok());
    const auto rebuilt = store.derivedState();
    REQUIRE(rebuilt.ok());
    CHECK(rebuilt->labels == incremental->labels);
    CHECK(rebuilt->actions == incremental->actions);
    CHECK(rebuilt->actions.size() > 100);
}

TEST_CASE("undo: a rebuild refuses a journal that contradicts itself and changes nothing", "[project][undo]")
{
    ProjectFolder folder;
    {
        ProjectStore store = folder.create();
        REQUIRE(store.setClass({1}, 1).ok());
        REQUIRE(store.setClass({2}, 2).ok());
    }
    // An undo of action 1 while action 2 is the latest applied one cannot have been written by the store.
    REQUIRE(slt::test::rawExec(folder.path(), "INSERT INTO events(action, kind, target_action, annotator, time_utc) "
                                              "VALUES (3, 'undo', 1, 'x', '2026-01-01T00:00:00.000Z')")
                .isEmpty());
    auto store = ProjectStore::open(folder.path(), slt::test::testBank().uuid);
    REQUIRE(store.ok());
    const auto before = store->derivedState();
    const Status rebuilt = store->rebuildDerivedState();
    REQUIRE_FALSE(rebuilt.ok());
    CHECK(rebuilt.error().contains("event 3"));
    CHECK(rebuilt.error().contains("not the latest applied action"));
    CHECK(*store->derivedState() == *before);
}
