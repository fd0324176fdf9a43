#include "build_fixture.hpp"

#include <slt/core/bank/bank_backend.hpp>
#include <slt/core/plugin_manager.hpp>

#include <catch2/catch.hpp>

#include <QDir>
#include <QFile>
#include <QImage>

#include <tuple>

namespace slt::test {

void writePng(const QString& path, int width, int height, const QColor& colour, const std::vector<Spot>& spots)
{
    QImage image(width, height, QImage::Format_RGB888);
    image.fill(colour);
    for (const Spot& s : spots)
        image.setPixelColor(s.x, s.y, s.colour);
    REQUIRE(image.save(path, "PNG"));
}

QString writeCheckpoint(const QString& folder, const QString& extraLines)
{
    const QString path = QDir(folder).filePath(QStringLiteral("fixture.ckpt"));
    QFile file(path);
    REQUIRE(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(QByteArray("slt-fixture-model 1\n") + extraLines.toUtf8());
    return path;
}

CliRun runBank(const IsolatedHome& home, const QStringList& args)
{
    return runCli(QStringList{QStringLiteral("--plugin-path"), QStringLiteral(SLT_PLUGIN_BUILD_DIR), QStringLiteral("--plugin-path"),
                              QStringLiteral(SLT_FIXTURE_MODEL_DIR), QStringLiteral("bank")} +
                      args,
                  home);
}

CliRun runBuild(const IsolatedHome& home, const QStringList& args)
{
    return runBank(home, QStringList{QStringLiteral("build"), QStringLiteral("--model-plugin"), QStringLiteral("org.slt.test.fixture-model")} + args);
}

bool BankPoint::operator<(const BankPoint& o) const
{
    return std::tie(imageName, y, x) < std::tie(o.imageName, o.y, o.x);
}

bool BankPoint::operator==(const BankPoint& o) const
{
    return imageName == o.imageName && x == o.x && y == o.y && predicted == o.predicted && meanProbs == o.meanProbs &&
           scores == o.scores && embedding == o.embedding && crop == o.crop;
}

BankContent readBankContent(const QString& path)
{
    core::PluginManagerOptions options;
    options.searchPath = {QStringLiteral(SLT_PLUGIN_BUILD_DIR)};
    IsolatedHome home;
    options.stateDirectory = home.stateDirectory();
    core::PluginManager manager(options);
    manager.discover();
    auto backend = core::findBankBackend(core::activeBankBackends(manager), path);
    REQUIRE(backend);
    auto bank = core::openBank(*backend, path, SLT_BANK_READ);
    REQUIRE(bank);
    auto m = bank->metadata();
    REQUIRE(m);
    BankContent content;
    content.modelId = m->model_id;
    content.checkpointHash = m->checkpoint_hash;
    content.mcSamples = m->mc_samples;
    for (int i = 0; i < m->num_metrics; ++i)
        content.metrics.push_back(m->metric_names[i]);
    const int64_t n = m->num_points, C = m->num_classes, M = m->num_metrics, D = m->embedding_dim;
    std::vector<int32_t> image(n), predicted(n);
    std::vector<float> x(n), y(n), probs(n * C), scores(n * M), embeddings(n * D);
    slt_bank_columns c{};
    c.struct_size = sizeof c;
    c.count = n;
    c.image_index = image.data();
    c.x = x.data();
    c.y = y.data();
    c.predicted_class = predicted.data();
    c.mean_probs = probs.data();
    c.scores = scores.data();
    c.embeddings = D > 0 ? embeddings.data() : nullptr;
    REQUIRE(bank->read_points(0, c));
    for (int64_t i = 0; i < n; ++i) {
        BankPoint p;
        p.image = image[i];
        p.imageName = bank->image_name(image[i]);
        p.x = x[i];
        p.y = y[i];
        p.predicted = predicted[i];
        p.meanProbs.assign(probs.begin() + i * C, probs.begin() + (i + 1) * C);
        p.scores.assign(scores.begin() + i * M, scores.begin() + (i + 1) * M);
        p.embedding.assign(embeddings.begin() + i * D, embeddings.begin() + (i + 1) * D);
        if (m->crop_width > 0) {
            auto crop = bank->read_crop(i, SLT_CROP_RGB);
            REQUIRE(crop);
            p.crop = crop->bytes;
        }
        content.points.push_back(std::move(p));
    }
    return content;
}

} // namespace slt::test
