#include "synthetic_model.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace slt::core::synthetic {

MixtureModel::MixtureModel(uint64_t seed, int32_t dim, int32_t classes) : seed_(seed), dim_(dim), classes_(classes)
{
    Random random(seed, 0, Purpose::Model);
    // Centres ~ N(0, s^2 I) with s = separation / sqrt(2D): two class centres are then about
    // kClassSeparation apart whatever D is, close enough for neighbouring classes to overlap.
    const double classScale = kClassSeparation / std::sqrt(2.0 * dim);
    double cumulative = 0;
    for (int32_t c = 0; c < classes; ++c) {
        std::vector<double> classCentre(static_cast<size_t>(dim));
        for (double& v : classCentre)
            v = classScale * random.normal();
        const int64_t subClusters = 1 + random.below(3);
        for (int64_t k = 0; k < subClusters; ++k) {
            Cluster cluster;
            cluster.classIndex = c;
            cluster.spread = random.uniform(0.6, 1.3);
            cumulative += std::exp(0.7 * random.normal()); // unequal sizes (log-normal weights)
            cluster.weight = cumulative;
            cluster.centre.resize(static_cast<size_t>(dim));
            for (int32_t d = 0; d < dim; ++d) // sub-clusters sit around the class centre
                cluster.centre[d] = static_cast<float>(classCentre[d] + 0.45 * classScale * random.normal());
            clusters_.push_back(std::move(cluster));
        }
    }
    for (Cluster& cluster : clusters_)
        cluster.weight /= cumulative;
}

const Cluster& MixtureModel::pickCluster(Random& random) const
{
    const double u = random.uniform();
    for (const Cluster& cluster : clusters_)
        if (u < cluster.weight)
            return cluster;
    return clusters_.back();
}

// The logit of class c is minus half the squared distance to the nearest centre of class c (the log
// density of equal-spread Gaussians, up to a constant): only the projection of a point's noise onto the
// line between centres matters, so confusions happen where clusters meet.
void MixtureModel::classLogits(const float* x, double* logits) const
{
    std::fill(logits, logits + classes_, -std::numeric_limits<double>::infinity());
    for (const Cluster& cluster : clusters_) {
        double d2 = 0;
        for (int32_t d = 0; d < dim_; ++d) {
            const double diff = static_cast<double>(x[d]) - cluster.centre[d];
            d2 += diff * diff;
        }
        logits[cluster.classIndex] = std::max(logits[cluster.classIndex], -0.5 * d2);
    }
}

namespace {

void softmax(const double* logits, int32_t n, float* out)
{
    const double top = *std::max_element(logits, logits + n);
    double sum = 0;
    for (int32_t i = 0; i < n; ++i)
        sum += std::exp(logits[i] - top);
    for (int32_t i = 0; i < n; ++i)
        out[i] = static_cast<float>(std::exp(logits[i] - top) / sum);
}

} // namespace

void MixtureModel::drawPoint(uint64_t index, float* embedding, int32_t passes, float* probs) const
{
    Random random(seed_, index, Purpose::Embedding);
    const Cluster& cluster = pickCluster(random);
    for (int32_t d = 0; d < dim_; ++d)
        embedding[d] = static_cast<float>(cluster.centre[d] + cluster.spread * random.normal());
    std::vector<double> base(static_cast<size_t>(classes_)), logits(static_cast<size_t>(classes_));
    classLogits(embedding, base.data());
    Random passNoise(seed_, index, Purpose::Passes);
    for (int32_t t = 0; t < passes; ++t) {
        for (int32_t c = 0; c < classes_; ++c)
            logits[c] = kSharpening * (base[c] + kPassNoise * passNoise.normal());
        softmax(logits.data(), classes_, probs + static_cast<size_t>(t) * classes_);
    }
}

