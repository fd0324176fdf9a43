// Renders the main window and the Plugins dialog in every bundled theme into
// <build>/tests/gui/screenshots/ and checks that the images are real renderings (not empty, not one
// flat colour). The PNGs are also what a person looks at to judge the themes.
#include "gui_test_plugins.hpp"

#include "main_window.hpp"
#include "plugin_table_model.hpp"
#include "plugins_dialog.hpp"
#include "screenshot.hpp"
#include "theme_manager.hpp"

#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QSet>
#include <QSettings>
#include <QTest>

namespace {

QString screenshotPath(const QString& name)
{
    return QDir(QStringLiteral(SLT_TEST_SCREENSHOT_DIR)).filePath(name + QStringLiteral(".png"));
}

// Distinct colours in a sample of the image: text, icons and frames give dozens; a blank or
// single-colour render gives one or two.
int distinctColours(const QImage& image)
{
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 2) {
        for (int x = 0; x < image.width(); x += 2)
            colours.insert(image.pixel(x, y));
    }
    return colours.size();
}

void checkScreenshot(const QString& path, const QSize& minimumSize)
{
    const QFileInfo info(path);
    QVERIFY2(info.exists(), qPrintable(path));
    QVERIFY2(info.size() > 10 * 1024, qPrintable(QStringLiteral("%1 is only %2 bytes").arg(path).arg(info.size())));
    const QImage image(path);
    QVERIFY(!image.isNull());
    QVERIFY(image.width() >= minimumSize.width() && image.height() >= minimumSize.height());
    QVERIFY2(distinctColours(image) > 20, qPrintable(path));
}

} // namespace

class TestScreenshots : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<slt::test::GuiTestPlugins> m_plugins;
    std::unique_ptr<slt::core::PluginManager> m_manager;
    std::unique_ptr<slt::app::ThemeManager> m_themes;

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("slt"));
        QCoreApplication::setApplicationName(QStringLiteral("slt"));
        QSettings().clear();
        m_plugins = std::make_unique<slt::test::GuiTestPlugins>();
        m_manager = std::make_unique<slt::core::PluginManager>(m_plugins->options());
        m_manager->discover();
        m_themes = std::make_unique<slt::app::ThemeManager>(QStringList{QStringLiteral(SLT_TEST_THEMES_DIR)});
        QDir(QStringLiteral(SLT_TEST_SCREENSHOT_DIR)).removeRecursively();
    }

    void cleanupTestCase() { QSettings().clear(); }

    void rendersEveryTheme_data()
    {
        QTest::addColumn<QString>("theme");
        for (const char* id : {"light", "dark", "high-contrast"})
            QTest::newRow(id) << QString::fromLatin1(id);
    }

    void rendersEveryTheme()
    {
        QFETCH(QString, theme);
        QVERIFY(m_themes->apply(theme, slt::app::ThemeManager::Remember::No).isEmpty());

        slt::app::MainWindow window(*m_manager, *m_themes);
        window.resize(1100, 720);
        const QString windowPath = screenshotPath(QStringLiteral("main-window-") + theme);
        const QString windowError = slt::app::saveScreenshot(window, windowPath);
        QVERIFY2(windowError.isEmpty(), qPrintable(windowError));
        checkScreenshot(windowPath, QSize(1000, 600));

        slt::app::PluginsDialog dialog(*m_manager, m_themes->stateColors(), &window);
        // Show the plugin with the richest details and settings form.
        const int demo = dialog.model()->rowOf(slt::test::settingsDemoId);
        QVERIFY(demo >= 0);
        dialog.selectRow(demo);
        const QString dialogPath = screenshotPath(QStringLiteral("plugins-dialog-") + theme);
        const QString dialogError = slt::app::saveScreenshot(dialog, dialogPath);
        QVERIFY2(dialogError.isEmpty(), qPrintable(dialogError));
        checkScreenshot(dialogPath, QSize(900, 550));
    }

    void unwritablePathIsAnError()
    {
        slt::app::MainWindow window(*m_manager, *m_themes);
        const QString error = slt::app::saveScreenshot(window, QStringLiteral(SLT_TEST_SCREENSHOT_DIR "/x.not-an-image-format"));
        QVERIFY(!error.isEmpty());
    }
};

QTEST_MAIN(TestScreenshots)
#include "tst_screenshots.moc"
