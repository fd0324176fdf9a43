// The generative "model" behind a synthetic bank (see slt/core/bank/synthetic_bank.hpp): a Gaussian
// mixture with 1-3 clusters per class, and how a point's embedding, MC probabilities and crop are drawn.
#pragma once

#include "synthetic_random.hpp"

#include <array>
#include <cstdint>
#include <vector>

namespace slt::core::synthetic {

// Knobs of the generator, fixed so that a seed always means the same bank. Changing one changes every
// synthetic bank: bump kGeneratorVersion then.
inline constexpr int kGeneratorVersion = 1;
inline constexpr double kClassSeparation = 4.2; // mean distance between class centres, in cluster spreads
inline constexpr double kSharpening = 1.8;      // logit scale of the network: > 1 is over-confident
inline constexpr double kPassNoise = 1.1;       // std of the per-pass logit noise (MC dropout)
inline constexpr double kTruthTemperature = kSharpening; // truth ~ mean_probs^(1/T), undoing the sharpening

struct Cluster {
    int32_t classIndex = 0;
    double weight = 0;  // cumulative weight, for sampling
    double spread = 1;  // isotropic std
    std::vector<float> centre; // [D]
};

class MixtureModel {
public:
    MixtureModel(uint64_t seed, int32_t dim, int32_t classes);

    int32_t dim() const { return dim_; }
    int32_t classes() const { return classes_; }

    // Draws point `index`: embedding [D], the MC probabilities [T, C] of its passes (row t = pass t).
    void drawPoint(uint64_t index, float* embedding, int32_t passes, float* probs) const;

private:
    const Cluster& pickCluster(Random& random) const;
    void classLogits(const float* embedding, double* logits) const;

    uint64_t seed_;
    int32_t dim_;
    int32_t classes_;
    std::vector<Cluster> clusters_;
};

// Mean of the passes [T, C] -> [C]; returns the argmax.
int32_t meanProbabilities(const float* passProbs, int32_t passes, int32_t classes, float* mean);

// A class sampled from mean^(1/kTruthTemperature), renormalised.
int32_t sampleTruth(const float* mean, int32_t classes, Random& random);

// A tissue-like RGB crop [size, size, 3] for a point of `classIndex`: stroma-pink background tinted with
// the class colour, pixel noise, a smooth brightness wave and a few dark "nuclei".
void paintCrop(int32_t size, int32_t classIndex, const std::array<uint8_t, 3>& classColour, Random& random,
               uint8_t* rgb);

} // namespace slt::core::synthetic
