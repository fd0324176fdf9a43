// The frame every chart shares: the mapping from data to pixels, grid, axes with ticks, axis titles, the title
// block and the legend box; and the standard single-plot layout (title on top, legend outside on the right,
// so it never covers data).
#pragma once

#include "nice_ticks.hpp"

#include <QBrush>
#include <QPainter>
#include <QPen>
#include <QRectF>
#include <QString>

#include <functional>
#include <vector>

namespace slt::report::detail {

// Data coordinates -> pixels inside `rect` (y grows upwards in data, downwards in pixels).
class PlotArea {
public:
    PlotArea(const QRectF& rect, double xMin, double xMax, double yMin, double yMax);
    double x(double value) const { return rect_.left() + (value - xMin_) * xScale_; }
    double y(double value) const { return rect_.bottom() - (value - yMin_) * yScale_; }
    QPointF map(double xValue, double yValue) const { return {x(xValue), y(yValue)}; }
    const QRectF& rect() const { return rect_; }
    double xMin() const { return xMin_; }
    double xMax() const { return xMax_; }
    double yMin() const { return yMin_; }
    double yMax() const { return yMax_; }

private:
    QRectF rect_;
    double xMin_, xMax_, yMin_, yMax_;
    double xScale_, yScale_;
};

struct LegendEntry {
    enum class Swatch { Line, Box };
    QString label;
    Swatch swatch = Swatch::Line;
    QPen pen;       // the line, or the box outline
    QBrush brush;   // the box fill (Swatch::Box)
    QBrush overlay; // drawn over the fill, e.g. a hatch pattern (Swatch::Box)
};

// Axis ticks of one plot; a Ticks with no values draws no ticks on that axis.
void drawGrid(QPainter& painter, const PlotArea& plot, const Ticks& xTicks, const Ticks& yTicks, double scale);
void drawAxes(QPainter& painter, const PlotArea& plot, const Ticks& xTicks, bool xTickLabels, const Ticks& yTicks,
              double scale);
void drawXAxisTitle(QPainter& painter, const QRectF& plotRect, double top, const QString& text, double scale);
void drawYAxisTitle(QPainter& painter, const QRectF& plotRect, double left, const QString& text, double scale);

// Heights and widths the layouts reserve for tick labels and axis titles.
double tickLabelBand(double scale);                          // under the x axis
double axisTitleBand(double scale);                          // one line of axis title
double yTickLabelWidth(const Ticks& ticks, double scale);    // widest y tick label plus the tick
double titleBand(double scale);

// Title text on one line, left-aligned, elided to `width`.
void drawTitle(QPainter& painter, const QPointF& topLeft, double width, const QString& text, double scale);

// Legend boxes: vertical (a column of entries) or horizontal (rows wrapping at `maxWidth`). Labels longer
// than `maxLabelWidth` are elided.
QSizeF legendSize(const std::vector<LegendEntry>& entries, bool horizontal, double maxWidth, double maxLabelWidth,
                  double scale);
void drawLegend(QPainter& painter, const QPointF& topLeft, const std::vector<LegendEntry>& entries, bool horizontal,
                double maxWidth, double maxLabelWidth, double scale);

// The outer margin of a chart.
inline double margin(double scale) { return 16 * scale; }

// The standard chart: one plot, title above, axis titles, legend outside on the right.
struct StandardChartSpec {
    QString title;
    QString xLabel;
    QString yLabel;
    double xMin = 0, xMax = 1, yMin = 0, yMax = 1;
    std::vector<LegendEntry> legend;
};

// Paints the whole chart on `image`: background, title, grid, then `drawData` clipped to the plot, then axes
// and legend on top.
void paintStandardChart(QImage& image, const StandardChartSpec& spec,
                        const std::function<void(QPainter&, const PlotArea&)>& drawData);

// Begins painting a chart on `image`: white background, antialiasing for lines and text.
void beginChartPainting(QPainter& painter, QImage& image);

} // namespace slt::report::detail
