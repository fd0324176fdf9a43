#include "slt/core/training_data/train_dataset.hpp"

#include <QByteArray>

#include <algorithm>

namespace slt::core::training_data {
namespace {

const TrainDataset& self(const slt_train_dataset* dataset)
{
    return *static_cast<const TrainDataset*>(dataset->user);
}

TrainDataset& mutableSelf(const slt_train_dataset* dataset)
{
    return *static_cast<TrainDataset*>(dataset->user);
}

slt_status report(slt_error* err, slt_status code, const QString& message)
{
    return slt_error_set(err, code, "%s", message.toUtf8().constData());
}

int64_t sizeCallback(const slt_train_dataset* dataset)
{
    return self(dataset).size();
}

slt_status beginEpochCallback(const slt_train_dataset* dataset, int32_t epoch, slt_error* err)
{
    const Status status = mutableSelf(dataset).beginEpoch(epoch);
    return status ? SLT_OK : report(err, SLT_ERR_INVALID_ARGUMENT, status.error());
}

slt_status getCallback(const slt_train_dataset* dataset, int64_t index, slt_train_sample* out, slt_error* err)
{
    if (!out)
        return report(err, SLT_ERR_INVALID_ARGUMENT, QStringLiteral("get: no sample to fill"));
    const Status status = mutableSelf(dataset).get(index, *out);
    if (status)
        return SLT_OK;
    const bool badIndex = index < 0 || index >= self(dataset).size();
    return report(err, badIndex ? SLT_ERR_INVALID_ARGUMENT : SLT_ERR_IO, status.error());
}

void releaseCallback(const slt_train_dataset* dataset, slt_train_sample* sample)
{
    if (sample)
        mutableSelf(dataset).release(*sample);
}

void fillImageView(slt_array& view, const RgbImage& image)
{
    view = slt_array{};
    view.data = const_cast<uint8_t*>(image.pixels.data()); // input views are read-only by contract
    view.dtype = SLT_DTYPE_U8;
    view.ndim = 3;
    view.shape[0] = image.height;
    view.shape[1] = image.width;
    view.shape[2] = 3;
    view.strides[0] = image.width * 3;
    view.strides[1] = 3;
    view.strides[2] = 1;
}

} // namespace

struct TrainDataset::Loaded {
    std::shared_ptr<const RgbImage> image;
    std::vector<float> x;
    std::vector<float> y;
    std::vector<int32_t> channel;
};

TrainDataset::TrainDataset(std::vector<TrainingSample> samples, std::vector<TrainingSample> rehearsalSamples,
                           ImageAccess& access, DatasetOptions options)
    : samples_(std::move(samples)), newCount_(samples_.size()), access_(access), options_(std::move(options))
{
    const float oldWeight = options_.rehearsal ? options_.rehearsal->oldWeight : 1.0f;
    for (TrainingSample& sample : rehearsalSamples) {
        sample.weight = oldWeight;
        samples_.push_back(std::move(sample));
    }
    raw_.struct_size = sizeof raw_;
    raw_.user = this;
    raw_.size = &sizeCallback;
    raw_.begin_epoch = &beginEpochCallback;
    raw_.get = &getCallback;
    raw_.release = &releaseCallback;
    beginEpoch(0);
}

TrainDataset::~TrainDataset() = default;

int64_t TrainDataset::size() const
{
    std::shared_lock lock(epochMutex_);
    return static_cast<int64_t>(epoch_.size());
}

Status TrainDataset::beginEpoch(int32_t epoch)
{
    if (epoch < 0)
        return Status::failure(QStringLiteral("begin_epoch: epoch %1 is negative").arg(epoch));
    std::vector<size_t> indices(newCount_);
    for (size_t i = 0; i < newCount_; ++i)
        indices[i] = i;
    const int64_t oldCount = static_cast<int64_t>(samples_.size() - newCount_);
    if (options_.rehearsal && oldCount > 0)
        for (size_t old : rehearsalDraw(*options_.rehearsal, epoch, static_cast<int64_t>(newCount_), oldCount,
                                        options_.seed))
            indices.push_back(newCount_ + old);
    std::unique_lock lock(epochMutex_);
    epoch_ = std::move(indices);
    return {};
}

int64_t TrainDataset::rehearsalInEpoch() const
{
    std::shared_lock lock(epochMutex_);
    return static_cast<int64_t>(epoch_.size() - std::min(epoch_.size(), newCount_));
}

Result<RgbImage> TrainDataset::load(const TrainingSample& sample)
{
    switch (sample.kind) {
    case ImageKind::Slide:
        return access_.readSlideRegion(sample.path, sample.left, sample.top, sample.width, sample.height);
    case ImageKind::SideBySide: {
        auto whole = access_.readImage(sample.path);
        if (!whole)
            return whole;
        return leftColumns(*whole, sample.width);
    }
    case ImageKind::Tile: break;
    }
    return access_.readImage(sample.path);
}

Result<std::shared_ptr<const RgbImage>> TrainDataset::pixels(size_t sampleIndex)
{
    {
        std::lock_guard lock(loadedMutex_);
        const auto cached = cache_.find(sampleIndex);
        if (cached != cache_.end())
            return cached->second;
    }
    const TrainingSample& sample = samples_[sampleIndex];
    auto image = load(sample);
    if (!image)
        return Result<std::shared_ptr<const RgbImage>>::failure(image.error());
    if (image->width != sample.width || image->height != sample.height)
        return Result<std::shared_ptr<const RgbImage>>::failure(
            QStringLiteral("'%1' is %2 x %3 pixels now, %4 x %5 when it was checked; was it replaced during training?")
                .arg(sample.path)
                .arg(image->width)
                .arg(image->height)
                .arg(sample.width)
                .arg(sample.height));
    auto shared = std::make_shared<const RgbImage>(std::move(*image));
    const auto bytes = static_cast<int64_t>(shared->pixels.size());
    std::lock_guard lock(loadedMutex_);
    if (cachedBytes_ + bytes <= options_.cacheBytes && cache_.emplace(sampleIndex, shared).second)
        cachedBytes_ += bytes;
    return shared;
}

Status TrainDataset::get(int64_t index, slt_train_sample& out)
{
    size_t sampleIndex = 0;
    {
        std::shared_lock lock(epochMutex_);
        if (index < 0 || index >= static_cast<int64_t>(epoch_.size()))
            return Status::failure(QStringLiteral("get: index %1 is outside the epoch's %2 samples").arg(index).arg(epoch_.size()));
        sampleIndex = epoch_[static_cast<size_t>(index)];
    }
    auto image = pixels(sampleIndex);
    if (!image)
        return Status::failure(image.error());
    const TrainingSample& sample = samples_[sampleIndex];
    auto loaded = std::make_unique<Loaded>();
    loaded->image = std::move(*image);
    // point_x identifies the get() in release(): reserve so that it is a distinct non-null pointer even for a
    // sample without points.
    loaded->x.reserve(std::max<size_t>(sample.points.size(), 1));
    for (const TrainingPoint& point : sample.points) {
        loaded->x.push_back(point.x);
        loaded->y.push_back(point.y);
        loaded->channel.push_back(point.channel);
    }
    const uint32_t structSize = out.struct_size;
    out = slt_train_sample{};
    out.struct_size = structSize;
    fillImageView(out.image, *loaded->image);
    out.num_points = static_cast<int64_t>(sample.points.size());
    out.point_x = loaded->x.data();
    out.point_y = loaded->y.data();
    out.point_class = loaded->channel.data();
    out.weight = sample.weight;
    std::lock_guard lock(loadedMutex_);
    loaded_.emplace(out.point_x, std::move(loaded));
    return {};
}

void TrainDataset::release(const slt_train_sample& sample)
{
    std::lock_guard lock(loadedMutex_);
    loaded_.erase(sample.point_x);
}

int64_t TrainDataset::outstanding() const
{
    std::lock_guard lock(loadedMutex_);
    return static_cast<int64_t>(loaded_.size());
}

} // namespace slt::core::training_data
