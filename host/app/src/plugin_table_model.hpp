// Table model over every plugin the manager discovered, in discovery order (search-path order), so
// a shadowed copy appears after the one that wins.
#pragma once

#include "theme.hpp"

#include <slt/core/plugin_manager.hpp>

#include <QAbstractTableModel>

#include <map>

namespace slt::app {

class PluginTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { EnabledColumn, NameColumn, IdColumn, VersionColumn, KindColumn, StateColumn, PathColumn, ColumnCount };
    enum Role {
        PluginIdRole = Qt::UserRole + 1, // QString: manifest id (may be empty for a broken manifest)
        StateRole,                       // int: core::PluginState
        MessageRole                      // QString: the manager's full message
    };

    PluginTableModel(core::PluginManager& manager, const StateColors& colors, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;

    const core::PluginRecord* recordAt(int row) const;
    int rowOf(const QString& id) const; // the winning (non-shadowed) row for `id`, or -1

    // The user's choice for the plugin in `row`: made in this session, or as persisted.
    bool enabledChoice(int row) const;
    // True when the choice differs from what is running, i.e. it applies at the next start.
    bool changesAtNextStart(int row) const;
    // Shadowed copies and broken manifests have no choice of their own.
    bool canToggle(int row) const;

Q_SIGNALS:
    void enabledChoiceChanged(const QString& id, bool enabled);

private:
    QVariant displayData(const core::PluginRecord& record, int row, int column) const;
    QString stateText(int row) const;

    core::PluginManager& m_manager;
    StateColors m_colors;
    std::map<QString, bool> m_choices; // id -> enabled, set in this session
};

} // namespace slt::app
