// Checks shared by every chart before painting, and the atomic PNG write after it.
#pragma once

#include "slt/core/result.hpp"

#include <QImage>
#include <QSize>
#include <QString>

namespace slt::report::detail {

// The smallest image a chart can lay out its title, axes and legend in.
constexpr QSize kMinimumChartSize(240, 180);
// The largest side: QPainter's raster engine works up to 32767, and a chart beyond 16384 is a mistake.
constexpr int kMaximumChartSide = 16384;

// Fails when no QGuiApplication exists (fonts need one) or `size` is outside the bounds above.
core::Status checkCanPaint(QSize size);

// A white ARGB32 image of `size`.
QImage makeCanvas(QSize size);

// Writes `image` as PNG through a temporary file renamed into place, so a reader never sees half a file.
core::Status savePng(const QImage& image, const QString& pngPath);

} // namespace slt::report::detail
