// How slt-cli shows plugin records: a table, a detailed text block, and JSON.
#pragma once

#include <slt/core/plugin_manager.hpp>

#include <QJsonObject>
#include <QString>
#include <vector>

namespace slt::cli {

// Every manifest field, the settings schema, state, message, folder and library. `values` (may be empty)
// adds each setting's current value.
QJsonObject recordToJson(const core::PluginRecord& record, const QVariantMap& values = {});

// Columns id, version, kind, state, message; one line per record.
QString recordsTable(const std::vector<core::PluginRecord>& records);

// A "key: value" block for `plugins info`.
QString recordDetails(const core::PluginRecord& record, const QVariantMap& values);

} // namespace slt::cli
