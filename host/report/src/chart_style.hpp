// The look shared by every chart: palette, line styles, fonts and sizes.
//
// Series colours follow the Okabe-Ito palette (distinguishable with the common colour-vision deficiencies),
// ordered so the first ones contrast most with a white background; yellow comes last. Series also differ by
// dash pattern, so up to eight stay apart in greyscale print. Sizes scale with the image: a 960 x 640 chart
// uses a 22 px title, 16 px axis labels and 14 px tick labels.
#pragma once

#include <QColor>
#include <QFont>
#include <QPen>
#include <QSize>

namespace slt::report::detail {

constexpr int kPaletteSize = 8;

QColor seriesColor(int index);            // cycles after kPaletteSize
QPen seriesPen(int index, double scale);  // colour + dash pattern + width, for curves and outlines

QColor textColor();
QColor axisColor();
QColor gridColor();
QColor diagonalColor();
QPen diagonalPen(double scale);

// 1.0 at the reference size 960 x 640; bounded so tiny or huge images stay legible.
double scaleFor(QSize size);

enum class FontRole { Title, Subtitle, AxisLabel, TickLabel, Legend };
QFont chartFont(FontRole role, double scale);

} // namespace slt::report::detail
