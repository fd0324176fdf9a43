// The train configuration TOML (every key, relative paths, errors with line and column, the written file
// read back the same) and the data-parallel setup from the environment.
#include "training_test_support.hpp"

#include <slt/core/training_data/distributed_env.hpp>
#include <slt/core/training_data/train_config.hpp>

using namespace slt;
using namespace slt::core::training_data;

namespace {

const char* kFullConfig = R"(model = "org.example.model"
classes = "schema/classes.toml"
out = "runs/one"
epochs = 7
batch_size = 4
seed = 123
threads = 2
fine_tune = "/abs/base.pt"
class_weighting = "sqrt-inverse"

[data]
train = ["a.csv", "/abs/b.json"]
validation = "val.csv"
val_split = 0.25
format = "tiles-csv"
image_column = "filename"
label_column = "label_index"
images_dir = "images"
side_by_side_stride = 3
slide_tile_size = 128
cache_mb = 64

[rehearsal]
data = "old.csv"
warmup_epochs = 3
half_life = 1.5
decay = "cosine"
floor = 0.2
weight = 0.5

[model_config]
preset = "small"
[model_config.training]
learning_rate = 0.001
)";

} // namespace

TEST_CASE("a full config is read with paths relative to its folder", "[config]")
{
    auto config = TrainConfig::fromToml(QString::fromUtf8(kFullConfig), QStringLiteral("train.toml"), QStringLiteral("/base"));
    INFO((config.ok() ? QString() : config.error()).toStdString());
    REQUIRE(config.ok());
    CHECK(config->model == QLatin1String("org.example.model"));
    CHECK(config->classes == QLatin1String("/base/schema/classes.toml"));
    CHECK(config->out == QLatin1String("/base/runs/one"));
    CHECK(config->epochs == 7);
    CHECK(config->batchSize == 4);
    CHECK(config->seed == 123);
    CHECK(config->threads == 2);
    CHECK(config->fineTune == QLatin1String("/abs/base.pt"));
    CHECK(config->classWeighting == ClassWeighting::SqrtInverse);
    CHECK(config->trainData == QStringList{QStringLiteral("/base/a.csv"), QStringLiteral("/abs/b.json")});
    CHECK(config->validationData == QStringList{QStringLiteral("/base/val.csv")});
    CHECK(config->valSplit == 0.25);
    CHECK(config->data.format == DataFormat::TilesCsv);
    CHECK(config->data.reader.imageColumn == QLatin1String("filename"));
    CHECK(config->data.reader.imagesDir == QLatin1String("images")); // relative to each data file
    CHECK(config->data.sideBySideStride == 3);
    CHECK(config->slideTileSize == 128);
    CHECK(config->cacheMegabytes == 64);
    CHECK(config->rehearsalData == QStringList{QStringLiteral("/base/old.csv")});
    CHECK(config->rehearsal.warmupEpochs == 3);
    CHECK(config->rehearsal.halfLife == 1.5);
    CHECK(config->rehearsal.decay == RehearsalDecay::Cosine);
    CHECK(config->rehearsal.floor == 0.2);
    CHECK(config->rehearsal.oldWeight == 0.5f);
    const bool hasPreset = config->modelConfigToml.contains(QLatin1String("preset = 'small'")) ||
                           config->modelConfigToml.contains(QLatin1String("preset = \"small\""));
    CHECK(hasPreset);
    CHECK(config->modelConfigToml.contains(QLatin1String("learning_rate")));
}

TEST_CASE("the written config reads back to the same settings", "[config]")
{
    auto config = TrainConfig::fromToml(QString::fromUtf8(kFullConfig), QStringLiteral("train.toml"), QStringLiteral("/base"));
    REQUIRE(config.ok());
    const QString written = config->toToml();
    auto again = TrainConfig::fromToml(written, QStringLiteral("written.toml"), QStringLiteral("/elsewhere"));
    INFO(written.toStdString());
    REQUIRE(again.ok());
    CHECK(again->toToml() == written);
    CHECK(again->trainData == config->trainData);
    CHECK(again->out == config->out);
    CHECK(again->rehearsal.decay == RehearsalDecay::Cosine);
    CHECK(again->modelConfigToml.contains(QLatin1String("learning_rate")));
}

