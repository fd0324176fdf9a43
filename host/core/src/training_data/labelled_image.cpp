#include "slt/core/training_data/image_access.hpp"
#include "slt/core/training_data/labelled_image.hpp"

#include <QHash>

#include <algorithm>
#include <cstring>

namespace slt::core::training_data {

const char* imageKindName(ImageKind kind)
{
    switch (kind) {
    case ImageKind::Tile: return "tile";
    case ImageKind::SideBySide: return "side-by-side";
    case ImageKind::Slide: return "slide";
    }
    return "?";
}

int64_t LabelledData::pointCount() const
{
    int64_t count = 0;
    for (const LabelledImage& image : images)
        count += static_cast<int64_t>(image.points.size());
    return count;
}

void LabelledData::append(LabelledData other)
{
    QHash<QString, size_t> indexByPath;
    for (size_t i = 0; i < images.size(); ++i)
        indexByPath.insert(images[i].path, i);
    for (LabelledImage& image : other.images) {
        const auto found = indexByPath.constFind(image.path);
        if (found == indexByPath.constEnd()) {
            indexByPath.insert(image.path, images.size());
            images.push_back(std::move(image));
            continue;
        }
        auto& points = images[*found].points;
        points.insert(points.end(), std::make_move_iterator(image.points.begin()),
                      std::make_move_iterator(image.points.end()));
    }
    notes << other.notes;
}

RgbImage leftColumns(const RgbImage& image, int64_t width)
{
    RgbImage left;
    left.width = std::min(width, image.width);
    left.height = image.height;
    left.pixels.resize(static_cast<size_t>(left.width * left.height * 3));
    for (int64_t y = 0; y < image.height; ++y)
        std::memcpy(left.pixels.data() + y * left.width * 3, image.pixels.data() + y * image.width * 3,
                    static_cast<size_t>(left.width * 3));
    return left;
}

} // namespace slt::core::training_data
