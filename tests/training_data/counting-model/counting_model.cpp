// org.slt.test.counting-model: a trainable model without LibTorch for the `slt-cli train` tests. Training
// reads every sample the host serves (checking its image view and points), counts the points per class and
// predicts the most frequent class; validation scores that prediction. Its checkpoints are text files
// ("epoch = N" and the counts), so a test can see what it learnt and resume from last.pt. The configuration
// takes one key, `delay_ms = N`, a pause per sample that lets a test interrupt a run.
#include <slt/sdk/cpp/model.hpp>
#include <slt/sdk/cpp/plugin.hpp>

#include <chrono>
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

using slt::sdk::Error;

constexpr int32_t kClasses = 9;

struct State {
    int32_t nextEpoch = 0;
    std::vector<int64_t> counts = std::vector<int64_t>(kClasses, 0);
};

void writeState(const std::string& path, const State& state)
{
    std::ofstream out(path);
    out << "epoch = " << state.nextEpoch << "\ncounts =";
    for (int64_t count : state.counts) out << ' ' << count;
    out << '\n';
    if (!out) throw Error(SLT_ERR_IO, "cannot write '" + path + "'");
}

State readState(const std::string& path)
{
    std::ifstream in(path);
    std::string word, equals;
    State state;
    if (!(in >> word >> equals >> state.nextEpoch) || word != "epoch") throw Error(SLT_ERR_FORMAT, "'" + path + "' is no counting-model checkpoint");
    in >> word >> equals;
    for (int64_t& count : state.counts) in >> count;
    if (!in) throw Error(SLT_ERR_FORMAT, "'" + path + "' is truncated");
    return state;
}

int32_t majority(const std::vector<int64_t>& counts)
{
    int32_t best = 0;
    for (int32_t c = 1; c < kClasses; ++c)
        if (counts[c] > counts[best]) best = c;
    return best;
}

void checkSample(const slt_train_sample& s)
{
    if (s.image.dtype != SLT_DTYPE_U8 || s.image.ndim != 3 || s.image.shape[2] != 3 || !s.image.data)
        throw Error(SLT_ERR_INVALID_ARGUMENT, "the host served an image that is not u8 [H, W, 3]");
    for (int64_t i = 0; i < s.num_points; ++i)
        if (s.point_class[i] < 0 || s.point_class[i] >= kClasses || s.point_x[i] < 0 || s.point_y[i] < 0 ||
            s.point_x[i] >= static_cast<float>(s.image.shape[1]) || s.point_y[i] >= static_cast<float>(s.image.shape[0]))
            throw Error(SLT_ERR_INVALID_ARGUMENT, "the host served a point outside its image or classes");
}

class CountingModel : public slt::sdk::Model {
public:
    CountingModel(const slt::sdk::Host&, const std::string& config)
    {
        const auto key = config.find("delay_ms");
        if (key != std::string::npos) delayMs_ = std::stoi(config.substr(config.find('=', key) + 1));
    }

    slt::sdk::ModelInfo describe() override
    {
        slt::sdk::ModelInfo info;
        info.capabilities = SLT_MODEL_CAN_TRAIN;
        info.architecture = "counting classes=9";
        for (int32_t i = 0; i < kClasses; ++i) info.classes.push_back({i, "Class " + std::to_string(i), ""});
        info.input_height = info.input_width = 32;
        return info;
    }

    void load_checkpoint(const std::string& path) override { state_ = readState(path); }
    void save_checkpoint(const std::string& path) override { writeState(path, state_); }

