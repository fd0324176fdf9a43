// Decoding real files: PNG, TIFF and JPEG tiles through QImageReader, whole-slide images through OpenSlide
// (the shared CMU-1-Small-Region.svs when the data folder is present), and the messages for files that
// cannot be read.
#include "training_test_support.hpp"

#include <slt/core/training_data/raster_image_access.hpp>

#include <QImage>

#include <cstdlib>

using namespace slt;
using namespace slt::core::training_data;

namespace {

QString savedImage(const QTemporaryDir& dir, const QString& name, int width, int height)
{
    QImage image(width, height, QImage::Format_RGB888);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            image.setPixelColor(x, y, QColor(x * 8, y * 8, 100));
    const QString path = dir.filePath(name);
    REQUIRE(image.save(path));
    return path;
}

QString sharedSlide()
{
    return QStringLiteral(SLT_SHARED_DATA_DIR "/wsi_openslide/CMU-1-Small-Region.svs");
}

} // namespace

TEST_CASE("PNG, TIFF and JPEG tiles are probed and decoded as RGB", "[images]")
{
    QTemporaryDir dir;
    RasterImageAccess access;
    for (const char* name : {"tile.png", "tile.tif", "tile.jpg"}) {
        const QString path = savedImage(dir, QLatin1String(name), 20, 12);
        INFO(name);
        CHECK(access.kindOf(path) == ImageKind::Tile);
        auto size = access.probe(path, ImageKind::Tile);
        REQUIRE(size.ok());
        CHECK(size->width == 20);
        CHECK(size->height == 12);
        auto image = access.readImage(path);
        REQUIRE(image.ok());
        REQUIRE(image->pixels.size() == 20 * 12 * 3);
        const uint8_t* p = image->pixels.data() + (5 * 20 + 10) * 3;
        CHECK(std::abs(p[0] - 80) <= 6); // JPEG is lossy
        CHECK(std::abs(p[1] - 40) <= 6);
        CHECK(std::abs(p[2] - 100) <= 6);
    }
}

TEST_CASE("a file that is no image, and a slide OpenSlide cannot read, give messages", "[images]")
{
    QTemporaryDir dir;
    RasterImageAccess access;
    const QString notPng = test::writeFile(dir, QStringLiteral("broken.png"), "these are not PNG bytes");
    auto tile = access.probe(notPng, ImageKind::Tile);
    REQUIRE_FALSE(tile.ok());
    CHECK_THAT(tile.error().toStdString(), Catch::Contains("cannot read"));
    CHECK_THAT(tile.error().toStdString(), Catch::Contains("broken.png"));
    REQUIRE_FALSE(access.readImage(notPng).ok());

    const QString notSlide = test::writeFile(dir, QStringLiteral("broken.svs"), "these are not slide bytes");
    CHECK(access.kindOf(notSlide) == ImageKind::Slide);
    auto slide = access.probe(notSlide, ImageKind::Slide);
    REQUIRE_FALSE(slide.ok());
    CHECK_THAT(slide.error().toStdString(), Catch::Contains("OpenSlide cannot read"));
    REQUIRE_FALSE(access.readSlideRegion(notSlide, 0, 0, 16, 16).ok());
}

TEST_CASE("a real slide is probed at level 0 and regions are read, white outside", "[images]")
{
    if (!QFileInfo(sharedSlide()).isFile()) {
        WARN("skipped: " << sharedSlide().toStdString() << " is absent (SLT_SHARED_DATA_DIR)");
        return;
    }
    RasterImageAccess access;
    CHECK(access.kindOf(sharedSlide()) == ImageKind::Slide);
    auto size = access.probe(sharedSlide(), ImageKind::Slide);
    REQUIRE(size.ok());
    CHECK(size->width == 2220);
    CHECK(size->height == 2967);
    auto inside = access.readSlideRegion(sharedSlide(), 1000, 1000, 64, 32);
    REQUIRE(inside.ok());
    CHECK(inside->width == 64);
    CHECK(inside->pixels.size() == 64 * 32 * 3);
    bool anyTissue = false;
    for (uint8_t v : inside->pixels)
        anyTissue = anyTissue || v < 230;
    CHECK(anyTissue);
    auto beyond = access.readSlideRegion(sharedSlide(), size->width + 10, 0, 8, 8);
    REQUIRE(beyond.ok());
    for (uint8_t v : beyond->pixels)
        CHECK(v == 255);
    REQUIRE_FALSE(access.readSlideRegion(sharedSlide(), 0, 0, 0, 8).ok());
}
