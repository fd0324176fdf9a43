#pragma once
#include <QStringList>

namespace slt::bench {
// `slt-bench bank-open [--points N --dim D --classes C --runs R --bank FILE]`: time until embeddings and
// scores are in memory through LoadedBank, against a plain pread() of the same byte ranges of the same
// file (cold: file evicted from the page cache before each run; warm: cached); RSS after open.
int runBankOpen(const QStringList& args);
// `slt-bench bank-write [--points N --runs R]`: points/s through BankWriter for the hdf5 and sqlite
// backends, with 32x32 crops and without, against a plain write() of the same column bytes.
int runBankWrite(const QStringList& args);
} // namespace slt::bench
