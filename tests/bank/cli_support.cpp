#include "cli_support.hpp"

#include "catch_qt.hpp"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>

namespace slt::test {

bool realPluginsBuilt()
{
    for (const char* plugin : {"hdf5/hdf5.so", "sqlite/sqlite.so", "standard/standard.so"}) {
        const QString path = QStringLiteral(SLT_PLUGIN_BUILD_DIR "/") + QLatin1String(plugin);
        if (!QFileInfo::exists(path)) {
            WARN("skipped: the plugin " << path.toStdString() << " is not built");
            return false;
        }
    }
    return true;
}

CliRun runBank(const QStringList& args)
{
    IsolatedHome home;
    return runCli(QStringList{QStringLiteral("bank")} + args, home);
}

QByteArray fileHash(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(&file);
    return hash.result().toHex();
}

QString synthBank(const QTemporaryDir& dir, const QString& name, const QStringList& extra)
{
    const QString path = dir.filePath(name);
    const CliRun run = runBank(QStringList{QStringLiteral("synth"), QStringLiteral("--points"), QStringLiteral("600"),
                                           QStringLiteral("--dim"), QStringLiteral("16"), QStringLiteral("--classes"),
                                           QStringLiteral("5"), QStringLiteral("--mc"), QStringLiteral("8"),
                                           QStringLiteral("--crop-size"), QStringLiteral("16"), QStringLiteral("--out"), path} +
                               extra);
    INFO(run.describe().toStdString());
    REQUIRE(run.exitStatus == QProcess::NormalExit);
    REQUIRE(run.exitCode == 0);
    return path;
}

RealBackends::RealBackends()
{
    core::PluginManagerOptions options;
    options.searchPath = {QStringLiteral(SLT_PLUGIN_BUILD_DIR)};
    options.stateDirectory = state_.path();
    manager_ = std::make_unique<core::PluginManager>(options);
    manager_->discover();
    backends_ = core::activeBankBackends(*manager_);
}

core::BankBackend RealBackends::reader(const QString& path) const
{
    auto backend = core::findBankBackend(backends_, path);
    INFO(backend.error().toStdString());
    REQUIRE(backend.ok());
    return *backend;
}

core::LoadedBank RealBackends::load(const QString& path) const
{
    auto bank = core::LoadedBank::load(reader(path), path);
    INFO(bank.error().toStdString());
    REQUIRE(bank.ok());
    return std::move(*bank);
}

namespace {

template <class T>
bool sameColumn(const core::ColumnBuffer<T>& a, const core::ColumnBuffer<T>& b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
}

} // namespace

void requireSameBankContent(core::LoadedBank& a, core::LoadedBank& b)
{
    REQUIRE(a.size() == b.size());
    CHECK(sameColumn(a.x(), b.x()));
    CHECK(sameColumn(a.y(), b.y()));
    CHECK(sameColumn(a.predictedClass(), b.predictedClass()));
    CHECK(sameColumn(a.meanProbs(), b.meanProbs()));
    CHECK(sameColumn(a.scores(), b.scores()));
    CHECK(sameColumn(a.embeddings(), b.embeddings()));
    CHECK(a.metadata().metricNames == b.metadata().metricNames);
    CHECK(a.metadata().classNames == b.metadata().classNames);
    CHECK(a.metadata().classColours == b.metadata().classColours);
    CHECK(a.metadata().modelId == b.metadata().modelId);
    CHECK(a.metadata().checkpointHash == b.metadata().checkpointHash);
    CHECK(a.metadata().mcSamples == b.metadata().mcSamples);
    for (int64_t i = 0; i < a.size(); ++i) {
        REQUIRE(a.imageName(a.imageIndex()[i]) == b.imageName(b.imageIndex()[i]));
        auto cropA = a.crop(i, SLT_CROP_RGB), cropB = b.crop(i, SLT_CROP_RGB);
        REQUIRE(cropA.ok());
        REQUIRE(cropB.ok());
        REQUIRE(cropA->bytes == cropB->bytes);
    }
}

} // namespace slt::test
