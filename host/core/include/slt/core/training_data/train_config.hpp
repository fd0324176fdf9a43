// The configuration of `slt-cli train` (docs/training.md): a TOML file whose relative paths are relative to
// the file, overridden by command-line flags, and written back as <out>/train_config.toml with absolute paths
// and the model configuration embedded, so a run can be repeated or resumed from that one file.
#pragma once

#include "slt/core/result.hpp"
#include "slt/core/training_data/data_sources.hpp"
#include "slt/core/training_data/sample_mixing.hpp"

#include <QString>
#include <QStringList>

#include <cstdint>

namespace slt::core::training_data {

inline constexpr const char* kDefaultModelPlugin = "org.slt.model.unet-concrete";

struct TrainConfig {
    QString model = QString::fromLatin1(kDefaultModelPlugin); // plugin id
    QString modelConfigToml;  // the model's own configuration (TOML text); empty = the plugin's defaults
    QString classes;          // class schema TOML; empty = the SLT default schema
    QString out;              // output folder
    int32_t epochs = 20;
    int32_t batchSize = 16;
    uint64_t seed = 42;
    int32_t threads = 0;      // 0 = the model's choice
    bool resume = false;
    QString fineTune;         // checkpoint to start from

    QStringList trainData;
    QStringList validationData; // when given, valSplit is not used
    double valSplit = 0.2;
    DataOptions data;
    int64_t slideTileSize = 0; // 0 = the model's input size (256 when the model takes any size)
    int64_t cacheMegabytes = 256;

    QStringList rehearsalData;  // old data for fine-tuning; empty = no rehearsal
    RehearsalSchedule rehearsal;
    ClassWeighting classWeighting = ClassWeighting::None;

    // Reads a config; `origin` names it in messages ("file:line:column: ..."). Relative paths are resolved
    // against `baseDir`. Unknown keys are errors (a typo must not silently fall back to a default).
    static Result<TrainConfig> fromToml(const QString& text, const QString& origin, const QString& baseDir);
    static Result<TrainConfig> fromTomlFile(const QString& path);
    QString toToml() const;

    // Range checks shared by the file and the flags ("epochs must be >= 1, got 0").
    Status validate() const;

    // The schema `classes` names, or SLT's default schema when it names none.
    Result<ClassSchema> classSchema() const;
};

} // namespace slt::core::training_data
