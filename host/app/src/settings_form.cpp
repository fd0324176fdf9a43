#include "settings_form.hpp"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QStyle>
#include <QToolButton>

#include <algorithm>
#include <cmath>
#include <limits>

namespace slt::app {
namespace {

void markInvalid(QWidget* editor, bool invalid)
{
    if (editor->property("invalid").toBool() == invalid)
        return;
    editor->setProperty("invalid", invalid);
    // Style sheets read dynamic properties only when the style is re-applied.
    editor->style()->unpolish(editor);
    editor->style()->polish(editor);
}

int toIntBound(const QVariant& bound, int fallback)
{
    if (!bound.isValid())
        return fallback;
    const qlonglong value = bound.toLongLong();
    return static_cast<int>(std::clamp<qlonglong>(value, std::numeric_limits<int>::min(),
                                                  std::numeric_limits<int>::max()));
}

// Enough decimals to show the default and the bounds exactly, at least 2 and at most 6.
int decimalsFor(const core::SettingSpec& spec)
{
    int decimals = 2;
    for (const QVariant& value : {spec.defaultValue, spec.minimum, spec.maximum}) {
        if (!value.isValid())
            continue;
        const QString text = QString::number(value.toDouble(), 'g', 10);
        const qsizetype point = text.indexOf(u'.');
        if (point >= 0 && !text.contains(u'e'))
            decimals = std::max(decimals, static_cast<int>(text.size() - point - 1));
    }
    return std::min(decimals, 6);
}

} // namespace

SettingsForm::SettingsForm(core::PluginManager& manager, const QString& pluginId,
                           const std::vector<core::SettingSpec>& specs, QWidget* parent)
    : QWidget(parent), m_manager(manager), m_pluginId(pluginId)
{
    auto* layout = new QFormLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    layout->setRowWrapPolicy(QFormLayout::WrapLongRows);
    for (const core::SettingSpec& spec : specs) {
        Field field = makeField(spec);
        field.editor->setObjectName(editorName(spec.key));
        auto* label = new QLabel(spec.label.isEmpty() ? spec.key : spec.label, this);
        label->setToolTip(spec.description);
        label->setBuddy(field.editor);
        field.editor->setToolTip(spec.description);
        // A path editor sits in a row widget together with its browse button.
        QWidget* rowWidget = field.editor->parentWidget() != this ? field.editor->parentWidget() : field.editor;
        layout->addRow(label, rowWidget);
        m_fields.push_back(std::move(field));
    }
    reload();
}

SettingsForm::Field SettingsForm::makeField(const core::SettingSpec& spec)
{
    if (spec.type == QLatin1String("bool"))
        return makeBool(spec);
    if (spec.type == QLatin1String("int"))
        return makeInt(spec);
    if (spec.type == QLatin1String("float"))
        return makeFloat(spec);
    if (spec.type == QLatin1String("choice"))
        return makeChoice(spec);
    if (spec.type == QLatin1String("path"))
        return makePath(spec);
    // "string", and any type a newer manifest schema may add: editing as text is always possible.
    return makeString(spec);
}

SettingsForm::Field SettingsForm::makeBool(const core::SettingSpec& spec)
{
    auto* box = new QCheckBox(this);
    connect(box, &QCheckBox::toggled, this, [this, key = spec.key](bool on) { apply(key, on); });
    return {spec, box, [box](const QVariant& value) { box->setChecked(value.toBool()); }};
}

SettingsForm::Field SettingsForm::makeInt(const core::SettingSpec& spec)
{
    auto* spin = new QSpinBox(this);
    spin->setRange(toIntBound(spec.minimum, std::numeric_limits<int>::min()),
                   toIntBound(spec.maximum, std::numeric_limits<int>::max()));
    // Apply when the user is done (Enter, focus out, arrow step), not on every keystroke.
    spin->setKeyboardTracking(false);
    connect(spin, &QSpinBox::valueChanged, this, [this, key = spec.key](int value) { apply(key, value); });
    return {spec, spin, [spin](const QVariant& value) { spin->setValue(value.toInt()); }};
}

SettingsForm::Field SettingsForm::makeFloat(const core::SettingSpec& spec)
{
    auto* spin = new QDoubleSpinBox(this);
    spin->setDecimals(decimalsFor(spec));
    spin->setRange(spec.minimum.isValid() ? spec.minimum.toDouble() : -1e12,
                   spec.maximum.isValid() ? spec.maximum.toDouble() : 1e12);
    if (spec.minimum.isValid() && spec.maximum.isValid())
        spin->setSingleStep(std::pow(10.0, std::floor(std::log10(std::max(spin->maximum() - spin->minimum(), 1e-6))) - 1));
    spin->setKeyboardTracking(false);
    connect(spin, &QDoubleSpinBox::valueChanged, this, [this, key = spec.key](double value) { apply(key, value); });
    return {spec, spin, [spin](const QVariant& value) { spin->setValue(value.toDouble()); }};
}

SettingsForm::Field SettingsForm::makeString(const core::SettingSpec& spec)
{
    auto* edit = new QLineEdit(this);
    connect(edit, &QLineEdit::editingFinished, this, [this, edit, key = spec.key] {
        if (edit->isModified())
            apply(key, edit->text());
        edit->setModified(false);
    });
    return {spec, edit, [edit](const QVariant& value) { edit->setText(value.toString()); edit->setModified(false); }};
}

SettingsForm::Field SettingsForm::makeChoice(const core::SettingSpec& spec)
{
    auto* combo = new QComboBox(this);
    combo->addItems(spec.choices);
    connect(combo, &QComboBox::activated, this,
            [this, combo, key = spec.key](int) { apply(key, combo->currentText()); });
    return {spec, combo, [combo](const QVariant& value) { combo->setCurrentIndex(combo->findText(value.toString())); }};
}

SettingsForm::Field SettingsForm::makePath(const core::SettingSpec& spec)
{
    auto* row = new QWidget(this);
    auto* rowLayout = new QHBoxLayout(row);
    rowLayout->setContentsMargins(0, 0, 0, 0);
    auto* edit = new QLineEdit(row);
    auto* browse = new QToolButton(row);
    browse->setText(tr("Browse…"));
    browse->setObjectName(QStringLiteral("browse_") + spec.key);
    rowLayout->addWidget(edit, 1);
    rowLayout->addWidget(browse);
    connect(edit, &QLineEdit::editingFinished, this, [this, edit, key = spec.key] {
        if (edit->isModified())
            apply(key, edit->text());
        edit->setModified(false);
    });
    connect(browse, &QToolButton::clicked, this, [this, edit, label = spec.label, key = spec.key] {
        const QString chosen = QFileDialog::getOpenFileName(this, label, edit->text());
        if (chosen.isEmpty())
            return;
        edit->setText(chosen);
        apply(key, chosen);
    });
    return {spec, edit, [edit](const QVariant& value) { edit->setText(value.toString()); edit->setModified(false); }};
}

void SettingsForm::reload()
{
    const QVariantMap values = m_manager.settings(m_pluginId);
    m_showing = true;
    for (Field& field : m_fields) {
        field.show(values.value(field.spec.key, field.spec.defaultValue));
        markInvalid(field.editor, false);
    }
    m_showing = false;
}

void SettingsForm::restoreDefaults()
{
    QString firstError;
    for (const Field& field : m_fields) {
        const QString error = m_manager.setSetting(m_pluginId, field.spec.key, field.spec.defaultValue);
        if (firstError.isEmpty() && !error.isEmpty())
            firstError = error;
    }
    reload();
    m_lastError = firstError;
    Q_EMIT errorChanged(m_lastError);
}

void SettingsForm::apply(const QString& key, const QVariant& value)
{
    if (m_showing)
        return;
    setError(key, m_manager.setSetting(m_pluginId, key, value));
}

void SettingsForm::setError(const QString& key, const QString& message)
{
    for (Field& field : m_fields) {
        if (field.spec.key == key)
            markInvalid(field.editor, !message.isEmpty());
    }
    m_lastError = message;
    Q_EMIT errorChanged(message);
}

} // namespace slt::app
