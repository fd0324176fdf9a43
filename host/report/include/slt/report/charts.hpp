// Offscreen charts for evaluation reports (issue 5): PNG files drawn with QPainter on a QImage, so they need
// Qt Gui but no Widgets and no display. Every chart has a title, labelled axes with ticks and a legend, and is
// readable at a glance at the default size (colour-blind-safe palette, series also told apart by line style).
//
// Threads: the functions may run on any thread once a QGuiApplication exists (ensureGuiApplication()).
// Inputs are borrowed for the call. Expected failures (unwritable file, empty input) are Status values.
//
// Conventions shared by every chart:
// - White background, antialiased; the PNG is written atomically (temporary file renamed into place), so a
//   failed render leaves an existing file untouched.
// - Title top left (bold), axis titles centred on their axis, ticks at 1-2-5 steps with light grid lines.
//   Sizes scale with the image; the defaults give a 22 px title, 16 px axis titles and 14 px tick labels.
// - Series i has colour i of the Okabe-Ito palette (blue, vermillion, bluish green, reddish purple, orange,
//   sky blue, black, yellow) and dash pattern i (solid, dashed, dotted, dash-dot, long dash, ...), so eight
//   series stay apart for colour-blind readers and in greyscale. The legend sits outside the plot on the
//   right (never over data); labels longer than a quarter of the width are elided.
// - Automatic axis ranges come from the finite data with a 4% margin; a non-negative axis close to zero
//   starts at zero. Pass xRange/yRange for fixed axes (e.g. coverage 0..1).
// - NaN and infinite values are skipped (a line breaks there) and the rest is drawn; a chart with nothing
//   drawable fails with a message, as do sizes below 240 x 180 or above 16384 a side.
// - Reliability panels share their axes (and the count strip its scale) so before/after compare at a glance;
//   bars are blue, the gap to the mean confidence is hatched vermillion, the diagonal dashed grey; one legend
//   row under all panels.
// - Histograms: common bins over the pooled finite range of all groups (the maximum in the last bin);
//   translucent fills drawn first, outlines on top; legend labels carry each group's n.
#pragma once

#include "slt/core/result.hpp"

#include <QPointF>
#include <QSize>
#include <QString>

#include <optional>
#include <vector>

namespace slt::report {

// A named curve or point cloud; points in data coordinates, drawn in the given order.
struct Series {
    QString name;
    std::vector<QPointF> points;
};

struct AxisRange {
    double min = 0;
    double max = 1;
};

struct LineChart {
    QString title;
    QString xLabel;
    QString yLabel;
    std::vector<Series> series;
    std::optional<AxisRange> xRange; // unset: from the data, with a small margin
    std::optional<AxisRange> yRange;
    bool diagonal = false;           // draw y = x (dashed grey), e.g. for a calibration curve
};

// One bin of a reliability diagram: points whose confidence lies in [lower, upper).
struct ReliabilityBin {
    double lower = 0;
    double upper = 0;
    double meanConfidence = 0; // mean predicted confidence of the bin's points
    double accuracy = 0;       // share of the bin's points that are correct
    long long count = 0;       // 0: empty bin, drawn as absent
};

// One panel: bars of accuracy per confidence bin, the diagonal of perfect calibration, the gap to it shaded,
// the ECE in the panel's title line, and the bin counts as a small histogram under the bars.
struct ReliabilityPanel {
    QString title; // e.g. "msp, before calibration"
    std::vector<ReliabilityBin> bins;
    double ece = 0;
    QString xLabel = QStringLiteral("Confidence"); // e.g. "Predicted probability of error"
    QString yLabel = QStringLiteral("Accuracy");   // e.g. "Observed error rate"
};

// Values split into named groups (e.g. "correct" and "wrong") drawn as overlaid, semi-transparent histograms
// over common bins; `normalise` draws each group as a density so groups of different sizes compare.
struct HistogramChart {
    QString title;
    QString xLabel;
    struct Group {
        QString name;
        std::vector<double> values;
    };
    std::vector<Group> groups;
    int bins = 30;
    bool normalise = true;
};

// Creates a QGuiApplication on the "offscreen" platform when none exists (argc/argv kept alive for the
// process), so charts can be drawn from command-line tools. Returns false with no side effects when a
// QCoreApplication that is not a QGuiApplication already exists (fonts would be unavailable); returns true
// when a QGuiApplication exists already or was created. The platform is "offscreen" unless the user set
// QT_QPA_PLATFORM (then theirs is used). The created application lives until the process exits (it is never
// destroyed, so it may be created from a test or a library); call it from the main thread.
//
// How slt-cli uses it: the application object must be chosen before anything constructs one, so in main():
//     if (argc > 1 && qstrcmp(argv[1], "evaluate") == 0) {
//         if (!slt::report::ensureGuiApplication(argc, argv)) return 1; // cannot happen in main()
//     } else {
//         coreApp.emplace(argc, argv);                                   // std::optional<QCoreApplication>
//     }
// Other commands keep the plain QCoreApplication (no Gui start-up, no font lookup on cluster nodes). With
// the (argc, argv) overload QCoreApplication::arguments() are the process's real arguments; the no-argument
// overload (for tests and libraries) names the application "slt-report".
bool ensureGuiApplication();
bool ensureGuiApplication(int& argc, char** argv);

core::Status renderLineChart(const LineChart& chart, const QString& pngPath, QSize size = QSize(960, 640));
// Panels side by side (e.g. before | after calibration) in one image.
core::Status renderReliabilityPanels(const std::vector<ReliabilityPanel>& panels, const QString& pngPath,
                                     QSize panelSize = QSize(560, 600));
core::Status renderHistogram(const HistogramChart& chart, const QString& pngPath, QSize size = QSize(960, 560));

} // namespace slt::report