TEST_CASE("config mistakes name the file, line and column", "[config]")
{
    struct Case {
        const char* content;
        const char* expected;
    };
    const Case cases[] = {
        {"epochs = 3\nepoch = 4\n", "c.toml:2:1: unknown key 'epoch'"},
        {"[data]\ntrian = \"a.csv\"\n", "c.toml:2:1: unknown key 'data.trian'"},
        {"epochs = \"ten\"\n", "c.toml:1:10: 'epochs' must be an integer"},
        {"[data]\ntrain = [1, 2]\n", "'data.train' must be a path or an array of paths"},
        {"epochs = 0\n", "epochs must be >= 1, got 0"},
        {"[data]\nval_split = 1.5\n", "val_split must be in [0, 1)"},
        {"[data]\nformat = \"xml\"\n", "c.toml:2:10: unknown data format 'xml'"},
        {"[rehearsal]\ndecay = \"exponential\"\n", "unknown rehearsal decay 'exponential'"},
        {"class_weighting = \"focal\"\n", "unknown class weighting 'focal'"},
        {"epochs = [\n", "c.toml:"},
        {"model_config = 3\n", "'model_config' must be a table"},
        {"model_config_file = \"m.toml\"\n[model_config]\npreset = \"small\"\n", "give either [model_config] or model_config_file"},
        {"data = 1\n", "'data' must be a table"},
    };
    for (const Case& c : cases) {
        auto config = TrainConfig::fromToml(QString::fromUtf8(c.content), QStringLiteral("c.toml"), QStringLiteral("/base"));
        INFO(c.content);
        REQUIRE_FALSE(config.ok());
        CHECK_THAT(config.error().toStdString(), Catch::Contains(c.expected));
    }
}

TEST_CASE("model_config_file is read relative to the config", "[config]")
{
    QTemporaryDir dir;
    test::writeFile(dir, QStringLiteral("model.toml"), "preset = \"original\"\n");
    const QString path = test::writeFile(dir, QStringLiteral("train.toml"), "model_config_file = \"model.toml\"\n");
    auto config = TrainConfig::fromTomlFile(path);
    REQUIRE(config.ok());
    CHECK(config->modelConfigToml == QLatin1String("preset = \"original\"\n"));
    const QString broken = test::writeFile(dir, QStringLiteral("broken.toml"), "model_config_file = \"nope.toml\"\n");
    auto missing = TrainConfig::fromTomlFile(broken);
    REQUIRE_FALSE(missing.ok());
    CHECK_THAT(missing.error().toStdString(), Catch::Contains("cannot read the model configuration"));
}

TEST_CASE("the data-parallel setup comes from torchrun's or SLURM's variables", "[config]")
{
    QProcessEnvironment none;
    auto alone = distributedSetupFrom(none);
    REQUIRE(alone.ok());
    CHECK(alone->worldSize == 1);
    CHECK(alone->init.isEmpty());

    QProcessEnvironment torchrun;
    torchrun.insert(QStringLiteral("RANK"), QStringLiteral("1"));
    torchrun.insert(QStringLiteral("WORLD_SIZE"), QStringLiteral("2"));
    torchrun.insert(QStringLiteral("MASTER_ADDR"), QStringLiteral("node1"));
    torchrun.insert(QStringLiteral("MASTER_PORT"), QStringLiteral("29611"));
    auto ddp = distributedSetupFrom(torchrun);
    REQUIRE(ddp.ok());
    CHECK(ddp->rank == 1);
    CHECK(ddp->worldSize == 2);
    CHECK(ddp->init == QLatin1String("tcp://node1:29611"));

    QProcessEnvironment slurm;
    slurm.insert(QStringLiteral("SLURM_PROCID"), QStringLiteral("3"));
    slurm.insert(QStringLiteral("SLURM_NTASKS"), QStringLiteral("4"));
    slurm.insert(QStringLiteral("MASTER_ADDR"), QStringLiteral("10.0.0.1"));
    auto fromSlurm = distributedSetupFrom(slurm);
    REQUIRE(fromSlurm.ok());
    CHECK(fromSlurm->rank == 3);
    CHECK(fromSlurm->init == QLatin1String("tcp://10.0.0.1:29500"));
    CHECK(fromSlurm->source == QLatin1String("SLURM"));

    QProcessEnvironment noMaster = slurm;
    noMaster.remove(QStringLiteral("MASTER_ADDR"));
    auto refused = distributedSetupFrom(noMaster);
    REQUIRE_FALSE(refused.ok());
    CHECK_THAT(refused.error().toStdString(), Catch::Contains("MASTER_ADDR"));

    QProcessEnvironment badRank = torchrun;
    badRank.insert(QStringLiteral("RANK"), QStringLiteral("2"));
    REQUIRE_FALSE(distributedSetupFrom(badRank).ok());
    badRank.insert(QStringLiteral("RANK"), QStringLiteral("one"));
    REQUIRE_FALSE(distributedSetupFrom(badRank).ok());
    QProcessEnvironment badPort = torchrun;
    badPort.insert(QStringLiteral("MASTER_PORT"), QStringLiteral("70000"));
    REQUIRE_FALSE(distributedSetupFrom(badPort).ok());
}
