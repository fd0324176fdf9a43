// The Plugins dialog lists every discovered plugin with its state and message, shows the selected
// plugin's details and settings form, and persists enable/disable and settings through the manager.
#include "gui_test_plugins.hpp"

#include "plugin_table_model.hpp"
#include "plugins_dialog.hpp"
#include "settings_form.hpp"
#include "theme_manager.hpp"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTableView>
#include <QTest>
#include <QToolButton>

#include <memory>

using slt::app::PluginsDialog;
using slt::app::PluginTableModel;
using slt::core::PluginState;

class TestPluginsDialog : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<slt::test::GuiTestPlugins> m_plugins;
    std::unique_ptr<slt::core::PluginManager> m_manager;
    std::unique_ptr<PluginsDialog> m_dialog;

    PluginTableModel* model() const { return m_dialog->model(); }

    // The row showing `id` in `state`, or -1.
    int rowOf(const QString& id, PluginState state) const
    {
        for (int row = 0; row < model()->rowCount(); ++row) {
            const slt::core::PluginRecord* record = model()->recordAt(row);
            if (record->manifest.id == id && record->state == state)
                return row;
        }
        return -1;
    }

    QString cell(int row, int column) const { return model()->index(row, column).data().toString(); }
    QString message(int row) const { return model()->index(row, 0).data(PluginTableModel::MessageRole).toString(); }

    template <typename Widget>
    Widget* child(const QString& name) const
    {
        auto* widget = m_dialog->findChild<Widget*>(name);
        if (!widget)
            qWarning("no child %s named %s", Widget::staticMetaObject.className(), qPrintable(name));
        return widget;
    }

