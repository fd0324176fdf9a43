// A theme as loaded from disk: a palette file (palette.ini) plus Qt style sheets. The file format is
// documented in themes/README.md.
#pragma once

#include <QColor>
#include <QFont>
#include <QPalette>
#include <QString>

#include <optional>

namespace slt::app {

// Colours for plugin states in tables and icons; chosen per theme so they stay readable on its
// base colour (the plain palette has no role for "good" and "bad").
struct StateColors {
    QColor active;   // loaded and working
    QColor problem;  // failed somewhere in the pipeline
    QColor inactive; // disabled by the user or shadowed by another copy
};

struct Theme {
    QString id;          // the folder name, e.g. "dark"
    QString name;        // shown in menus, e.g. "Dark"
    QString description;
    QString directory;   // absolute folder holding palette.ini and style.qss
    QPalette palette;
    QFont font;          // the application font (family and point size from the palette file)
    StateColors stateColors;
    QString styleSheet;  // base.qss of the themes folder (if any) followed by the theme's style.qss
};

// Either a theme or an error "file:line: what is wrong".
struct ThemeLoadResult {
    std::optional<Theme> theme;
    QString error;
};

// Reads <directory>/palette.ini and <directory>/style.qss; `sharedStyleSheet` is prepended to the
// theme's own style sheet. Never throws.
ThemeLoadResult loadTheme(const QString& directory, const QString& sharedStyleSheet = {});

} // namespace slt::app
