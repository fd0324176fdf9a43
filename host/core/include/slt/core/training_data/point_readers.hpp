// Readers of point labels (SPEC M4), each into LabelledData. Every error names the file and the line (JSON:
// line and column of a syntax error, or the key path of a bad value) and stops the read: training on half of
// what the user meant is worse than not starting.
//
//   tiles CSV      header `image,label` (one point at the tile's centre) or `image,x,y,label` (one row per
//                  point, several rows per image); image paths relative to the CSV's folder or absolute
//   SLT JSON       {"<image>": [{"class_id": 3, "coord": [row, col]}, ...], ...}; images relative to the file
//   point CSV      a sidecar of one image: header `x,y,label`
//   QuPath GeoJSON a sidecar of one image: a FeatureCollection (or a bare array) of Point/MultiPoint features
//                  with properties.classification.name; other geometries are skipped and counted
//
// Whole-slide images may appear wherever an image may; their points are in level-0 pixels.
#pragma once

#include "slt/core/result.hpp"
#include "slt/core/training_data/label_map.hpp"
#include "slt/core/training_data/labelled_image.hpp"

#include <QString>

#include <functional>

namespace slt::core::training_data {

struct ReaderOptions {
    // Column names of the tiles CSV (matched without regard to case).
    QString imageColumn = QStringLiteral("image");
    QString labelColumn = QStringLiteral("label");
    QString xColumn = QStringLiteral("x");
    QString yColumn = QStringLiteral("y");
    // Folder that relative image names are resolved against, itself relative to the data file's folder
    // ("images"); empty: the data file's folder.
    QString imagesDir;
    // Decides whether a path is a whole-slide image. Empty: by extension (isSlideByExtension).
    std::function<ImageKind(const QString& path)> kindOf;
};

// True for the whole-slide formats OpenSlide reads that are never plain tiles (.svs, .ndpi, .mrxs, .scn, .vms,
// .vmu, .bif, .svslide).
bool isSlideByExtension(const QString& path);

Result<LabelledData> readTilesCsv(const QString& path, const SchemaLabels& labels, const ReaderOptions& options);
Result<LabelledData> readSltJson(const QString& path, const SchemaLabels& labels, const ReaderOptions& options);
// Sidecars: the points of the one image `imagePath`.
Result<LabelledData> readPointCsv(const QString& path, const QString& imagePath, const SchemaLabels& labels,
                                  const ReaderOptions& options);
Result<LabelledData> readQuPathGeoJson(const QString& path, const QString& imagePath, const SchemaLabels& labels,
                                       const ReaderOptions& options);

// Splits one CSV line into fields: commas separate, double quotes enclose fields that hold commas or quotes
// ("" is a quote). Fails on an unterminated quote.
Result<QStringList> splitCsvLine(const QString& line);

// "line L, column C" of a byte offset in `text` (1-based), for JSON parse errors.
QString lineColumnOf(const QByteArray& text, int64_t offset);

} // namespace slt::core::training_data
