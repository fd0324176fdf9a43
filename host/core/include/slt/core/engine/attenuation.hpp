// Dynamic attenuation of uncertainty after every label change (SPEC S3, issue 4):
//   u(x) = u0(x) · (1 − exp(−λ · d(x)²)),  d(x) = embedding distance from x to its nearest labelled point,
// u(x) = 0 for labelled points, u(x) = u0(x) while nothing is labelled. "Labelled" here means: counts as
// assessed (tissue classes and artefact; unsure does not — the caller decides, see ClassSchema::countsAsLabelled).
// Every change updates incrementally: labelling point L touches only points that L can still attenuate
// (never a recomputation over all labels); unlabelling L recomputes only the points whose nearest labelled
// point was L. The per-label update must take ≤ 5 ms at p99 for 1,000,000 × 64 (docs/performance.md).
//
// Precision (AttenuationPrecision): exact computes every distance in f32 (values within errorBound() ≈ 1e-7·u0
// of a double brute force). One label can change every point (the first labels of a region when λ is small),
// and then an exact update reads the whole f32 matrix: ~10 ms at 1,000,000 × 64. Coded computes distances on
// 8-bit copies of the embeddings (per cell of ~512 points: an offset and one step s = largest coordinate range
// / 255), a quarter of the bytes; each distance is then off by at most s·sqrt(D), and each value by at most
// u0·sqrt(2λ/e)·s·sqrt(D) — errorBound() is that maximum over the points. Coded values are still a fixed
// function of the labelled set (the same for any order of labels and unlabels; unlabel restores exactly),
// equal to recomputedValues(). Automatic picks coded from 2^24 coordinates (N·D, a 64 MiB f32 matrix) on.
//
// Threads: not thread-safe; one engine thread owns it. Inputs are borrowed and must outlive the object.
#pragma once

#include "slt/core/result.hpp"

#include <cstdint>
#include <memory>
#include <vector>

namespace slt::core {

enum class AttenuationPrecision { Automatic, Exact, Coded };

// "auto", "exact", "coded" (the project settings' spelling); parsing returns false for anything else.
const char* precisionName(AttenuationPrecision precision);
bool parsePrecision(const QString& text, AttenuationPrecision* precision);

struct AttenuationOptions {
    // λ; 0 = automatic: 1 / (median distance to the k-th nearest neighbour)², k = ⌈log2 N⌉, estimated on a
    // seeded sample of at most `lambdaSamplePoints` query points when N is larger, and at most 2·10^8 / N
    // (but at least 256) so that the estimate stays within seconds (attenuation_lambda.cpp).
    double lambda = 0;
    int64_t lambdaSamplePoints = 20000;
    uint64_t seed = 0;
    AttenuationPrecision precision = AttenuationPrecision::Automatic;
};

class Attenuation {
public:
    // `embeddings`: N × dim row-major f32; `prior`: u0, N entries (higher = more uncertain, finite, >= 0).
    // Fails with a message for N < 1, dim < 1, non-finite values or an impossible λ.
    static Result<Attenuation> create(const float* embeddings, int64_t numPoints, int32_t dim, const float* prior,
                                      const AttenuationOptions& options = {});

    Attenuation(Attenuation&&) noexcept;
    Attenuation& operator=(Attenuation&&) noexcept;
    ~Attenuation();

    int64_t size() const;
    double lambda() const;
    AttenuationPrecision precision() const; // Exact or Coded (Automatic resolved at create())

    // Marks `point` labelled or not; no-op when already in that state. Out-of-range points are ignored
    // (the caller validates ids).
    void setLabelled(int64_t point, bool labelled);
    bool isLabelled(int64_t point) const;
    int64_t labelledCount() const;

    // The current attenuated uncertainty, N entries by point, valid until the next setLabelled(). The engine
    // keeps values in its own (cell) order; the first call after a change gathers them into point order, O(N):
    // read single values with value() on interactive paths.
    const float* values() const;
    float value(int64_t point) const;
    // Index of the nearest labelled point of `point` (−1 when nothing is labelled).
    int64_t nearestLabelled(int64_t point) const;

    // The largest absolute difference between values() and an exact fp32 brute-force computation that
    // the chosen acceleration allows (0 when it is exact); documented in docs/performance.md.
    double errorBound() const;

    // Every value recomputed from scratch over all labelled points with the same distances the incremental
    // updates use (f32, or the codes in coded precision), without any pruning: the reference the incremental
    // state must equal. O(N · labelled · D); for tests and checks.
    std::vector<float> recomputedValues() const;

private:
    struct Impl;
    explicit Attenuation(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> d;
};

// Exact reference (for tests and for checking the error bound): u for every point given the labelled mask,
// by brute force in double precision. O(N · labelled · dim).
void bruteForceAttenuation(const float* embeddings, int64_t numPoints, int32_t dim, const float* prior,
                           const uint8_t* labelled, double lambda, float* out);

} // namespace slt::core
