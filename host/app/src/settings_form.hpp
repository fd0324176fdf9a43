// A form generated from a plugin manifest's [[settings]] (plugins ship no widgets): one editor per
// setting, values read from and written through the PluginManager, which validates them.
#pragma once

#include <slt/core/plugin_manager.hpp>

#include <QWidget>

#include <functional>
#include <vector>

class QFormLayout;
class QLabel;

namespace slt::app {

class SettingsForm : public QWidget {
    Q_OBJECT
public:
    // Editors are named "setting_<key>" (and a path's browse button "browse_<key>") so tests and
    // style sheets can find them.
    SettingsForm(core::PluginManager& manager, const QString& pluginId,
                 const std::vector<core::SettingSpec>& specs, QWidget* parent = nullptr);

    static QString editorName(const QString& key) { return QStringLiteral("setting_") + key; }

    // Shows the manager's current values in every editor.
    void reload();
    // Writes every manifest default through the manager, then reloads.
    void restoreDefaults();

    // The last error the manager returned for this form (empty when the last change was accepted).
    QString lastError() const { return m_lastError; }

Q_SIGNALS:
    void errorChanged(const QString& message);

private:
    struct Field {
        core::SettingSpec spec;
        QWidget* editor = nullptr;               // carries the "invalid" property on refusal
        std::function<void(const QVariant&)> show; // puts a value into the editor without applying it
    };

    Field makeField(const core::SettingSpec& spec);
    Field makeBool(const core::SettingSpec& spec);
    Field makeInt(const core::SettingSpec& spec);
    Field makeFloat(const core::SettingSpec& spec);
    Field makeString(const core::SettingSpec& spec);
    Field makeChoice(const core::SettingSpec& spec);
    Field makePath(const core::SettingSpec& spec);

    // Sends one value to the manager; marks the editor and reports the error if it is refused.
    void apply(const QString& key, const QVariant& value);
    void setError(const QString& key, const QString& message);

    core::PluginManager& m_manager;
    QString m_pluginId;
    std::vector<Field> m_fields;
    QString m_lastError;
    bool m_showing = false; // true while reload() fills editors, so their signals do not apply
};

} // namespace slt::app
