// renderHistogram and its binning: common bins, counts and densities, colours, bad input.
#include "image_probe.hpp"

#include "chart_style.hpp"
#include "histogram_bins.hpp"
#include "slt/report/charts.hpp"

#include <catch2/catch.hpp>

#include <QFile>
#include <QTemporaryDir>

#include <limits>
#include <random>

using namespace slt::report;
using namespace slt::report::test;

namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();

HistogramChart correctAndWrong()
{
    HistogramChart chart;
    chart.title = QStringLiteral("entropy by outcome");
    chart.xLabel = QStringLiteral("entropy");
    std::mt19937 random(7);
    std::normal_distribution<double> correct(0.3, 0.1);
    std::normal_distribution<double> wrong(0.8, 0.15);
    HistogramChart::Group right{QStringLiteral("correct"), {}};
    HistogramChart::Group mistaken{QStringLiteral("wrong"), {}};
    for (int i = 0; i < 5000; ++i)
        right.values.push_back(correct(random));
    for (int i = 0; i < 500; ++i)
        mistaken.values.push_back(wrong(random));
    chart.groups = {right, mistaken};
    return chart;
}

} // namespace

TEST_CASE("histogram bins are common over the pooled finite range", "[histogram]")
{
    const std::vector<double> a{0.0, 0.5, kNaN};
    const std::vector<double> b{2.0, std::numeric_limits<double>::infinity()};
    const detail::Binning binning = detail::pooledBinning({&a, &b}, 4);
    CHECK(binning.min == 0.0);
    CHECK(binning.max == 2.0);
    CHECK(binning.width() == 0.5);
    CHECK(binning.binOf(0.0) == 0);
    CHECK(binning.binOf(0.5) == 1);
    CHECK(binning.binOf(2.0) == 3); // the maximum falls into the last bin

    const detail::GroupHeights counts = detail::binHeights(a, binning, false);
    CHECK(counts.finiteCount == 2);
    CHECK(counts.heights == std::vector<double>{1, 1, 0, 0});
    const detail::GroupHeights densities = detail::binHeights(a, binning, true);
    double area = 0;
    for (double height : densities.heights)
        area += height * binning.width();
    CHECK(area == Approx(1.0));
    CHECK(densities.heights[0] == Approx(1.0)); // half the points in a bin of width 0.5
}

TEST_CASE("a single distinct value gets a representable range around it, no finite value gets none", "[histogram]")
{
    const std::vector<double> one{3.0, 3.0};
    const detail::Binning unit = detail::pooledBinning({&one}, 10);
    CHECK(unit.min == 2.5);
    CHECK(unit.max == 3.5);
    const std::vector<double> big{1e20};
    const detail::Binning wide = detail::pooledBinning({&big}, 10);
    CHECK(wide.min < wide.max);
    const std::vector<double> none{kNaN};
    const detail::Binning empty = detail::pooledBinning({&none}, 10);
    CHECK_FALSE(empty.min < empty.max);
}

TEST_CASE("a histogram shows each group's translucent fill and outline", "[histogram]")
{
    requireGui();
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("hist.png"));
    REQUIRE(renderHistogram(correctAndWrong(), path).ok());
    const QImage image = loadPng(path);
    REQUIRE(image.size() == QSize(960, 560));
    const QRect plot(100, 60, 600, 420);
    for (int g = 0; g < 2; ++g) {
        INFO("group " << g);
        CHECK(countNear(image, plot, overWhite(detail::seriesColor(g), 80), 12) > 2000);
        CHECK(countNear(image, plot, detail::seriesColor(g), 30) > 200);
    }
    CHECK(countDark(image, QRect(0, 0, 600, 40)) > 100); // the title
}

TEST_CASE("histograms skip NaN values and refuse input with nothing to draw", "[histogram][bad-input]")
{
    requireGui();
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("hist.png"));
    HistogramChart chart = correctAndWrong();
    chart.groups[0].values.push_back(kNaN);
    chart.groups.push_back({QStringLiteral("nothing"), {}});
    chart.normalise = false;
    REQUIRE(renderHistogram(chart, path).ok());

    const auto refused = [&](const HistogramChart& bad, const char* fragment) {
        QFile::remove(path);
        const auto status = renderHistogram(bad, path);
        INFO(status.error().toStdString());
        CHECK_FALSE(status.ok());
        CHECK(status.error().contains(QLatin1String(fragment)));
        CHECK_FALSE(QFile::exists(path));
    };
    HistogramChart noGroups;
    refused(noGroups, "no groups");
    HistogramChart onlyNaN;
    onlyNaN.groups = {{QStringLiteral("a"), {kNaN, kNaN}}, {QStringLiteral("b"), {}}};
    refused(onlyNaN, "nothing to draw");
    HistogramChart zeroBins = correctAndWrong();
    zeroBins.bins = 0;
    refused(zeroBins, "bins");
    HistogramChart tooManyBins = correctAndWrong();
    tooManyBins.bins = 1000000;
    refused(tooManyBins, "bins");

    const auto tiny = renderHistogram(correctAndWrong(), path, QSize(10, 10));
    CHECK_FALSE(tiny.ok());
    const QString unwritable = dir.filePath(QStringLiteral("gone/hist.png"));
    const auto status = renderHistogram(correctAndWrong(), unwritable);
    CHECK_FALSE(status.ok());
    CHECK(status.error().contains(unwritable));
}
