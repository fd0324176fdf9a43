// renderHistogram: overlaid, semi-transparent histograms of value groups over common bins.
#include "slt/report/charts.hpp"

#include "chart_frame.hpp"
#include "chart_style.hpp"
#include "histogram_bins.hpp"
#include "png_output.hpp"

#include <QLocale>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace slt::report {

namespace {

using detail::PlotArea;

using detail::Binning;
using detail::GroupHeights;

constexpr int kMaximumBins = 10000;

Binning pooledBinning(const HistogramChart& chart)
{
    std::vector<const std::vector<double>*> groups;
    for (const HistogramChart::Group& group : chart.groups)
        groups.push_back(&group.values);
    return detail::pooledBinning(groups, chart.bins);
}

// The outline of a histogram as one step path along the bin tops, closed to the baseline.
QPainterPath stepPath(const GroupHeights& group, const Binning& binning, const PlotArea& plot)
{
    QPainterPath path;
    path.moveTo(plot.map(binning.min, 0));
    for (int i = 0; i < binning.bins; ++i) {
        const double height = group.heights[static_cast<size_t>(i)];
        path.lineTo(plot.map(binning.min + i * binning.width(), height));
        path.lineTo(plot.map(binning.min + (i + 1) * binning.width(), height));
    }
    path.lineTo(plot.map(binning.max, 0));
    return path;
}

QColor translucent(QColor color)
{
    color.setAlpha(80);
    return color;
}

core::Status checkHistogram(const HistogramChart& chart)
{
    if (chart.groups.empty())
        return core::Status::failure(QStringLiteral("histogram \"%1\" has no groups").arg(chart.title));
    if (chart.bins < 1 || chart.bins > kMaximumBins)
        return core::Status::failure(QStringLiteral("histogram \"%1\" asks for %2 bins (1 to %3 allowed)")
                                         .arg(chart.title)
                                         .arg(chart.bins)
                                         .arg(kMaximumBins));
    return {};
}

} // namespace

core::Status renderHistogram(const HistogramChart& chart, const QString& pngPath, QSize size)
{
    if (core::Status status = detail::checkCanPaint(size); !status)
        return status;
    if (core::Status status = checkHistogram(chart); !status)
        return status;
    const Binning binning = pooledBinning(chart);
    if (!(binning.min < binning.max))
        return core::Status::failure(
            QStringLiteral("histogram \"%1\" has nothing to draw: every group is empty or has only NaN or "
                           "infinite values")
                .arg(chart.title));
    if (!std::isfinite(binning.max - binning.min))
        return core::Status::failure(QStringLiteral("histogram \"%1\": the value span is too large to draw").arg(chart.title));

    std::vector<GroupHeights> groups;
    double highest = 0;
    for (const HistogramChart::Group& group : chart.groups) {
        groups.push_back(detail::binHeights(group.values, binning, chart.normalise));
        highest = std::max(highest, *std::max_element(groups.back().heights.begin(), groups.back().heights.end()));
    }

    const double scale = detail::scaleFor(size);
    detail::StandardChartSpec spec;
    spec.title = chart.title;
    spec.xLabel = chart.xLabel;
    spec.yLabel = chart.normalise ? QStringLiteral("Density") : QStringLiteral("Count");
    spec.xMin = binning.min;
    spec.xMax = binning.max;
    spec.yMin = 0;
    spec.yMax = highest * 1.06;
    const QLocale english(QLocale::English);
    for (size_t i = 0; i < chart.groups.size(); ++i) {
        const QString name = chart.groups[i].name.isEmpty() ? QStringLiteral("group %1").arg(i + 1) : chart.groups[i].name;
        const QString label = groups[i].finiteCount > 0
            ? QStringLiteral("%1 (n = %2)").arg(name, english.toString(groups[i].finiteCount))
            : QStringLiteral("%1 (no data)").arg(name);
        const QPen pen = detail::seriesPen(static_cast<int>(i), scale);
        spec.legend.push_back({label, detail::LegendEntry::Swatch::Box, pen, translucent(pen.color()), {}});
    }

    QImage image = detail::makeCanvas(size);
    detail::paintStandardChart(image, spec, [&](QPainter& painter, const PlotArea& plot) {
        for (size_t i = 0; i < groups.size(); ++i) { // fills first, so no outline hides under another fill
            if (groups[i].finiteCount == 0)
                continue;
            painter.setPen(Qt::NoPen);
            painter.setBrush(translucent(detail::seriesColor(static_cast<int>(i))));
            painter.drawPath(stepPath(groups[i], binning, plot));
        }
        for (size_t i = 0; i < groups.size(); ++i) {
            if (groups[i].finiteCount == 0)
                continue;
            painter.setPen(detail::seriesPen(static_cast<int>(i), scale));
            painter.setBrush(Qt::NoBrush);
            painter.drawPath(stepPath(groups[i], binning, plot));
        }
    });
    return detail::savePng(image, pngPath);
}

} // namespace slt::report
