#include "chart_style.hpp"

#include <QVector>

#include <algorithm>

namespace slt::report::detail {

namespace {

// Okabe & Ito (2008), "Color Universal Design"; black replaces nothing, yellow is last (weak on white).
constexpr QRgb kPalette[kPaletteSize] = {
    0x0072B2, // blue
    0xD55E00, // vermillion
    0x009E73, // bluish green
    0xCC79A7, // reddish purple
    0xE69F00, // orange
    0x56B4E9, // sky blue
    0x000000, // black
    0xF0E442, // yellow
};

// Dash patterns in units of the pen width; an empty pattern is a solid line.
QVector<qreal> dashPattern(int index)
{
    switch (index % kPaletteSize) {
    case 0: return {};
    case 1: return {5, 2.5};
    case 2: return {1, 1.8};
    case 3: return {6, 2, 1, 2};
    case 4: return {9, 3};
    case 5: return {4, 1.5, 1, 1.5, 1, 1.5};
    case 6: return {2.5, 2.5};
    default: return {9, 2, 2, 2};
    }
}

} // namespace

QColor seriesColor(int index)
{
    return QColor::fromRgb(kPalette[index % kPaletteSize]);
}

QPen seriesPen(int index, double scale)
{
    QPen pen(seriesColor(index), 2.6 * scale);
    pen.setCapStyle(Qt::FlatCap);
    pen.setJoinStyle(Qt::RoundJoin);
    if (const QVector<qreal> pattern = dashPattern(index); !pattern.isEmpty())
        pen.setDashPattern(pattern);
    return pen;
}

QColor textColor() { return QColor(0x20, 0x20, 0x20); }
QColor axisColor() { return QColor(0x40, 0x40, 0x40); }
QColor gridColor() { return QColor(0xE2, 0xE2, 0xE2); }
QColor diagonalColor() { return QColor(0x6E, 0x6E, 0x6E); }

QPen diagonalPen(double scale)
{
    QPen pen(diagonalColor(), 1.6 * scale);
    pen.setDashPattern({4, 3});
    return pen;
}

double scaleFor(QSize size)
{
    const double byWidth = size.width() / 960.0;
    const double byHeight = size.height() / 640.0;
    return std::clamp(std::min(byWidth, byHeight), 0.75, 3.0);
}

QFont chartFont(FontRole role, double scale)
{
    // DejaVu Sans is installed with fontconfig on Debian (fonts-dejavu-core); any sans serif will do.
    QFont font(QStringLiteral("DejaVu Sans"));
    font.setStyleHint(QFont::SansSerif);
    int pixels = 14;
    switch (role) {
    case FontRole::Title: pixels = 22; font.setBold(true); break;
    case FontRole::Subtitle: pixels = 16; break;
    case FontRole::AxisLabel: pixels = 16; break;
    case FontRole::TickLabel: pixels = 14; break;
    case FontRole::Legend: pixels = 14; break;
    }
    font.setPixelSize(std::max(9, static_cast<int>(pixels * scale + 0.5)));
    return font;
}

} // namespace slt::report::detail
