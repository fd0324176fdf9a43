#include "image_probe.hpp"

#include "slt/report/charts.hpp"

#include <catch2/catch.hpp>

#include <QGuiApplication>

#include <cstdlib>

namespace slt::report::test {

void requireGui()
{
    REQUIRE(ensureGuiApplication());
    REQUIRE(qobject_cast<QGuiApplication*>(QCoreApplication::instance()) != nullptr);
}

QImage loadPng(const QString& path)
{
    QImage image;
    image.load(path, "PNG");
    return image.convertToFormat(QImage::Format_ARGB32);
}

long long countNear(const QImage& image, const QRect& region, QColor color, int tolerance)
{
    long long count = 0;
    const QRect area = region.intersected(image.rect());
    for (int y = area.top(); y <= area.bottom(); ++y)
        for (int x = area.left(); x <= area.right(); ++x) {
            const QRgb pixel = image.pixel(x, y);
            if (std::abs(qRed(pixel) - color.red()) <= tolerance && std::abs(qGreen(pixel) - color.green()) <= tolerance
                && std::abs(qBlue(pixel) - color.blue()) <= tolerance)
                ++count;
        }
    return count;
}

long long countDark(const QImage& image, const QRect& region, int maxGrey)
{
    long long count = 0;
    const QRect area = region.intersected(image.rect());
    for (int y = area.top(); y <= area.bottom(); ++y)
        for (int x = area.left(); x <= area.right(); ++x)
            if (qGray(image.pixel(x, y)) <= maxGrey)
                ++count;
    return count;
}

long long countNonWhite(const QImage& image)
{
    long long count = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            if ((image.pixel(x, y) & 0xFFFFFF) != 0xFFFFFF)
                ++count;
    return count;
}

QColor overWhite(QColor color, int alpha)
{
    const auto blend = [alpha](int channel) { return (channel * alpha + 255 * (255 - alpha)) / 255; };
    return QColor(blend(color.red()), blend(color.green()), blend(color.blue()));
}

} // namespace slt::report::test
