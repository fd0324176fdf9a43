// Helpers of the training-data tests: files in a temporary folder, images served from memory, and the
// labels of the SLT default schema.
#pragma once

#include <slt/core/training_data/image_access.hpp>
#include <slt/core/training_data/label_map.hpp>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>

#include <catch2/catch.hpp>

#include <map>
#include <mutex>

namespace slt::test {

inline QString writeFile(const QTemporaryDir& dir, const QString& name, const QByteArray& bytes)
{
    const QString path = dir.filePath(name);
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    REQUIRE(file.open(QIODevice::WriteOnly));
    REQUIRE(file.write(bytes) == bytes.size());
    return QDir::cleanPath(path);
}

inline core::training_data::SchemaLabels defaultLabels()
{
    return core::training_data::SchemaLabels(core::ClassSchema::sltDefault());
}

// An image whose pixel (x, y) is (x, y, seed) modulo 256: every region is recognisable.
inline core::training_data::RgbImage patternImage(int64_t width, int64_t height, uint8_t seed = 7)
{
    core::training_data::RgbImage image;
    image.width = width;
    image.height = height;
    image.pixels.resize(static_cast<size_t>(width * height * 3));
    for (int64_t y = 0; y < height; ++y)
        for (int64_t x = 0; x < width; ++x) {
            uint8_t* p = image.pixels.data() + (y * width + x) * 3;
            p[0] = static_cast<uint8_t>(x);
            p[1] = static_cast<uint8_t>(y);
            p[2] = seed;
        }
    return image;
}

// Images held in memory under their (absolute) paths; ".svs" paths are slides. Counts reads.
class MemoryImageAccess final : public core::training_data::ImageAccess {
public:
    void add(const QString& path, core::training_data::RgbImage image)
    {
        images_[QDir::cleanPath(path)] = std::move(image);
    }
    core::training_data::ImageKind kindOf(const QString& path) const override
    {
        return path.endsWith(QLatin1String(".svs")) ? core::training_data::ImageKind::Slide
                                                    : core::training_data::ImageKind::Tile;
    }
    core::Result<core::training_data::ImageSize> probe(const QString& path, core::training_data::ImageKind) override
    {
        const auto found = images_.find(QDir::cleanPath(path));
        if (found == images_.end())
            return core::Result<core::training_data::ImageSize>::failure(QStringLiteral("cannot read '%1'").arg(path));
        return core::training_data::ImageSize{found->second.width, found->second.height};
    }
    core::Result<core::training_data::RgbImage> readImage(const QString& path) override
    {
        std::lock_guard lock(mutex_);
        ++reads_;
        const auto found = images_.find(QDir::cleanPath(path));
        if (found == images_.end())
            return core::Result<core::training_data::RgbImage>::failure(QStringLiteral("cannot read '%1'").arg(path));
        return found->second;
    }
    core::Result<core::training_data::RgbImage> readSlideRegion(const QString& path, int64_t left, int64_t top,
                                                                 int64_t width, int64_t height) override
    {
        auto whole = readImage(path);
        if (!whole)
            return whole;
        core::training_data::RgbImage region;
        region.width = width;
        region.height = height;
        region.pixels.assign(static_cast<size_t>(width * height * 3), 255);
        for (int64_t y = 0; y < height; ++y)
            for (int64_t x = 0; x < width; ++x) {
                const int64_t sx = left + x, sy = top + y;
                if (sx < 0 || sy < 0 || sx >= whole->width || sy >= whole->height)
                    continue;
                for (int c = 0; c < 3; ++c)
                    region.pixels[static_cast<size_t>((y * width + x) * 3 + c)] =
                        whole->pixels[static_cast<size_t>((sy * whole->width + sx) * 3 + c)];
            }
        return region;
    }
    int reads() const { return reads_; }

private:
    std::map<QString, core::training_data::RgbImage> images_;
    std::mutex mutex_;
    int reads_ = 0;
};

} // namespace slt::test
