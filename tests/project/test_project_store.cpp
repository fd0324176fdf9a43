// Creating and reopening projects, every label operation, settings, navigation, the append-only journal and
// the thread rule.
#include "project_test_support.hpp"

#include <slt/core/version.hpp>

#include <thread>

using namespace slt::core;
using slt::test::ProjectFolder;
using slt::test::text;

TEST_CASE("project: create writes meta, schema and bank; reopen reads them back", "[project]")
{
    ProjectFolder folder;
    const ClassSchema schema = ClassSchema::withTissueClasses(4);
    {
        auto store = ProjectStore::create(folder.path(), slt::test::testBank(500), schema, "annotator-a");
        INFO(text(store.error()));
        REQUIRE(store.ok());
        CHECK(store->formatVersion() == kProjectFormatVersion);
        CHECK(store->annotator() == "annotator-a");
    }
    auto store = ProjectStore::open(folder.path(), slt::test::testBank().uuid);
    INFO(text(store.error()));
    REQUIRE(store.ok());
    CHECK(store->bank().uuid == slt::test::testBank().uuid);
    CHECK(store->bank().path == "banks/run-12.h5");
    CHECK(store->bank().pointCount == 500);
    CHECK(store->classSchema() == schema);
    CHECK(store->formatVersion() == 1);
    CHECK(store->writtenByVersion() == kAppVersion);
    CHECK(store->createdUtc().endsWith('Z'));
    CHECK(store->annotator() == "annotator-a"); // the creator, when open() names nobody
    // Only the project file is left once the store is closed: no temporary or WAL files.
    store = Result<ProjectStore>::failure("closed");
    CHECK(folder.entries() == QStringList{"project.sltp"});
}

TEST_CASE("project: create refuses bad requests and leaves nothing behind", "[project][bad-input]")
{
    ProjectFolder folder;
    const ClassSchema schema = ClassSchema::sltDefault();
    slt::test::writeBytes(folder.path("taken.sltp"), "someone's file");
    const QByteArray before = slt::test::fingerprint(folder.path("taken.sltp"));

    struct Case {
        QString path;
        BankRef bank;
        QString annotator;
        QString expected;
    };
    BankRef noUuid = slt::test::testBank();
    noUuid.uuid = "  ";
    BankRef negative = slt::test::testBank();
    negative.pointCount = -1;
    const std::vector<Case> cases = {
        {folder.path("taken.sltp"), slt::test::testBank(), "a", "already exists"},
        {folder.path("missing/p.sltp"), slt::test::testBank(), "a", "does not exist"},
        {QString(), slt::test::testBank(), "a", "needs a file name"},
        {folder.path("p.sltp"), noUuid, "a", "uuid"},
        {folder.path("p.sltp"), negative, "a", "negative"},
        {folder.path("p.sltp"), slt::test::testBank(), " ", "annotator"},
    };
    for (const Case& c : cases) {
        auto store = ProjectStore::create(c.path, c.bank, schema, c.annotator);
        INFO(text(c.expected));
        REQUIRE_FALSE(store.ok());
        CHECK(store.error().contains(c.expected));
    }
    CHECK(slt::test::fingerprint(folder.path("taken.sltp")) == before);
    CHECK(folder.entries() == QStringList{"taken.sltp"});
}

