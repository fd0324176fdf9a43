// How samples are divided and mixed for training: the seeded train/validation split, the rehearsal schedule
// of fine-tuning (SPEC M7) and class weights from label counts. Every random choice comes from a seed through
// splitmix64, so a run is the same on every machine and standard library.
#pragma once

#include "slt/core/result.hpp"
#include "slt/core/training_data/training_sample.hpp"

#include <cstdint>
#include <vector>

namespace slt::core::training_data {

struct SampleSplit {
    std::vector<size_t> train;      // indices into the samples, ascending
    std::vector<size_t> validation;
    bool stratified = false;        // false when no class had two samples, so the split ignored classes
};

// Holds out round(n * fraction) samples of each class (TrainingSample::stratum) that has at least two, keeping
// at least one in training; when no class can give one, holds out round(N * fraction) samples (at least one)
// regardless of class. fraction 0: everything trains.
SampleSplit splitSamples(const std::vector<TrainingSample>& samples, double fraction, uint64_t seed);

enum class RehearsalDecay { HalfLife, Linear, Cosine };

// Fine-tuning with rehearsal: epochs [0, warmupEpochs) train on the new samples only; from then on the share of
// new samples in an epoch, p, decays from 1 towards `floor` over epochs (half_life: 0.5^(t/h); linear:
// 1 - t/h; cosine: (1 + cos(pi * min(1, t/h))) / 2, with t = epoch - warmup), never below the floor. An epoch
// holds every new sample plus round(new * (1 - p) / p) old ones (at most all), drawn afresh each epoch.
// floor < 0 means new / (new + old): at the floor an epoch holds all old samples.
struct RehearsalSchedule {
    int warmupEpochs = 1;
    double halfLife = 2.0; // epochs
    RehearsalDecay decay = RehearsalDecay::HalfLife;
    double floor = -1;
    float oldWeight = 1.0f; // slt_train_sample::weight of the old samples
};

QStringList rehearsalDecayNames(); // "half-life", "linear", "cosine"
Result<RehearsalDecay> rehearsalDecayFromName(const QString& name);

// The share of new samples in epoch `epoch`.
double newSampleShare(const RehearsalSchedule& schedule, int epoch, int64_t newCount, int64_t oldCount);

// How many old samples epoch `epoch` mixes in, and which (indices in [0, oldCount), ascending).
std::vector<size_t> rehearsalDraw(const RehearsalSchedule& schedule, int epoch, int64_t newCount, int64_t oldCount,
                                  uint64_t seed);

enum class ClassWeighting { None, Inverse, SqrtInverse };
QStringList classWeightingNames(); // "none", "inverse", "sqrt-inverse"
Result<ClassWeighting> classWeightingFromName(const QString& name);

// Loss weight per channel from point counts: inverse frequency (total / (present classes * count)), or its
// square root, capped at 10; classes without points get 1 (they add nothing to the loss anyway). Empty for
// ClassWeighting::None.
std::vector<float> classWeights(const std::vector<int64_t>& counts, ClassWeighting weighting);

// splitmix64 of `value`: the project's portable pseudo-random step.
uint64_t mixBits(uint64_t value);

} // namespace slt::core::training_data
