// unet-concrete's train(): the focal loss on hand values, and short runs of the whole loop on a
// tiny synthetic dataset (learning, logs, resume, cancellation, fine-tuning, bad input).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include "checkpoint.hpp"
#include "synthetic_tiles.hpp"
#include "training/focal_loss.hpp"
#include "training/resume_state.hpp"
#include "training/trainer.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace slt::unet;
using namespace slt::unet::training;
using namespace slt::unet::training::test;
namespace fs = std::filesystem;

namespace {

struct TempDir {
    fs::path path;
    std::string text; // path as text, alive as long as the directory (options point into it)
    TempDir()
    {
        char pattern[] = "/tmp/slt-train-XXXXXX";
        path = mkdtemp(pattern);
        text = path.string();
    }
    ~TempDir() { fs::remove_all(path); }
    const std::string& str() const { return text; }
};

std::string readText(const fs::path& p)
{
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

size_t lineCount(const std::string& text) { return static_cast<size_t>(std::count(text.begin(), text.end(), '\n')); }

// Classes are colours: colour augmentation would destroy the signal, geometry keeps it.
TrainingSettings testSettings()
{
    TrainingSettings s;
    s.learningRate = 1e-2;
    s.augmentation.colourJitterChance = 0;
    s.augmentation.greyscaleChance = 0;
    return s;
}

struct Reports {
    std::vector<slt_epoch_report> epochs; // pointer fields not kept
    std::vector<std::vector<std::string>> extraNames;
    std::vector<std::vector<double>> classF1;
    slt_train_observer observer{};

    Reports()
    {
        observer.struct_size = sizeof observer;
        observer.user = this;
        observer.epoch_end = [](const slt_train_observer* o, const slt_epoch_report* r) {
            auto* self = static_cast<Reports*>(o->user);
            self->epochs.push_back(*r);
            std::vector<std::string> names(r->extra_names, r->extra_names + r->num_extra);
            self->extraNames.push_back(names);
            self->classF1.emplace_back(r->class_f1 ? std::vector<double>(r->class_f1, r->class_f1 + r->num_classes)
                                                   : std::vector<double>{});
        };
    }
};

// Cancels once `after` progress reports have been seen.
struct CancellingJob {
    int after;
    int seen = 0;
    slt_job job{};
    explicit CancellingJob(int cancelAfter) : after(cancelAfter)
    {
        job.struct_size = sizeof job;
        job.host_data = this;
        job.progress = [](const slt_job* j, uint64_t, uint64_t, const char*) { ++static_cast<CancellingJob*>(j->host_data)->seen; };
        job.is_cancelled = [](const slt_job* j) {
            auto* self = static_cast<CancellingJob*>(j->host_data);
            return self->seen >= self->after ? 1 : 0;
        };
    }
};

struct Run {
    ModelState state;
    SyntheticDataset train{makeHalvesDataset(48, 1)};
    SyntheticDataset validation{makeHalvesDataset(24, 2)};
    Reports reports;

    explicit Run(uint64_t initSeed = 11, const char* config = kTinyConfig) : state(makeState(config, initSeed)) {}

    void go(const slt_train_options& options, const TrainingSettings& settings = testSettings(),
            const slt_job* job = nullptr, bool withValidation = true)
    {
        slt::sdk::TrainData trainData(train.c());
        slt::sdk::TrainData validationData(validation.c());
        trainWithSettings(state, settings, trainData, withValidation ? &validationData : nullptr, options,
                          slt::sdk::EpochObserver(&reports.observer), slt::sdk::Job(job));
    }
};

slt::sdk::Error errorOf(const std::function<void()>& body)
{
    try {
        body();
    } catch (const slt::sdk::Error& e) {
        return e;
    }
    FAIL("no error");
    return slt::sdk::Error(SLT_OK, "");
}

} // namespace

// ---- focal loss ---------------------------------------------------------------------------------

TEST_CASE("focal loss: gamma 0 on uniform predictions is ln C per labelled pixel; unlabelled pixels count for nothing")
{
    const at::Tensor logits = torch::zeros({1, 3, 2, 2});
    const at::Tensor target = torch::tensor({0, 1, 2, -1}, torch::kInt64).view({1, 2, 2});
    FocalLossOptions ce;
    ce.gamma = 0;
    REQUIRE(maskedFocalLoss(logits, target, {}, ce).item<double>() == Approx(std::log(3.0)));

    // changing the logits of the unlabelled pixel changes neither the loss nor gives it a gradient
    at::Tensor moved = logits.clone();
    moved.index_put_({0, 0, 1, 1}, 9.0);
    moved.requires_grad_(true);
    const at::Tensor loss = maskedFocalLoss(moved, target, {}, ce);
    REQUIRE(loss.item<double>() == Approx(std::log(3.0)));
    loss.backward();
    REQUIRE(moved.grad().index({0, at::indexing::Slice(), 1, 1}).abs().sum().item<double>() == 0.0);
    REQUIRE(moved.grad().abs().sum().item<double>() > 0.0);
}

TEST_CASE("focal loss: gamma 0 equals masked cross-entropy on random logits")
{
    torch::manual_seed(3);
    const at::Tensor logits = torch::randn({2, 4, 3, 5});
    at::Tensor target = torch::randint(-1, 4, {2, 3, 5}, torch::kInt64);
    FocalLossOptions ce;
    ce.gamma = 0;
    double expected = 0;
    for (int64_t b = 0; b < 2; ++b) {
        const at::Tensor mask = target[b].ge(0);
        const at::Tensor nll = torch::nll_loss2d(torch::log_softmax(logits[b].unsqueeze(0), 1), target[b].unsqueeze(0),
                                                 {}, at::Reduction::Sum, -1);
        expected += nll.item<double>() / std::max<int64_t>(1, mask.sum().item<int64_t>());
    }
    REQUIRE(maskedFocalLoss(logits, target, {}, ce).item<double>() == Approx(expected / 2));
}

TEST_CASE("focal loss: gamma 2 hand value, class weights, sample weights and an image without labels")
{
    // one labelled pixel with p(true) = 0.8 in a 2-class softmax: logits (ln 4, 0)
    const at::Tensor logits = torch::tensor({std::log(4.0f), 0.0f}).view({1, 2, 1, 1});
    const at::Tensor target = torch::zeros({1, 1, 1}, torch::kInt64);
    FocalLossOptions focal; // gamma 2
    const double hand = 0.2 * 0.2 * -std::log(0.8);
    REQUIRE(maskedFocalLoss(logits, target, {}, focal).item<double>() == Approx(hand));
    focal.classWeights = torch::tensor({3.0f, 1.0f});
    REQUIRE(maskedFocalLoss(logits, target, {}, focal).item<double>() == Approx(3 * hand));

    // a batch of the same image and an unlabelled one, weights 2 and 5: (2 * 3 * hand + 5 * 0) / 2
    const at::Tensor batchLogits = torch::cat({logits, logits});
    const at::Tensor batchTarget = torch::cat({target, torch::full({1, 1, 1}, -1, torch::kInt64)});
    REQUIRE(maskedFocalLoss(batchLogits, batchTarget, torch::tensor({2.0f, 5.0f}), focal).item<double>() ==
            Approx(3 * hand));
}

// ---- the loop -----------------------------------------------------------------------------------

TEST_CASE("train: a few epochs on coloured halves reach high point accuracy, with logs, reports and checkpoints")
{
    TempDir out;
    Run run;
    slt_train_options o = defaultOptions(out.str().c_str());
    o.epochs = 6;
    run.go(o);

    REQUIRE(run.reports.epochs.size() == 6);
    const slt_epoch_report& last = run.reports.epochs.back();
    double best = 0;
    for (const slt_epoch_report& r : run.reports.epochs) best = std::max(best, r.macro_f1);
    REQUIRE(best >= 0.9);
    REQUIRE(last.num_classes == 3);
    REQUIRE(run.reports.classF1.back().size() == 3);
    REQUIRE(std::isfinite(last.train_loss));
    REQUIRE(std::isfinite(last.val_loss));
    REQUIRE(std::isfinite(last.cohen_kappa));
    REQUIRE(run.reports.extraNames.back().size() > 0); // learned p per Concrete Dropout layer
    REQUIRE_THAT(run.reports.extraNames.back().front(), Catch::StartsWith("p:"));
    REQUIRE(run.train.handedOut == run.train.released);
    REQUIRE(run.validation.handedOut == run.validation.released);

    for (const char* file : {"best.pt", "last.pt", "last.optim.pt", "training_log.csv", "validation_per_class.csv"})
        REQUIRE(fs::exists(out.path / file));
    const std::string log = readText(out.path / "training_log.csv");
    REQUIRE(lineCount(log) == 7);
    REQUIRE_THAT(log, Catch::Contains(",p:"));

    // the model holds the best weights: they equal best.pt's
    const std::string held = weightDigest(run.state.net);
    ModelState other = makeState(kTinyConfig, 99);
    loadCheckpoint(other.net, (out.path / "best.pt").string());
    REQUIRE(weightDigest(other.net) == held);
    const ResumeState state = ResumeState::fromToml(readCheckpointHeader((out.path / "last.pt").string()).extra, "last.pt");
    REQUIRE(state.nextEpoch == 6);
    REQUIRE(run.reports.epochs[static_cast<size_t>(state.bestEpoch)].is_best == 1);
}

TEST_CASE("train: resuming continues the epoch counter and repeats the uninterrupted run exactly")
{
    TempDir straight, split;
    slt_train_options o = defaultOptions(straight.str().c_str());
    o.epochs = 3;
    Run uninterrupted;
    uninterrupted.go(o);

    Run first; // same initial weights (same init seed)
    o.output_dir = split.path.c_str();
    o.epochs = 2;
    first.go(o);
    Run resumed(12345); // different initial weights: resume must replace them
    o.epochs = 3;
    o.resume = 1;
    resumed.go(o);

    REQUIRE(resumed.reports.epochs.size() == 1);
    REQUIRE(resumed.reports.epochs[0].epoch == 2);
    REQUIRE(lineCount(readText(split.path / "training_log.csv")) == 4);
    REQUIRE(weightDigest(resumed.state.net) == weightDigest(uninterrupted.state.net));
    REQUIRE(resumed.reports.epochs[0].macro_f1 == uninterrupted.reports.epochs[2].macro_f1);

    // resuming a finished run trains nothing and returns the best weights
    Run again(777);
    again.go(o);
    REQUIRE(again.reports.epochs.empty());
    REQUIRE(weightDigest(again.state.net) == weightDigest(uninterrupted.state.net));
}

TEST_CASE("train: a fresh run's initial weights come from its seed, not from the network's creation")
{
    TempDir a, b, c;
    slt_train_options o = defaultOptions(a.str().c_str());
    o.epochs = 1;
    Run first(11);
    first.go(o);
    o.output_dir = b.path.c_str();
    Run sameSeed(999); // built from another generator state
    sameSeed.go(o);
    REQUIRE(weightDigest(sameSeed.state.net) == weightDigest(first.state.net));
    REQUIRE(sameSeed.reports.epochs[0].train_loss == first.reports.epochs[0].train_loss);

    o.output_dir = c.path.c_str();
    o.seed += 1;
    Run otherSeed(11);
    otherSeed.go(o);
    REQUIRE(weightDigest(otherSeed.state.net) != weightDigest(first.state.net));
}

TEST_CASE("train: cancelling leaves a resumable last.pt; the resumed run finishes")
{
    TempDir out;
    slt_train_options o = defaultOptions(out.str().c_str());
    o.epochs = 3;
    o.batch_size = 4;
    CancellingJob cancel(15); // 12 steps per epoch: cancels during the second epoch
    Run run;
    const slt::sdk::Error e = errorOf([&] { run.go(o, testSettings(), &cancel.job); });
    REQUIRE(e.status() == SLT_ERR_CANCELLED);
    REQUIRE_THAT(e.what(), Catch::Contains("epoch 2") && Catch::Contains("last.pt"));
    REQUIRE(run.reports.epochs.size() == 1);
    REQUIRE(run.train.handedOut == run.train.released);
    const ResumeState state = ResumeState::fromToml(readCheckpointHeader((out.path / "last.pt").string()).extra, "last.pt");
    REQUIRE(state.nextEpoch == 1); // the interrupted epoch is redone

    Run resumed(5);
    o.resume = 1;
    resumed.go(o);
    REQUIRE(resumed.reports.epochs.size() == 2);
    REQUIRE(resumed.reports.epochs.front().epoch == 1);
    REQUIRE(lineCount(readText(out.path / "training_log.csv")) == 4);
}

TEST_CASE("train: fine-tuning starts from the checkpoint's weights; another architecture is refused")
{
    TempDir trained, tuned, refused;
    slt_train_options o = defaultOptions(trained.str().c_str());
    o.epochs = 5;
    Run source;
    source.go(o);
    const std::string best = (trained.path / "best.pt").string();

    // one epoch at a negligible learning rate: the first validation already scores like the source
    Run fine(4242);
    TrainingSettings still = testSettings();
    still.learningRate = 1e-9;
    o.output_dir = tuned.path.c_str();
    o.epochs = 1;
    o.init_checkpoint = best.c_str();
    fine.go(o, still);
    double sourceBest = 0;
    for (const slt_epoch_report& r : source.reports.epochs) sourceBest = std::max(sourceBest, r.macro_f1);
    REQUIRE(fine.reports.epochs[0].macro_f1 == Approx(sourceBest).margin(0.05));

    Run wider(1, "preset = \"small\"\nwidth = 16\ngroups = 4\nnum_classes = 3\n");
    o.output_dir = refused.path.c_str();
    const slt::sdk::Error e = errorOf([&] { wider.go(o); });
    REQUIRE(e.status() == SLT_ERR_FORMAT);
    REQUIRE_THAT(e.what(), Catch::Contains("fine-tuning checkpoint") && Catch::Contains("width"));
    REQUIRE(fs::is_empty(refused.path)); // nothing written
    REQUIRE(wider.reports.epochs.empty());
}

TEST_CASE("train: without a validation set every epoch is the best and the scores are NaN")
{
    TempDir out;
    Run run;
    slt_train_options o = defaultOptions(out.str().c_str());
    run.go(o, testSettings(), nullptr, /*withValidation=*/false);
    REQUIRE(run.reports.epochs.size() == 2);
    for (const slt_epoch_report& r : run.reports.epochs) {
        REQUIRE(r.is_best == 1);
        REQUIRE(std::isnan(r.macro_f1));
        REQUIRE(r.class_f1 == nullptr);
    }
    REQUIRE(fs::exists(out.path / "best.pt"));
    const std::string log = readText(out.path / "training_log.csv");
    REQUIRE_THAT(log, Catch::Contains("\n1,")); // epoch rows with empty validation fields
    REQUIRE_THAT(log, Catch::Contains(",,,,,,0,1,"));
    REQUIRE(lineCount(readText(out.path / "validation_per_class.csv")) == 1); // header only
}

TEST_CASE("train: bad options and bad samples give a clear message and write nothing")
{
    TempDir out;
    Run run;
    auto refusedWith = [&](slt_train_options o, slt_status status, const std::string& words) {
        const slt::sdk::Error e = errorOf([&] { run.go(o); });
        REQUIRE(e.status() == status); // (glog's CHECK shadows Catch's in torch TUs)
        CHECK_THAT(e.what(), Catch::Contains(words));
    };
    slt_train_options o = defaultOptions(out.str().c_str());
    o.epochs = 0;
    refusedWith(o, SLT_ERR_INVALID_ARGUMENT, "epochs");
    o = defaultOptions(out.str().c_str());
    o.batch_size = 0;
    refusedWith(o, SLT_ERR_INVALID_ARGUMENT, "batch_size");
    const std::string missing = (out.path / "missing").string();
    o = defaultOptions(missing.c_str());
    o.output_dir = missing.c_str();
    refusedWith(o, SLT_ERR_INVALID_ARGUMENT, "not an existing directory");
    o = defaultOptions(out.str().c_str());
    o.world_size = 2;
    refusedWith(o, SLT_ERR_INVALID_ARGUMENT, "dist_init");
    o.dist_init = "udp://x";
    o.rank = 3;
    refusedWith(o, SLT_ERR_INVALID_ARGUMENT, "rank 3");
    o.rank = 0;
    refusedWith(o, SLT_ERR_INVALID_ARGUMENT, "expected tcp://HOST:PORT");
    o = defaultOptions(out.str().c_str());
    o.resume = 1;
    refusedWith(o, SLT_ERR_NOT_FOUND, "nothing to resume");
    const std::string corrupt = (out.path / "corrupt.pt").string();
    std::ofstream(corrupt) << "not a checkpoint";
    o = defaultOptions(out.str().c_str());
    o.init_checkpoint = corrupt.c_str();
    refusedWith(o, SLT_ERR_FORMAT, "fine-tuning checkpoint");
    fs::remove(corrupt);
    REQUIRE(fs::is_empty(out.path));

    o = defaultOptions(out.str().c_str());
    run.train.samples()[5].classes[1] = 3;
    refusedWith(o, SLT_ERR_INVALID_ARGUMENT, "training sample 5: point 1 has class 3, the model has 3 classes");
    run.train.samples()[5].classes[1] = 0;
    run.train.samples()[6].x[0] = std::nanf("");
    refusedWith(o, SLT_ERR_INVALID_ARGUMENT, "training sample 6: point 0 has a non-finite coordinate");
    run.train.samples()[6].x[0] = 1;
    run.validation.samples()[2].weight = -1;
    refusedWith(o, SLT_ERR_INVALID_ARGUMENT, "validation sample 2: weight");
    REQUIRE(run.train.handedOut == run.train.released);
}

TEST_CASE("train: the model config's [training] table reaches the settings; bad keys name line and column")
{
    const ModelConfig config = parseModelConfig("preset = \"small\"\n[training]\nlearning_rate = 0.02\nfocal_gamma = 0\n");
    REQUIRE(config.training.learningRate == 0.02);
    REQUIRE(config.training.focalGamma == 0.0);
    REQUIRE(parseModelConfig("").training.learningRate == TrainingSettings{}.learningRate);
    const slt::sdk::Error e = errorOf([] { parseModelConfig("[training]\nlearning_rate = 0.02\nmomentum = 0.9\n"); });
    REQUIRE(e.status() == SLT_ERR_FORMAT);
    REQUIRE_THAT(e.what(), Catch::Contains("3:1: training.momentum: unknown key"));
    REQUIRE(errorOf([] { parseModelConfig("training = 3\n"); }).status() == SLT_ERR_FORMAT);
}
