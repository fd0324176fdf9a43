// renderLineChart: the image, its colours, the diagonal, rendered text, and every bad input.
#include "image_probe.hpp"

#include "chart_style.hpp"
#include "slt/report/charts.hpp"

#include <catch2/catch.hpp>

#include <QFile>
#include <QGuiApplication>
#include <QTemporaryDir>

#include <cmath>
#include <limits>

using namespace slt::report;
using namespace slt::report::test;

namespace {

// An area well inside the plot of a default-sized (960 x 640) chart: no text, legend or axis there.
const QRect kPlotInterior(300, 200, 250, 250);
// The title line of a default-sized chart.
const QRect kTitleBand(0, 0, 600, 44);

LineChart fourCurves()
{
    LineChart chart;
    chart.title = QStringLiteral("Risk-coverage");
    chart.xLabel = QStringLiteral("Coverage");
    chart.yLabel = QStringLiteral("Selective risk");
    chart.xRange = AxisRange{0, 1};
    chart.yRange = AxisRange{0, 1};
    for (int s = 0; s < 4; ++s) {
        Series series{QStringLiteral("score %1").arg(s), {}};
        for (int i = 0; i <= 400; ++i) {
            const double c = i / 400.0;
            series.points.emplace_back(c, 0.3 + 0.12 * s + 0.05 * c); // apart, all crossing the interior
        }
        chart.series.push_back(series);
    }
    return chart;
}

} // namespace

TEST_CASE("a line chart is a PNG of the requested size showing every series colour", "[line]")
{
    requireGui();
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("rc.png"));
    REQUIRE(renderLineChart(fourCurves(), path).ok());
    const QImage image = loadPng(path);
    REQUIRE(!image.isNull());
    CHECK(image.size() == QSize(960, 640));
    CHECK(countNonWhite(image) > 5000);
    for (int s = 0; s < 4; ++s) {
        INFO("series " << s);
        // The curve itself: the legend is outside the interior.
        CHECK(countNear(image, kPlotInterior, detail::seriesColor(s), 30) > 100);
    }

    const QString small = dir.filePath(QStringLiteral("small.png"));
    REQUIRE(renderLineChart(fourCurves(), small, QSize(500, 320)).ok());
    CHECK(loadPng(small).size() == QSize(500, 320));
}

TEST_CASE("the title is rendered as text (dark pixels in the title band only when there is a title)", "[line]")
{
    requireGui();
    QTemporaryDir dir;
    LineChart titled = fourCurves();
    LineChart untitled = fourCurves();
    untitled.title.clear();
    REQUIRE(renderLineChart(titled, dir.filePath(QStringLiteral("a.png"))).ok());
    REQUIRE(renderLineChart(untitled, dir.filePath(QStringLiteral("b.png"))).ok());
    CHECK(countDark(loadPng(dir.filePath(QStringLiteral("a.png"))), kTitleBand) > 100);
    CHECK(countDark(loadPng(dir.filePath(QStringLiteral("b.png"))), kTitleBand) == 0);
}

TEST_CASE("the diagonal is drawn only when asked", "[line]")
{
    requireGui();
    QTemporaryDir dir;
    LineChart chart;
    chart.title = QStringLiteral("Calibration");
    chart.xRange = AxisRange{0, 1};
    chart.yRange = AxisRange{0, 1};
    chart.series.push_back({QStringLiteral("flat"), {{0, 0.97}, {1, 0.97}}}); // stays out of the interior
    REQUIRE(renderLineChart(chart, dir.filePath(QStringLiteral("plain.png"))).ok());
    chart.diagonal = true;
    REQUIRE(renderLineChart(chart, dir.filePath(QStringLiteral("diagonal.png"))).ok());
    const QColor grey = detail::diagonalColor();
    CHECK(countNear(loadPng(dir.filePath(QStringLiteral("plain.png"))), kPlotInterior, grey, 40) == 0);
    CHECK(countNear(loadPng(dir.filePath(QStringLiteral("diagonal.png"))), kPlotInterior, grey, 40) > 100);
}

