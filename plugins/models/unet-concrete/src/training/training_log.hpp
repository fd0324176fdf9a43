// The CSV logs a training run leaves in its output directory (SPEC M6):
//   training_log.csv         one row per finished epoch (1-based `epoch`): losses, validation scores,
//                            whether the epoch became the best checkpoint, time, and the learned
//                            Concrete Dropout p of every layer (columns `p:<layer>`);
//   validation_per_class.csv one row per epoch and class: precision, recall, F1, support.
// A resumed run keeps the rows of the epochs it does not redo and appends after them.
#pragma once

#include "training/validation_metrics.hpp"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace slt::unet::training {

struct EpochLogRow {
    int32_t epoch = 0; // 1-based
    double trainLoss = 0;
    double regularisation = 0;
    double valLoss = 0;
    ValidationScores scores;
    bool isBest = false;
    double seconds = 0;
    double imagesPerSecond = 0;
    std::vector<std::pair<std::string, double>> dropoutP;
};

struct ClassLabel {
    int32_t id = 0;
    std::string name;
};

class TrainingLog {
public:
    // Opens the logs in `directory`; keeps the first `keepEpochs` epochs of existing logs (0 = start
    // afresh). Throws slt::sdk::Error(SLT_ERR_IO) when a file cannot be written.
    TrainingLog(const std::string& directory, std::vector<ClassLabel> classes, int32_t keepEpochs);
    void append(const EpochLogRow& row);

    static constexpr const char* kEpochFile = "training_log.csv";
    static constexpr const char* kClassFile = "validation_per_class.csv";

private:
    std::string epochPath_;
    std::string classPath_;
    std::vector<ClassLabel> classes_;
    bool headerWritten_ = false;
};

} // namespace slt::unet::training
