// In-test stand-ins for plugins, so the core bank layer is tested without the real backends: a small bank
// backend that keeps a whole bank in one file (QDataStream, rewritten on flush) and a metric family with
// entropy of the mean (T >= 1) and BALD (T >= 2).
#pragma once

#include <slt/core/bank/bank_backend.hpp>
#include <slt/core/bank/metric_plugins.hpp>

#include <QString>

namespace slt::test {

core::BankBackend fakeBankBackend();
core::MetricPlugin fakeMetricPlugin();

// Test hook: adds `delta` to one embedding value of a fake bank file (the checksums stay as they were).
void corruptFakeEmbedding(const QString& path, int64_t row, float delta);

} // namespace slt::test
