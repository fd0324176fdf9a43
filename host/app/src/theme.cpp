#include "theme.hpp"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QTextStream>

#include <map>

namespace slt::app {
namespace {

// The palette file is a minimal INI: "[section]", "key = value", full-line comments with # or ;.
// QSettings is not used because it treats '#' and ';' inside values inconsistently, and because we
// want line numbers in error messages.
struct IniValue {
    QString value;
    int line = 0;
};
using IniSection = std::map<QString, IniValue>;
using IniFile = std::map<QString, IniSection>;

struct IniResult {
    IniFile file;
    QString error;
};

IniResult parseIni(const QString& path)
{
    IniResult result;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
        result.error = QStringLiteral("%1: cannot be read: %2").arg(path, file.errorString());
        return result;
    }
    QTextStream in(&file);
    QString section;
    for (int lineNumber = 1; !in.atEnd(); ++lineNumber) {
        const QString line = in.readLine().trimmed();
        if (line.isEmpty() || line.startsWith(u'#') || line.startsWith(u';'))
            continue;
        if (line.startsWith(u'[') && line.endsWith(u']')) {
            section = line.mid(1, line.size() - 2).trimmed();
            result.file[section];
            continue;
        }
        const qsizetype equals = line.indexOf(u'=');
        if (equals <= 0) {
            result.error = QStringLiteral("%1:%2: expected \"key = value\" or \"[section]\", found \"%3\"")
                               .arg(path).arg(lineNumber).arg(line);
            return result;
        }
        const QString key = line.left(equals).trimmed();
        result.file[section][key] = IniValue{line.mid(equals + 1).trimmed(), lineNumber};
    }
    return result;
}

const QHash<QString, QPalette::ColorRole>& paletteRoles()
{
    static const QHash<QString, QPalette::ColorRole> roles = {
        {QStringLiteral("window"), QPalette::Window},
        {QStringLiteral("window_text"), QPalette::WindowText},
        {QStringLiteral("base"), QPalette::Base},
        {QStringLiteral("alternate_base"), QPalette::AlternateBase},
        {QStringLiteral("text"), QPalette::Text},
        {QStringLiteral("button"), QPalette::Button},
        {QStringLiteral("button_text"), QPalette::ButtonText},
        {QStringLiteral("bright_text"), QPalette::BrightText},
        {QStringLiteral("highlight"), QPalette::Highlight},
        {QStringLiteral("highlighted_text"), QPalette::HighlightedText},
        {QStringLiteral("link"), QPalette::Link},
        {QStringLiteral("link_visited"), QPalette::LinkVisited},
        {QStringLiteral("tool_tip_base"), QPalette::ToolTipBase},
        {QStringLiteral("tool_tip_text"), QPalette::ToolTipText},
        {QStringLiteral("placeholder_text"), QPalette::PlaceholderText},
        {QStringLiteral("light"), QPalette::Light},
        {QStringLiteral("midlight"), QPalette::Midlight},
        {QStringLiteral("mid"), QPalette::Mid},
        {QStringLiteral("dark"), QPalette::Dark},
        {QStringLiteral("shadow"), QPalette::Shadow},
    };
    return roles;
}

QString locate(const QString& path, const IniValue& value)
{
    return QStringLiteral("%1:%2").arg(path).arg(value.line);
}

// Parses "#rrggbb" (or any name QColor accepts) and reports where a bad one is.
QString readColor(const QString& path, const QString& key, const IniValue& value, QColor& color)
{
    color = QColor::fromString(value.value);
    if (!color.isValid())
        return QStringLiteral("%1: \"%2\" is not a colour (for %3; use #rrggbb)")
            .arg(locate(path, value), value.value, key);
    return {};
}

const IniValue* findValue(const IniFile& ini, const QString& section, const QString& key)
{
    const auto sectionIt = ini.find(section);
    if (sectionIt == ini.end())
        return nullptr;
    const auto valueIt = sectionIt->second.find(key);
    return valueIt == sectionIt->second.end() ? nullptr : &valueIt->second;
}

// Fills one colour group of the palette from a [palette] or [palette.disabled] section.
QString readPaletteSection(const QString& path, const IniSection& section, QPalette& palette,
                           const QList<QPalette::ColorGroup>& groups)
{
    for (const auto& [key, value] : section) {
        const auto role = paletteRoles().find(key);
        if (role == paletteRoles().end())
            return QStringLiteral("%1: unknown colour role \"%2\" (see README.md for the list)")
                .arg(locate(path, value), key);
        QColor color;
        if (QString error = readColor(path, key, value, color); !error.isEmpty())
            return error;
        for (QPalette::ColorGroup group : groups)
            palette.setColor(group, role.value(), color);
    }
    return {};
}

QString readPalette(const QString& path, const IniFile& ini, QPalette& palette)
{
    static const QStringList required = {QStringLiteral("window"), QStringLiteral("window_text"),
                                         QStringLiteral("base"), QStringLiteral("text"),
                                         QStringLiteral("button"), QStringLiteral("button_text"),
                                         QStringLiteral("highlight"),
                                         QStringLiteral("highlighted_text")};
    for (const QString& key : required) {
        if (!findValue(ini, QStringLiteral("palette"), key))
            return QStringLiteral("%1: [palette] lacks the required colour \"%2\"").arg(path, key);
    }
    QColor button;
    QColor window;
    readColor(path, {}, *findValue(ini, QStringLiteral("palette"), QStringLiteral("button")), button);
    readColor(path, {}, *findValue(ini, QStringLiteral("palette"), QStringLiteral("window")), window);
    // Start from Qt's derivation (light/mid/dark shades from button and window), then override
    // with every role the file names.
    palette = QPalette(button, window);
    const QString error = readPaletteSection(path, ini.at(QStringLiteral("palette")), palette,
                                             {QPalette::Active, QPalette::Inactive, QPalette::Disabled});
    if (!error.isEmpty())
        return error;
    const auto disabled = ini.find(QStringLiteral("palette.disabled"));
    if (disabled == ini.end())
        return {};
    return readPaletteSection(path, disabled->second, palette, {QPalette::Disabled});
}

QString readStateColors(const QString& path, const IniFile& ini, StateColors& colors)
{
    const std::pair<const char*, QColor*> fields[] = {
        {"active", &colors.active}, {"problem", &colors.problem}, {"inactive", &colors.inactive}};
    for (const auto& [key, color] : fields) {
        const IniValue* value = findValue(ini, QStringLiteral("state"), QString::fromLatin1(key));
        if (!value)
            return QStringLiteral("%1: [state] lacks the required colour \"%2\"").arg(path, QString::fromLatin1(key));
        if (QString error = readColor(path, QString::fromLatin1(key), *value, *color); !error.isEmpty())
            return error;
    }
    return {};
}

QString readFont(const QString& path, const IniFile& ini, QFont& font)
{
    font = QFont();
    if (const IniValue* family = findValue(ini, QStringLiteral("theme"), QStringLiteral("font_family")))
        font.setFamily(family->value);
    if (const IniValue* size = findValue(ini, QStringLiteral("theme"), QStringLiteral("font_point_size"))) {
        bool ok = false;
        const double points = size->value.toDouble(&ok);
        if (!ok || points < 6 || points > 32)
            return QStringLiteral("%1: font_point_size must be a number from 6 to 32, not \"%2\"")
                .arg(locate(path, *size), size->value);
        font.setPointSizeF(points);
    }
    return {};
}

QString readTextFile(const QString& path, QString& text)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return QStringLiteral("%1: cannot be read: %2").arg(path, file.errorString());
    text = QString::fromUtf8(file.readAll());
    return {};
}

} // namespace

