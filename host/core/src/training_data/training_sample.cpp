#include "slt/core/training_data/training_sample.hpp"

#include <QFileInfo>

#include <algorithm>
#include <map>

namespace slt::core::training_data {
namespace {

Status checkAllExist(const LabelledData& data)
{
    int64_t missing = 0;
    const LabelledImage* first = nullptr;
    for (const LabelledImage& image : data.images) {
        if (QFileInfo(image.path).isFile())
            continue;
        if (!first)
            first = &image;
        ++missing;
    }
    if (missing == 0)
        return {};
    return Status::failure(QStringLiteral("%1 of %2 image(s) do not exist; the first is '%3' (named at %4)")
                               .arg(missing)
                               .arg(data.images.size())
                               .arg(first->path, first->origin));
}

Status placeAndCheckPoints(LabelledImage& image, const ImageSize& size)
{
    for (LabelledPoint& point : image.points) {
        if (point.atCentre) {
            point.x = static_cast<double>(size.width) / 2.0;
            point.y = static_cast<double>(size.height) / 2.0;
            point.atCentre = false;
        }
        if (point.x >= static_cast<double>(size.width) || point.y >= static_cast<double>(size.height))
            return Status::failure(QStringLiteral("%1: the point (x %2, y %3) lies outside '%4' (%5 x %6 pixels)")
                                       .arg(point.origin)
                                       .arg(point.x)
                                       .arg(point.y)
                                       .arg(image.path)
                                       .arg(size.width)
                                       .arg(size.height));
    }
    return {};
}

// The channel most points of `sample` have, lowest on ties.
int32_t majorityChannel(const std::vector<TrainingPoint>& points)
{
    std::map<int32_t, int64_t> counts;
    for (const TrainingPoint& point : points)
        ++counts[point.channel];
    int32_t best = 0;
    int64_t bestCount = -1;
    for (const auto& [channel, count] : counts)
        if (count > bestCount) {
            best = channel;
            bestCount = count;
        }
    return best;
}

// Level-0 start of a tile of `extent` pixels centred on `centre`, kept inside [0, size) when it fits.
int64_t tileStart(double centre, int64_t extent, int64_t size)
{
    int64_t start = static_cast<int64_t>(centre) - extent / 2;
    start = std::min(start, size - extent);
    return std::max<int64_t>(start, 0);
}

Result<std::vector<TrainingPoint>> mapPoints(const LabelledImage& image, const ChannelMap& channels)
{
    std::vector<TrainingPoint> points;
    points.reserve(image.points.size());
    for (const LabelledPoint& point : image.points) {
        const int32_t channel = channels.channel(point.classId);
        if (channel < 0)
            return Result<std::vector<TrainingPoint>>::failure(
                QStringLiteral("%1: class id %2 is not one of the model's outputs").arg(point.origin).arg(point.classId));
        points.push_back({static_cast<float>(point.x), static_cast<float>(point.y), channel});
    }
    return points;
}

void addSlideSamples(const LabelledImage& image, const ImageSize& size, const std::vector<TrainingPoint>& points,
                     const SampleOptions& options, std::vector<TrainingSample>& out)
{
    for (const TrainingPoint& centre : points) {
        TrainingSample sample;
        sample.path = image.path;
        sample.kind = ImageKind::Slide;
        sample.width = options.slideTileWidth;
        sample.height = options.slideTileHeight;
        sample.left = tileStart(centre.x, sample.width, size.width);
        sample.top = tileStart(centre.y, sample.height, size.height);
        for (const TrainingPoint& point : points) {
            const float x = point.x - static_cast<float>(sample.left);
            const float y = point.y - static_cast<float>(sample.top);
            if (x >= 0 && y >= 0 && x < static_cast<float>(sample.width) && y < static_cast<float>(sample.height))
                sample.points.push_back({x, y, point.channel});
        }
        sample.stratum = centre.channel; // the point the tile was cut for
        out.push_back(std::move(sample));
    }
}

} // namespace

Result<std::vector<ImageSize>> checkImages(LabelledData& data, ImageAccess& access)
{
    if (Status exist = checkAllExist(data); !exist)
        return Result<std::vector<ImageSize>>::failure(exist.error());
    std::vector<ImageSize> sizes;
    sizes.reserve(data.images.size());
    for (LabelledImage& image : data.images) {
        auto size = access.probe(image.path, image.kind);
        if (!size)
            return Result<std::vector<ImageSize>>::failure(
                QStringLiteral("%1 (named at %2)").arg(size.error(), image.origin));
        if (image.kind == ImageKind::SideBySide)
            size->width /= 2;
        if (Status inside = placeAndCheckPoints(image, *size); !inside)
            return Result<std::vector<ImageSize>>::failure(inside.error());
        sizes.push_back(*size);
    }
    return sizes;
}

Result<std::vector<TrainingSample>> buildSamples(const LabelledData& data, const std::vector<ImageSize>& sizes,
                                                 const ChannelMap& channels, const SampleOptions& options,
                                                 QStringList* notes)
{
    std::vector<TrainingSample> samples;
    int64_t withoutPoints = 0;
    for (size_t i = 0; i < data.images.size(); ++i) {
        const LabelledImage& image = data.images[i];
        if (image.points.empty()) {
            ++withoutPoints;
            continue;
        }
        auto points = mapPoints(image, channels);
        if (!points)
            return Result<std::vector<TrainingSample>>::failure(points.error());
        if (image.kind == ImageKind::Slide) {
            addSlideSamples(image, sizes[i], *points, options, samples);
            continue;
        }
        TrainingSample sample;
        sample.path = image.path;
        sample.kind = image.kind;
        sample.width = sizes[i].width;
        sample.height = sizes[i].height;
        sample.stratum = majorityChannel(*points);
        sample.points = std::move(*points);
        samples.push_back(std::move(sample));
    }
    if (withoutPoints > 0 && notes)
        *notes << QStringLiteral("%1 image(s) without a usable point left out").arg(withoutPoints);
    return samples;
}

std::vector<int64_t> countPointsPerChannel(const std::vector<TrainingSample>& samples, int32_t channelCount)
{
    std::vector<int64_t> counts(static_cast<size_t>(std::max(channelCount, 0)), 0);
    for (const TrainingSample& sample : samples)
        for (const TrainingPoint& point : sample.points)
            if (point.channel >= 0 && point.channel < channelCount)
                ++counts[static_cast<size_t>(point.channel)];
    return counts;
}

Result<CheckedData> readCheckedData(const QStringList& paths, const SchemaLabels& labels, const DataOptions& options,
                                    ImageAccess& access)
{
    CheckedData checked;
    if (paths.isEmpty())
        return checked;
    auto data = readTrainingData(paths, labels, options, access);
    if (!data)
        return Result<CheckedData>::failure(data.error());
    auto sizes = checkImages(*data, access);
    if (!sizes)
        return Result<CheckedData>::failure(sizes.error());
    checked.data = std::move(*data);
    checked.sizes = std::move(*sizes);
    return checked;
}

} // namespace slt::core::training_data
