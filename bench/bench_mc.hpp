#pragma once
#include <QStringList>

namespace slt::bench {
// `slt-bench mc [--passes T] [--batch B] [--batch-256 B] [--threads N] [--runs R] [--small 1]`: Monte-Carlo
// inference of the U-Net plugin (org.slt.model.unet-concrete, "original" preset unless --small 1) through
// the host's plugin manager and ModelProxy, at 64×64 and 256×256: dropout in the decoder with the
// encoder run once (value) against T plain full passes (baseline), and dropout in every block.
int runMc(const QStringList& args);
} // namespace slt::bench
