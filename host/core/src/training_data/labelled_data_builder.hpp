// What every point reader shares: resolving image names against the data file's folder, turning label texts
// into schema ids, grouping points by image, and counting the points skipped on purpose (special classes).
#pragma once

#include "slt/core/training_data/point_readers.hpp"

#include <QHash>

namespace slt::core::training_data {

class LabelledDataBuilder {
public:
    LabelledDataBuilder(QString dataFile, const SchemaLabels& labels, const ReaderOptions& options);

    // Makes sure `imageName` is listed even when it gets no point.
    void addImage(const QString& imageName, const QString& origin);
    Status addPoint(const QString& imageName, double x, double y, const QString& label, const QString& origin);
    Status addCentrePoint(const QString& imageName, const QString& label, const QString& origin);
    void note(const QString& text) { data_.notes << text; }

    LabelledData finish();

private:
    LabelledImage& image(const QString& imageName, const QString& origin);
    Status addLabelled(const QString& imageName, LabelledPoint point, const QString& label);

    QString dataFile_;
    QString baseDir_;
    const SchemaLabels& labels_;
    const ReaderOptions& options_;
    LabelledData data_;
    QHash<QString, size_t> indexByPath_;
    int64_t skippedSpecial_ = 0;
};

} // namespace slt::core::training_data
