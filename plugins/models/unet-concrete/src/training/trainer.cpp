#include "training/trainer.hpp"

#include "checkpoint.hpp"
#include "training/augmentation.hpp"
#include "training/data_parallel.hpp"
#include "training/focal_loss.hpp"
#include "training/resume_state.hpp"
#include "training/seeded_random.hpp"
#include "training/tile_batches.hpp"
#include "training/training_log.hpp"
#include "training/validation_metrics.hpp"

#include <ATen/CPUGeneratorImpl.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <numeric>
#include <optional>

namespace slt::unet::training {
namespace {

using slt::sdk::Error;
namespace fs = std::filesystem;

// How long a data-parallel rank waits for the others at the rendezvous and in every collective.
constexpr std::chrono::minutes kCollectiveTimeout{30};

std::string describeIndex(const char* set, int64_t index) { return std::string(set) + " sample " + std::to_string(index); }

// ---- options and samples ------------------------------------------------------------------------

void checkOptions(const slt_train_options& o, int32_t classes)
{
    if (o.struct_size < offsetof(slt_train_options, dist_init) + sizeof o.dist_init)
        throw Error(SLT_ERR_INVALID_ARGUMENT, "slt_train_options is too old (struct_size " + std::to_string(o.struct_size) + ")");
    if (o.epochs < 1) throw Error(SLT_ERR_INVALID_ARGUMENT, "epochs must be at least 1");
    if (o.batch_size < 1) throw Error(SLT_ERR_INVALID_ARGUMENT, "batch_size must be at least 1");
    if (o.num_threads < 0) throw Error(SLT_ERR_INVALID_ARGUMENT, "num_threads must not be negative");
    if (!o.output_dir || !*o.output_dir || !fs::is_directory(o.output_dir))
        throw Error(SLT_ERR_INVALID_ARGUMENT, std::string("output_dir '") + (o.output_dir ? o.output_dir : "(null)") +
                                                  "' is not an existing directory");
    if (o.world_size < 1 || o.rank < 0 || o.rank >= o.world_size)
        throw Error(SLT_ERR_INVALID_ARGUMENT, "rank " + std::to_string(o.rank) + " is outside world_size " +
                                                  std::to_string(o.world_size));
    if (o.world_size > 1 && (!o.dist_init || !*o.dist_init))
        throw Error(SLT_ERR_INVALID_ARGUMENT, "world_size > 1 needs dist_init (tcp://HOST:PORT, env:// or a file path)");
    if (o.class_weights)
        for (int32_t k = 0; k < classes; ++k)
            if (!(std::isfinite(o.class_weights[k]) && o.class_weights[k] >= 0))
                throw Error(SLT_ERR_INVALID_ARGUMENT, "class_weights[" + std::to_string(k) + "] must be finite and >= 0");
}

// Copies one sample of the host's dataset into a Tile, checking everything the host handed over.
Tile readTile(const slt_train_sample& s, int64_t index, int32_t classes, const char* set)
{
    const slt_array& a = s.image;
    if (a.dtype != SLT_DTYPE_U8 || a.ndim != 3 || a.shape[2] != 3 || a.shape[0] < 1 || a.shape[1] < 1 || !a.data)
        throw Error(SLT_ERR_INVALID_ARGUMENT, describeIndex(set, index) + ": image must be u8 RGB [H, W, 3]");
    if (s.num_points < 0 || (s.num_points > 0 && (!s.point_x || !s.point_y || !s.point_class)))
        throw Error(SLT_ERR_INVALID_ARGUMENT, describeIndex(set, index) + ": point arrays missing");
    if (!(std::isfinite(s.weight) && s.weight >= 0))
        throw Error(SLT_ERR_INVALID_ARGUMENT, describeIndex(set, index) + ": weight must be finite and >= 0");
    Tile tile;
    tile.height = a.shape[0];
    tile.width = a.shape[1];
    tile.weight = s.weight;
    tile.rgb.resize(static_cast<size_t>(tile.height * tile.width * 3));
    const auto* data = static_cast<const uint8_t*>(a.data);
    for (int64_t row = 0; row < tile.height; ++row)
        for (int64_t col = 0; col < tile.width; ++col)
            for (int64_t ch = 0; ch < 3; ++ch)
                tile.rgb[static_cast<size_t>((row * tile.width + col) * 3 + ch)] =
                    data[row * a.strides[0] + col * a.strides[1] + ch * a.strides[2]];
    for (int64_t p = 0; p < s.num_points; ++p) {
        if (s.point_class[p] < 0 || s.point_class[p] >= classes)
            throw Error(SLT_ERR_INVALID_ARGUMENT, describeIndex(set, index) + ": point " + std::to_string(p) + " has class " +
                                                      std::to_string(s.point_class[p]) + ", the model has " +
                                                      std::to_string(classes) + " classes");
        if (!std::isfinite(s.point_x[p]) || !std::isfinite(s.point_y[p]))
            throw Error(SLT_ERR_INVALID_ARGUMENT, describeIndex(set, index) + ": point " + std::to_string(p) + " has a non-finite coordinate");
        tile.points.push_back({s.point_x[p], s.point_y[p], s.point_class[p]});
    }
    return tile;
}

Tile fetchTile(const slt::sdk::TrainData& data, int64_t index, int32_t classes, const char* set)
{
    const slt::sdk::TrainData::Sample sample = data.get(index);
    return readTile(*sample, index, classes, set);
}

// ---- order and shards ---------------------------------------------------------------------------

std::vector<int64_t> shuffledOrder(int64_t size, uint64_t seed, int32_t epoch)
{
    std::vector<int64_t> order(static_cast<size_t>(size));
    std::iota(order.begin(), order.end(), int64_t{0});
    SeededRandom random(deriveSeed(seed, static_cast<uint64_t>(RandomPurpose::Shuffle), static_cast<uint64_t>(epoch)));
    for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[random.below(i)]);
    return order;
}

// The samples of one rank: every world_size-th position of the shuffled order, padded by wrapping
// around so every rank gets the same number (as PyTorch's DistributedSampler does).
std::vector<int64_t> shardOf(const std::vector<int64_t>& order, int32_t rank, int32_t worldSize)
{
    const size_t n = order.size(), perRank = (n + static_cast<size_t>(worldSize) - 1) / static_cast<size_t>(worldSize);
    std::vector<int64_t> shard;
    for (size_t k = 0; k < perRank; ++k) shard.push_back(order[(k * static_cast<size_t>(worldSize) + static_cast<size_t>(rank)) % n]);
    return shard;
}

// ---- tensors ------------------------------------------------------------------------------------

std::vector<at::Tensor> stateTensors(UNet& net)
{
    std::vector<at::Tensor> tensors = net->parameters();
    for (const at::Tensor& b : net->buffers()) tensors.push_back(b);
    return tensors;
}

std::vector<at::Tensor> snapshot(UNet& net)
{
    std::vector<at::Tensor> copy;
    for (const at::Tensor& t : stateTensors(net)) copy.push_back(t.detach().clone());
    return copy;
}

void restore(UNet& net, const std::vector<at::Tensor>& saved)
{
    torch::NoGradGuard noGrad;
    std::vector<at::Tensor> tensors = stateTensors(net);
    for (size_t i = 0; i < tensors.size(); ++i) tensors[i].copy_(saved[i]);
}

struct BatchTensors {
    at::Tensor images, targets, weights;
};

BatchTensors toTensors(const TileBatch& batch, const torch::Device& device)
{
    const int64_t b = batch.size();
    BatchTensors t;
    t.images = normaliseImages(batch.rgb.data(), b, batch.height, batch.width).to(device);
    t.targets = torch::from_blob(const_cast<int64_t*>(batch.targets.data()), {b, batch.height, batch.width}, torch::kInt64)
                    .to(device, /*non_blocking=*/false, /*copy=*/true);
    t.weights = torch::from_blob(const_cast<float*>(batch.weights.data()), {b}, torch::kFloat32).to(device, false, true);
    return t;
}

// ---- the run ------------------------------------------------------------------------------------

struct EpochTotals {
    double lossSum = 0;        // data loss summed over batches, weighted by batch size
    double regularisation = 0; // of the last step
    int64_t images = 0;
};

struct StepFlags {
    double contributed = 0, cancelled = 0, failed = 0;
};

enum class EpochEnd { Finished, Cancelled };

struct ValidationResult {
    double loss = std::nan("");
    ValidationScores scores;
};

class TrainingRun {
public:
    TrainingRun(ModelState& state, const TrainingSettings& settings, slt::sdk::TrainData& trainData,
                slt::sdk::TrainData* validation, const slt_train_options& options,
                const slt::sdk::EpochObserver& observer, const slt::sdk::Job& job)
        : state_(state), net_(state.net), settings_(settings), train_(trainData), validation_(validation),
          options_(options), observer_(observer), job_(job), classes_(state.config.net.numClasses()),
          outputDir_(options.output_dir)
    {
    }

