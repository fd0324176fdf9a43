#include "main_window.hpp"

#include "app_info.hpp"
#include "plugin_state_style.hpp"
#include "plugins_dialog.hpp"
#include "theme_manager.hpp"
#include "welcome_widget.hpp"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>

namespace slt::app {

MainWindow::MainWindow(core::PluginManager& plugins, ThemeManager& themes, QWidget* parent)
    : QMainWindow(parent), m_plugins(plugins), m_themes(themes)
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("SLT — Smart Labelling Tool"));
    resize(1100, 720);

    m_welcome = new WelcomeWidget(this);
    setCentralWidget(m_welcome);
    connect(m_welcome, &WelcomeWidget::pluginsRequested, this, &MainWindow::openPluginsDialog);

    m_pluginSummary = new QLabel(this);
    m_pluginSummary->setObjectName(QStringLiteral("pluginSummary"));
    statusBar()->addPermanentWidget(m_pluginSummary);

    buildMenus();
    updatePluginSummary();
}

void MainWindow::buildMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->setObjectName(QStringLiteral("menuFile"));
    QAction* quit = file->addAction(tr("&Quit"), QKeySequence::Quit, qApp, &QApplication::closeAllWindows);
    quit->setObjectName(QStringLiteral("actionQuit"));
    quit->setStatusTip(tr("Close SLT"));

    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->setObjectName(QStringLiteral("menuView"));
    buildThemeMenu(view);

    QMenu* tools = menuBar()->addMenu(tr("&Tools"));
    tools->setObjectName(QStringLiteral("menuTools"));
    QAction* pluginsAction = tools->addAction(tr("&Plugins…"), this, &MainWindow::openPluginsDialog);
    pluginsAction->setObjectName(QStringLiteral("actionPlugins"));
    pluginsAction->setStatusTip(tr("List every plugin found, its state, and its settings"));

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->setObjectName(QStringLiteral("menuHelp"));
    QAction* about = help->addAction(tr("&About SLT"), this, &MainWindow::showAbout);
    about->setObjectName(QStringLiteral("actionAboutSlt"));
    QAction* aboutQt = help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
    aboutQt->setObjectName(QStringLiteral("actionAboutQt"));
}

QMenu* MainWindow::buildThemeMenu(QMenu* parent)
{
    QMenu* menu = parent->addMenu(tr("&Theme"));
    menu->setObjectName(QStringLiteral("menuTheme"));
    m_themeActions = new QActionGroup(this);
    m_themeActions->setExclusive(true);
    for (const ThemeEntry& entry : m_themes.themes()) {
        QAction* action = menu->addAction(entry.displayName());
        action->setObjectName(QStringLiteral("theme_") + entry.id);
        action->setCheckable(true);
        action->setChecked(entry.id == m_themes.currentThemeId());
        action->setData(entry.id);
        // A broken theme stays visible, greyed out, with the reason, rather than silently missing.
        action->setEnabled(entry.theme.has_value());
        action->setStatusTip(entry.theme ? entry.theme->description : entry.error);
        m_themeActions->addAction(action);
    }
    if (m_themes.themes().empty()) {
        QAction* none = menu->addAction(tr("No themes found in %1").arg(m_themes.searchPath().join(QStringLiteral(", "))));
        none->setEnabled(false);
    }
    connect(m_themeActions, &QActionGroup::triggered, this, [this](QAction* action) {
        const QString error = m_themes.apply(action->data().toString());
        if (!error.isEmpty())
            showStatusMessage(error);
    });
    connect(&m_themes, &ThemeManager::themeChanged, this, [this](const QString& id) {
        for (QAction* action : m_themeActions->actions())
            action->setChecked(action->data().toString() == id);
    });
    return menu;
}

void MainWindow::updatePluginSummary()
{
    const PluginCounts counts = countPlugins(m_plugins.plugins());
    const QString summary = summaryText(counts);
    m_pluginSummary->setText(summary);
    m_pluginSummary->setToolTip(tr("Tools ▸ Plugins… shows the details"));
    m_welcome->setPluginSummary(summary, counts.problems > 0);
}

void MainWindow::openPluginsDialog()
{
    PluginsDialog dialog(m_plugins, m_themes.stateColors(), this);
    dialog.exec();
    updatePluginSummary();
}

void MainWindow::showStatusMessage(const QString& message)
{
    statusBar()->showMessage(message, 15000);
}

void MainWindow::showAbout()
{
    QMessageBox::about(
        this, tr("About SLT"),
        tr("<h3>SLT %1</h3>"
           "<p>The Smart Labelling Tool: uncertainty-aware active learning for histopathology.</p>"
           "<p>Plugin SDK ABI %2<br>Qt %3</p>")
            .arg(applicationVersion(), sdkAbiVersion(), QString::fromLatin1(qVersion())));
}

} // namespace slt::app
