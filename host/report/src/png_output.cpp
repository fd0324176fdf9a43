#include "png_output.hpp"

#include <QCoreApplication>
#include <QGuiApplication>
#include <QSaveFile>

namespace slt::report::detail {

core::Status checkCanPaint(QSize size)
{
    if (!qobject_cast<QGuiApplication*>(QCoreApplication::instance()))
        return core::Status::failure(
            QStringLiteral("charts need a QGuiApplication for their fonts; call ensureGuiApplication() first"));
    if (size.width() < kMinimumChartSize.width() || size.height() < kMinimumChartSize.height())
        return core::Status::failure(QStringLiteral("chart size %1 x %2 is too small (at least %3 x %4)")
                                         .arg(size.width())
                                         .arg(size.height())
                                         .arg(kMinimumChartSize.width())
                                         .arg(kMinimumChartSize.height()));
    if (size.width() > kMaximumChartSide || size.height() > kMaximumChartSide)
        return core::Status::failure(QStringLiteral("chart size %1 x %2 is too large (at most %3 pixels a side)")
                                         .arg(size.width())
                                         .arg(size.height())
                                         .arg(kMaximumChartSide));
    return {};
}

QImage makeCanvas(QSize size)
{
    QImage image(size, QImage::Format_ARGB32);
    image.fill(Qt::white);
    return image;
}

core::Status savePng(const QImage& image, const QString& pngPath)
{
    if (pngPath.isEmpty())
        return core::Status::failure(QStringLiteral("no output file given for the chart"));
    QSaveFile file(pngPath);
    if (!file.open(QIODevice::WriteOnly))
        return core::Status::failure(QStringLiteral("cannot write %1: %2").arg(pngPath, file.errorString()));
    if (!image.save(&file, "PNG"))
        return core::Status::failure(QStringLiteral("cannot encode the chart as PNG into %1").arg(pngPath));
    if (!file.commit())
        return core::Status::failure(QStringLiteral("cannot write %1: %2").arg(pngPath, file.errorString()));
    return {};
}

} // namespace slt::report::detail