    void run();

private:
    bool isWriter() const { return options_.rank == 0; }
    std::string outputPath(const char* name) const { return (fs::path(outputDir_) / name).string(); }

    void setUp();
    void startOrResume();
    void resumeFromLast();
    void trainEpochs();
    EpochEnd trainEpoch(int32_t epoch);
    EpochEnd trainShard(const std::vector<int64_t>& shard, int32_t epoch, int64_t datasetSize);
    std::optional<TileBatch> nextBatch(const std::vector<int64_t>& shard, size_t& next, TileBatcher& batcher,
                                       std::deque<TileBatch>& ready, bool& flushed, int32_t epoch);
    void forwardBackward(const TileBatch& batch, EpochTotals& totals, int64_t datasetSize);
    StepFlags synchronise(StepFlags local);
    ValidationResult validate();
    void predictPoints(const TileBatch& batch, const at::Tensor& logits, ConfusionMatrix& confusion) const;
    void finishEpoch(int32_t epoch, const EpochTotals& totals, const ValidationResult& v, double seconds);
    void saveLast(int32_t nextEpoch);
    void report(int32_t epoch, const EpochTotals& totals, const ValidationResult& v, bool isBest,
                const std::vector<std::pair<std::string, double>>& p, const std::string& checkpoint) const;
    void seedDropout(int32_t epoch);

