#include "chart_frame.hpp"

#include "chart_style.hpp"

#include <QFontMetricsF>
#include <QImage>

#include <algorithm>
#include <cmath>

namespace slt::report::detail {

namespace {

double tickLength(double scale) { return 5 * scale; }

// How many intervals an axis of `pixels` length gets: about one tick label per 90 px across and 55 px up.
int xTickTarget(double pixels, double scale) { return std::clamp(static_cast<int>(pixels / (90 * scale)), 2, 12); }
int yTickTarget(double pixels, double scale) { return std::clamp(static_cast<int>(pixels / (55 * scale)), 2, 10); }

double swatchWidth(double scale) { return 44 * scale; } // a whole period of the longest dash pattern
double legendPadding(double scale) { return 9 * scale; }

void drawSwatch(QPainter& painter, const LegendEntry& entry, const QRectF& cell)
{
    if (entry.swatch == LegendEntry::Swatch::Box) {
        const double side = std::min(cell.height(), cell.width()) * 0.8;
        const QRectF box(cell.center().x() - cell.width() * 0.4, cell.center().y() - side / 2, cell.width() * 0.8,
                         side);
        painter.setPen(Qt::NoPen);
        painter.setBrush(entry.brush);
        painter.drawRect(box);
        painter.setBrush(entry.overlay);
        painter.drawRect(box);
        painter.setPen(entry.pen);
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(box);
        return;
    }
    painter.setPen(entry.pen);
    painter.drawLine(QPointF(cell.left(), cell.center().y()), QPointF(cell.right(), cell.center().y()));
}

} // namespace

PlotArea::PlotArea(const QRectF& rect, double xMin, double xMax, double yMin, double yMax)
    : rect_(rect), xMin_(xMin), xMax_(xMax), yMin_(yMin), yMax_(yMax),
      xScale_(rect.width() / (xMax - xMin)), yScale_(rect.height() / (yMax - yMin))
{
}

void beginChartPainting(QPainter& painter, QImage& image)
{
    image.fill(Qt::white);
    painter.begin(&image);
    painter.setRenderHint(QPainter::Antialiasing, true);
    painter.setRenderHint(QPainter::TextAntialiasing, true);
}

double tickLabelBand(double scale)
{
    return QFontMetricsF(chartFont(FontRole::TickLabel, scale)).height() + tickLength(scale) + 4 * scale;
}

double axisTitleBand(double scale)
{
    return QFontMetricsF(chartFont(FontRole::AxisLabel, scale)).height() + 6 * scale;
}

double titleBand(double scale)
{
    return QFontMetricsF(chartFont(FontRole::Title, scale)).height() + 12 * scale;
}

double yTickLabelWidth(const Ticks& ticks, double scale)
{
    const QFontMetricsF metrics(chartFont(FontRole::TickLabel, scale));
    double widest = 0;
    for (size_t i = 0; i < ticks.values.size(); ++i)
        widest = std::max(widest, metrics.horizontalAdvance(ticks.label(i)));
    return widest + tickLength(scale) + 5 * scale;
}

void drawGrid(QPainter& painter, const PlotArea& plot, const Ticks& xTicks, const Ticks& yTicks, double scale)
{
    painter.save();
    painter.setPen(QPen(gridColor(), std::max(1.0, scale)));
    const QRectF& r = plot.rect();
    for (double value : xTicks.values)
        painter.drawLine(QPointF(plot.x(value), r.top()), QPointF(plot.x(value), r.bottom()));
    for (double value : yTicks.values)
        painter.drawLine(QPointF(r.left(), plot.y(value)), QPointF(r.right(), plot.y(value)));
    painter.restore();
}

void drawAxes(QPainter& painter, const PlotArea& plot, const Ticks& xTicks, bool xTickLabels, const Ticks& yTicks,
              double scale)
{
    painter.save();
    const QRectF& r = plot.rect();
    const double tick = tickLength(scale);
    painter.setPen(QPen(axisColor(), 1.3 * scale, Qt::SolidLine, Qt::FlatCap));
    painter.drawLine(r.bottomLeft(), r.bottomRight());
    painter.drawLine(r.bottomLeft(), r.topLeft());
    painter.setFont(chartFont(FontRole::TickLabel, scale));
    const QFontMetricsF metrics(painter.font());
    for (size_t i = 0; i < xTicks.values.size(); ++i) {
        const double x = plot.x(xTicks.values[i]);
        painter.setPen(QPen(axisColor(), 1.3 * scale));
        painter.drawLine(QPointF(x, r.bottom()), QPointF(x, r.bottom() + tick));
        if (!xTickLabels)
            continue;
        const QString label = xTicks.label(i);
        const double width = metrics.horizontalAdvance(label);
        painter.setPen(textColor());
        painter.drawText(QPointF(x - width / 2, r.bottom() + tick + 2 * scale + metrics.ascent()), label);
    }
    for (size_t i = 0; i < yTicks.values.size(); ++i) {
        const double y = plot.y(yTicks.values[i]);
        painter.setPen(QPen(axisColor(), 1.3 * scale));
        painter.drawLine(QPointF(r.left() - tick, y), QPointF(r.left(), y));
        const QString label = yTicks.label(i);
        const double width = metrics.horizontalAdvance(label);
        painter.setPen(textColor());
        painter.drawText(QPointF(r.left() - tick - 4 * scale - width, y + metrics.ascent() / 2 - metrics.descent() / 2),
                         label);
    }
    painter.restore();
}

void drawXAxisTitle(QPainter& painter, const QRectF& plotRect, double top, const QString& text, double scale)
{
    painter.save();
    painter.setFont(chartFont(FontRole::AxisLabel, scale));
    painter.setPen(textColor());
    const QFontMetricsF metrics(painter.font());
    const QString shown = metrics.elidedText(text, Qt::ElideRight, plotRect.width());
    const double width = metrics.horizontalAdvance(shown);
    painter.drawText(QPointF(plotRect.center().x() - width / 2, top + metrics.ascent()), shown);
    painter.restore();
}

void drawYAxisTitle(QPainter& painter, const QRectF& plotRect, double left, const QString& text, double scale)
{
    painter.save();
    painter.setFont(chartFont(FontRole::AxisLabel, scale));
    painter.setPen(textColor());
    const QFontMetricsF metrics(painter.font());
    const QString shown = metrics.elidedText(text, Qt::ElideRight, plotRect.height());
    const double width = metrics.horizontalAdvance(shown);
    // Rotated so it reads bottom to top; the baseline sits one ascent right of `left`.
    painter.translate(left + metrics.ascent(), plotRect.center().y() + width / 2);
    painter.rotate(-90);
    painter.drawText(QPointF(0, 0), shown);
    painter.restore();
}

void drawTitle(QPainter& painter, const QPointF& topLeft, double width, const QString& text, double scale)
{
    painter.save();
    painter.setFont(chartFont(FontRole::Title, scale));
    painter.setPen(textColor());
    const QFontMetricsF metrics(painter.font());
    painter.drawText(QPointF(topLeft.x(), topLeft.y() + metrics.ascent()),
                     metrics.elidedText(text, Qt::ElideRight, width));
    painter.restore();
}

namespace {

// Where each legend entry goes, relative to the box's top-left corner: a column, or rows that wrap at
// `maxWidth` (horizontal). Each cell holds the swatch and the (elided) label.
struct LegendLayout {
    std::vector<QRectF> cells;
    std::vector<QString> labels;
    QSizeF size;
};

LegendLayout layoutLegend(const std::vector<LegendEntry>& entries, bool horizontal, double maxWidth,
                          double maxLabelWidth, double scale)
{
    const QFontMetricsF metrics(chartFont(FontRole::Legend, scale));
    const double pad = legendPadding(scale);
    const double gap = 8 * scale;
    const double row = metrics.height() + 6 * scale;
    LegendLayout layout;
    double x = pad;
    double y = pad;
    double right = 0;
    for (const LegendEntry& entry : entries) {
        const QString label = metrics.elidedText(entry.label, Qt::ElideRight, maxLabelWidth);
        const double width = swatchWidth(scale) + gap + metrics.horizontalAdvance(label);
        if (horizontal && x > pad && x + width + pad > maxWidth) { // wrap to the next row
            x = pad;
            y += row;
        }
        layout.cells.emplace_back(x, y, width, row);
        layout.labels.push_back(label);
        right = std::max(right, x + width);
        if (horizontal)
            x += width + 2.5 * pad;
        else
            y += row;
    }
    layout.size = QSizeF(right + pad, (horizontal ? y + row : y) + pad);
    return layout;
}

} // namespace

QSizeF legendSize(const std::vector<LegendEntry>& entries, bool horizontal, double maxWidth, double maxLabelWidth,
                  double scale)
{
    return layoutLegend(entries, horizontal, maxWidth, maxLabelWidth, scale).size;
}

void drawLegend(QPainter& painter, const QPointF& topLeft, const std::vector<LegendEntry>& entries, bool horizontal,
                double maxWidth, double maxLabelWidth, double scale)
{
    const LegendLayout layout = layoutLegend(entries, horizontal, maxWidth, maxLabelWidth, scale);
    painter.save();
    painter.setPen(QPen(QColor(0xC8, 0xC8, 0xC8), std::max(1.0, scale)));
    painter.setBrush(QColor(255, 255, 255, 235));
    painter.drawRoundedRect(QRectF(topLeft, layout.size), 3 * scale, 3 * scale);
    painter.setFont(chartFont(FontRole::Legend, scale));
    const QFontMetricsF metrics(painter.font());
    for (size_t i = 0; i < entries.size(); ++i) {
        const QRectF cell = layout.cells[i].translated(topLeft);
        drawSwatch(painter, entries[i], QRectF(cell.left(), cell.top(), swatchWidth(scale), cell.height()));
        painter.setPen(textColor());
        painter.setBrush(Qt::NoBrush);
        const double baseline = cell.top() + (cell.height() - metrics.height()) / 2 + metrics.ascent();
        painter.drawText(QPointF(cell.left() + swatchWidth(scale) + 8 * scale, baseline), layout.labels[i]);
    }
    painter.restore();
}

void paintStandardChart(QImage& image, const StandardChartSpec& spec,
                        const std::function<void(QPainter&, const PlotArea&)>& drawData)
{
    const double scale = scaleFor(image.size());
    const double m = margin(scale);
    const double width = image.width();
    const double height = image.height();

    // Legend outside on the right; labels beyond a quarter of the width are elided.
    const double maxLabel = width * 0.25;
    const QSizeF legend = legendSize(spec.legend, false, width, maxLabel, scale);
    const double top = m + titleBand(scale);
    const double bottom = height - m - axisTitleBand(scale) - tickLabelBand(scale);
    const Ticks yTicks = niceTicks(spec.yMin, spec.yMax, yTickTarget(bottom - top, scale));
    const double left = m + axisTitleBand(scale) + yTickLabelWidth(yTicks, scale);
    const double right = width - m - legend.width() - m;
    const QRectF plotRect(QPointF(left, top), QPointF(right, bottom));
    const PlotArea plot(plotRect, spec.xMin, spec.xMax, spec.yMin, spec.yMax);
    const Ticks xTicks = niceTicks(spec.xMin, spec.xMax, xTickTarget(plotRect.width(), scale));

    QPainter painter;
    beginChartPainting(painter, image);
    drawTitle(painter, QPointF(m, m), width - 2 * m, spec.title, scale);
    drawGrid(painter, plot, xTicks, yTicks, scale);
    painter.save();
    painter.setClipRect(plotRect.adjusted(-1, -1, 1, 1));
    drawData(painter, plot);
    painter.restore();
    drawAxes(painter, plot, xTicks, true, yTicks, scale);
    drawXAxisTitle(painter, plotRect, bottom + tickLabelBand(scale), spec.xLabel, scale);
    drawYAxisTitle(painter, plotRect, m, spec.yLabel, scale);
    drawLegend(painter, QPointF(right + m, top), spec.legend, false, width, maxLabel, scale);
    painter.end();
}

} // namespace slt::report::detail
