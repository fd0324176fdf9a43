// slt: the desktop application.
#include "app_info.hpp"
#include "main_window.hpp"
#include "screenshot.hpp"
#include "theme_manager.hpp"

#include <slt/core/plugin_manager.hpp>

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QTextStream>

namespace {

struct CommandLine {
    QString screenshotFile; // --screenshot FILE: render the main window to FILE and exit
    QString themeId;        // --theme NAME: use this theme for this run (not remembered)
};

CommandLine parseCommandLine(const QApplication& app)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("SLT, the Smart Labelling Tool: uncertainty-aware active learning for histopathology."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                        QStringLiteral("Render the main window to FILE (PNG) and exit."),
                                        QStringLiteral("FILE"));
    const QCommandLineOption theme(QStringLiteral("theme"),
                                   QStringLiteral("Use theme NAME (e.g. light, dark, high-contrast) for this run."),
                                   QStringLiteral("NAME"));
    parser.addOption(screenshot);
    parser.addOption(theme);
    parser.process(app); // exits on --help, --version and unknown options
    return {parser.value(screenshot), parser.value(theme)};
}

slt::core::PluginManagerOptions pluginOptions()
{
    slt::core::PluginManagerOptions options;
    // Plugins are validated in a child process by slt-cli when it sits beside the app.
    const QString probe = QCoreApplication::applicationDirPath() + QStringLiteral("/slt-cli");
    if (QFileInfo(probe).isExecutable())
        options.probeExecutable = probe;
    return options;
}

} // namespace

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("slt"));
    QApplication::setApplicationName(QStringLiteral("slt"));
    QApplication::setApplicationDisplayName(QStringLiteral("SLT"));
    QApplication::setApplicationVersion(slt::app::applicationVersion());
    const CommandLine commandLine = parseCommandLine(app);
    QTextStream err(stderr);

    slt::app::ThemeManager themes;
    const QString themeError = commandLine.themeId.isEmpty()
                                   ? themes.applyRemembered()
                                   : themes.apply(commandLine.themeId, slt::app::ThemeManager::Remember::No);
    if (!themeError.isEmpty()) {
        err << "slt: " << themeError << '\n';
        if (!commandLine.themeId.isEmpty())
            return 2;
    }

    slt::core::PluginManager plugins(pluginOptions());
    plugins.discover();

    slt::app::MainWindow window(plugins, themes);
    if (!commandLine.screenshotFile.isEmpty()) {
        const QString error = slt::app::saveScreenshot(window, commandLine.screenshotFile);
        if (!error.isEmpty()) {
            err << "slt: " << error << '\n';
            return 1;
        }
        return 0;
    }
    if (!themeError.isEmpty())
        window.showStatusMessage(themeError);
    window.show();
    return app.exec();
}
