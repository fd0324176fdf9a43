// renderLineChart: curves of several series on one plot (e.g. risk-coverage curves of all scores).
#include "slt/report/charts.hpp"

#include "chart_frame.hpp"
#include "chart_style.hpp"
#include "png_output.hpp"

#include <QPainterPath>

#include <cmath>
#include <limits>

namespace slt::report {

namespace {

using detail::PlotArea;

struct Bounds {
    double min = std::numeric_limits<double>::infinity();
    double max = -std::numeric_limits<double>::infinity();
    bool empty() const { return !(min <= max); }
    void add(double value) { min = std::min(min, value); max = std::max(max, value); }
};

bool isFinite(const QPointF& point) { return std::isfinite(point.x()) && std::isfinite(point.y()); }

bool hasFinitePoint(const Series& series)
{
    return std::any_of(series.points.begin(), series.points.end(), isFinite);
}

// The axis range for data spanning `bounds`: a 4% margin on both sides, but a non-negative axis that comes
// close to zero starts at zero (risks, rates and counts read best from a zero baseline).
core::Result<AxisRange> autoRange(Bounds bounds)
{
    if (bounds.min == bounds.max) {
        const double half = bounds.min == 0 ? 0.5 : std::abs(bounds.min) * 0.1;
        return AxisRange{bounds.min - half, bounds.max + half};
    }
    const double span = bounds.max - bounds.min;
    if (!std::isfinite(span))
        return core::Result<AxisRange>::failure(QStringLiteral("the data span is too large to draw"));
    AxisRange range{bounds.min - 0.04 * span, bounds.max + 0.04 * span};
    if (bounds.min >= 0 && bounds.min <= 0.25 * span)
        range.min = 0;
    return range;
}

core::Status checkRange(const AxisRange& range, const char* axis)
{
    if (std::isfinite(range.min) && std::isfinite(range.max) && range.min < range.max
        && std::isfinite(range.max - range.min))
        return {};
    return core::Status::failure(QStringLiteral("the %1 range [%2, %3] is not a finite interval with min < max")
                                     .arg(QLatin1String(axis))
                                     .arg(range.min)
                                     .arg(range.max));
}

// The series as a path: NaN or infinite points split it; points closer than `minStep` pixels to the last
// kept point are dropped (invisible, and a million-point curve then costs as many path elements as pixels).
QPainterPath seriesPath(const Series& series, const PlotArea& plot, double minStep, std::vector<QPointF>& lonePoints)
{
    QPainterPath path;
    QPointF last;
    int runLength = 0; // points kept in the current unbroken run
    auto closeRun = [&] {
        if (runLength == 1)
            lonePoints.push_back(last);
        runLength = 0;
    };
    for (const QPointF& point : series.points) {
        if (!isFinite(point)) {
            closeRun();
            continue;
        }
        const QPointF pixel = plot.map(point.x(), point.y());
        if (runLength == 0) {
            path.moveTo(pixel);
        } else {
            if (std::abs(pixel.x() - last.x()) < minStep && std::abs(pixel.y() - last.y()) < minStep)
                continue;
            path.lineTo(pixel);
        }
        last = pixel;
        ++runLength;
    }
    closeRun();
    return path;
}

void drawDiagonal(QPainter& painter, const PlotArea& plot, double scale)
{
    const double low = std::min(plot.xMin(), plot.yMin());
    const double high = std::max(plot.xMax(), plot.yMax());
    painter.setPen(detail::diagonalPen(scale));
    painter.drawLine(plot.map(low, low), plot.map(high, high));
}

void drawSeries(QPainter& painter, const Series& series, int index, const PlotArea& plot, double scale)
{
    std::vector<QPointF> lonePoints;
    const QPainterPath path = seriesPath(series, plot, 0.75, lonePoints);
    const QPen pen = detail::seriesPen(index, scale);
    painter.setPen(pen);
    painter.setBrush(Qt::NoBrush);
    painter.drawPath(path);
    // A point with no finite neighbour would be invisible as a path: draw it as a dot.
    painter.setPen(Qt::NoPen);
    painter.setBrush(pen.color());
    for (const QPointF& point : lonePoints)
        painter.drawEllipse(point, 2.5 * pen.widthF(), 2.5 * pen.widthF());
}

std::vector<detail::LegendEntry> legendFor(const LineChart& chart, double scale)
{
    std::vector<detail::LegendEntry> legend;
    for (size_t i = 0; i < chart.series.size(); ++i) {
        const Series& series = chart.series[i];
        QString label = series.name.isEmpty() ? QStringLiteral("series %1").arg(i + 1) : series.name;
        if (!hasFinitePoint(series))
            label += QStringLiteral(" (no data)");
        legend.push_back({label, detail::LegendEntry::Swatch::Line, detail::seriesPen(static_cast<int>(i), scale), {}, {}});
    }
    if (chart.diagonal)
        legend.push_back({QStringLiteral("y = x"), detail::LegendEntry::Swatch::Line, detail::diagonalPen(scale), {}, {}});
    return legend;
}

} // namespace

core::Status renderLineChart(const LineChart& chart, const QString& pngPath, QSize size)
{
    if (core::Status status = detail::checkCanPaint(size); !status)
        return status;
    if (chart.series.empty())
        return core::Status::failure(QStringLiteral("line chart \"%1\" has no series").arg(chart.title));
    Bounds xBounds, yBounds;
    for (const Series& series : chart.series)
        for (const QPointF& point : series.points)
            if (isFinite(point)) {
                xBounds.add(point.x());
                yBounds.add(point.y());
            }
    if (xBounds.empty())
        return core::Status::failure(
            QStringLiteral("line chart \"%1\" has nothing to draw: every series is empty or has only NaN or "
                           "infinite points")
                .arg(chart.title));

    core::Result<AxisRange> xRange = chart.xRange ? core::Result<AxisRange>(*chart.xRange) : autoRange(xBounds);
    core::Result<AxisRange> yRange = chart.yRange ? core::Result<AxisRange>(*chart.yRange) : autoRange(yBounds);
    for (const auto& [range, axis] : {std::pair{&xRange, "x"}, std::pair{&yRange, "y"}}) {
        if (!range->ok())
            return core::Status::failure(QStringLiteral("line chart \"%1\": %2").arg(chart.title, range->error()));
        if (core::Status status = checkRange(range->value(), axis); !status)
            return core::Status::failure(QStringLiteral("line chart \"%1\": %2").arg(chart.title, status.error()));
    }

    const double scale = detail::scaleFor(size);
    detail::StandardChartSpec spec{chart.title, chart.xLabel, chart.yLabel,
                                   xRange->min, xRange->max, yRange->min, yRange->max, legendFor(chart, scale)};
    QImage image = detail::makeCanvas(size);
    detail::paintStandardChart(image, spec, [&](QPainter& painter, const PlotArea& plot) {
        if (chart.diagonal)
            drawDiagonal(painter, plot, scale);
        for (size_t i = 0; i < chart.series.size(); ++i)
            drawSeries(painter, chart.series[i], static_cast<int>(i), plot, scale);
    });
    return detail::savePng(image, pngPath);
}

} // namespace slt::report
