// What a bank build reads: the list of images (a CSV whose first column is the path, relative to the CSV,
// or a folder of PNG/JPEG/TIFF tiles) or of whole slides (a folder), and the shard of that list this run
// takes. Pixels are read through training_data::ImageAccess (QImageReader and OpenSlide).
#pragma once

#include "slt/core/result.hpp"

#include <QString>

#include <string>
#include <vector>

namespace slt::core {

struct BuildInput {
    std::string name; // as stored in the bank's image table: the path as the CSV gives it, or the file name
    QString path;     // the file to read
};

// Rows of `csv`: the first field of every non-empty line; a first line whose first field is image, path,
// file or filename (any case) is a header. Paths are relative to the CSV's folder unless absolute. The
// files are not opened here. Fails for a missing or empty list.
Result<std::vector<BuildInput>> imagesFromCsv(const QString& csv);
// *.png, *.jpg, *.jpeg, *.tif, *.tiff in `folder` (not recursive), sorted by name.
Result<std::vector<BuildInput>> imagesInFolder(const QString& folder);
// Slide files in `folder` (*.svs, *.tif, *.tiff, *.ndpi, *.mrxs, *.scn, *.vms, *.vmu, *.bif, *.svslide),
// sorted by name.
Result<std::vector<BuildInput>> slidesInFolder(const QString& folder);

// "--shard i/n": this run takes the work items i, i + n, i + 2n, ... (0 <= i < n).
struct Shard {
    int32_t index = 0;
    int32_t count = 1;
    bool takes(int64_t item) const { return item % count == index; }
};
Result<Shard> parseShard(const QString& text);

} // namespace slt::core
