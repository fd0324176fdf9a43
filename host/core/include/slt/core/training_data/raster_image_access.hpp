// ImageAccess on real files: PNG, TIFF and JPEG tiles through QImageReader (Qt Gui), whole-slide images
// through OpenSlide. Lives in its own static library, slt_training_images (Slt::training_images), so that
// slt_core stays Qt Core only and free of OpenSlide; link it where pixels are read (slt-cli, tests).
// A QCoreApplication must exist before reading TIFF or JPEG (Qt loads those readers as plugins).
#pragma once

#include "slt/core/training_data/image_access.hpp"

#include <memory>

namespace slt::core::training_data {

class RasterImageAccess final : public ImageAccess {
public:
    RasterImageAccess();
    ~RasterImageAccess() override; // closes the slides it opened

    // Slide when OpenSlide recognises the file (whatever its extension); Tile otherwise.
    ImageKind kindOf(const QString& path) const override;
    Result<ImageSize> probe(const QString& path, ImageKind kind) override;
    Result<RgbImage> readImage(const QString& path) override;
    Result<RgbImage> readSlideRegion(const QString& path, int64_t left, int64_t top, int64_t width,
                                     int64_t height) override;

private:
    struct Slides;
    std::unique_ptr<Slides> slides_;
};

} // namespace slt::core::training_data
