#include "slt/core/training_data/raster_image_access.hpp"

#include "slt/core/training_data/point_readers.hpp"

#include <QImage>
#include <QImageReader>

#include <openslide.h>

#include <cstring>
#include <map>
#include <mutex>

namespace slt::core::training_data {
namespace {

// A slide region larger than this is refused rather than allocated (a tile is a few hundred pixels wide).
constexpr int64_t kMaximumRegionPixels = int64_t{1} << 26;

QString openSlideProblem(openslide_t* slide)
{
    const char* error = slide ? openslide_get_error(slide) : nullptr;
    return error ? QString::fromUtf8(error) : QString();
}

// OpenSlide's premultiplied ARGB to RGB; fully transparent pixels (outside the scanned area) become white.
void toRgb(const std::vector<uint32_t>& argb, std::vector<uint8_t>& rgb)
{
    rgb.resize(argb.size() * 3);
    for (size_t i = 0; i < argb.size(); ++i) {
        const uint32_t pixel = argb[i];
        const uint32_t alpha = pixel >> 24;
        uint8_t* out = rgb.data() + i * 3;
        if (alpha == 0) {
            out[0] = out[1] = out[2] = 255;
            continue;
        }
        for (int channel = 0; channel < 3; ++channel) {
            const uint32_t premultiplied = (pixel >> (16 - 8 * channel)) & 0xffu;
            out[channel] = static_cast<uint8_t>(alpha == 255 ? premultiplied : std::min<uint32_t>(255, premultiplied * 255 / alpha));
        }
    }
}

} // namespace

// Open slides, shared by every thread (OpenSlide handles are thread-safe once open).
struct RasterImageAccess::Slides {
    std::mutex mutex;
    std::map<QString, openslide_t*> open;

    ~Slides()
    {
        for (auto& entry : open)
            openslide_close(entry.second);
    }

    Result<openslide_t*> get(const QString& path)
    {
        std::lock_guard lock(mutex);
        const auto found = open.find(path);
        if (found != open.end())
            return found->second;
        const QByteArray native = path.toLocal8Bit();
        openslide_t* slide = openslide_open(native.constData());
        if (!slide)
            return Result<openslide_t*>::failure(
                QStringLiteral("OpenSlide cannot read '%1': not a whole-slide format it knows").arg(path));
        if (const QString problem = openSlideProblem(slide); !problem.isEmpty()) {
            openslide_close(slide);
            return Result<openslide_t*>::failure(QStringLiteral("OpenSlide cannot read '%1': %2").arg(path, problem));
        }
        open.emplace(path, slide);
        return slide;
    }
};

RasterImageAccess::RasterImageAccess() : slides_(std::make_unique<Slides>()) {}

RasterImageAccess::~RasterImageAccess() = default;

ImageKind RasterImageAccess::kindOf(const QString& path) const
{
    if (isSlideByExtension(path))
        return ImageKind::Slide;
    const QByteArray native = path.toLocal8Bit();
    // A plain (striped) TIFF is a tile; a tiled pyramidal TIFF is a slide OpenSlide reads ("generic-tiff").
    const char* vendor = openslide_detect_vendor(native.constData());
    return vendor ? ImageKind::Slide : ImageKind::Tile;
}

Result<ImageSize> RasterImageAccess::probe(const QString& path, ImageKind kind)
{
    if (kind == ImageKind::Slide) {
        auto slide = slides_->get(path);
        if (!slide)
            return Result<ImageSize>::failure(slide.error());
        ImageSize size;
        openslide_get_level0_dimensions(*slide, &size.width, &size.height);
        if (size.width <= 0 || size.height <= 0)
            return Result<ImageSize>::failure(QStringLiteral("OpenSlide cannot read '%1': %2")
                                                  .arg(path, openSlideProblem(*slide)));
        return size;
    }
    QImageReader reader(path);
    if (!reader.canRead())
        return Result<ImageSize>::failure(QStringLiteral("cannot read '%1' as an image: %2").arg(path, reader.errorString()));
    const QSize size = reader.size();
    if (size.isValid())
        return ImageSize{size.width(), size.height()};
    auto decoded = readImage(path); // formats that do not tell their size without decoding
    if (!decoded)
        return Result<ImageSize>::failure(decoded.error());
    return ImageSize{decoded->width, decoded->height};
}

Result<RgbImage> RasterImageAccess::readImage(const QString& path)
{
    QImageReader reader(path);
    reader.setAutoTransform(false); // pixel coordinates of the labels refer to the stored orientation
    const QImage image = reader.read();
    if (image.isNull())
        return Result<RgbImage>::failure(QStringLiteral("cannot read '%1' as an image: %2").arg(path, reader.errorString()));
    const QImage rgb = image.convertToFormat(QImage::Format_RGB888);
    RgbImage out;
    out.width = rgb.width();
    out.height = rgb.height();
    out.pixels.resize(static_cast<size_t>(out.width * out.height * 3));
    for (int64_t y = 0; y < out.height; ++y)
        std::memcpy(out.pixels.data() + y * out.width * 3, rgb.constScanLine(static_cast<int>(y)),
                    static_cast<size_t>(out.width * 3));
    return out;
}

Result<RgbImage> RasterImageAccess::readSlideRegion(const QString& path, int64_t left, int64_t top, int64_t width,
                                                    int64_t height)
{
    if (width <= 0 || height <= 0 || width * height > kMaximumRegionPixels)
        return Result<RgbImage>::failure(
            QStringLiteral("a slide region of %1 x %2 pixels cannot be read").arg(width).arg(height));
    auto slide = slides_->get(path);
    if (!slide)
        return Result<RgbImage>::failure(slide.error());
    std::vector<uint32_t> argb(static_cast<size_t>(width * height));
    openslide_read_region(*slide, argb.data(), left, top, 0, width, height);
    if (const QString problem = openSlideProblem(*slide); !problem.isEmpty())
        return Result<RgbImage>::failure(QStringLiteral("OpenSlide failed to read '%1': %2").arg(path, problem));
    RgbImage out;
    out.width = width;
    out.height = height;
    toRgb(argb, out.pixels);
    return out;
}

} // namespace slt::core::training_data
