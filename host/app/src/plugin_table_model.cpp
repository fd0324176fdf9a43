#include "plugin_table_model.hpp"

#include "plugin_state_style.hpp"

#include <QDir>

namespace slt::app {

PluginTableModel::PluginTableModel(core::PluginManager& manager, const StateColors& colors, QObject* parent)
    : QAbstractTableModel(parent), m_manager(manager), m_colors(colors)
{
}

int PluginTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_manager.plugins().size());
}

int PluginTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

const core::PluginRecord* PluginTableModel::recordAt(int row) const
{
    const auto& records = m_manager.plugins();
    if (row < 0 || row >= static_cast<int>(records.size()))
        return nullptr;
    return &records[static_cast<size_t>(row)];
}

int PluginTableModel::rowOf(const QString& id) const
{
    for (int row = 0; row < rowCount(); ++row) {
        const core::PluginRecord* record = recordAt(row);
        if (record->manifest.id == id && record->state != core::PluginState::Shadowed)
            return row;
    }
    return -1;
}

bool PluginTableModel::enabledChoice(int row) const
{
    const core::PluginRecord* record = recordAt(row);
    if (!record)
        return false;
    const auto choice = m_choices.find(record->manifest.id);
    return choice != m_choices.end() ? choice->second : record->enabled;
}

bool PluginTableModel::changesAtNextStart(int row) const
{
    const core::PluginRecord* record = recordAt(row);
    if (!record || !canToggle(row))
        return false;
    // What runs now follows the state (Disabled or not), the choice follows the user.
    const bool runsNow = record->state != core::PluginState::Disabled;
    return enabledChoice(row) != runsNow;
}

bool PluginTableModel::canToggle(int row) const
{
    const core::PluginRecord* record = recordAt(row);
    return record && !record->manifest.id.isEmpty() && record->state != core::PluginState::Shadowed;
}

QString PluginTableModel::stateText(int row) const
{
    const core::PluginRecord* record = recordAt(row);
    const QString label = stateLabel(record->state);
    if (!changesAtNextStart(row))
        return label;
    return enabledChoice(row) ? tr("%1 (enabled at next start)").arg(label)
                              : tr("%1 (disabled at next start)").arg(label);
}

QVariant PluginTableModel::displayData(const core::PluginRecord& record, int row, int column) const
{
    switch (column) {
    case NameColumn:
        return record.manifest.name.isEmpty() ? QDir(record.directory).dirName() : record.manifest.name;
    case IdColumn:
        return record.manifest.id;
    case VersionColumn:
        return record.manifest.version;
    case KindColumn:
        return record.manifest.kind;
    case StateColumn:
        return stateText(row);
    case PathColumn:
        return QDir::toNativeSeparators(record.directory);
    default:
        return {};
    }
}

QVariant PluginTableModel::data(const QModelIndex& index, int role) const
{
    const core::PluginRecord* record = index.isValid() ? recordAt(index.row()) : nullptr;
    if (!record)
        return {};
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return displayData(*record, index.row(), column);
    case Qt::CheckStateRole:
        if (column == EnabledColumn && canToggle(index.row()))
            return enabledChoice(index.row()) ? Qt::Checked : Qt::Unchecked;
        return {};
    case Qt::DecorationRole:
        if (column == StateColumn)
            return stateIcon(categoryOf(record->state), m_colors);
        return {};
    case Qt::ForegroundRole:
        if (column == StateColumn)
            return stateColor(categoryOf(record->state), m_colors);
        return {};
    case Qt::ToolTipRole:
        if (column == EnabledColumn && record->state == core::PluginState::Shadowed)
            return tr("Shadowed: the copy earlier in the search path decides whether this id is enabled.");
        if (column == EnabledColumn)
            return tr("Enable or disable this plugin; takes effect at the next start.");
        return record->message.isEmpty() ? QVariant() : QVariant(record->message);
    case PluginIdRole:
        return record->manifest.id;
    case StateRole:
        return static_cast<int>(record->state);
    case MessageRole:
        return record->message;
    default:
        return {};
    }
}

QVariant PluginTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case EnabledColumn:
        return tr("Enabled");
    case NameColumn:
        return tr("Name");
    case IdColumn:
        return tr("Id");
    case VersionColumn:
        return tr("Version");
    case KindColumn:
        return tr("Kind");
    case StateColumn:
        return tr("State");
    case PathColumn:
        return tr("Path");
    default:
        return {};
    }
}

Qt::ItemFlags PluginTableModel::flags(const QModelIndex& index) const
{
    Qt::ItemFlags flags = QAbstractTableModel::flags(index);
    if (index.isValid() && index.column() == EnabledColumn && canToggle(index.row()))
        flags |= Qt::ItemIsUserCheckable;
    return flags;
}

bool PluginTableModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (!index.isValid() || index.column() != EnabledColumn || role != Qt::CheckStateRole
        || !canToggle(index.row()))
        return false;
    const QString id = recordAt(index.row())->manifest.id;
    const bool enabled = value.toInt() == Qt::Checked;
    if (enabled == enabledChoice(index.row()))
        return true;
    m_manager.setEnabled(id, enabled);
    m_choices[id] = enabled;
    // The same id may appear in several rows (shadowed copies): refresh all of them.
    Q_EMIT dataChanged(this->index(0, EnabledColumn), this->index(rowCount() - 1, StateColumn));
    Q_EMIT enabledChoiceChanged(id, enabled);
    return true;
}

} // namespace slt::app
