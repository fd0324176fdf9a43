// renderReliabilityPanels: panels side by side, bars, gap, diagonal, title text, count strip, bad input.
#include "image_probe.hpp"

#include "chart_style.hpp"
#include "slt/report/charts.hpp"

#include <catch2/catch.hpp>

#include <QFile>
#include <QTemporaryDir>

#include <limits>

using namespace slt::report;
using namespace slt::report::test;

namespace {

// Bins over [0.5, 1] only, so the diagonal crosses the empty left part of the plot on its own.
ReliabilityPanel panel(const QString& title, double shift, double ece)
{
    ReliabilityPanel result;
    result.title = title;
    result.ece = ece;
    for (int b = 0; b < 10; ++b) {
        const double lower = b / 10.0;
        const double upper = (b + 1) / 10.0;
        const double confidence = (lower + upper) / 2;
        const long long count = b < 5 ? 0 : 100 * (b - 3);
        result.bins.push_back({lower, upper, confidence, std::max(0.0, confidence - shift), count});
    }
    return result;
}

// Regions of the default 560 x 600 panel number `index`.
QRect plotRegion(int index) { return QRect(560 * index + 120, 100, 380, 270); }
QRect titleBand(int index) { return QRect(560 * index, 0, 560, 42); }
QRect subtitleBand(int index) { return QRect(560 * index, 42, 560, 28); }
QRect stripRegion(int index) { return QRect(560 * index + 120, 400, 420, 90); }

} // namespace

TEST_CASE("reliability panels are drawn side by side with bars, gap, diagonal and counts", "[reliability]")
{
    requireGui();
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("reliability.png"));
    REQUIRE(renderReliabilityPanels({panel(QStringLiteral("before"), 0.15, 0.15), panel(QStringLiteral("after"), 0.0, 0.0)},
                                    path)
                .ok());
    const QImage image = loadPng(path);
    REQUIRE(image.size() == QSize(1120, 600));
    const QColor bar = overWhite(detail::seriesColor(0), 210);
    const QColor gap(0xD5, 0x5E, 0x00);
    for (int i = 0; i < 2; ++i) {
        INFO("panel " << i);
        CHECK(countNear(image, plotRegion(i), bar, 30) > 3000);
        CHECK(countNear(image, plotRegion(i), detail::diagonalColor(), 40) > 50);
        CHECK(countDark(image, titleBand(i)) > 100);
        CHECK(countNear(image, stripRegion(i), QColor(0x9A, 0x9A, 0x9A), 12) > 300);
    }
    // The gap is shaded where accuracy is below confidence (before) and absent when they agree (after).
    CHECK(countNear(image, plotRegion(0), gap, 40) > 200);
    CHECK(countNear(image, plotRegion(1), gap, 40) == 0);
}

TEST_CASE("the ECE is written under the panel title", "[reliability]")
{
    requireGui();
    QTemporaryDir dir;
    const QString low = dir.filePath(QStringLiteral("low.png"));
    const QString high = dir.filePath(QStringLiteral("high.png"));
    REQUIRE(renderReliabilityPanels({panel(QStringLiteral("msp"), 0.1, 0.034)}, low).ok());
    REQUIRE(renderReliabilityPanels({panel(QStringLiteral("msp"), 0.1, 0.517)}, high).ok());
    const QImage a = loadPng(low);
    const QImage b = loadPng(high);
    CHECK(countDark(a, subtitleBand(0)) > 100);
    CHECK(a.copy(subtitleBand(0)) != b.copy(subtitleBand(0))); // the number differs, so does the text
    CHECK(a.copy(plotRegion(0)) == b.copy(plotRegion(0)));     // and nothing else
}

TEST_CASE("bins with NaN values are skipped, the rest drawn", "[reliability][bad-input]")
{
    requireGui();
    QTemporaryDir dir;
    ReliabilityPanel broken = panel(QStringLiteral("nan"), 0.1, std::numeric_limits<double>::quiet_NaN());
    broken.bins[7].accuracy = std::numeric_limits<double>::quiet_NaN();
    broken.bins[8].meanConfidence = std::numeric_limits<double>::infinity();
    const QString path = dir.filePath(QStringLiteral("nan.png"));
    REQUIRE(renderReliabilityPanels({broken}, path).ok());
    CHECK(countNear(loadPng(path), plotRegion(0), overWhite(detail::seriesColor(0), 210), 30) > 1000);
}

TEST_CASE("reliability diagrams refuse bad input with a message", "[reliability][bad-input]")
{
    requireGui();
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("bad.png"));
    const auto refused = [&](const std::vector<ReliabilityPanel>& panels, const char* fragment,
                             QSize size = QSize(560, 600)) {
        const auto status = renderReliabilityPanels(panels, path, size);
        INFO(status.error().toStdString());
        CHECK_FALSE(status.ok());
        CHECK(status.error().contains(QLatin1String(fragment)));
    };
    refused({}, "no panels");
    ReliabilityPanel noBins;
    noBins.title = QStringLiteral("empty");
    refused({noBins}, "no bins");
    ReliabilityPanel allEmpty = panel(QStringLiteral("zeros"), 0.1, 0.1);
    for (ReliabilityBin& bin : allEmpty.bins)
        bin.count = 0;
    refused({allEmpty}, "nothing to draw");
    ReliabilityPanel negative = panel(QStringLiteral("negative"), 0.1, 0.1);
    negative.bins[6].count = -3;
    refused({negative}, "negative count");
    refused({panel(QStringLiteral("ok"), 0.1, 0.1)}, "too small", QSize(0, 600));
    refused(std::vector<ReliabilityPanel>(40, panel(QStringLiteral("many"), 0.1, 0.1)), "at most 16");
    refused({panel(QStringLiteral("wide"), 0.1, 0.1), panel(QStringLiteral("wide"), 0.1, 0.1)}, "too large",
            QSize(9000, 600));
    CHECK_FALSE(QFile::exists(path));

    const QString unwritable = dir.filePath(QStringLiteral("missing/reliability.png"));
    const auto status = renderReliabilityPanels({panel(QStringLiteral("ok"), 0.1, 0.1)}, unwritable);
    CHECK_FALSE(status.ok());
    CHECK(status.error().contains(unwritable));
}
