// Helpers of the bank-build tests: synthetic PNG tiles, fixture-model checkpoints, running
// `slt-cli bank build` with the fixture model and the built plugins, and reading a bank back.
#pragma once

#include "fixture_support.hpp"

#include <QColor>
#include <QString>
#include <QStringList>

#include <string>
#include <vector>

namespace slt::test {

// Writes a width x height PNG filled with `colour`, with the pixels of `spots` ((x, y, colour) triples) changed.
struct Spot {
    int x, y;
    QColor colour;
};
void writePng(const QString& path, int width, int height, const QColor& colour, const std::vector<Spot>& spots = {});

// A fixture-model checkpoint with the given extra `key = value` lines.
QString writeCheckpoint(const QString& folder, const QString& extraLines = {});

// `bank build` through slt-cli with plugin paths for the built plugins and the fixture model.
CliRun runBuild(const IsolatedHome& home, const QStringList& args);
CliRun runBank(const IsolatedHome& home, const QStringList& args); // any `bank` sub-command

// A bank read back through the HDF5 or SQLite plugin.
struct BankPoint {
    int32_t image = 0;
    std::string imageName;
    float x = 0, y = 0;
    int32_t predicted = 0;
    std::vector<float> meanProbs, scores, embedding;
    std::vector<uint8_t> crop;
    bool operator<(const BankPoint& o) const;
    bool operator==(const BankPoint& o) const;
};
struct BankContent {
    std::vector<std::string> metrics;
    std::string modelId, checkpointHash;
    int32_t mcSamples = 0;
    std::vector<BankPoint> points;
};
BankContent readBankContent(const QString& path);

} // namespace slt::test
