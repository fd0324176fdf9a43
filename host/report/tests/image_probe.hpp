// Helpers that look at rendered charts: pixel colours in regions, dark (text) pixels, blank images.
#pragma once

#include <QColor>
#include <QImage>
#include <QRect>
#include <QString>

namespace slt::report::test {

// Creates the offscreen QGuiApplication on first use; every test that paints calls it.
void requireGui();

// The PNG at `path` (null image when it does not exist or is not a PNG).
QImage loadPng(const QString& path);

// Pixels in `region` whose every channel is within `tolerance` of `color`.
long long countNear(const QImage& image, const QRect& region, QColor color, int tolerance = 24);

// Pixels in `region` darker than `maxGrey` (0-255 luma): text, axes, dark curves.
long long countDark(const QImage& image, const QRect& region, int maxGrey = 110);

// Pixels that are not pure white.
long long countNonWhite(const QImage& image);

// The colour a translucent `color` (alpha 0-255) shows over white.
QColor overWhite(QColor color, int alpha);

} // namespace slt::report::test
