#pragma once
#include <QStringList>

namespace slt::bench {
// `slt-bench train [--side 64] [--batch 8] [--images 32] [--threads 0] [--runs 3]`: training images/s of
// the unet-concrete plugin (small and original presets) through the plugin manager and the SDK's
// ModelProxy, one epoch per train() call on synthetic point-labelled tiles.
int runTrain(const QStringList& args);
} // namespace slt::bench
