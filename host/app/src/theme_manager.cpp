#include "theme_manager.hpp"

#include "theme_style.hpp"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QSettings>
#include <QStyle>

namespace slt::app {
namespace {

QString readSharedStyleSheet(const QDir& root)
{
    QFile file(root.filePath(QStringLiteral("base.qss")));
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return {};
    return QString::fromUtf8(file.readAll());
}

// Set once: with a style sheet applied, QApplication::style() is a wrapper around ours.
void useThemeStyle()
{
    static bool styleSet = false;
    if (styleSet)
        return;
    QApplication::setStyle(new ThemeStyle); // the application takes ownership
    styleSet = true;
}

} // namespace

ThemeManager::ThemeManager(const QStringList& searchPath, QObject* parent)
    : QObject(parent), m_searchPath(searchPath)
{
    scan();
}

QStringList ThemeManager::defaultSearchPath()
{
    QStringList path;
    const QString fromEnvironment = qEnvironmentVariable("SLT_THEME_PATH");
    for (const QString& folder : fromEnvironment.split(u':', Qt::SkipEmptyParts))
        path << folder;
    path << QDir::cleanPath(QCoreApplication::applicationDirPath() + QStringLiteral("/../share/slt/themes"));
    return path;
}

void ThemeManager::scan()
{
    m_themes.clear();
    for (const QString& folder : m_searchPath) {
        const QDir root(folder);
        if (!root.exists())
            continue;
        const QString shared = readSharedStyleSheet(root);
        const QStringList ids = root.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
        for (const QString& id : ids) {
            if (find(id) || !QFile::exists(root.filePath(id + QStringLiteral("/palette.ini"))))
                continue;
            ThemeEntry entry;
            entry.id = id;
            entry.directory = root.absoluteFilePath(id);
            ThemeLoadResult loaded = loadTheme(entry.directory, shared);
            entry.theme = std::move(loaded.theme);
            entry.error = loaded.error;
            m_themes.push_back(std::move(entry));
        }
    }
}

const ThemeEntry* ThemeManager::find(const QString& id) const
{
    for (const ThemeEntry& entry : m_themes) {
        if (entry.id == id)
            return &entry;
    }
    return nullptr;
}

StateColors ThemeManager::stateColors() const
{
    if (const ThemeEntry* entry = find(m_currentId); entry && entry->theme)
        return entry->theme->stateColors;
    return StateColors{QColor(0x17, 0x74, 0x3a), QColor(0xb3, 0x26, 0x1e), QColor(0x5f, 0x6b, 0x78)};
}

QString ThemeManager::apply(const QString& id, Remember remember)
{
    const ThemeEntry* entry = find(id);
    if (!entry) {
        QStringList known;
        for (const ThemeEntry& candidate : m_themes)
            known << candidate.id;
        return tr("There is no theme \"%1\". Themes found: %2 (searched %3).")
            .arg(id, known.isEmpty() ? tr("none") : known.join(QStringLiteral(", ")),
                 m_searchPath.join(QStringLiteral(", ")));
    }
    if (!entry->theme)
        return tr("The theme \"%1\" cannot be used: %2").arg(id, entry->error);

    useThemeStyle();
    QApplication::setPalette(entry->theme->palette);
    QApplication::setFont(entry->theme->font);
    // The style sheet refers to palette roles, so it must be set after the palette.
    qApp->setStyleSheet(entry->theme->styleSheet);
    m_currentId = id;
    if (remember == Remember::Yes)
        QSettings().setValue(QString::fromLatin1(settingsKey), id);
    Q_EMIT themeChanged(id);
    return {};
}

QString ThemeManager::rememberedThemeId()
{
    return QSettings().value(QString::fromLatin1(settingsKey), QString::fromLatin1(fallbackThemeId)).toString();
}

QString ThemeManager::applyRemembered()
{
    const QString remembered = rememberedThemeId();
    const QString error = apply(remembered, Remember::No);
    if (error.isEmpty())
        return {};
    if (apply(QString::fromLatin1(fallbackThemeId), Remember::No).isEmpty())
        return error;
    for (const ThemeEntry& entry : m_themes) {
        if (entry.theme && apply(entry.id, Remember::No).isEmpty())
            return error;
    }
    return error;
}

} // namespace slt::app
