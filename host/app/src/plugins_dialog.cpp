#include "plugins_dialog.hpp"

#include "plugin_details_view.hpp"
#include "plugin_table_model.hpp"
#include "settings_form.hpp"

#include <QDialogButtonBox>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace slt::app {

PluginsDialog::PluginsDialog(core::PluginManager& manager, const StateColors& colors, QWidget* parent)
    : QDialog(parent), m_manager(manager)
{
    setObjectName(QStringLiteral("pluginsDialog"));
    setWindowTitle(tr("Plugins"));
    resize(1100, 700);

    m_model = new PluginTableModel(manager, colors, this);
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("pluginTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setShowGrid(false);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setHighlightSections(false);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(PluginTableModel::PathColumn, QHeaderView::Stretch);

    auto* detailsBox = new QGroupBox(tr("Details"), this);
    m_details = new PluginDetailsView(colors, detailsBox);
    auto* detailsScroll = new QScrollArea(detailsBox);
    detailsScroll->setWidget(m_details);
    detailsScroll->setWidgetResizable(true);
    detailsScroll->setFrameShape(QFrame::NoFrame);
    (new QVBoxLayout(detailsBox))->addWidget(detailsScroll);

    auto* lower = new QWidget(this);
    auto* lowerLayout = new QHBoxLayout(lower);
    lowerLayout->setContentsMargins(0, 0, 0, 0);
    lowerLayout->addWidget(detailsBox, 3);
    lowerLayout->addWidget(buildSettingsPane(), 2);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_table);
    splitter->addWidget(lower);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    splitter->setChildrenCollapsible(false);

    m_restartNotice = new QLabel(this);
    m_restartNotice->setObjectName(QStringLiteral("restartNotice"));
    m_restartNotice->setWordWrap(true);
    m_restartNotice->hide();

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    // Enter in a settings field confirms that field; it must not also close the dialog.
    for (QAbstractButton* button : buttons->buttons()) {
        if (auto* push = qobject_cast<QPushButton*>(button)) {
            push->setAutoDefault(false);
            push->setDefault(false);
        }
    }

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(splitter, 1);
    layout->addWidget(m_restartNotice);
    layout->addWidget(buttons);

    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &PluginsDialog::showSelected);
    connect(m_model, &PluginTableModel::enabledChoiceChanged, this, [this] {
        updateRestartNotice();
        showSelected();
    });
    if (m_model->rowCount() > 0)
        selectRow(0);
    else
        showSelected();
}

QWidget* PluginsDialog::buildSettingsPane()
{
    m_settingsBox = new QGroupBox(tr("Settings"), this);
    m_settingsBox->setObjectName(QStringLiteral("pluginSettings"));
    auto* outer = new QVBoxLayout(m_settingsBox);

    auto* scroll = new QScrollArea(m_settingsBox);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto* content = new QWidget(scroll);
    m_settingsLayout = new QVBoxLayout(content);
    m_settingsLayout->setContentsMargins(0, 0, 0, 0);
    m_settingsPlaceholder = new QLabel(content);
    m_settingsPlaceholder->setObjectName(QStringLiteral("settingsPlaceholder"));
    m_settingsPlaceholder->setWordWrap(true);
    m_settingsLayout->addWidget(m_settingsPlaceholder);
    m_settingsLayout->addStretch(1);
    scroll->setWidget(content);
    outer->addWidget(scroll, 1);

    m_settingsError = new QLabel(m_settingsBox);
    m_settingsError->setObjectName(QStringLiteral("settingsError"));
    m_settingsError->setWordWrap(true);
    m_settingsError->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_settingsError->hide();
    outer->addWidget(m_settingsError);

    m_restoreDefaults = new QPushButton(tr("Restore defaults"), m_settingsBox);
    m_restoreDefaults->setObjectName(QStringLiteral("restoreDefaultsButton"));
    m_restoreDefaults->setAutoDefault(false);
    connect(m_restoreDefaults, &QPushButton::clicked, this, [this] {
        if (m_settingsForm)
            m_settingsForm->restoreDefaults();
    });
    auto* buttonRow = new QHBoxLayout;
    buttonRow->addStretch(1);
    buttonRow->addWidget(m_restoreDefaults);
    outer->addLayout(buttonRow);
    return m_settingsBox;
}

void PluginsDialog::selectRow(int row)
{
    m_table->selectRow(row);
    m_table->setCurrentIndex(m_model->index(row, PluginTableModel::NameColumn));
}

void PluginsDialog::showSelected()
{
    const int row = m_table->currentIndex().isValid() ? m_table->currentIndex().row() : -1;
    const core::PluginRecord* record = m_model->recordAt(row);
    QString pending;
    if (record && m_model->changesAtNextStart(row))
        pending = m_model->enabledChoice(row) ? tr("enabled at the next start") : tr("disabled at the next start");
    m_details->showPlugin(record, pending);
    rebuildSettingsForm(record);
}

void PluginsDialog::rebuildSettingsForm(const core::PluginRecord* record)
{
    delete m_settingsForm;
    m_settingsForm = nullptr;
    showSettingsError({});

    QString placeholder;
    if (!record)
        placeholder = tr("Select a plugin to see its settings.");
    else if (record->state == core::PluginState::Shadowed)
        placeholder = tr("This copy is shadowed; the settings belong to the copy that is used.");
    else if (record->manifest.settings.empty())
        placeholder = tr("This plugin has no settings.");

    m_settingsPlaceholder->setText(placeholder);
    m_settingsPlaceholder->setVisible(!placeholder.isEmpty());
    m_restoreDefaults->setEnabled(placeholder.isEmpty());
    if (!placeholder.isEmpty())
        return;

    m_settingsForm = new SettingsForm(m_manager, record->manifest.id, record->manifest.settings,
                                      m_settingsPlaceholder->parentWidget());
    m_settingsForm->setObjectName(QStringLiteral("settingsForm"));
    m_settingsLayout->insertWidget(0, m_settingsForm);
    connect(m_settingsForm, &SettingsForm::errorChanged, this, &PluginsDialog::showSettingsError);
}

void PluginsDialog::showSettingsError(const QString& message)
{
    m_settingsError->setText(message);
    m_settingsError->setVisible(!message.isEmpty());
}

void PluginsDialog::updateRestartNotice()
{
    QStringList changed;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        if (m_model->changesAtNextStart(row))
            changed << m_model->recordAt(row)->manifest.name;
    }
    m_restartNotice->setText(
        tr("Enabling or disabling a plugin takes effect at the next start of SLT (changed: %1).")
            .arg(changed.join(QStringLiteral(", "))));
    m_restartNotice->setVisible(!changed.isEmpty());
}

} // namespace slt::app
