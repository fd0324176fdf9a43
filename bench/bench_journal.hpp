#pragma once
#include <QStringList>

namespace slt::bench {
// `slt-bench journal [--events N] [--samples N] [--dir DIR]`: latency of recording one label action (single
// point and 6-point cluster) in a project that already holds ~N events, with synchronous FULL and NORMAL;
// baseline: a raw 4 KiB pwrite + fdatasync in the same folder.
int runJournal(const QStringList& args);
} // namespace slt::bench