    ModelState& state_;
    UNet& net_;
    const TrainingSettings& settings_;
    slt::sdk::TrainData& train_;
    slt::sdk::TrainData* validation_;
    const slt_train_options& options_;
    const slt::sdk::EpochObserver& observer_;
    const slt::sdk::Job& job_;
    int32_t classes_;
    std::string outputDir_;

    std::unique_ptr<DataParallelGroup> group_;
    std::unique_ptr<torch::optim::Adam> optimizer_;
    FocalLossOptions focal_;
    ResumeState progress_;
    std::optional<std::vector<at::Tensor>> best_;
    std::unique_ptr<TrainingLog> log_;
    EpochTotals totals_;     // of the epoch being trained
    uint64_t samplesDone_ = 0; // progress units: training samples since the call began
    int32_t firstEpoch_ = 0;   // the epoch this call started with (> 0 when resumed)
};

void TrainingRun::run()
{
    setUp();
    startOrResume();
    trainEpochs();
    if (best_) restore(net_, *best_);
    net_->eval();
}

void TrainingRun::setUp()
{
    checkOptions(options_, classes_);
    const int32_t threads = options_.num_threads > 0 ? options_.num_threads : std::max(1, state_.threads);
    torch::set_num_threads(threads);
    focal_.gamma = settings_.focalGamma;
    if (options_.class_weights)
        focal_.classWeights = torch::from_blob(const_cast<float*>(options_.class_weights), {classes_}, torch::kFloat32).clone();
    optimizer_ = std::make_unique<torch::optim::Adam>(net_->parameters(), torch::optim::AdamOptions(settings_.learningRate));
    if (options_.world_size > 1)
        group_ = DataParallelGroup::join(options_.rank, options_.world_size, options_.dist_init,
                                         std::chrono::duration_cast<std::chrono::milliseconds>(kCollectiveTimeout));
}

// Draws fresh initial weights from `seed`. The network was built with LibTorch's default generator, whose state
// depends on whatever ran before in the process; re-drawing makes --seed repeat a run from scratch. The default
// generator's state is put back afterwards, so nothing else in the host process sees a change.
void initialiseWeights(UNet& net, uint64_t seed)
{
    torch::NoGradGuard noGrad;
    at::Generator generator = at::detail::getDefaultCPUGenerator(); // not locked: the init kernels lock it
    const at::Tensor saved = generator.get_state();
    generator.set_current_seed(seed);
    for (const std::shared_ptr<torch::nn::Module>& module : net->modules(/*include_self=*/false)) {
        if (auto* conv = module->as<torch::nn::Conv2dImpl>()) conv->reset_parameters();
        else if (auto* norm = module->as<torch::nn::GroupNormImpl>()) norm->reset_parameters();
    }
    generator.set_state(saved);
}

void TrainingRun::startOrResume()
{
    progress_.seed = options_.seed;
    if (options_.resume) {
        resumeFromLast();
    } else if (!options_.init_checkpoint || !*options_.init_checkpoint) {
        initialiseWeights(net_, deriveSeed(options_.seed, static_cast<uint64_t>(RandomPurpose::Init), 0, 0));
    } else {
        try {
            loadCheckpoint(net_, options_.init_checkpoint);
        } catch (const Error& e) {
            throw Error(e.status(), std::string("fine-tuning checkpoint '") + options_.init_checkpoint + "': " + e.what());
        }
    }
    if (group_) { // every rank starts from rank 0's weights
        std::vector<at::Tensor> tensors = stateTensors(net_);
        at::Tensor flat = torch::cat([&] {
            std::vector<at::Tensor> parts;
            for (const at::Tensor& t : tensors) parts.push_back(t.detach().reshape({-1}).to(torch::kFloat32));
            return parts;
        }());
        group_->broadcastFromRankZero(flat);
        torch::NoGradGuard noGrad;
        int64_t at = 0;
        for (at::Tensor& t : tensors) {
            t.copy_(flat.narrow(0, at, t.numel()).view_as(t));
            at += t.numel();
        }
    }
    if (isWriter()) {
        std::vector<ClassLabel> labels;
        for (const ClassEntry& c : state_.config.net.classes) labels.push_back({c.id, c.name});
        log_ = std::make_unique<TrainingLog>(outputDir_, std::move(labels), progress_.nextEpoch);
    }
}

void TrainingRun::resumeFromLast()
{
    const std::string last = outputPath(kLastCheckpoint), optimizer = outputPath(kOptimizerState);
    if (!fs::exists(last))
        throw Error(SLT_ERR_NOT_FOUND, "nothing to resume: '" + last + "' does not exist");
    progress_ = ResumeState::fromToml(readCheckpointHeader(last).extra, last);
    const std::string best = outputPath(kBestCheckpoint);
    if (progress_.bestEpoch >= 0 && fs::exists(best)) {
        loadCheckpoint(net_, best);
        best_ = snapshot(net_);
    }
    loadCheckpoint(net_, last);
    torch::serialize::InputArchive archive;
    try {
        archive.load_from(optimizer);
        optimizer_->load(archive);
    } catch (const c10::Error& e) {
        throw Error(SLT_ERR_FORMAT, "cannot resume: optimizer state '" + optimizer + "': " + e.what_without_backtrace());
    }
    at::Tensor epochMark;
    if (!archive.try_read("slt_next_epoch", epochMark) || epochMark.item<int64_t>() != progress_.nextEpoch)
        throw Error(SLT_ERR_FORMAT, "cannot resume: '" + optimizer + "' does not belong to '" + last + "'");
}

void TrainingRun::seedDropout(int32_t epoch)
{
    const uint64_t seed = deriveSeed(progress_.seed, static_cast<uint64_t>(RandomPurpose::Dropout),
                                     static_cast<uint64_t>(epoch), static_cast<uint64_t>(options_.rank));
    net_->setGenerator(at::make_generator<at::CPUGeneratorImpl>(seed));
}

void TrainingRun::trainEpochs()
{
    firstEpoch_ = progress_.nextEpoch;
    for (int32_t epoch = progress_.nextEpoch; epoch < options_.epochs; ++epoch) {
        const auto start = std::chrono::steady_clock::now();
        train_.begin_epoch(epoch);
        for (torch::optim::OptimizerParamGroup& group : optimizer_->param_groups())
            static_cast<torch::optim::AdamOptions&>(group.options()).lr(learningRateAt(settings_, epoch, options_.epochs));
        if (trainEpoch(epoch) == EpochEnd::Cancelled) {
            saveLast(epoch);
            throw Error(SLT_ERR_CANCELLED, "training cancelled in epoch " + std::to_string(epoch + 1) +
                                               "; resume from '" + outputPath(kLastCheckpoint) + "'");
        }
        const ValidationResult v = validate();
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        finishEpoch(epoch, totals_, v, seconds);
    }
}

EpochEnd TrainingRun::trainEpoch(int32_t epoch)
{
    const int64_t size = train_.size();
    if (size < 1) throw Error(SLT_ERR_INVALID_ARGUMENT, "the training dataset is empty");
    seedDropout(epoch);
    net_->train();
    totals_ = {};
    const std::vector<int64_t> shard = shardOf(shuffledOrder(size, progress_.seed, epoch), options_.rank, options_.world_size);
    return trainShard(shard, epoch, size);
}

// One optimizer step per batch. Data-parallel ranks step in lockstep: each step all-reduces the
// gradients with three flags (this rank contributed a batch / was cancelled / failed), so a rank
// that runs out of batches, is cancelled or fails still meets the others in every collective,
// and all ranks take the same decisions from the same sums.
EpochEnd TrainingRun::trainShard(const std::vector<int64_t>& shard, int32_t epoch, int64_t datasetSize)
{
    TileBatcher batcher(options_.batch_size, state_.config.net.sizeMultiple(), settings_.diskRadius);
    std::deque<TileBatch> ready;
    size_t next = 0;
    bool flushed = false;
    std::optional<Error> failure;
    for (;;) {
        StepFlags local;
        local.cancelled = job_.cancelled() ? 1 : 0;
        try {
            std::optional<TileBatch> batch;
            if (local.cancelled == 0) batch = nextBatch(shard, next, batcher, ready, flushed, epoch);
            optimizer_->zero_grad();
            if (batch) forwardBackward(*batch, totals_, datasetSize);
            local.contributed = batch ? 1 : 0;
        } catch (const Error& e) {
            failure = e;
        } catch (const std::exception& e) {
            failure = Error(SLT_ERR_INTERNAL, std::string("training step failed: ") + e.what());
        }
        if (failure) {
            local = {0, 0, 1};
            optimizer_->zero_grad();
        }
        const StepFlags all = synchronise(local);
        if (all.failed > 0) {
            if (failure) throw *failure;
            throw Error(SLT_ERR_IO, "another data-parallel rank failed; its own message says why");
        }
        if (all.contributed > 0) optimizer_->step();
        if (all.cancelled > 0) return EpochEnd::Cancelled;
        if (all.contributed == 0) return EpochEnd::Finished;
        const std::string message = "epoch " + std::to_string(epoch + 1) + "/" + std::to_string(options_.epochs);
        job_.progress(samplesDone_, static_cast<uint64_t>(options_.epochs - firstEpoch_) * shard.size(), message.c_str());
    }
}

std::optional<TileBatch> TrainingRun::nextBatch(const std::vector<int64_t>& shard, size_t& next, TileBatcher& batcher,
                                                std::deque<TileBatch>& ready, bool& flushed, int32_t epoch)
{
    while (ready.empty() && next < shard.size()) {
        const int64_t index = shard[next++];
        Tile tile = fetchTile(train_, index, classes_, "training");
        augment(tile, settings_.augmentation,
                deriveSeed(progress_.seed, static_cast<uint64_t>(RandomPurpose::Augment), static_cast<uint64_t>(epoch),
                           static_cast<uint64_t>(index)));
        if (std::optional<TileBatch> full = batcher.add(std::move(tile))) ready.push_back(std::move(*full));
    }
    if (ready.empty() && !flushed) {
        for (TileBatch& b : batcher.flush()) ready.push_back(std::move(b));
        flushed = true;
    }
    if (ready.empty()) return std::nullopt;
    TileBatch batch = std::move(ready.front());
    ready.pop_front();
    return batch;
}

void TrainingRun::forwardBackward(const TileBatch& batch, EpochTotals& totals, int64_t datasetSize)
{
    const BatchTensors t = toTensors(batch, state_.device);
    const at::Tensor logits = net_->forward(t.images).logits;
    const at::Tensor dataLoss = maskedFocalLoss(logits, t.targets, t.weights, focal_);
    const at::Tensor regularisation = net_->regularisation(datasetSize);
    const at::Tensor loss = dataLoss + regularisation;
    const double value = loss.item<double>();
    if (!std::isfinite(value))
        throw Error(SLT_ERR_INTERNAL, "training diverged (loss " + std::to_string(value) +
                                          "); try a smaller training.learning_rate");
    loss.backward();
    totals.lossSum += dataLoss.item<double>() * static_cast<double>(batch.size());
    totals.regularisation = regularisation.item<double>();
    totals.images += batch.size();
    samplesDone_ += static_cast<uint64_t>(batch.size());
}

// Averages the gradients over the ranks that contributed a batch; the flags are summed.
StepFlags TrainingRun::synchronise(StepFlags local)
{
    if (!group_) return local;
    std::vector<at::Tensor> parts;
    const std::vector<at::Tensor> parameters = net_->parameters();
    for (const at::Tensor& p : parameters)
        parts.push_back(p.grad().defined() ? p.grad().reshape({-1}) : torch::zeros({p.numel()}, p.options()));
    parts.push_back(torch::tensor({local.contributed, local.cancelled, local.failed}, torch::kFloat32));
    at::Tensor flat = torch::cat(parts);
    group_->allReduceSum(flat);
    const int64_t flags = flat.numel() - 3;
    const StepFlags all{flat[flags].item<double>(), flat[flags + 1].item<double>(), flat[flags + 2].item<double>()};
    if (all.contributed > 0) {
        torch::NoGradGuard noGrad;
        int64_t at = 0;
        for (const at::Tensor& p : parameters) {
            at::Tensor averaged = flat.narrow(0, at, p.numel()).view(p.sizes()) / all.contributed;
            if (p.grad().defined()) p.mutable_grad().copy_(averaged);
            else p.mutable_grad() = averaged.clone();
            at += p.numel();
        }
    }
    return all;
}

ValidationResult TrainingRun::validate()
{
    ValidationResult result;
    if (!validation_) { // no scores: NaN in the log and the report, no per-class rows
        ValidationScores& s = result.scores;
        s.accuracy = s.macroF1 = s.weightedF1 = s.balancedAccuracy = s.kappa = std::nan("");
        return result;
    }
    torch::NoGradGuard noGrad;
    net_->eval();
    net_->setStochastic(false);
    ConfusionMatrix confusion(classes_);
    double lossSum = 0, images = 0;
    TileBatcher batcher(options_.batch_size, state_.config.net.sizeMultiple(), settings_.diskRadius);
    auto evaluate = [&](const TileBatch& batch) {
        const BatchTensors t = toTensors(batch, state_.device);
        const at::Tensor logits = net_->forward(t.images).logits;
        lossSum += maskedFocalLoss(logits, t.targets, {}, focal_).item<double>() * static_cast<double>(batch.size());
        images += static_cast<double>(batch.size());
        predictPoints(batch, logits, confusion);
    };
    const int64_t size = validation_->size();
    for (int64_t index = options_.rank; index < size; index += options_.world_size) {
        if (std::optional<TileBatch> full = batcher.add(fetchTile(*validation_, index, classes_, "validation"))) evaluate(*full);
    }
    for (const TileBatch& b : batcher.flush()) evaluate(b);
    if (group_) { // sum the confusion matrices and losses of all ranks
        std::vector<double> sums(confusion.counts().begin(), confusion.counts().end());
        sums.push_back(lossSum);
        sums.push_back(images);
        at::Tensor flat = torch::tensor(sums, torch::kFloat64);
        group_->allReduceSum(flat);
        for (size_t k = 0; k < confusion.counts().size(); ++k) confusion.counts()[k] = flat[static_cast<int64_t>(k)].item<int64_t>();
        lossSum = flat[flat.numel() - 2].item<double>();
        images = flat[flat.numel() - 1].item<double>();
    }
    result.loss = images > 0 ? lossSum / images : std::nan("");
    result.scores = scoreConfusion(confusion);
    return result;
}

// A point's prediction is the argmax of the logits averaged over a small window around it
// (training.validation_window; the original SLT validator used 3x3).
void TrainingRun::predictPoints(const TileBatch& batch, const at::Tensor& logits, ConfusionMatrix& confusion) const
{
    const int64_t w = settings_.validationWindow;
    const at::Tensor smoothed = w > 1 ? torch::avg_pool2d(logits, {w, w}, {1, 1}, {w / 2, w / 2}, false, false) : logits;
    const at::Tensor predicted = smoothed.argmax(1).to(torch::kCPU).contiguous(); // [B, H, W]
    const auto* map = predicted.data_ptr<int64_t>();
    for (int64_t i = 0; i < batch.size(); ++i)
        for (const LabelledPoint& p : batch.points[static_cast<size_t>(i)]) {
            const int64_t row = std::clamp<int64_t>(std::lround(p.y), 0, batch.height - 1);
            const int64_t col = std::clamp<int64_t>(std::lround(p.x), 0, batch.width - 1);
            confusion.add(p.classIndex, static_cast<int32_t>(map[(i * batch.height + row) * batch.width + col]));
        }
}

void TrainingRun::finishEpoch(int32_t epoch, const EpochTotals& totals, const ValidationResult& v, double seconds)
{
    const bool validated = validation_ != nullptr && v.scores.points > 0;
    const double score = validated ? v.scores.macroF1 : 0.0;
    const bool isBest = !validated || progress_.bestEpoch < 0 || score > progress_.bestMacroF1;
    if (isBest) {
        progress_.bestEpoch = epoch;
        progress_.bestMacroF1 = validated ? score : -std::numeric_limits<double>::infinity();
        best_ = snapshot(net_);
        if (isWriter()) saveCheckpoint(net_, outputPath(kBestCheckpoint), progress_.toToml());
    }
    saveLast(epoch + 1);
    const auto p = net_->dropoutProbabilities();
    EpochLogRow row;
    row.epoch = epoch + 1;
    row.trainLoss = totals.images > 0 ? totals.lossSum / static_cast<double>(totals.images) : std::nan("");
    row.regularisation = totals.regularisation;
    row.valLoss = v.loss;
    row.scores = v.scores;
    row.isBest = isBest;
    row.seconds = seconds;
    row.imagesPerSecond = seconds > 0 ? static_cast<double>(totals.images) / seconds : 0.0;
    row.dropoutP = p;
    if (log_) log_->append(row);
    report(epoch, totals, v, isBest, p, outputPath(kLastCheckpoint));
}

// last.pt (weights + where the run stands) and last.optim.pt (Adam, marked with the same epoch).
// The optimizer goes first: a crash in between leaves a last.pt whose mark does not match, which
// resume refuses instead of mixing states.
void TrainingRun::saveLast(int32_t nextEpoch)
{
    if (!isWriter()) return;
    progress_.nextEpoch = nextEpoch;
    const std::string optimizerPath = outputPath(kOptimizerState), temporary = optimizerPath + ".tmp";
    try {
        torch::serialize::OutputArchive archive;
        optimizer_->save(archive);
        archive.write("slt_next_epoch", torch::tensor(static_cast<int64_t>(nextEpoch)));
        archive.save_to(temporary);
        fs::rename(temporary, optimizerPath);
    } catch (const std::exception& e) {
        throw Error(SLT_ERR_IO, "cannot write '" + optimizerPath + "': " + e.what());
    }
    saveCheckpoint(net_, outputPath(kLastCheckpoint), progress_.toToml());
}

void TrainingRun::report(int32_t epoch, const EpochTotals& totals, const ValidationResult& v, bool isBest,
                         const std::vector<std::pair<std::string, double>>& p, const std::string& checkpoint) const
{
    const ValidationScores& s = v.scores;
    std::vector<std::string> names;
    std::vector<const char*> namePointers;
    std::vector<double> values;
    for (const auto& [name, value] : p) {
        names.push_back("p:" + name);
        values.push_back(value);
    }
    for (const std::string& n : names) namePointers.push_back(n.c_str());
    const bool perClass = !s.f1.empty() && validation_ != nullptr;
    slt_epoch_report r{};
    r.struct_size = sizeof r;
    r.epoch = epoch;
    r.num_epochs = options_.epochs;
    r.train_loss = totals.images > 0 ? totals.lossSum / static_cast<double>(totals.images) : std::nan("");
    r.val_loss = v.loss;
    r.accuracy = validation_ ? s.accuracy : std::nan("");
    r.macro_f1 = validation_ ? s.macroF1 : std::nan("");
    r.weighted_f1 = validation_ ? s.weightedF1 : std::nan("");
    r.cohen_kappa = validation_ ? s.kappa : std::nan("");
    r.balanced_accuracy = validation_ ? s.balancedAccuracy : std::nan("");
    r.num_classes = classes_;
    r.class_f1 = perClass ? s.f1.data() : nullptr;
    r.class_precision = perClass ? s.precision.data() : nullptr;
    r.class_recall = perClass ? s.recall.data() : nullptr;
    r.class_support = perClass ? s.support.data() : nullptr;
    r.is_best = isBest ? 1 : 0;
    r.checkpoint_path = isWriter() ? checkpoint.c_str() : nullptr;
    r.num_extra = static_cast<int32_t>(values.size());
    r.extra_names = namePointers.data();
    r.extra_values = values.data();
    observer_.epoch_end(r);
}

} // namespace

void trainWithSettings(ModelState& state, const TrainingSettings& settings, slt::sdk::TrainData& trainData,
                       slt::sdk::TrainData* validation, const slt_train_options& options,
                       const slt::sdk::EpochObserver& observer, const slt::sdk::Job& job)
{
    TrainingRun(state, settings, trainData, validation, options, observer, job).run();
}

void train(ModelState& state, slt::sdk::TrainData& trainData, slt::sdk::TrainData* validation,
           const slt_train_options& options, const slt::sdk::EpochObserver& observer, const slt::sdk::Job& job)
{
    trainWithSettings(state, state.config.training, trainData, validation, options, observer, job);
}

} // namespace slt::unet::training
