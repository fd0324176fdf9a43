// Themes are found on disk, applied at run time (palette, font, style sheet), remembered in
// QSettings, and broken ones are reported instead of half-applied.
#include "main_window.hpp"
#include "theme_manager.hpp"

#include <slt/core/plugin_manager.hpp>

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QMenu>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using slt::app::ThemeManager;

namespace {

QString themesDir()
{
    return QStringLiteral(SLT_TEST_THEMES_DIR);
}

bool writeFile(const QString& path, const QByteArray& content)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(content) == content.size();
}

QByteArray validPalette(const char* window)
{
    return QByteArray("[theme]\nname = Test\n[palette]\nwindow = ") + window
           + "\nwindow_text = #000000\nbase = #ffffff\ntext = #000000\nbutton = #dddddd\n"
             "button_text = #000000\nhighlight = #0000aa\nhighlighted_text = #ffffff\n"
             "[state]\nactive = #006600\nproblem = #aa0000\ninactive = #555555\n";
}

} // namespace

class TestThemes : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("slt"));
        QCoreApplication::setApplicationName(QStringLiteral("slt"));
        QSettings().clear();
    }

    void cleanupTestCase() { QSettings().clear(); }

    void findsTheBundledThemes()
    {
        ThemeManager themes(QStringList{themesDir()});
        for (const char* id : {"light", "dark", "high-contrast"}) {
            const slt::app::ThemeEntry* entry = themes.find(QString::fromLatin1(id));
            QVERIFY2(entry, id);
            QVERIFY2(entry->error.isEmpty(), qPrintable(entry->error));
            QVERIFY(entry->theme);
            QVERIFY(!entry->theme->name.isEmpty());
            QVERIFY(!entry->theme->styleSheet.isEmpty());
        }
        QCOMPARE(themes.find(QStringLiteral("high-contrast"))->displayName(), QStringLiteral("High contrast"));
    }

    void applyingChangesPaletteStyleAndSetting()
    {
        ThemeManager themes(QStringList{themesDir()});
        QVERIFY(themes.apply(QStringLiteral("light")).isEmpty());
        const QColor lightWindow = QApplication::palette().color(QPalette::Window);
        const QColor lightHighlight = QApplication::palette().color(QPalette::Highlight);
        QCOMPARE(lightWindow, themes.find(QStringLiteral("light"))->theme->palette.color(QPalette::Window));
        QCOMPARE(QSettings().value(QStringLiteral("ui/theme")).toString(), QStringLiteral("light"));

        QVERIFY(themes.apply(QStringLiteral("dark")).isEmpty());
        const QPalette dark = QApplication::palette();
        QVERIFY(dark.color(QPalette::Window) != lightWindow);
        QVERIFY(dark.color(QPalette::Window).lightnessF() < 0.3);
        QVERIFY(dark.color(QPalette::Text).lightnessF() > 0.7);
        QVERIFY(dark.color(QPalette::Highlight) != lightHighlight);
        QCOMPARE(themes.currentThemeId(), QStringLiteral("dark"));
        QCOMPARE(QSettings().value(QStringLiteral("ui/theme")).toString(), QStringLiteral("dark"));
        QVERIFY(qApp->styleSheet().contains(QStringLiteral("Dark theme")));
        QVERIFY(qApp->styleSheet().contains(QStringLiteral("QGroupBox"))); // base.qss comes first

        QVERIFY(themes.apply(QStringLiteral("high-contrast")).isEmpty());
        QCOMPARE(QApplication::palette().color(QPalette::Window), QColor(Qt::black));
        QCOMPARE(QApplication::font().pointSizeF(), 12.0);
    }

    void rememberedThemeIsUsedAtTheNextStart()
    {
        {
            ThemeManager themes(QStringList{themesDir()});
            QVERIFY(themes.apply(QStringLiteral("dark")).isEmpty());
            // A one-off choice (--theme) is not remembered.
            QVERIFY(themes.apply(QStringLiteral("light"), ThemeManager::Remember::No).isEmpty());
        }
        ThemeManager next(QStringList{themesDir()});
        QVERIFY(next.applyRemembered().isEmpty());
        QCOMPARE(next.currentThemeId(), QStringLiteral("dark"));
    }

    void brokenThemeIsReportedAndNotApplied()
    {
        QTemporaryDir dir;
        QVERIFY(writeFile(dir.filePath(QStringLiteral("broken/palette.ini")),
                          "[palette]\nwindow = #12345\n"));
        QVERIFY(writeFile(dir.filePath(QStringLiteral("broken/style.qss")), ""));
        ThemeManager themes(QStringList{dir.path(), themesDir()});
        QVERIFY(themes.apply(QStringLiteral("light")).isEmpty());
        const QColor before = QApplication::palette().color(QPalette::Window);

        const slt::app::ThemeEntry* broken = themes.find(QStringLiteral("broken"));
        QVERIFY(broken);
        QVERIFY(!broken->theme);
        QVERIFY2(broken->error.contains(QStringLiteral("palette.ini")), qPrintable(broken->error));
        const QString error = themes.apply(QStringLiteral("broken"));
        QVERIFY2(error.contains(QStringLiteral("broken")), qPrintable(error));
        QCOMPARE(QApplication::palette().color(QPalette::Window), before);
        QCOMPARE(themes.currentThemeId(), QStringLiteral("light"));

        QVERIFY(themes.apply(QStringLiteral("no-such-theme")).contains(QStringLiteral("no-such-theme")));
    }

    void badColourErrorNamesTheLine()
    {
        QTemporaryDir dir;
        QByteArray palette = validPalette("#eeeeee");
        palette.replace("highlight = #0000aa", "highlight = bluish");
        QVERIFY(writeFile(dir.filePath(QStringLiteral("typo/palette.ini")), palette));
        QVERIFY(writeFile(dir.filePath(QStringLiteral("typo/style.qss")), ""));
        const slt::app::ThemeLoadResult result = slt::app::loadTheme(dir.filePath(QStringLiteral("typo")));
        QVERIFY(!result.theme);
        QVERIFY2(result.error.contains(QStringLiteral("palette.ini:10:")), qPrintable(result.error));
        QVERIFY2(result.error.contains(QStringLiteral("bluish")), qPrintable(result.error));
    }

    void environmentPathComesFirstAndWins()
    {
        QTemporaryDir dir;
        QVERIFY(writeFile(dir.filePath(QStringLiteral("light/palette.ini")), validPalette("#abcdef")));
        QVERIFY(writeFile(dir.filePath(QStringLiteral("light/style.qss")), "QLabel { }\n"));
        qputenv("SLT_THEME_PATH", dir.path().toUtf8());
        const QStringList path = ThemeManager::defaultSearchPath();
        qunsetenv("SLT_THEME_PATH");
        QCOMPARE(path.first(), dir.path());
        QVERIFY(path.last().endsWith(QStringLiteral("share/slt/themes")));

        ThemeManager themes(QStringList{dir.path(), themesDir()});
        QVERIFY(themes.apply(QStringLiteral("light"), ThemeManager::Remember::No).isEmpty());
        QCOMPARE(QApplication::palette().color(QPalette::Window), QColor(QStringLiteral("#abcdef")));
        QVERIFY(themes.find(QStringLiteral("dark"))); // the bundled ones are still there
    }

    void themeMenuSwitchesTheme()
    {
        ThemeManager themes(QStringList{themesDir()});
        QVERIFY(themes.apply(QStringLiteral("light")).isEmpty());
        slt::core::PluginManagerOptions options;
        QTemporaryDir empty;
        options.searchPath = QStringList{empty.path()};
        options.stateDirectory = empty.filePath(QStringLiteral("state"));
        slt::core::PluginManager plugins(options);
        plugins.discover();
        slt::app::MainWindow window(plugins, themes);

        auto* menu = window.findChild<QMenu*>(QStringLiteral("menuTheme"));
        QVERIFY(menu);
        QCOMPARE(menu->actions().size(), int(themes.themes().size()));
        auto* light = window.findChild<QAction*>(QStringLiteral("theme_light"));
        auto* dark = window.findChild<QAction*>(QStringLiteral("theme_dark"));
        QVERIFY(light && dark);
        QVERIFY(light->isChecked());
        QVERIFY(dark->isCheckable());

        dark->trigger();
        QCOMPARE(themes.currentThemeId(), QStringLiteral("dark"));
        QVERIFY(dark->isChecked());
        QVERIFY(!light->isChecked()); // exclusive
        QCOMPARE(QApplication::palette().color(QPalette::Window),
                 themes.find(QStringLiteral("dark"))->theme->palette.color(QPalette::Window));
        QCOMPARE(QSettings().value(QStringLiteral("ui/theme")).toString(), QStringLiteral("dark"));
    }
};

QTEST_MAIN(TestThemes)
#include "tst_themes.moc"
