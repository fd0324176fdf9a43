// One entry point for every training-data format (SPEC M4): a data path plus a format name becomes
// LabelledData. With format "auto" the path decides:
//   a folder          every image in it (png, tif, tiff, jpg, jpeg, and whole-slide formats) that has a
//                     sidecar of the same base name: .geojson (QuPath), .json (SLT JSON) or .csv (x,y,label);
//                     images without one are counted in a note
//   *.csv             tiles CSV (image,label or image,x,y,label)
//   *.json            SLT JSON
//   *.geojson         QuPath GeoJSON of the image with the same base name beside it
//   *.txt             a list of the original's side-by-side PNGs, one path per line (relative to the list)
// Format "side-by-side" with a folder reads every PNG in it as a side-by-side image.
#pragma once

#include "slt/core/result.hpp"
#include "slt/core/training_data/image_access.hpp"
#include "slt/core/training_data/point_readers.hpp"

#include <QString>
#include <QStringList>

namespace slt::core::training_data {

enum class DataFormat { Auto, TilesCsv, SltJson, QuPathGeoJson, PointsFolder, SideBySide };

// "auto", "tiles-csv", "slt-json", "geojson", "folder", "side-by-side".
QStringList dataFormatNames();
Result<DataFormat> dataFormatFromName(const QString& name);

struct DataOptions {
    DataFormat format = DataFormat::Auto;
    ReaderOptions reader;
    int sideBySideStride = 4; // pixels between the points taken from a side-by-side label half
};

// Reads one data path; `access` decides tiles from slides and decodes side-by-side label halves.
Result<LabelledData> readTrainingData(const QString& path, const SchemaLabels& labels, const DataOptions& options,
                                      ImageAccess& access);

// Reads several paths and merges them (images named twice get the points of both).
Result<LabelledData> readTrainingData(const QStringList& paths, const SchemaLabels& labels,
                                      const DataOptions& options, ImageAccess& access);

} // namespace slt::core::training_data
