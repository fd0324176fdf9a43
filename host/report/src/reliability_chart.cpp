// renderReliabilityPanels: reliability diagrams side by side (e.g. before | after calibration).
//
// Each panel: accuracy bars per confidence bin, the gap between accuracy and the bin's mean confidence
// hatched, the diagonal of perfect calibration, the ECE under the title, and the bin counts as a small
// histogram strip under the bars sharing the confidence axis. One legend row under all panels.
#include "slt/report/charts.hpp"

#include "chart_frame.hpp"
#include "chart_style.hpp"
#include "png_output.hpp"

#include <QFontMetricsF>
#include <QLocale>

#include <algorithm>
#include <cmath>

namespace slt::report {

namespace {

using detail::PlotArea;
using detail::Ticks;

QColor accuracyFill() { return QColor(0x00, 0x72, 0xB2, 210); }       // Okabe-Ito blue
QColor accuracyOutline() { return QColor(0x00, 0x4E, 0x7A); }
QColor gapColor() { return QColor(0xD5, 0x5E, 0x00); }                // Okabe-Ito vermillion
QColor countFill() { return QColor(0x9A, 0x9A, 0x9A); }

bool isDrawable(const ReliabilityBin& bin)
{
    return bin.count > 0 && std::isfinite(bin.lower) && std::isfinite(bin.upper) && bin.lower < bin.upper
        && std::isfinite(bin.accuracy) && std::isfinite(bin.meanConfidence);
}

long long drawableCount(const ReliabilityPanel& panel)
{
    long long total = 0;
    for (const ReliabilityBin& bin : panel.bins)
        if (isDrawable(bin))
            total += bin.count;
    return total;
}

std::vector<detail::LegendEntry> reliabilityLegend(double scale)
{
    using Swatch = detail::LegendEntry::Swatch;
    return {
        {QStringLiteral("Accuracy of the bin"), Swatch::Box, QPen(accuracyOutline(), scale), accuracyFill(), {}},
        {QStringLiteral("Gap to the mean confidence"), Swatch::Box, QPen(gapColor(), scale),
         QColor(gapColor().red(), gapColor().green(), gapColor().blue(), 60), QBrush(gapColor(), Qt::BDiagPattern)},
        {QStringLiteral("Perfect calibration"), Swatch::Line, detail::diagonalPen(scale), {}, {}},
        {QStringLiteral("Points per bin"), Swatch::Box, QPen(countFill().darker(130), scale), countFill(), {}},
    };
}

QString subtitle(const ReliabilityPanel& panel)
{
    const QString ece = std::isfinite(panel.ece) ? QString::number(panel.ece, 'f', 3) : QStringLiteral("n/a");
    return QStringLiteral("ECE = %1   ·   %2 bins   ·   n = %3")
        .arg(ece)
        .arg(panel.bins.size())
        .arg(QLocale(QLocale::English).toString(drawableCount(panel)));
}

// The data ranges shared by all panels, so before and after compare at a glance.
struct PanelRanges {
    double xMin = 0, xMax = 1, yMax = 1;
    long long maxCount = 1;
};

PanelRanges rangesOf(const std::vector<ReliabilityPanel>& panels)
{
    PanelRanges ranges;
    for (const ReliabilityPanel& panel : panels)
        for (const ReliabilityBin& bin : panel.bins) {
            if (!isDrawable(bin))
                continue;
            ranges.xMin = std::min(ranges.xMin, bin.lower);
            ranges.xMax = std::max(ranges.xMax, bin.upper);
            ranges.yMax = std::max({ranges.yMax, bin.accuracy, bin.meanConfidence});
            ranges.maxCount = std::max(ranges.maxCount, bin.count);
        }
    return ranges;
}

void drawBars(QPainter& painter, const ReliabilityPanel& panel, const PlotArea& plot, double scale)
{
    const double inset = std::max(0.5, 0.8 * scale); // a hairline of white between neighbouring bars
    for (const ReliabilityBin& bin : panel.bins) {
        if (!isDrawable(bin))
            continue;
        const double left = plot.x(bin.lower) + inset;
        const double right = plot.x(bin.upper) - inset;
        const QRectF bar(QPointF(left, plot.y(bin.accuracy)), QPointF(right, plot.y(0)));
        painter.setPen(QPen(accuracyOutline(), scale));
        painter.setBrush(accuracyFill());
        painter.drawRect(bar);
        const QRectF gap(QPointF(left, plot.y(std::max(bin.accuracy, bin.meanConfidence))),
                         QPointF(right, plot.y(std::min(bin.accuracy, bin.meanConfidence))));
        if (gap.height() < 0.5)
            continue;
        painter.setPen(Qt::NoPen);
        painter.setBrush(QColor(gapColor().red(), gapColor().green(), gapColor().blue(), 60));
        painter.drawRect(gap);
        painter.setBrush(QBrush(gapColor(), Qt::BDiagPattern));
        painter.drawRect(gap);
        painter.setPen(QPen(gapColor(), scale));
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(gap);
    }
}

void drawCounts(QPainter& painter, const ReliabilityPanel& panel, const PlotArea& strip, double scale)
{
    const double inset = std::max(0.5, 0.8 * scale);
    painter.setPen(QPen(countFill().darker(130), scale));
    painter.setBrush(countFill());
    for (const ReliabilityBin& bin : panel.bins) {
        if (!isDrawable(bin))
            continue;
        painter.drawRect(QRectF(QPointF(strip.x(bin.lower) + inset, strip.y(static_cast<double>(bin.count))),
                                QPointF(strip.x(bin.upper) - inset, strip.y(0))));
    }
}

void drawPanel(QPainter& painter, const ReliabilityPanel& panel, const QRectF& area, const PanelRanges& ranges,
               double scale)
{
    using detail::FontRole;
    const double m = detail::margin(scale);
    const QFontMetricsF subtitleMetrics(detail::chartFont(FontRole::Subtitle, scale));
    detail::drawTitle(painter, QPointF(area.left() + m, area.top() + m), area.width() - 2 * m, panel.title, scale);
    const double subtitleTop = area.top() + m + detail::titleBand(scale) - 8 * scale;
    painter.setFont(detail::chartFont(FontRole::Subtitle, scale));
    painter.setPen(detail::textColor());
    painter.drawText(QPointF(area.left() + m, subtitleTop + subtitleMetrics.ascent()),
                     subtitleMetrics.elidedText(subtitle(panel), Qt::ElideRight, area.width() - 2 * m));

    const double top = subtitleTop + subtitleMetrics.height() + 14 * scale;
    const double bottom = area.bottom() - detail::axisTitleBand(scale) - detail::tickLabelBand(scale);
    const double stripHeight = std::max(36 * scale, 0.16 * (bottom - top));
    const double plotBottom = bottom - stripHeight - 22 * scale;

    const Ticks yTicks = detail::niceTicks(0, ranges.yMax, std::max(2, static_cast<int>((plotBottom - top) / (55 * scale))));
    double countMax = static_cast<double>(ranges.maxCount);
    double countMin = 0;
    detail::expandToNiceBounds(countMin, countMax, 2);
    // The strip only needs its scale: ticks at zero and at the top, counts written compactly (20k).
    Ticks countTicks;
    countTicks.values = {0, countMax};
    countTicks.labels = {QStringLiteral("0"), detail::formatCount(countMax)};
    const double left = area.left() + m + detail::axisTitleBand(scale)
        + std::max(detail::yTickLabelWidth(yTicks, scale), detail::yTickLabelWidth(countTicks, scale));
    // Room for half of the last x tick label ("1.0") on the right.
    const double right = area.right() - std::max(m, QFontMetricsF(detail::chartFont(FontRole::TickLabel, scale))
                                                          .horizontalAdvance(QStringLiteral("0.00")) * 0.5 + 6 * scale);
    const PlotArea plot(QRectF(QPointF(left, top), QPointF(right, plotBottom)), ranges.xMin, ranges.xMax, 0,
                        ranges.yMax);
    const PlotArea strip(QRectF(QPointF(left, bottom - stripHeight), QPointF(right, bottom)), ranges.xMin,
                         ranges.xMax, 0, countMax);
    const Ticks xTicks = detail::niceTicks(ranges.xMin, ranges.xMax,
                                           std::max(2, static_cast<int>((right - left) / (70 * scale))));

    detail::drawGrid(painter, plot, xTicks, yTicks, scale);
    detail::drawGrid(painter, strip, xTicks, countTicks, scale);
    painter.save();
    painter.setClipRect(plot.rect().adjusted(-1, -1, 1, 1));
    drawBars(painter, panel, plot, scale);
    painter.setPen(detail::diagonalPen(scale));
    const double low = std::min(ranges.xMin, 0.0);
    const double high = std::max(ranges.xMax, ranges.yMax);
    painter.drawLine(plot.map(low, low), plot.map(high, high));
    painter.restore();
    drawCounts(painter, panel, strip, scale);
    detail::drawAxes(painter, plot, xTicks, false, yTicks, scale);
    detail::drawAxes(painter, strip, xTicks, true, countTicks, scale);
    detail::drawXAxisTitle(painter, strip.rect(), bottom + detail::tickLabelBand(scale), panel.xLabel, scale);
    detail::drawYAxisTitle(painter, plot.rect(), area.left() + m, panel.yLabel, scale);
    detail::drawYAxisTitle(painter, strip.rect(), area.left() + m, QStringLiteral("Count"), scale * 0.85);
}

core::Status checkPanels(const std::vector<ReliabilityPanel>& panels)
{
    if (panels.empty())
        return core::Status::failure(QStringLiteral("reliability diagram has no panels"));
    for (const ReliabilityPanel& panel : panels) {
        if (panel.bins.empty())
            return core::Status::failure(QStringLiteral("reliability panel \"%1\" has no bins").arg(panel.title));
        for (const ReliabilityBin& bin : panel.bins)
            if (bin.count < 0)
                return core::Status::failure(
                    QStringLiteral("reliability panel \"%1\" has a bin with a negative count").arg(panel.title));
    }
    const bool anyDrawable = std::any_of(panels.begin(), panels.end(),
                                         [](const ReliabilityPanel& panel) { return drawableCount(panel) > 0; });
    if (!anyDrawable)
        return core::Status::failure(QStringLiteral(
            "reliability diagram has nothing to draw: every bin is empty or has NaN or infinite values"));
    return {};
}

} // namespace

core::Status renderReliabilityPanels(const std::vector<ReliabilityPanel>& panels, const QString& pngPath,
                                     QSize panelSize)
{
    if (core::Status status = detail::checkCanPaint(panelSize); !status)
        return status;
    if (core::Status status = checkPanels(panels); !status)
        return status;
    if (panels.size() > 16)
        return core::Status::failure(QStringLiteral("reliability diagram has %1 panels (at most 16 side by side)")
                                         .arg(panels.size()));

    // The default panel (560 x 600) is drawn at the reference scale of the other charts.
    const double scale = std::clamp(std::min(panelSize.width() / 560.0, panelSize.height() / 600.0), 0.75, 3.0);
    const QSize size(panelSize.width() * static_cast<int>(panels.size()), panelSize.height());
    if (core::Status status = detail::checkCanPaint(size); !status)
        return status;
    const std::vector<detail::LegendEntry> legend = reliabilityLegend(scale);
    const double m = detail::margin(scale);
    const QSizeF legendBox = detail::legendSize(legend, true, size.width() - 2 * m, size.width() * 0.5, scale);

    QImage image = detail::makeCanvas(size);
    QPainter painter;
    detail::beginChartPainting(painter, image);
    const double panelsBottom = size.height() - legendBox.height() - m;
    for (size_t i = 0; i < panels.size(); ++i) {
        const QRectF area(panelSize.width() * static_cast<double>(i), 0, panelSize.width(), panelsBottom);
        drawPanel(painter, panels[i], area, rangesOf(panels), scale);
    }
    detail::drawLegend(painter, QPointF((size.width() - legendBox.width()) / 2, panelsBottom), legend, true,
                       size.width() - 2 * m, size.width() * 0.5, scale);
    painter.end();
    return detail::savePng(image, pngPath);
}

} // namespace slt::report
