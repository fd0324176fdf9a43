// Where a training run stands, stored as the "extra" TOML of last.pt so a resumed run continues
// with the next epoch, the best score so far and the optimizer state written beside it.
#pragma once

#include <cstdint>
#include <limits>
#include <string>

namespace slt::unet::training {

struct ResumeState {
    int32_t nextEpoch = 0;  // 0-based epoch the resumed run starts with (= epochs finished)
    double bestMacroF1 = -std::numeric_limits<double>::infinity(); // -inf: no best yet
    int32_t bestEpoch = -1; // 0-based, -1: none
    uint64_t seed = 0;      // the run's seed (a resumed run keeps it)

    std::string toToml() const;
    // Throws slt::sdk::Error(SLT_ERR_FORMAT) when `text` has no valid [training_state] table.
    static ResumeState fromToml(const std::string& text, const std::string& source);
};

} // namespace slt::unet::training
