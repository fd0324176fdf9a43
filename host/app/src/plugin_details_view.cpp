#include "plugin_details_view.hpp"

#include "plugin_state_style.hpp"

#include <QDir>
#include <QFormLayout>
#include <QLabel>

namespace slt::app {
namespace {

QString dependencyText(const std::vector<core::PluginDependency>& dependencies)
{
    QStringList lines;
    for (const core::PluginDependency& dependency : dependencies) {
        lines << (dependency.minimumVersion.isEmpty()
                      ? dependency.id
                      : QStringLiteral("%1 >= %2").arg(dependency.id, dependency.minimumVersion));
    }
    return lines.isEmpty() ? PluginDetailsView::tr("none") : lines.join(u'\n');
}

QString orDash(const QString& text)
{
    return text.isEmpty() ? QStringLiteral("–") : text;
}

} // namespace

PluginDetailsView::PluginDetailsView(const StateColors& colors, QWidget* parent)
    : QWidget(parent), m_colors(colors)
{
    setObjectName(QStringLiteral("pluginDetails"));
    auto* layout = new QFormLayout(this);
    layout->setRowWrapPolicy(QFormLayout::DontWrapRows);
    layout->setLabelAlignment(Qt::AlignRight | Qt::AlignTop);
    layout->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    m_name = addField(QStringLiteral("detailsName"), tr("Name"));
    m_description = addField(QStringLiteral("detailsDescription"), tr("Description"));
    m_license = addField(QStringLiteral("detailsLicense"), tr("License"));
    m_library = addField(QStringLiteral("detailsLibrary"), tr("Library"));
    m_sdkAbi = addField(QStringLiteral("detailsSdkAbi"), tr("SDK ABI"));
    m_dependencies = addField(QStringLiteral("detailsDependencies"), tr("Dependencies"));
    m_state = addField(QStringLiteral("detailsState"), tr("State"));
    m_message = addField(QStringLiteral("detailsMessage"), tr("Message"));
    showPlugin(nullptr);
}

QLabel* PluginDetailsView::addField(const QString& objectName, const QString& title)
{
    auto* name = new QLabel(title, this);
    name->setProperty("role", QStringLiteral("fieldName"));
    auto* value = new QLabel(this);
    value->setObjectName(objectName);
    value->setWordWrap(true);
    value->setTextFormat(Qt::PlainText);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    value->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    static_cast<QFormLayout*>(layout())->addRow(name, value);
    return value;
}

void PluginDetailsView::showPlugin(const core::PluginRecord* record, const QString& pendingText)
{
    if (!record) {
        for (QLabel* label : {m_name, m_description, m_license, m_library, m_sdkAbi, m_dependencies, m_state, m_message})
            label->clear();
        m_name->setText(tr("Select a plugin to see its details."));
        return;
    }
    const core::PluginManifest& manifest = record->manifest;
    m_name->setText(manifest.name.isEmpty() ? QDir(record->directory).dirName()
                                            : QStringLiteral("%1 %2").arg(manifest.name, manifest.version));
    m_description->setText(orDash(manifest.description));
    m_license->setText(orDash(manifest.license));
    m_library->setText(orDash(QDir::toNativeSeparators(record->libraryPath)));
    m_sdkAbi->setText(manifest.sdkAbiMajor == 0 && manifest.sdkAbiMinor == 0
                          ? QStringLiteral("–")
                          : QStringLiteral("%1.%2").arg(manifest.sdkAbiMajor).arg(manifest.sdkAbiMinor));
    m_dependencies->setText(dependencyText(manifest.dependencies));

    const QColor color = stateColor(categoryOf(record->state), m_colors);
    // A widget style sheet, because the application style sheet would override a palette change.
    m_state->setStyleSheet(QStringLiteral("color: %1; font-weight: bold;").arg(color.name()));
    m_state->setText(pendingText.isEmpty() ? stateLabel(record->state)
                                           : QStringLiteral("%1 — %2").arg(stateLabel(record->state), pendingText));
    m_message->setText(record->message.isEmpty() ? tr("Loaded and initialised.") : record->message);
}

} // namespace slt::app