private Q_SLOTS:
    void initTestCase()
    {
        // The same settings file as the application and the plugin manager: <config>/slt/slt.conf.
        QCoreApplication::setOrganizationName(QStringLiteral("slt"));
        QCoreApplication::setApplicationName(QStringLiteral("slt"));
        QSettings().clear();
        slt::app::ThemeManager themes(QStringList{QStringLiteral(SLT_TEST_THEMES_DIR)});
        QVERIFY(themes.apply(QStringLiteral("light"), slt::app::ThemeManager::Remember::No).isEmpty());

        m_plugins = std::make_unique<slt::test::GuiTestPlugins>();
        QVERIFY(m_plugins->isValid());
        m_manager = std::make_unique<slt::core::PluginManager>(m_plugins->options());
        m_manager->discover();
        m_dialog = std::make_unique<PluginsDialog>(*m_manager, themes.stateColors());
        m_dialog->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_dialog.get()));
    }

    void cleanupTestCase()
    {
        m_dialog.reset();
        m_manager.reset();
        QSettings().clear();
    }

    void listsEveryDiscoveredPlugin()
    {
        // 5 manifests written by the test, plus the real plugins the build has.
        const int expected = 5 + (slt::test::GuiTestPlugins::hasRandomSampler() ? 1 : 0)
                             + (slt::test::GuiTestPlugins::hasInitErrorFixture() ? 1 : 0);
        QCOMPARE(model()->rowCount(), expected);
        QCOMPARE(m_dialog->table()->model()->rowCount(), expected);
        QCOMPARE(model()->columnCount(), int(PluginTableModel::ColumnCount));
        QCOMPARE(model()->headerData(PluginTableModel::EnabledColumn, Qt::Horizontal).toString(), QStringLiteral("Enabled"));
        QCOMPARE(model()->headerData(PluginTableModel::StateColumn, Qt::Horizontal).toString(), QStringLiteral("State"));
    }

    void showsManifestErrorsWithLocation()
    {
        int row = -1;
        for (int candidate = 0; candidate < model()->rowCount(); ++candidate) {
            if (model()->recordAt(candidate)->directory.endsWith(QStringLiteral("/broken_toml")))
                row = candidate;
        }
        QVERIFY(row >= 0);
        QCOMPARE(model()->recordAt(row)->state, PluginState::ManifestInvalid);
        QCOMPARE(cell(row, PluginTableModel::StateColumn), QStringLiteral("manifest invalid"));
        // file:line:column, pointing at the second line where the TOML breaks.
        QVERIFY2(message(row).contains(QStringLiteral("plugin.toml:2:")), qPrintable(message(row)));
        // Nothing to enable: a broken manifest has no id to remember the choice by.
        QVERIFY(!(model()->flags(model()->index(row, PluginTableModel::EnabledColumn)) & Qt::ItemIsUserCheckable));
        // The name falls back to the folder so the row is still recognisable.
        QCOMPARE(cell(row, PluginTableModel::NameColumn), QStringLiteral("broken_toml"));
    }

    void showsIncompatibleAndMissingDependency()
    {
        const int future = rowOf(slt::test::futureAbiId, PluginState::Incompatible);
        QVERIFY(future >= 0);
        QCOMPARE(cell(future, PluginTableModel::StateColumn), QStringLiteral("incompatible"));
        QVERIFY2(message(future).contains(QStringLiteral("2.0")), qPrintable(message(future)));

        const int needs = rowOf(slt::test::needsDependencyId, PluginState::DependencyMissing);
        QVERIFY(needs >= 0);
        QCOMPARE(cell(needs, PluginTableModel::StateColumn), QStringLiteral("dependency missing"));
        QVERIFY2(message(needs).contains(slt::test::absentDependencyId), qPrintable(message(needs)));
    }

    void showsLoadFailureAndShadowedCopy()
    {
        const int demo = rowOf(slt::test::settingsDemoId, PluginState::LoadFailed);
        QVERIFY(demo >= 0);
        QVERIFY2(message(demo).contains(QStringLiteral("settings_demo.so")), qPrintable(message(demo)));
        QCOMPARE(cell(demo, PluginTableModel::VersionColumn), QStringLiteral("0.3.1"));
        QCOMPARE(cell(demo, PluginTableModel::KindColumn), QStringLiteral("exporter"));
        QVERIFY(cell(demo, PluginTableModel::PathColumn).endsWith(QStringLiteral("first/settings_demo")));

        const int shadow = rowOf(slt::test::settingsDemoId, PluginState::Shadowed);
        QVERIFY(shadow > demo); // discovery order: the winner comes first
        QVERIFY(cell(shadow, PluginTableModel::PathColumn).endsWith(QStringLiteral("second/settings_demo")));
        QVERIFY(!(model()->flags(model()->index(shadow, PluginTableModel::EnabledColumn)) & Qt::ItemIsUserCheckable));
    }

    void showsRealPlugins()
    {
        if (slt::test::GuiTestPlugins::hasRandomSampler()) {
            const int random = rowOf(slt::test::randomSamplerId, PluginState::Active);
            QVERIFY2(random >= 0, "the bundled random sampler is listed and active");
            QCOMPARE(cell(random, PluginTableModel::StateColumn), QStringLiteral("active"));
            QCOMPARE(cell(random, PluginTableModel::KindColumn), QStringLiteral("sampler"));
            QCOMPARE(model()->index(random, PluginTableModel::EnabledColumn).data(Qt::CheckStateRole).toInt(), int(Qt::Checked));
        }
        if (slt::test::GuiTestPlugins::hasInitErrorFixture()) {
            const int failing = rowOf(slt::test::GuiTestPlugins::initErrorFixtureId(), PluginState::InitFailed);
            QVERIFY2(failing >= 0, "the init-error fixture is listed as init failed");
            QCOMPARE(cell(failing, PluginTableModel::StateColumn), QStringLiteral("init failed"));
            QVERIFY(!message(failing).isEmpty());
        }
        if (!slt::test::GuiTestPlugins::hasRandomSampler() && !slt::test::GuiTestPlugins::hasInitErrorFixture())
            QSKIP("this build has neither the random sampler nor the init-error fixture");
    }

    void stateColumnIsColouredAndIconed()
    {
        const int problem = rowOf(slt::test::futureAbiId, PluginState::Incompatible);
        const int inactive = rowOf(slt::test::settingsDemoId, PluginState::Shadowed);
        const QModelIndex problemState = model()->index(problem, PluginTableModel::StateColumn);
        const QModelIndex inactiveState = model()->index(inactive, PluginTableModel::StateColumn);
        QVERIFY(!problemState.data(Qt::DecorationRole).value<QIcon>().isNull());
        const QColor problemColor = problemState.data(Qt::ForegroundRole).value<QColor>();
        const QColor inactiveColor = inactiveState.data(Qt::ForegroundRole).value<QColor>();
        QVERIFY(problemColor.isValid());
        QVERIFY(problemColor != inactiveColor);
    }

    void detailsPaneShowsTheSelectedPlugin()
    {
        const int demo = rowOf(slt::test::settingsDemoId, PluginState::LoadFailed);
        m_dialog->selectRow(demo);
        QCOMPARE(child<QLabel>(QStringLiteral("detailsName"))->text(), QStringLiteral("Settings demo 0.3.1"));
        QCOMPARE(child<QLabel>(QStringLiteral("detailsDescription"))->text(), QStringLiteral("Declares one setting of every type."));
        QCOMPARE(child<QLabel>(QStringLiteral("detailsLicense"))->text(), QStringLiteral("BSD-3-Clause"));
        QCOMPARE(child<QLabel>(QStringLiteral("detailsSdkAbi"))->text(), QStringLiteral("1.0"));
        QVERIFY(child<QLabel>(QStringLiteral("detailsLibrary"))->text().endsWith(QStringLiteral("settings_demo.so")));
        QCOMPARE(child<QLabel>(QStringLiteral("detailsDependencies"))->text(), QStringLiteral("none"));
        QCOMPARE(child<QLabel>(QStringLiteral("detailsState"))->text(), QStringLiteral("load failed"));
        QCOMPARE(child<QLabel>(QStringLiteral("detailsMessage"))->text(), message(demo));
        QVERIFY(child<QLabel>(QStringLiteral("detailsMessage"))->wordWrap());

        const int needs = rowOf(slt::test::needsDependencyId, PluginState::DependencyMissing);
        m_dialog->selectRow(needs);
        QCOMPARE(child<QLabel>(QStringLiteral("detailsDependencies"))->text(),
                 slt::test::absentDependencyId + QStringLiteral(" >= 2.1.0"));
        QCOMPARE(child<QLabel>(QStringLiteral("detailsDescription"))->text(), QStringLiteral("–"));
    }

    void settingsFormIsGeneratedFromTheManifest()
    {
        m_dialog->selectRow(rowOf(slt::test::settingsDemoId, PluginState::LoadFailed));
        QVERIFY(m_dialog->settingsForm());

        auto* verbose = child<QCheckBox>(QStringLiteral("setting_verbose"));
        QVERIFY(verbose);
        QVERIFY(verbose->isChecked());

        auto* batch = child<QSpinBox>(QStringLiteral("setting_batch_size"));
        QVERIFY(batch);
        QCOMPARE(batch->value(), 64);
        QCOMPARE(batch->minimum(), 1);
        QCOMPARE(batch->maximum(), 4096);
        QCOMPARE(batch->toolTip(), QStringLiteral("Points per batch."));

        auto* threshold = child<QDoubleSpinBox>(QStringLiteral("setting_threshold"));
        QVERIFY(threshold);
        QCOMPARE(threshold->value(), 0.25);
        QCOMPARE(threshold->minimum(), 0.0);
        QCOMPARE(threshold->maximum(), 1.0);

        auto* annotator = child<QLineEdit>(QStringLiteral("setting_annotator"));
        QVERIFY(annotator);
        QCOMPARE(annotator->text(), QStringLiteral("anonymous"));

        auto* format = child<QComboBox>(QStringLiteral("setting_format"));
        QVERIFY(format);
        QCOMPARE(format->count(), 3);
        QCOMPARE(format->currentText(), QStringLiteral("csv"));

        auto* output = child<QLineEdit>(QStringLiteral("setting_output"));
        QVERIFY(output);
        QCOMPARE(output->text(), QStringLiteral("labels.csv"));
        QVERIFY(child<QToolButton>(QStringLiteral("browse_output")));
    }

    void editingASettingStoresItAndDefaultsRestoreIt()
    {
        m_dialog->selectRow(rowOf(slt::test::settingsDemoId, PluginState::LoadFailed));
        auto* batch = child<QSpinBox>(QStringLiteral("setting_batch_size"));
        batch->setValue(128);
        auto* annotator = child<QLineEdit>(QStringLiteral("setting_annotator"));
        annotator->setFocus();
        annotator->selectAll();
        QTest::keyClicks(annotator, QStringLiteral("dr_who"));
        QTest::keyClick(annotator, Qt::Key_Return);
        auto* format = child<QComboBox>(QStringLiteral("setting_format"));
        format->setCurrentIndex(2);
        Q_EMIT format->activated(2); // what a user's pick emits; setCurrentIndex alone does not
        child<QCheckBox>(QStringLiteral("setting_verbose"))->click();

        QVariantMap values = m_manager->settings(slt::test::settingsDemoId);
        QCOMPARE(values.value(QStringLiteral("batch_size")).toInt(), 128);
        QCOMPARE(values.value(QStringLiteral("annotator")).toString(), QStringLiteral("dr_who"));
        QCOMPARE(values.value(QStringLiteral("format")).toString(), QStringLiteral("geojson"));
        QCOMPARE(values.value(QStringLiteral("verbose")).toBool(), false);
        QVERIFY(m_dialog->settingsForm()->lastError().isEmpty());
        QVERIFY(!child<QLabel>(QStringLiteral("settingsError"))->isVisible());
        QVERIFY2(m_dialog->isVisible(), "Enter in a settings field must not close the dialog");

        // A second manager (the next start) sees the stored value.
        slt::core::PluginManager next(m_plugins->options());
        next.discover();
        QCOMPARE(next.settings(slt::test::settingsDemoId).value(QStringLiteral("batch_size")).toInt(), 128);

        QTest::mouseClick(child<QPushButton>(QStringLiteral("restoreDefaultsButton")), Qt::LeftButton);
        values = m_manager->settings(slt::test::settingsDemoId);
        QCOMPARE(values.value(QStringLiteral("batch_size")).toInt(), 64);
        QCOMPARE(values.value(QStringLiteral("annotator")).toString(), QStringLiteral("anonymous"));
        QCOMPARE(values.value(QStringLiteral("format")).toString(), QStringLiteral("csv"));
        QCOMPARE(child<QSpinBox>(QStringLiteral("setting_batch_size"))->value(), 64);
        QVERIFY(child<QCheckBox>(QStringLiteral("setting_verbose"))->isChecked());
    }

    void pluginWithoutSettingsSaysSo()
    {
        m_dialog->selectRow(rowOf(slt::test::futureAbiId, PluginState::Incompatible));
        QVERIFY(!m_dialog->settingsForm());
        auto* placeholder = child<QLabel>(QStringLiteral("settingsPlaceholder"));
        QCOMPARE(placeholder->text(), QStringLiteral("This plugin has no settings."));
        QVERIFY(!child<QPushButton>(QStringLiteral("restoreDefaultsButton"))->isEnabled());
    }

    void togglingEnabledPersistsForTheNextStart()
    {
        const int row = rowOf(slt::test::settingsDemoId, PluginState::LoadFailed);
        QTableView* table = m_dialog->table();
        const QModelIndex check = model()->index(row, PluginTableModel::EnabledColumn);
        QCOMPARE(check.data(Qt::CheckStateRole).toInt(), int(Qt::Checked));
        QVERIFY(!child<QLabel>(QStringLiteral("restartNotice"))->isVisible());

        // The keyboard path a user takes: focus the checkbox cell and press Space.
        table->setFocus();
        table->setCurrentIndex(check);
        QTest::keyClick(table, Qt::Key_Space);
        QCOMPARE(check.data(Qt::CheckStateRole).toInt(), int(Qt::Unchecked));
        QCOMPARE(cell(row, PluginTableModel::StateColumn), QStringLiteral("load failed (disabled at next start)"));
        auto* notice = child<QLabel>(QStringLiteral("restartNotice"));
        QVERIFY(notice->isVisible());
        QVERIFY2(notice->text().contains(QStringLiteral("next start")), qPrintable(notice->text()));
        QVERIFY(child<QLabel>(QStringLiteral("detailsState"))->text().contains(QStringLiteral("disabled at the next start")));

        {
            slt::core::PluginManager next(m_plugins->options());
            next.discover();
            const slt::core::PluginRecord* record = next.find(slt::test::settingsDemoId);
            QVERIFY(record);
            QCOMPARE(record->state, PluginState::Disabled);
            QVERIFY(!record->enabled);
        }

        // And back: the choice is removed again, the notice goes away.
        QVERIFY(model()->setData(check, Qt::Checked, Qt::CheckStateRole));
        QCOMPARE(cell(row, PluginTableModel::StateColumn), QStringLiteral("load failed"));
        QVERIFY(!notice->isVisible());
        slt::core::PluginManager again(m_plugins->options());
        again.discover();
        QCOMPARE(again.find(slt::test::settingsDemoId)->state, PluginState::LoadFailed);
    }
};

QTEST_MAIN(TestPluginsDialog)
#include "tst_plugins_dialog.moc"