ThemeLoadResult loadTheme(const QString& directory, const QString& sharedStyleSheet)
{
    ThemeLoadResult result;
    const QDir dir(directory);
    const QString palettePath = dir.filePath(QStringLiteral("palette.ini"));
    IniResult ini = parseIni(palettePath);
    if (!ini.error.isEmpty()) {
        result.error = ini.error;
        return result;
    }

    Theme theme;
    theme.id = QFileInfo(directory).fileName();
    theme.directory = dir.absolutePath();
    const IniValue* name = findValue(ini.file, QStringLiteral("theme"), QStringLiteral("name"));
    theme.name = name ? name->value : theme.id;
    const IniValue* description = findValue(ini.file, QStringLiteral("theme"), QStringLiteral("description"));
    theme.description = description ? description->value : QString();

    QString ownStyleSheet;
    for (const QString& error : {readPalette(palettePath, ini.file, theme.palette),
                                 readStateColors(palettePath, ini.file, theme.stateColors),
                                 readFont(palettePath, ini.file, theme.font),
                                 readTextFile(dir.filePath(QStringLiteral("style.qss")), ownStyleSheet)}) {
        if (!error.isEmpty()) {
            result.error = error;
            return result;
        }
    }
    theme.styleSheet = sharedStyleSheet.isEmpty() ? ownStyleSheet
                                                  : sharedStyleSheet + u'\n' + ownStyleSheet;
    result.theme = std::move(theme);
    return result;
}

} // namespace slt::app
