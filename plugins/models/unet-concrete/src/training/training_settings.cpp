#include "training/training_settings.hpp"

#include <slt/sdk/cpp/error.hpp>

#include <cmath>
#include <sstream>

namespace slt::unet::training {
namespace {

[[noreturn]] void refuseAt(const toml::source_region& where, const std::string& key, const std::string& why)
{
    const toml::source_position at = where.begin;
    throw slt::sdk::Error(SLT_ERR_FORMAT, std::to_string(at.line) + ":" + std::to_string(at.column) + ": training." +
                                              key + ": " + why);
}

[[noreturn]] void refuse(const toml::node& node, const std::string& key, const std::string& why)
{
    refuseAt(node.source(), key, why);
}

double readNumber(const toml::node& node, const std::string& key, double lo, double hi)
{
    std::optional<double> value = node.value<double>(); // integers convert too
    if (!value) refuse(node, key, "expected a number");
    if (!(*value >= lo && *value <= hi))
        refuse(node, key, "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
    return *value;
}

int32_t readInteger(const toml::node& node, const std::string& key, int64_t lo, int64_t hi)
{
    const auto* value = node.as_integer();
    if (!value) refuse(node, key, "expected an integer");
    if (value->get() < lo || value->get() > hi)
        refuse(node, key, "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
    return static_cast<int32_t>(value->get());
}

bool readBool(const toml::node& node, const std::string& key)
{
    const auto* value = node.as_boolean();
    if (!value) refuse(node, key, "expected true or false");
    return value->get();
}

void readOne(const toml::key& name, const toml::node& node, TrainingSettings& s)
{
    const std::string key(name.str());
    AugmentationSettings& a = s.augmentation;
    if (key == "learning_rate") s.learningRate = readNumber(node, key, 1e-12, 10.0);
    else if (key == "min_learning_rate") s.minLearningRate = readNumber(node, key, 0.0, 10.0);
    else if (key == "lr_schedule") {
        const auto* name = node.as_string();
        if (!name || (name->get() != "constant" && name->get() != "cosine")) refuse(node, key, "expected \"constant\" or \"cosine\"");
        s.schedule = name->get() == "cosine" ? LearningRateSchedule::Cosine : LearningRateSchedule::Constant;
    }
    else if (key == "focal_gamma") s.focalGamma = readNumber(node, key, 0.0, 10.0);
    else if (key == "disk_radius") s.diskRadius = readInteger(node, key, 0, 256);
    else if (key == "validation_window") {
        s.validationWindow = readInteger(node, key, 1, 31);
        if (s.validationWindow % 2 == 0) refuse(node, key, "must be odd");
    } else if (key == "augment") a.enabled = readBool(node, key);
    else if (key == "flips") a.flips = readBool(node, key);
    else if (key == "quarter_turns") a.quarterTurns = readBool(node, key);
    else if (key == "max_shift") a.maxShift = readNumber(node, key, 0.0, 0.5);
    else if (key == "colour_jitter") a.colourJitterChance = readNumber(node, key, 0.0, 1.0);
    else if (key == "greyscale") a.greyscaleChance = readNumber(node, key, 0.0, 1.0);
    else refuseAt(name.source(), key, "unknown key");
}

} // namespace

void readTrainingSettings(const toml::table& table, TrainingSettings& settings)
{
    for (const auto& [key, node] : table) readOne(key, node, settings);
}

double learningRateAt(const TrainingSettings& s, int32_t epoch, int32_t epochs)
{
    if (s.schedule == LearningRateSchedule::Constant || epochs <= 1) return s.learningRate;
    const double progress = static_cast<double>(epoch) / static_cast<double>(epochs);
    return s.minLearningRate + (s.learningRate - s.minLearningRate) * 0.5 * (1.0 + std::cos(M_PI * progress));
}

std::string trainingSettingsToml(const TrainingSettings& s)
{
    const AugmentationSettings& a = s.augmentation;
    toml::table t{{"learning_rate", s.learningRate},
                  {"lr_schedule", s.schedule == LearningRateSchedule::Cosine ? "cosine" : "constant"},
                  {"min_learning_rate", s.minLearningRate},
                  {"focal_gamma", s.focalGamma},
                  {"disk_radius", s.diskRadius},
                  {"validation_window", s.validationWindow},
                  {"augment", a.enabled},
                  {"flips", a.flips},
                  {"quarter_turns", a.quarterTurns},
                  {"max_shift", a.maxShift},
                  {"colour_jitter", a.colourJitterChance},
                  {"greyscale", a.greyscaleChance}};
    std::ostringstream out;
    out << toml::table{{"training", std::move(t)}} << "\n";
    return out.str();
}

} // namespace slt::unet::training
