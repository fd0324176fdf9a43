// The project store: one SQLite file per labelling project (ARCHITECTURE §6, SPEC G4). It holds the bank the
// project refers to, the class schema, an append-only journal of label events, the labels derived from it,
// the navigation history and the settings. The file format and the undo/redo rules are in
// docs/project-format.md.
//
// Durability: every call that records something commits before it returns (WAL; synchronous FULL by default),
// so an acknowledged label survives a crash of the application, and with FULL also a power cut.
//
// Thread rule: one ProjectStore per thread. A store is used only by the thread that created or opened it
// (other threads get a failure); two stores, in one process or in two, may open the same file, and their
// writes are serialised by SQLite.
#pragma once

#include "slt/core/class_schema.hpp"
#include "slt/core/project/label_journal.hpp"
#include "slt/core/result.hpp"

#include <QString>

#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace slt::core {

// The bank a project labels. The uuid identifies it; the path is kept as the user gave it, to say where
// the project expects to find it.
struct BankRef {
    QString uuid;
    QString path;
    qint64 pointCount = 0;
};

enum class Synchronous {
    Full,   // each commit waits for fdatasync of the WAL: survives power loss (default)
    Normal, // no sync at commit: survives a crash of the application, not of the machine
};

struct ProjectOptions {
    Synchronous synchronous = Synchronous::Full;
    QString annotator; // open(): who records the next events; empty = the project's creator
};

// The project file format this build writes, and the newest one it reads.
inline constexpr int kProjectFormatVersion = 1;

class ProjectStore {
public:
    // Creates a new project file at `path` (refused when it exists) and opens it. The file appears complete or
    // not at all: it is built under a temporary name in the same folder and renamed into place.
    static Result<ProjectStore> create(const QString& path, const BankRef& bank, const ClassSchema& schema,
                                       const QString& annotator, const ProjectOptions& options = {});
    // Opens an existing project. Refused, with the file untouched, when it is not an SLT project, is damaged,
    // is from a newer format version, or belongs to another bank than `expectedBankUuid`.
    static Result<ProjectStore> open(const QString& path, const QString& expectedBankUuid,
                                     const ProjectOptions& options = {});

    // The bank a project file refers to, read without opening it for writing (to find the bank before open()).
    // Fails like open() for a file that is not a readable SLT project.
    static Result<BankRef> bankOf(const QString& path);

    ProjectStore(ProjectStore&&) noexcept;
    ProjectStore& operator=(ProjectStore&&) noexcept;
    ~ProjectStore();

    const QString& path() const;
    const BankRef& bank() const;
    const ClassSchema& classSchema() const;
    int formatVersion() const;
    const QString& createdUtc() const;
    const QString& writtenByVersion() const; // application version that created the file
    const QString& annotator() const;
    Status setAnnotator(const QString& annotator);
    Status setSynchronous(Synchronous mode);
    // Copies the write-ahead log into the main file now. SQLite also does this by itself inside the commit that
    // crosses 4000 WAL pages; calling it at idle moments (moving to the next cluster) keeps that cost off labels.
    Status checkpoint();

    // Label actions. Each call is one action (one undo step) made of one event per point, committed before the
    // call returns. Points must lie in [0, bank point count); a point may appear more than once (events apply
    // in order). SetClass takes a tissue class, kUnsureClass or kArtefactClass of the schema (use unlabel for
    // kUnlabelledClass).
    Result<RecordedAction> record(const std::vector<LabelEdit>& edits);
    Result<RecordedAction> setClass(const std::vector<qint64>& points, int classId);
    // The right-click path: each point gets the class and is locked, as one action.
    Result<RecordedAction> setClassAndLock(const std::vector<qint64>& points, int classId);
    Result<RecordedAction> lock(const std::vector<qint64>& points);
    Result<RecordedAction> unlock(const std::vector<qint64>& points);
    Result<RecordedAction> unlabel(const std::vector<qint64>& points);
    // Reverts the latest applied action; fails with "nothing to undo" when there is none.
    Result<RecordedAction> undo();
    // Re-applies the latest undone action; fails with "nothing to redo" when the redo chain is empty.
    Result<RecordedAction> redo();
    Result<bool> canUndo();
    Result<bool> canRedo();

    Result<LabelState> label(qint64 point);
    Result<DerivedState> derivedState();
    // Journal events with id > afterEvent, in order.
    Result<std::vector<JournalEvent>> journal(qint64 afterEvent = 0);
    // Replaces the derived tables by a replay of the journal (one transaction). A journal that contradicts
    // itself (an undo of an action that was not the latest applied one, ...) is reported, nothing is changed.
    Status rebuildDerivedState();

    // Navigation history: the clusters visited, in order.
    Status recordVisit(qint64 cluster);
    Result<std::vector<qint64>> visitedClusters();

    // Settings: key/value text ("sampler", "coverage_target", "lambda", ...).
    Status setSetting(const QString& key, const QString& value);
    Result<std::optional<QString>> setting(const QString& key);
    Result<std::map<QString, QString>> settings();

private:
    class Impl;
    explicit ProjectStore(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

} // namespace slt::core