    void train(slt::sdk::TrainData& data, slt::sdk::TrainData* validation, const slt_train_options& options,
               const slt::sdk::EpochObserver& observer, const slt::sdk::Job& job) override
    {
        const std::string out = options.output_dir;
        if (options.resume) state_ = readState(out + "/last.pt");
        else if (options.init_checkpoint) state_ = readState(options.init_checkpoint);
        std::ofstream log(out + "/epochs.log", std::ios::app);
        if (options.class_weights) {
            log << "weights";
            for (int32_t c = 0; c < kClasses; ++c) log << ' ' << options.class_weights[c];
            log << '\n';
        }
        for (int32_t epoch = state_.nextEpoch; epoch < options.epochs; ++epoch) {
            data.begin_epoch(epoch);
            const int64_t size = data.size();
            float weightSum = 0;
            for (int64_t i = 0; i < size; ++i) {
                if (job.cancelled()) {
                    writeState(out + "/last.pt", state_);
                    throw Error(SLT_ERR_CANCELLED, "cancelled; last.pt holds the finished epochs");
                }
                const auto sample = data.get(i);
                checkSample(*sample);
                weightSum += sample->weight;
                for (int64_t p = 0; p < sample->num_points; ++p) ++state_.counts[sample->point_class[p]];
                if (delayMs_ > 0) std::this_thread::sleep_for(std::chrono::milliseconds(delayMs_));
                const std::string message = "epoch " + std::to_string(epoch + 1) + "/" + std::to_string(options.epochs);
                job.progress(static_cast<uint64_t>(i + 1), static_cast<uint64_t>(size), message.c_str());
            }
            log << "epoch " << epoch << " size " << size << " weight " << weightSum << '\n';
            log.flush();
            state_.nextEpoch = epoch + 1;
            report(epoch, options.epochs, validation, observer, out);
        }
    }

    slt::sdk::PredictShape predict_shape(int64_t batch, int64_t height, int64_t width, int32_t mc) override
    {
        return {{mc, batch, kClasses, height, width}, {}};
    }

    void predict(const slt_array&, int32_t, uint64_t, slt_array& probs, slt_array*, const slt::sdk::Job&) override
    {
        auto* out = static_cast<float*>(probs.data);
        const int64_t plane = probs.shape[3] * probs.shape[4];
        const int32_t best = majority(state_.counts);
        for (int64_t tb = 0; tb < probs.shape[0] * probs.shape[1]; ++tb)
            for (int32_t c = 0; c < kClasses; ++c)
                for (int64_t i = 0; i < plane; ++i) out[(tb * kClasses + c) * plane + i] = c == best ? 1.0f : 0.0f;
    }

private:
    void report(int32_t epoch, int32_t epochs, slt::sdk::TrainData* validation, const slt::sdk::EpochObserver& observer,
                const std::string& out)
    {
        int64_t right = 0, total = 0;
        const int32_t best = majority(state_.counts);
        if (validation)
            for (int64_t i = 0; i < validation->size(); ++i) {
                const auto sample = validation->get(i);
                checkSample(*sample);
                for (int64_t p = 0; p < sample->num_points; ++p, ++total) right += sample->point_class[p] == best;
            }
        const double nan = std::numeric_limits<double>::quiet_NaN();
        const double accuracy = total > 0 ? static_cast<double>(right) / static_cast<double>(total) : nan;
        writeState(out + "/last.pt", state_);
        const bool isBest = std::isnan(accuracy) || accuracy >= bestAccuracy_;
        if (isBest) {
            bestAccuracy_ = std::isnan(accuracy) ? bestAccuracy_ : accuracy;
            writeState(out + "/best.pt", state_);
        }
        slt_epoch_report r{};
        r.struct_size = sizeof r;
        r.epoch = epoch;
        r.num_epochs = epochs;
        r.train_loss = 1.0 / (epoch + 1);
        r.val_loss = nan;
        r.accuracy = accuracy;
        r.macro_f1 = r.weighted_f1 = r.cohen_kappa = r.balanced_accuracy = nan;
        r.is_best = isBest ? 1 : 0;
        observer.epoch_end(r);
    }

    State state_;
    int delayMs_ = 0;
    double bestAccuracy_ = -1;
};

} // namespace

SLT_PLUGIN("org.slt.test.counting-model", "1.0.0", CountingModel)