TEST_CASE("project: set class, lock, unlock and unlabel change the derived labels", "[project]")
{
    ProjectFolder folder;
    ProjectStore store = folder.create();

    auto set = store.setClass({3, 4, 5}, 2);
    REQUIRE(set.ok());
    CHECK(set->kind == LabelEventKind::SetClass);
    CHECK(set->lastEvent - set->firstEvent == 2);
    CHECK(set->changed.size() == 3);
    CHECK(*store.label(4) == LabelState{2, false});

    REQUIRE(store.lock({4}).ok());
    CHECK(*store.label(4) == LabelState{2, true});
    REQUIRE(store.setClass({4}, kArtefactClass).ok()); // a new class keeps the lock flag
    CHECK(*store.label(4) == LabelState{kArtefactClass, true});
    REQUIRE(store.unlock({4}).ok());
    CHECK(*store.label(4) == LabelState{kArtefactClass, false});

    auto locked = store.setClassAndLock({7}, kUnsureClass); // the right-click path
    REQUIRE(locked.ok());
    CHECK(locked->lastEvent - locked->firstEvent == 1); // set_class + lock
    REQUIRE(locked->changed.size() == 1);
    CHECK(locked->changed.front() == PointLabel{7, {kUnsureClass, true}});
    CHECK(*store.label(7) == LabelState{kUnsureClass, true});
    REQUIRE(store.unlabel({7, 3}).ok()); // unlabel also unlocks
    CHECK(*store.label(7) == LabelState{});
    CHECK(*store.label(3) == LabelState{});
    CHECK(*store.label(999) == LabelState{});

    REQUIRE(store.lock({10}).ok()); // a lock on an unlabelled point is recorded as such
    const auto state = store.derivedState();
    REQUIRE(state.ok());
    const std::vector<PointLabel> expected = {{4, {kArtefactClass, false}}, {5, {2, false}}, {10, {kUnlabelledClass, true}}};
    CHECK(state->labels == expected);
}

TEST_CASE("project: the journal records every event with before and after states", "[project]")
{
    ProjectFolder folder;
    ProjectStore store = folder.create();
    REQUIRE(store.setClass({1}, 5).ok());
    REQUIRE(store.setAnnotator("annotator-b").ok());
    auto mixed = store.record({{LabelEventKind::SetClass, 1, 6}, {LabelEventKind::Lock, 2, 0},
                               {LabelEventKind::SetClass, 8, 0}});
    REQUIRE(mixed.ok());
    REQUIRE(store.undo().ok());

    const auto events = store.journal();
    REQUIRE(events.ok());
    REQUIRE(events->size() == 5);
    const JournalEvent& first = events->at(0);
    CHECK(first.id == 1);
    CHECK(first.action == 1);
    CHECK(first.kind == LabelEventKind::SetClass);
    CHECK(first.point == 1);
    CHECK(first.after == LabelState{5, false});
    CHECK(first.before == LabelState{});
    CHECK(first.annotator == "annotator-a");
    CHECK(first.timeUtc.endsWith('Z'));
    const JournalEvent& second = events->at(1);
    CHECK(second.action == 2);
    CHECK(second.before == LabelState{5, false});
    CHECK(second.after == LabelState{6, false});
    CHECK(second.annotator == "annotator-b");
    CHECK(events->at(2).kind == LabelEventKind::Lock);
    CHECK(events->at(2).after == LabelState{kUnlabelledClass, true});
    CHECK(events->at(3).action == 2); // one action, three events
    const JournalEvent& undo = events->at(4);
    CHECK(undo.kind == LabelEventKind::Undo);
    CHECK(undo.action == 3);
    CHECK(undo.target == 2);
    CHECK(undo.point == -1);

    const auto tail = store.journal(3);
    REQUIRE(tail.ok());
    REQUIRE(tail->size() == 2);
    CHECK(tail->front().id == 4);
}

TEST_CASE("project: bad label actions are refused and record nothing", "[project][bad-input]")
{
    ProjectFolder folder;
    ProjectStore store = folder.create("p.sltp", 100);
    REQUIRE(store.setClass({1}, 1).ok());
    struct Case {
        std::vector<LabelEdit> edits;
        QString expected;
    };
    const std::vector<Case> cases = {
        {{}, "at least one point"},
        {{{LabelEventKind::SetClass, -1, 1}}, "point -1 is not in the bank (points 0..99)"},
        {{{LabelEventKind::SetClass, 100, 1}}, "point 100 is not in the bank"},
        {{{LabelEventKind::SetClass, 5, 9}}, "class 9 is not in the project's class schema"},
        {{{LabelEventKind::SetClass, 5, kUnlabelledClass}}, "unlabel the point instead"},
        {{{LabelEventKind::Undo, 5, 0}}, "undo and redo are actions of their own"},
    };
    for (const Case& c : cases) {
        auto recorded = store.record(c.edits);
        INFO(text(c.expected));
        REQUIRE_FALSE(recorded.ok());
        CHECK(recorded.error().contains(c.expected));
    }
    CHECK_FALSE(store.setClass({}, 1).ok());
    CHECK_FALSE(store.lock({100}).ok());
    CHECK_FALSE(store.label(100).ok());
    CHECK_FALSE(store.setAnnotator("  ").ok());
    CHECK(store.journal()->size() == 1);
    CHECK(*store.label(1) == LabelState{1, false});
}

