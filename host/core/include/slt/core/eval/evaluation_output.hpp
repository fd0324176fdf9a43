// The files of an evaluation (docs/evaluation.md): metrics.json and the CSV tables.
#pragma once

#include "slt/core/eval/evaluation.hpp"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <string>
#include <vector>

namespace slt::core::eval {

// What the report is about, for the JSON header and the tables.
struct EvaluationContext {
    QString bankPath;
    QString truthPath;
    std::vector<int32_t> classIds;      // per probability column
    std::vector<QString> classNames;
};

// A score name as it appears in file names: anything but [A-Za-z0-9_-] becomes '_' (metric names are
// [a-z0-9_] by the SDK's contract, banks of other tools may hold anything).
QString fileSafeScoreName(QString name);

QJsonObject evaluationJson(const EvaluationReport& report, const EvaluationContext& context);

// The classification figures of metrics.json (accuracy, macro_f1, weighted_f1, kappa, balanced_accuracy, per_class,
// confusion_matrix); other commands that classify (`slt-cli baseline`) write them under the same keys.
QJsonObject classificationJson(const ClassificationSummary& classification, const EvaluationContext& context);

// Writes each (file name, bytes) into `dir` (which must exist), each file atomically (QSaveFile). Returns the names
// written, or a message naming the first file that could not be written.
Result<QStringList> writeOutputFiles(const QString& dir, const std::vector<std::pair<QString, QByteArray>>& files);

// Writes metrics.json, per_class.csv, confusion_matrix.csv, risk_coverage_<score>.csv,
// reliability_<score>.csv and reliability_temperature.csv into `dir` (which must exist). Returns the file
// names written, or a message naming the file that could not be written.
Result<QStringList> writeEvaluationFiles(const EvaluationReport& report, const EvaluationContext& context,
                                         const QString& dir);

} // namespace slt::core::eval
