#include "training/training_log.hpp"

#include <slt/sdk/cpp/error.hpp>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace slt::unet::training {
namespace {

std::string number(double v)
{
    if (std::isnan(v)) return "";
    char text[32];
    std::snprintf(text, sizeof text, "%.6g", v);
    return text;
}

std::string csvField(const std::string& text)
{
    if (text.find_first_of(",\"\n") == std::string::npos) return text;
    std::string quoted = "\"";
    for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return quoted + "\"";
}

// Keeps the header and the rows whose first field (the 1-based epoch) is <= keepEpochs.
void truncateEpochs(const std::string& path, int32_t keepEpochs, bool& headerKept)
{
    std::ifstream in(path);
    std::string line, kept;
    headerKept = false;
    if (in && std::getline(in, line)) {
        kept = line + "\n";
        headerKept = true;
        while (std::getline(in, line)) {
            const long epoch = std::strtol(line.c_str(), nullptr, 10);
            if (epoch >= 1 && epoch <= keepEpochs) kept += line + "\n";
        }
    }
    in.close();
    std::ofstream out(path, std::ios::trunc);
    if (!out) throw slt::sdk::Error(SLT_ERR_IO, "cannot write '" + path + "'");
    out << kept;
}

void appendLine(const std::string& path, const std::string& line)
{
    std::ofstream out(path, std::ios::app);
    out << line;
    if (!out.flush()) throw slt::sdk::Error(SLT_ERR_IO, "cannot write '" + path + "'");
}

} // namespace

TrainingLog::TrainingLog(const std::string& directory, std::vector<ClassLabel> classes, int32_t keepEpochs)
    : epochPath_(directory + "/" + kEpochFile), classPath_(directory + "/" + kClassFile), classes_(std::move(classes))
{
    bool classHeaderKept = false;
    truncateEpochs(epochPath_, keepEpochs, headerWritten_);
    truncateEpochs(classPath_, keepEpochs, classHeaderKept);
    if (!classHeaderKept) appendLine(classPath_, "epoch,class_index,class_id,class_name,precision,recall,f1,support\n");
}

void TrainingLog::append(const EpochLogRow& row)
{
    if (!headerWritten_) {
        std::string header = "epoch,train_loss,regularisation,val_loss,accuracy,macro_f1,weighted_f1,kappa,"
                             "balanced_accuracy,val_points,is_best,seconds,images_per_second";
        for (const auto& [name, p] : row.dropoutP) header += "," + csvField("p:" + name);
        appendLine(epochPath_, header + "\n");
        headerWritten_ = true;
    }
    const ValidationScores& s = row.scores;
    std::ostringstream line;
    line << row.epoch << ',' << number(row.trainLoss) << ',' << number(row.regularisation) << ','
         << number(row.valLoss) << ',' << number(s.accuracy) << ',' << number(s.macroF1) << ','
         << number(s.weightedF1) << ',' << number(s.kappa) << ',' << number(s.balancedAccuracy) << ',' << s.points
         << ',' << (row.isBest ? 1 : 0) << ',' << number(row.seconds) << ',' << number(row.imagesPerSecond);
    for (const auto& [name, p] : row.dropoutP) line << ',' << number(p);
    appendLine(epochPath_, line.str() + "\n");

    std::ostringstream classes;
    for (size_t k = 0; k < s.f1.size() && k < classes_.size(); ++k)
        classes << row.epoch << ',' << k << ',' << classes_[k].id << ',' << csvField(classes_[k].name) << ','
                << number(s.precision[k]) << ',' << number(s.recall[k]) << ',' << number(s.f1[k]) << ','
                << s.support[k] << '\n';
    if (!s.f1.empty()) appendLine(classPath_, classes.str());
}

} // namespace slt::unet::training