TEST_CASE("project: settings and navigation history persist", "[project]")
{
    ProjectFolder folder;
    {
        ProjectStore store = folder.create();
        REQUIRE(store.setSetting("sampler", "org.slt.sampler.random").ok());
        REQUIRE(store.setSetting("lambda", "0.5").ok());
        REQUIRE(store.setSetting("lambda", "0.25").ok()); // overwrites
        CHECK_FALSE(store.setSetting(" ", "x").ok());
        for (qint64 cluster : {4, 9, 4, 2})
            REQUIRE(store.recordVisit(cluster).ok());
    }
    auto store = ProjectStore::open(folder.path(), slt::test::testBank().uuid);
    REQUIRE(store.ok());
    CHECK(store->setting("lambda")->value() == "0.25");
    CHECK(store->setting("sampler")->value() == "org.slt.sampler.random");
    CHECK_FALSE(store->setting("coverage_target")->has_value());
    CHECK(store->settings()->size() == 2);
    CHECK(*store->visitedClusters() == std::vector<qint64>{4, 9, 4, 2});
}

TEST_CASE("project: labels, annotator and synchronous mode across reopen", "[project]")
{
    ProjectFolder folder;
    {
        ProjectStore store = folder.create();
        REQUIRE(store.setClass({1, 2}, 3).ok());
        REQUIRE(store.setSynchronous(Synchronous::Normal).ok());
        REQUIRE(store.lock({2}).ok());
    }
    ProjectOptions options;
    options.annotator = "annotator-c";
    options.synchronous = Synchronous::Normal;
    auto store = ProjectStore::open(folder.path(), slt::test::testBank().uuid, options);
    REQUIRE(store.ok());
    CHECK(*store->label(2) == LabelState{3, true});
    REQUIRE(store->unlabel({1}).ok());
    CHECK(store->journal(3)->front().annotator == "annotator-c");
    REQUIRE(store->setSynchronous(Synchronous::Full).ok());
}

TEST_CASE("project: the journal is append-only in the file itself", "[project]")
{
    ProjectFolder folder;
    {
        ProjectStore store = folder.create();
        REQUIRE(store.setClass({1}, 1).ok());
    }
    CHECK(slt::test::rawExec(folder.path(), "DELETE FROM events").contains("append-only"));
    CHECK(slt::test::rawExec(folder.path(), "UPDATE events SET class = 2").contains("append-only"));
    auto store = ProjectStore::open(folder.path(), slt::test::testBank().uuid);
    REQUIRE(store.ok());
    CHECK(store->journal()->size() == 1);
}

TEST_CASE("project: a store is used only by the thread that opened it", "[project]")
{
    ProjectFolder folder;
    ProjectStore store = folder.create();
    QString error;
    std::thread other([&] { error = store.setClass({1}, 1).error(); });
    other.join();
    CHECK(error.contains("only by the thread that opened it"));
    CHECK(store.journal()->empty());
    // Another store on the same file, opened in that thread, works; SQLite serialises the writers.
    std::thread second([&] {
        auto own = ProjectStore::open(folder.path(), slt::test::testBank().uuid);
        error = own ? own->setClass({2}, 2).error() : own.error();
    });
    second.join();
    CHECK(error.isEmpty());
    CHECK(*store.label(2) == LabelState{2, false});
}

TEST_CASE("project: a checkpoint copies the write-ahead log into the project file", "[project]")
{
    ProjectFolder folder;
    ProjectStore store = folder.create();
    const qint64 sizeBefore = QFileInfo(folder.path()).size();
    for (qint64 point = 0; point < 300; ++point)
        REQUIRE(store.setClass({point}, static_cast<int>(point % 9)).ok());
    CHECK(QFileInfo(folder.path()).size() == sizeBefore); // everything is still in the WAL
    REQUIRE(store.checkpoint().ok());
    CHECK(QFileInfo(folder.path()).size() > sizeBefore);
    CHECK(store.journal()->size() == 300);
}