int32_t meanProbabilities(const float* passProbs, int32_t passes, int32_t classes, float* mean)
{
    int32_t best = 0;
    for (int32_t c = 0; c < classes; ++c) {
        double sum = 0;
        for (int32_t t = 0; t < passes; ++t)
            sum += passProbs[static_cast<size_t>(t) * classes + c];
        mean[c] = static_cast<float>(sum / passes);
        if (mean[c] > mean[best])
            best = c;
    }
    return best;
}

int32_t sampleTruth(const float* mean, int32_t classes, Random& random)
{
    std::vector<double> weights(static_cast<size_t>(classes));
    double sum = 0;
    for (int32_t c = 0; c < classes; ++c) {
        weights[c] = std::pow(std::max(static_cast<double>(mean[c]), 0.0), 1.0 / kTruthTemperature);
        sum += weights[c];
    }
    double u = random.uniform() * sum;
    for (int32_t c = 0; c < classes; ++c) {
        if (u < weights[c])
            return c;
        u -= weights[c];
    }
    return classes - 1;
}

namespace {

uint8_t clampByte(double v)
{
    return static_cast<uint8_t>(std::clamp(std::lround(v), 0L, 255L));
}

void paintNucleus(int32_t size, double cx, double cy, double radius, double darkness, double* r, double* g, double* b)
{
    const int32_t x0 = std::max(0, static_cast<int32_t>(cx - radius - 1));
    const int32_t x1 = std::min(size - 1, static_cast<int32_t>(cx + radius + 1));
    const int32_t y0 = std::max(0, static_cast<int32_t>(cy - radius - 1));
    const int32_t y1 = std::min(size - 1, static_cast<int32_t>(cy + radius + 1));
    for (int32_t y = y0; y <= y1; ++y)
        for (int32_t x = x0; x <= x1; ++x) {
            const double d = std::hypot(x - cx, y - cy) / radius;
            if (d >= 1.0)
                continue;
            const double alpha = darkness * (1.0 - d * d); // soft edge
            const size_t i = static_cast<size_t>(y) * size + x;
            r[i] = r[i] * (1 - alpha) + 75 * alpha; // haematoxylin purple
            g[i] = g[i] * (1 - alpha) + 40 * alpha;
            b[i] = b[i] * (1 - alpha) + 115 * alpha;
        }
}

} // namespace

void paintCrop(int32_t size, int32_t classIndex, const std::array<uint8_t, 3>& colour, Random& random, uint8_t* rgb)
{
    const size_t pixels = static_cast<size_t>(size) * size;
    std::vector<double> r(pixels), g(pixels), b(pixels);
    const double tint = 0.35;
    const double baseR = 235 * (1 - tint) + colour[0] * tint; // eosin pink, tinted by the class
    const double baseG = 175 * (1 - tint) + colour[1] * tint;
    const double baseB = 205 * (1 - tint) + colour[2] * tint;
    const double phase = random.uniform(0, 6.28), frequency = random.uniform(0.1, 0.3);
    for (int32_t y = 0; y < size; ++y)
        for (int32_t x = 0; x < size; ++x) {
            const size_t i = static_cast<size_t>(y) * size + x;
            const double wave = 12 * std::sin(frequency * (x + 0.7 * y) + phase);
            r[i] = baseR + wave + 8 * random.normal();
            g[i] = baseG + wave + 8 * random.normal();
            b[i] = baseB + wave + 8 * random.normal();
        }
    const double scale = size / 32.0;
    const int64_t nuclei = static_cast<int64_t>((2 + classIndex % 4 + random.below(3)) * scale * scale);
    for (int64_t k = 0; k < nuclei; ++k)
        paintNucleus(size, random.uniform(0, size), random.uniform(0, size), random.uniform(1.5, 3.5) * scale,
                     random.uniform(0.6, 0.9), r.data(), g.data(), b.data());
    for (size_t i = 0; i < pixels; ++i) {
        rgb[3 * i] = clampByte(r[i]);
        rgb[3 * i + 1] = clampByte(g[i]);
        rgb[3 * i + 2] = clampByte(b[i]);
    }
}

} // namespace slt::core::synthetic
