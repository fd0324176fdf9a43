// Tools ▸ Plugins…: every discovered plugin with its state, the details of the selected one, its
// enable checkbox and the settings form generated from its manifest.
#pragma once

#include "theme.hpp"

#include <slt/core/plugin_manager.hpp>

#include <QDialog>

class QGroupBox;
class QLabel;
class QPushButton;
class QTableView;
class QVBoxLayout;

namespace slt::app {

class PluginDetailsView;
class PluginTableModel;
class SettingsForm;

class PluginsDialog : public QDialog {
    Q_OBJECT
public:
    PluginsDialog(core::PluginManager& manager, const StateColors& colors, QWidget* parent = nullptr);

    QTableView* table() const { return m_table; }
    PluginTableModel* model() const { return m_model; }
    // The form of the selected plugin, or null when it has no settings or nothing is selected.
    SettingsForm* settingsForm() const { return m_settingsForm; }

    void selectRow(int row);

private:
    QWidget* buildSettingsPane();
    void showSelected();
    void rebuildSettingsForm(const core::PluginRecord* record);
    void showSettingsError(const QString& message);
    void updateRestartNotice();

    core::PluginManager& m_manager;
    PluginTableModel* m_model = nullptr;
    QTableView* m_table = nullptr;
    PluginDetailsView* m_details = nullptr;
    QLabel* m_restartNotice = nullptr;
    QGroupBox* m_settingsBox = nullptr;
    QVBoxLayout* m_settingsLayout = nullptr;
    QLabel* m_settingsPlaceholder = nullptr;
    SettingsForm* m_settingsForm = nullptr;
    QLabel* m_settingsError = nullptr;
    QPushButton* m_restoreDefaults = nullptr;
};

} // namespace slt::app
