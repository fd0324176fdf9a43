#include "training/resume_state.hpp"

#include <slt/sdk/cpp/error.hpp>

#include <toml++/toml.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <sstream>

namespace slt::unet::training {

std::string ResumeState::toToml() const
{
    toml::table state{{"next_epoch", nextEpoch}, {"best_epoch", bestEpoch}, {"seed", std::to_string(seed)}};
    if (std::isfinite(bestMacroF1)) state.insert("best_macro_f1", bestMacroF1);
    std::ostringstream out;
    out << toml::table{{"training_state", std::move(state)}} << "\n";
    return out.str();
}

ResumeState ResumeState::fromToml(const std::string& text, const std::string& source)
{
    auto refuse = [&](const std::string& why) {
        return slt::sdk::Error(SLT_ERR_FORMAT, "'" + source + "' is not a resumable checkpoint: " + why);
    };
    toml::table root;
    try {
        root = toml::parse(text);
    } catch (const toml::parse_error& e) {
        throw refuse(std::string(e.description()));
    }
    const toml::table* state = root["training_state"].as_table();
    if (!state) throw refuse("no [training_state] (was it written by a training run?)");
    ResumeState r;
    const auto next = (*state)["next_epoch"].value<int64_t>();
    const auto best = (*state)["best_epoch"].value<int64_t>();
    const auto seed = (*state)["seed"].value<std::string>();
    if (!next || *next < 0 || !best || !seed) throw refuse("next_epoch, best_epoch or seed missing");
    r.nextEpoch = static_cast<int32_t>(*next);
    r.bestEpoch = static_cast<int32_t>(*best);
    char* end = nullptr;
    errno = 0;
    r.seed = std::strtoull(seed->c_str(), &end, 10);
    if (seed->empty() || *end != '\0' || errno == ERANGE || (*seed)[0] == '-') throw refuse("seed '" + *seed + "' is not a number");
    if (const auto f1 = (*state)["best_macro_f1"].value<double>()) r.bestMacroF1 = *f1;
    return r;
}

} // namespace slt::unet::training
