// How training code reads pixels: an interface, so the readers and the dataset stay in the Qt-Core-only core
// while decoding (QImage for PNG/TIFF/JPEG, OpenSlide for slides) lives in the slt_training_images library
// (raster_image_access.hpp), and tests can serve images from memory.
#pragma once

#include "slt/core/result.hpp"
#include "slt/core/training_data/labelled_image.hpp"

#include <QString>

#include <cstdint>
#include <vector>

namespace slt::core::training_data {

struct RgbImage {
    int64_t width = 0;
    int64_t height = 0;
    std::vector<uint8_t> pixels; // [height, width, 3] row-major RGB
};

struct ImageSize {
    int64_t width = 0;
    int64_t height = 0;
};

// Every function may be called from several threads at once.
class ImageAccess {
public:
    virtual ~ImageAccess() = default;
    // Tile or Slide for a path (never SideBySide: that is the data format's business).
    virtual ImageKind kindOf(const QString& path) const = 0;
    // The size without decoding pixels (level 0 for slides), or why the file cannot be read.
    virtual Result<ImageSize> probe(const QString& path, ImageKind kind) = 0;
    // A whole tile image, decoded.
    virtual Result<RgbImage> readImage(const QString& path) = 0;
    // A level-0 region of a slide; parts outside the slide are white.
    virtual Result<RgbImage> readSlideRegion(const QString& path, int64_t left, int64_t top, int64_t width,
                                             int64_t height) = 0;
};

// The left `width` columns of `image` (the picture half of a side-by-side PNG).
RgbImage leftColumns(const RgbImage& image, int64_t width);

} // namespace slt::core::training_data
