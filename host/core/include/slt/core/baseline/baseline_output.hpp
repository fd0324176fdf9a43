// The files of `slt-cli baseline` (docs/evaluation.md): predictions.csv and metrics.json, whose classification
// figures use the key names of `slt-cli evaluate`'s metrics.json, so one script reads both.
#pragma once

#include "slt/core/baseline/sample_features.hpp"
#include "slt/core/eval/classification.hpp"
#include "slt/core/result.hpp"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace slt::core::baseline {

struct BaselineReport {
    FeatureOptions options;
    QStringList trainData; // the data paths, as read
    QStringList testData;
    int64_t trainFeatures = 0;
    std::vector<ColourPrediction> predictions; // of the test features
    eval::ClassificationSummary classification; // over channels
    std::vector<int32_t> classIds;  // schema id per channel
    std::vector<QString> classNames;
    QStringList notes;
};

QJsonObject baselineJson(const BaselineReport& report);

// "sample,image,x,y,true_class,predicted_class", classes as schema ids.
QByteArray predictionsCsv(const BaselineReport& report);

// Writes predictions.csv and metrics.json into `dir` (which must exist), each atomically. Returns the names
// written, or a message naming the file that could not be written.
Result<QStringList> writeBaselineFiles(const BaselineReport& report, const QString& dir);

} // namespace slt::core::baseline
