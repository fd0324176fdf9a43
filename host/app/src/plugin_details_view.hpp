// The details pane of the Plugins dialog: everything the manifest and the manager say about one
// plugin, with the full state message wrapped and selectable so it can be copied into a report.
#pragma once

#include "theme.hpp"

#include <slt/core/plugin_manager.hpp>

#include <QWidget>

class QLabel;

namespace slt::app {

class PluginDetailsView : public QWidget {
    Q_OBJECT
public:
    explicit PluginDetailsView(const StateColors& colors, QWidget* parent = nullptr);

    // `record` may be null (nothing selected). `pendingText` says what changes at the next start.
    void showPlugin(const core::PluginRecord* record, const QString& pendingText = {});

private:
    QLabel* addField(const QString& objectName, const QString& title);

    StateColors m_colors;
    QLabel* m_name = nullptr;
    QLabel* m_description = nullptr;
    QLabel* m_license = nullptr;
    QLabel* m_library = nullptr;
    QLabel* m_sdkAbi = nullptr;
    QLabel* m_dependencies = nullptr;
    QLabel* m_state = nullptr;
    QLabel* m_message = nullptr;
};

} // namespace slt::app
