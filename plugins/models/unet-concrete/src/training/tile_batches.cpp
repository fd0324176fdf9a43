#include "training/tile_batches.hpp"

#include <algorithm>

namespace slt::unet::training {
namespace {

int64_t roundUp(int64_t n, int64_t multiple) { return (n + multiple - 1) / multiple * multiple; }

} // namespace

void padToMultiple(Tile& tile, int64_t multiple)
{
    const int64_t h = roundUp(tile.height, multiple), w = roundUp(tile.width, multiple);
    if (h == tile.height && w == tile.width) return;
    std::vector<uint8_t> out(static_cast<size_t>(h * w * 3));
    for (int64_t row = 0; row < h; ++row) {
        const int64_t srcRow = mirrorIndex(row, tile.height);
        for (int64_t col = 0; col < w; ++col) {
            const uint8_t* from = &tile.rgb[static_cast<size_t>((srcRow * tile.width + mirrorIndex(col, tile.width)) * 3)];
            std::copy(from, from + 3, &out[static_cast<size_t>((row * w + col) * 3)]);
        }
    }
    tile.rgb = std::move(out);
    tile.height = h;
    tile.width = w;
}

TileBatcher::TileBatcher(int64_t batchSize, int64_t sizeMultiple, int32_t diskRadius)
    : batchSize_(std::max<int64_t>(1, batchSize)), sizeMultiple_(std::max<int64_t>(1, sizeMultiple)),
      diskRadius_(diskRadius)
{
}

std::optional<TileBatch> TileBatcher::add(Tile tile)
{
    const int32_t radius = diskRadius_ > 0 ? diskRadius_ : autoDiskRadius(tile.height, tile.width);
    padToMultiple(tile, sizeMultiple_);
    Prepared prepared{std::move(tile), {}};
    prepared.target.resize(static_cast<size_t>(prepared.tile.height * prepared.tile.width));
    rasteriseDisks(prepared.tile.points, prepared.tile.height, prepared.tile.width, radius, prepared.target.data());

    std::vector<Prepared>& bucket = buckets_[{prepared.tile.height, prepared.tile.width}];
    bucket.push_back(std::move(prepared));
    if (static_cast<int64_t>(bucket.size()) < batchSize_) return std::nullopt;
    TileBatch batch = makeBatch(bucket);
    bucket.clear();
    return batch;
}

std::vector<TileBatch> TileBatcher::flush()
{
    std::vector<TileBatch> batches;
    for (auto& [size, bucket] : buckets_)
        if (!bucket.empty()) batches.push_back(makeBatch(bucket));
    buckets_.clear();
    return batches;
}

TileBatch TileBatcher::makeBatch(std::vector<Prepared>& tiles)
{
    TileBatch batch;
    batch.height = tiles.front().tile.height;
    batch.width = tiles.front().tile.width;
    for (Prepared& p : tiles) {
        batch.rgb.insert(batch.rgb.end(), p.tile.rgb.begin(), p.tile.rgb.end());
        batch.targets.insert(batch.targets.end(), p.target.begin(), p.target.end());
        batch.weights.push_back(p.tile.weight);
        batch.points.push_back(std::move(p.tile.points));
    }
    return batch;
}

} // namespace slt::unet::training