TEST_CASE("NaN and infinite points are skipped and the rest is drawn", "[line][bad-input]")
{
    requireGui();
    QTemporaryDir dir;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    LineChart chart = fourCurves();
    chart.xRange.reset(); // ranges from the finite data only
    chart.yRange.reset();
    chart.series[0].points[100] = QPointF(nan, 0.5);
    chart.series[1].points[200] = QPointF(0.5, inf);
    chart.series.push_back({QStringLiteral("only NaN"), {{nan, nan}, {inf, 1}}});
    chart.series.push_back({QStringLiteral("empty"), {}});
    const QString path = dir.filePath(QStringLiteral("nan.png"));
    REQUIRE(renderLineChart(chart, path).ok());
    const QImage image = loadPng(path);
    const QRect plot(100, 60, 650, 500); // the whole plot, left of the legend
    CHECK(countNear(image, plot, detail::seriesColor(0), 30) > 300);
    CHECK(countNear(image, plot, detail::seriesColor(1), 30) > 300);
}

TEST_CASE("a line chart with nothing drawable fails with a message and writes nothing", "[line][bad-input]")
{
    requireGui();
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("none.png"));
    const double nan = std::numeric_limits<double>::quiet_NaN();

    LineChart noSeries;
    noSeries.title = QStringLiteral("Empty");
    const auto none = renderLineChart(noSeries, path);
    CHECK_FALSE(none.ok());
    CHECK(none.error().contains(QStringLiteral("no series")));

    LineChart onlyNan = noSeries;
    onlyNan.series = {{QStringLiteral("a"), {{nan, 0.1}, {0.2, nan}}}, {QStringLiteral("b"), {}}};
    const auto nothing = renderLineChart(onlyNan, path);
    CHECK_FALSE(nothing.ok());
    CHECK(nothing.error().contains(QStringLiteral("nothing to draw")));
    CHECK_FALSE(QFile::exists(path));
}

TEST_CASE("bad sizes, ranges and paths are refused with a message", "[line][bad-input]")
{
    requireGui();
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("x.png"));

    const auto zero = renderLineChart(fourCurves(), path, QSize(0, 0));
    CHECK_FALSE(zero.ok());
    CHECK(zero.error().contains(QStringLiteral("too small")));
    const auto huge = renderLineChart(fourCurves(), path, QSize(100000, 640));
    CHECK_FALSE(huge.ok());
    CHECK(huge.error().contains(QStringLiteral("too large")));

    LineChart inverted = fourCurves();
    inverted.xRange = AxisRange{1, 0};
    const auto range = renderLineChart(inverted, path);
    CHECK_FALSE(range.ok());
    CHECK(range.error().contains(QStringLiteral("x range")));
    CHECK_FALSE(QFile::exists(path));

    const QString unwritable = dir.filePath(QStringLiteral("no/such/folder/rc.png"));
    const auto write = renderLineChart(fourCurves(), unwritable);
    CHECK_FALSE(write.ok());
    CHECK(write.error().contains(unwritable));
    const auto empty = renderLineChart(fourCurves(), QString());
    CHECK_FALSE(empty.ok());
}

TEST_CASE("a failed render leaves an existing file untouched", "[line][bad-input]")
{
    requireGui();
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("kept.png"));
    REQUIRE(renderLineChart(fourCurves(), path).ok());
    QFile before(path);
    REQUIRE(before.open(QIODevice::ReadOnly));
    const QByteArray bytes = before.readAll();
    before.close();
    LineChart empty;
    REQUIRE_FALSE(renderLineChart(empty, path).ok());
    QFile after(path);
    REQUIRE(after.open(QIODevice::ReadOnly));
    CHECK(after.readAll() == bytes);
}

TEST_CASE("the application used for charts is a QGuiApplication on the offscreen platform", "[line]")
{
    requireGui();
    CHECK(ensureGuiApplication()); // idempotent
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") || qgetenv("QT_QPA_PLATFORM") == "offscreen")
        CHECK(QGuiApplication::platformName() == QStringLiteral("offscreen"));
}
