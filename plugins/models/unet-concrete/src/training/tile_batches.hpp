// Groups tiles into batches. Tiles of different sizes are never padded to a common size: padding
// would feed large unlabelled borders through GroupNorm's statistics and cost compute. Instead each
// batch holds tiles of one size (buckets per size, filled in the shuffled order; a bucket becomes a
// batch when it holds batch_size tiles, and the partial buckets are flushed at the end of the epoch).
// A tile whose sides are not multiples of the network's size multiple (2^depth) is first extended
// at its bottom and right by mirroring, so its point coordinates stay valid; the added border is
// unlabelled.
#pragma once

#include "training/augmentation.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <utility>
#include <vector>

namespace slt::unet::training {

struct TileBatch {
    int64_t height = 0;
    int64_t width = 0;
    std::vector<uint8_t> rgb;      // [B, H, W, 3]
    std::vector<int64_t> targets;  // [B, H, W], class index or kIgnorePixel
    std::vector<float> weights;    // [B]
    std::vector<std::vector<LabelledPoint>> points; // per tile, for point-wise validation
    int64_t size() const { return static_cast<int64_t>(weights.size()); }
};

// Extends the tile to the next multiple of `multiple` on each side (mirrored content).
void padToMultiple(Tile& tile, int64_t multiple);

class TileBatcher {
public:
    TileBatcher(int64_t batchSize, int64_t sizeMultiple, int32_t diskRadius);

    // Adds a tile; returns a full batch when the tile completed one.
    std::optional<TileBatch> add(Tile tile);
    // Every partial batch left, then the batcher is empty.
    std::vector<TileBatch> flush();

private:
    struct Prepared {
        Tile tile;                   // padded
        std::vector<int64_t> target; // [H, W] of the padded tile
    };
    static TileBatch makeBatch(std::vector<Prepared>& tiles);

    int64_t batchSize_;
    int64_t sizeMultiple_;
    int32_t diskRadius_; // 0 = autoDiskRadius of each tile's size before padding
    std::map<std::pair<int64_t, int64_t>, std::vector<Prepared>> buckets_;
};

} // namespace slt::unet::training
