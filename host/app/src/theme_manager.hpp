// Finds themes on disk, applies one to the running application (Fusion style + palette + font +
// style sheet) and remembers the user's choice in QSettings under "ui/theme".
#pragma once

#include "theme.hpp"

#include <QObject>
#include <QStringList>

#include <vector>

namespace slt::app {

// One folder found on the theme search path; `error` is set (and `theme` empty) when it is broken,
// so the menu can show it greyed out with the reason instead of hiding it.
struct ThemeEntry {
    QString id;
    QString directory;
    std::optional<Theme> theme;
    QString error;

    QString displayName() const { return theme ? theme->name : id; }
};

class ThemeManager : public QObject {
    Q_OBJECT
public:
    static constexpr const char* settingsKey = "ui/theme";
    static constexpr const char* fallbackThemeId = "light";

    // Searches `searchPath` in order; the first folder with a given theme id wins.
    explicit ThemeManager(const QStringList& searchPath = defaultSearchPath(), QObject* parent = nullptr);

    // SLT_THEME_PATH (':'-separated) first, then <application dir>/../share/slt/themes, which is
    // where the build tree and an installed prefix both keep them.
    static QStringList defaultSearchPath();

    const QStringList& searchPath() const { return m_searchPath; }
    const std::vector<ThemeEntry>& themes() const { return m_themes; }
    const ThemeEntry* find(const QString& id) const;

    // The applied theme's id; empty before the first successful apply().
    QString currentThemeId() const { return m_currentId; }
    // State colours of the applied theme (readable defaults before any theme is applied).
    StateColors stateColors() const;

    enum class Remember { Yes, No };
    // Applies the theme to the whole application. Returns an error message (and changes nothing)
    // when the theme is unknown or broken; empty on success.
    QString apply(const QString& id, Remember remember = Remember::Yes);

    // At start-up: the theme named in settings, or "light", or the first valid one. Returns the
    // error of the remembered theme when it had to fall back (the caller shows it), else empty.
    QString applyRemembered();

    static QString rememberedThemeId();

Q_SIGNALS:
    void themeChanged(const QString& id);

private:
    void scan();

    QStringList m_searchPath;
    std::vector<ThemeEntry> m_themes;
    QString m_currentId;
};

} // namespace slt::app
