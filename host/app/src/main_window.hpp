// The desktop application's main window: menus, the welcome page and a plugin summary in the status bar.
#pragma once

#include <slt/core/plugin_manager.hpp>

#include <QMainWindow>

class QActionGroup;
class QLabel;
class QMenu;

namespace slt::app {

class ThemeManager;
class WelcomeWidget;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    MainWindow(core::PluginManager& plugins, ThemeManager& themes, QWidget* parent = nullptr);

    // Opens Tools ▸ Plugins… modally.
    void openPluginsDialog();
    // Shows a message in the status bar for a while (e.g. a theme that could not be applied).
    void showStatusMessage(const QString& message);

private:
    void buildMenus();
    QMenu* buildThemeMenu(QMenu* parent);
    void updatePluginSummary();
    void showAbout();

    core::PluginManager& m_plugins;
    ThemeManager& m_themes;
    WelcomeWidget* m_welcome = nullptr;
    QLabel* m_pluginSummary = nullptr;
    QActionGroup* m_themeActions = nullptr;
};

} // namespace slt::app
