// Checks of a project file made from its bytes alone, before SQLite opens it, so that a file that is not an
// SLT project, is damaged, or is from a newer SLT is refused without being touched (no -wal/-shm files either).
#pragma once

#include "slt/core/result.hpp"

#include <QString>

namespace slt::core::project {

// SQLite's `PRAGMA application_id` of every project file: "SLTP".
inline constexpr quint32 kProjectApplicationId = 0x534C5450;

// The facts read from the 100-byte SQLite header of a project file.
struct ProjectFileHeader {
    int formatVersion = 0;  // PRAGMA user_version
    bool hasWalContent = false; // a non-empty "<path>-wal" lies beside it (not yet checkpointed)
};

// Refuses: a missing path, a folder, an unreadable or empty file, a file that is not SQLite, a SQLite file that
// is not an SLT project, a project from a newer format version than `newestReadable`, and a file shorter than
// its header says (truncated) when no write-ahead log could hold the missing pages.
Result<ProjectFileHeader> checkProjectFile(const QString& path, int newestReadable);

} // namespace slt::core::project
