#include "screenshot.hpp"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QPixmap>
#include <QWidget>

namespace slt::app {

QString saveScreenshot(QWidget& widget, const QString& file)
{
    if (!widget.isVisible()) {
        widget.setAttribute(Qt::WA_DontShowOnScreen);
        widget.show();
    }
    // Two rounds: the first runs the layout requests, the second the paints they cause.
    QCoreApplication::processEvents();
    QCoreApplication::processEvents();
    const QPixmap pixmap = widget.grab();
    if (pixmap.isNull())
        return QCoreApplication::translate("slt", "Could not render the window.");
    const QFileInfo info(file);
    if (!QDir().mkpath(info.absolutePath()))
        return QCoreApplication::translate("slt", "Cannot create the folder %1.").arg(info.absolutePath());
    if (!pixmap.save(info.absoluteFilePath()))
        return QCoreApplication::translate("slt", "Cannot write %1 (is the suffix an image format?).").arg(file);
    return {};
}

} // namespace slt::app
