// The tables of a project file, format version 1 (docs/project-format.md is the reader's description).
#pragma once

#include "sqlite_connection.hpp"

#include <QString>

#include <map>

namespace slt::core::project {

// Creates every table, index and trigger in an empty database and fills `meta`, in one transaction; sets the
// application id and user_version that checkProjectFile() reads.
Status createProjectTables(Connection& connection, const std::map<QString, QString>& meta);

// Fails, naming the first table that is missing, when the file lacks a table of the format.
Status checkProjectTables(Connection& connection, const QString& path);

// Every row of `meta`.
Result<std::map<QString, QString>> readMeta(Connection& connection);

} // namespace slt::core::project
