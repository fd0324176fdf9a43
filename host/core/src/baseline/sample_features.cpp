#include "slt/core/baseline/sample_features.hpp"

#include "slt/core/baseline/colour_histogram.hpp"

#include <algorithm>

namespace slt::core::baseline {
namespace {

namespace td = training_data;

// The pixels a sample covers, decoded.
Result<td::RgbImage> samplePixels(const td::TrainingSample& sample, td::ImageAccess& access)
{
    switch (sample.kind) {
    case td::ImageKind::Slide:
        return access.readSlideRegion(sample.path, sample.left, sample.top, sample.width, sample.height);
    case td::ImageKind::SideBySide: {
        auto whole = access.readImage(sample.path);
        if (!whole)
            return whole;
        return td::leftColumns(*whole, sample.width);
    }
    case td::ImageKind::Tile: break;
    }
    return access.readImage(sample.path);
}

// Start of a span of `extent` pixels centred on `centre`, kept inside [0, size) (extent <= size).
int64_t spanStart(double centre, int64_t extent, int64_t size)
{
    const int64_t start = static_cast<int64_t>(centre) - extent / 2;
    return std::clamp<int64_t>(start, 0, size - extent);
}

// The window of `window` pixels around a point, clamped inside the image (and no larger than it).
PixelRect windowAround(double x, double y, int64_t window, const td::RgbImage& image)
{
    PixelRect rect;
    rect.width = std::min(window, image.width);
    rect.height = std::min(window, image.height);
    rect.left = spanStart(x, rect.width, image.width);
    rect.top = spanStart(y, rect.height, image.height);
    return rect;
}

// One feature per labelled point of a tile or side-by-side sample.
Status visitPoints(int64_t index, const td::TrainingSample& sample, const td::RgbImage& pixels,
                   const FeatureOptions& options, const FeatureVisitor& visit)
{
    for (const td::TrainingPoint& point : sample.points) {
        auto feature = colourFeature(pixels, windowAround(point.x, point.y, options.window, pixels), options.binsPerChannel);
        if (!feature)
            return Status::failure(QStringLiteral("'%1': %2").arg(sample.path, feature.error()));
        const FeatureSource source{index, sample.path, static_cast<double>(sample.left) + point.x,
                                   static_cast<double>(sample.top) + point.y, point.channel};
        if (Status visited = visit(source, *feature); !visited)
            return visited;
    }
    return {};
}

// One feature over the whole sample, of the sample's stratum.
Status visitWhole(int64_t index, const td::TrainingSample& sample, const td::RgbImage& pixels,
                  const FeatureOptions& options, const FeatureVisitor& visit)
{
    auto feature = colourFeature(pixels, PixelRect{0, 0, pixels.width, pixels.height}, options.binsPerChannel);
    if (!feature)
        return Status::failure(QStringLiteral("'%1': %2").arg(sample.path, feature.error()));
    const FeatureSource source{index, sample.path, static_cast<double>(sample.left) + static_cast<double>(pixels.width) / 2.0,
                               static_cast<double>(sample.top) + static_cast<double>(pixels.height) / 2.0, sample.stratum};
    return visit(source, *feature);
}

} // namespace

Status forEachFeature(const std::vector<td::TrainingSample>& samples, td::ImageAccess& access,
                      const FeatureOptions& options, const FeatureVisitor& visit)
{
    if (options.window < 0)
        return Status::failure(QStringLiteral("the window must be >= 0 pixels, got %1").arg(options.window));
    for (size_t i = 0; i < samples.size(); ++i) {
        const td::TrainingSample& sample = samples[i];
        auto pixels = samplePixels(sample, access);
        if (!pixels)
            return Status::failure(pixels.error());
        const bool perPoint = options.window > 0 && sample.kind != td::ImageKind::Slide;
        const auto index = static_cast<int64_t>(i);
        const Status visited = perPoint ? visitPoints(index, sample, *pixels, options, visit)
                                        : visitWhole(index, sample, *pixels, options, visit);
        if (!visited)
            return visited;
    }
    return {};
}

Result<NearestCentroid> fitColourCentroids(const std::vector<td::TrainingSample>& samples, td::ImageAccess& access,
                                           const FeatureOptions& options)
{
    CentroidAccumulator accumulator;
    const Status read = forEachFeature(samples, access, options, [&accumulator](const FeatureSource& source, const std::vector<float>& feature) {
        return accumulator.add(feature, source.channel);
    });
    if (!read)
        return Result<NearestCentroid>::failure(read.error());
    return accumulator.finish();
}

Result<std::vector<ColourPrediction>> predictColour(const NearestCentroid& classifier,
                                                    const std::vector<td::TrainingSample>& samples,
                                                    td::ImageAccess& access, const FeatureOptions& options)
{
    std::vector<ColourPrediction> predictions;
    const Status read = forEachFeature(samples, access, options, [&](const FeatureSource& source, const std::vector<float>& feature) {
        auto predicted = classifier.predict(feature);
        if (!predicted)
            return Status::failure(predicted.error());
        predictions.push_back({source, *predicted});
        return Status();
    });
    if (!read)
        return Result<std::vector<ColourPrediction>>::failure(read.error());
    return predictions;
}

} // namespace slt::core::baseline
