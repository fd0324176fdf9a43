// One rank of a data-parallel training run on the synthetic dataset, for the two-process test:
//   unet_ddp_driver RANK WORLD_SIZE DIST_INIT OUTPUT_DIR
// Each rank starts from different random weights (so the test also proves the initial broadcast),
// trains two epochs and prints a digest of its final weights on stdout. Exit code 1 with the
// message on stderr when training fails.
#include "synthetic_tiles.hpp"
#include "training/trainer.hpp"

#include <cstdio>
#include <cstdlib>

using namespace slt::unet;
using namespace slt::unet::training;
using namespace slt::unet::training::test;

int main(int argc, char** argv)
{
    if (argc != 5) {
        std::fprintf(stderr, "usage: unet_ddp_driver RANK WORLD_SIZE DIST_INIT OUTPUT_DIR\n");
        return 2;
    }
    const int32_t rank = std::atoi(argv[1]), world = std::atoi(argv[2]);
    ModelState state = makeState(kTinyConfig, 100 + static_cast<uint64_t>(rank));
    SyntheticDataset train(makeHalvesDataset(40, 1)), validation(makeHalvesDataset(12, 2));
    slt_train_options options = defaultOptions(argv[4]);
    options.batch_size = 4;
    options.rank = rank;
    options.world_size = world;
    options.dist_init = argv[3];
    TrainingSettings settings;
    settings.learningRate = 1e-2;
    try {
        slt::sdk::TrainData trainData(train.c()), validationData(validation.c());
        trainWithSettings(state, settings, trainData, &validationData, options, slt::sdk::EpochObserver(nullptr),
                          slt::sdk::Job(nullptr));
    } catch (const slt::sdk::Error& e) {
        std::fprintf(stderr, "rank %d: %s\n", rank, e.what());
        return 1;
    }
    std::printf("%s\n", weightDigest(state.net).c_str());
    return 0;
}
