#include "slt/core/baseline/colour_histogram.hpp"

#include <cmath>

namespace slt::core::baseline {
namespace {

using training_data::RgbImage;

Status checkBins(int binsPerChannel)
{
    if (binsPerChannel < kMinBinsPerChannel || binsPerChannel > kMaxBinsPerChannel)
        return Status::failure(QStringLiteral("bins per channel must be in [%1, %2], got %3")
                                   .arg(kMinBinsPerChannel)
                                   .arg(kMaxBinsPerChannel)
                                   .arg(binsPerChannel));
    return {};
}

Status checkImage(const RgbImage& image)
{
    if (image.width <= 0 || image.height <= 0)
        return Status::failure(QStringLiteral("the image is empty (%1 x %2 pixels)").arg(image.width).arg(image.height));
    if (image.pixels.size() != static_cast<size_t>(image.width * image.height * 3))
        return Status::failure(QStringLiteral("the image holds %1 bytes, but %2 x %3 RGB pixels need %4")
                                   .arg(image.pixels.size())
                                   .arg(image.width)
                                   .arg(image.height)
                                   .arg(image.width * image.height * 3));
    return {};
}

Status checkRect(const RgbImage& image, const PixelRect& rect)
{
    const bool inside = rect.width > 0 && rect.height > 0 && rect.left >= 0 && rect.top >= 0 &&
                        rect.left + rect.width <= image.width && rect.top + rect.height <= image.height;
    if (!inside)
        return Status::failure(QStringLiteral("the rectangle (left %1, top %2, %3 x %4) is empty or not inside the "
                                              "%5 x %6 image")
                                   .arg(rect.left)
                                   .arg(rect.top)
                                   .arg(rect.width)
                                   .arg(rect.height)
                                   .arg(image.width)
                                   .arg(image.height));
    return {};
}

} // namespace

int colourBin(uint8_t value, int binsPerChannel)
{
    return static_cast<int>(value) * binsPerChannel / 256;
}

Result<std::vector<float>> colourHistogram(const RgbImage& image, const PixelRect& rect, int binsPerChannel)
{
    for (const Status& check : {checkBins(binsPerChannel), checkImage(image)})
        if (!check)
            return Result<std::vector<float>>::failure(check.error());
    if (Status inside = checkRect(image, rect); !inside)
        return Result<std::vector<float>>::failure(inside.error());
    const int bins = binsPerChannel;
    std::vector<int64_t> counts(static_cast<size_t>(bins) * bins * bins, 0);
    for (int64_t y = rect.top; y < rect.top + rect.height; ++y) {
        const uint8_t* pixel = image.pixels.data() + (y * image.width + rect.left) * 3;
        for (int64_t x = 0; x < rect.width; ++x, pixel += 3)
            ++counts[static_cast<size_t>((colourBin(pixel[0], bins) * bins + colourBin(pixel[1], bins)) * bins +
                                         colourBin(pixel[2], bins))];
    }
    const double total = static_cast<double>(rect.width * rect.height);
    std::vector<float> histogram(counts.size());
    for (size_t i = 0; i < counts.size(); ++i)
        histogram[i] = static_cast<float>(static_cast<double>(counts[i]) / total);
    return histogram;
}

Result<std::vector<float>> colourHistogram(const RgbImage& image, int binsPerChannel)
{
    return colourHistogram(image, PixelRect{0, 0, image.width, image.height}, binsPerChannel);
}

void applyHellingerMap(std::vector<float>& histogram)
{
    for (float& bin : histogram)
        bin = std::sqrt(bin);
}

Result<std::vector<float>> colourFeature(const RgbImage& image, const PixelRect& rect, int binsPerChannel)
{
    auto histogram = colourHistogram(image, rect, binsPerChannel);
    if (histogram)
        applyHellingerMap(*histogram);
    return histogram;
}

double hellingerDistance(const std::vector<float>& mapP, const std::vector<float>& mapQ)
{
    if (mapP.size() != mapQ.size())
        return std::nan("");
    double sum = 0;
    for (size_t i = 0; i < mapP.size(); ++i) {
        const double d = static_cast<double>(mapP[i]) - static_cast<double>(mapQ[i]);
        sum += d * d;
    }
    return std::sqrt(sum / 2.0);
}

} // namespace slt::core::baseline
