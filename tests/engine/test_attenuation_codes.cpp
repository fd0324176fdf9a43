// Internals of the attenuation: the 8-bit codes behind coded attenuation (every SIMD path of the cell update —
// AVX-512 VNNI, AVX2 — gives the same bits as the single-member distance, for queries inside and far outside a
// cell's box and for dimensions that are not multiples of the vector width; query encoding matches its scalar
// definition) and the attenuated-value formula (accurate, and the same bits in its scalar and AVX2 forms).
#include "engine/attenuation_cells.hpp"
#include "engine/attenuation_codes.hpp"
#include "engine/attenuation_value.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstring>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

using namespace slt::core::attenuation_detail;

namespace {

struct CodedCells {
    std::vector<float> embeddings;
    CellPartition partition;
    CellCodes codes;
};

CodedCells makeCells(int64_t points, int32_t dim, uint64_t seed)
{
    std::mt19937_64 random(seed);
    std::normal_distribution<float> unit(0.0f, 1.0f);
    CodedCells made;
    for (int64_t i = 0; i < points * dim; ++i) made.embeddings.push_back(unit(random));
    made.partition = buildCellPartition(made.embeddings.data(), points, dim, 100, seed);
    made.codes = buildCellCodes(made.partition);
    return made;
}

// A query at `spread` times the data's scale from the origin: 1 lies among the points, 40 far outside every box.
std::vector<float> query(int32_t dim, float spread, std::mt19937_64& random)
{
    std::normal_distribution<float> unit(0.0f, spread);
    std::vector<float> q(static_cast<size_t>(dim));
    for (float& x : q) x = unit(random);
    return q;
}

} // namespace

TEST_CASE("coded cell updates equal the single-member coded distance and value in every path", "[attenuation][codes]")
{
    const int32_t dim = GENERATE(8, 24, 64, 70, 150); // 150: more query blocks than are held in registers
    const CodedCells cells = makeCells(900, dim, static_cast<uint64_t>(dim));
    std::mt19937_64 random(3);
    std::vector<int16_t> queryCodes(static_cast<size_t>(dim));
    int64_t checked = 0, updatedTotal = 0;
    for (float spread : {0.5f, 1.0f, 3.0f, 40.0f}) {
        const std::vector<float> q = query(dim, spread, random);
        for (int64_t c = 0; c < static_cast<int64_t>(cells.partition.cells.size()); ++c) {
            if (cells.codes.steps[static_cast<size_t>(c)] <= 0 || !cells.codes.encodeQuery(q.data(), c, queryCodes.data()))
                continue;
            const Cell& range = cells.partition.cells[static_cast<size_t>(c)];
            const int64_t count = range.end - range.begin;
            const float step = cells.codes.steps[static_cast<size_t>(c)];
            std::vector<float> prior(static_cast<size_t>(count)), values(static_cast<size_t>(count), -1.0f);
            for (int64_t i = 0; i < count; ++i) prior[static_cast<size_t>(i)] = 0.5f + 0.001f * static_cast<float>(i);
            const double lambda = 0.05;
            const CodeUpdate update{queryCodes.data(), step * step, std::numeric_limits<float>::max(),
                                    prior.data(), values.data(), lambda};
            // Half the members start nearer than any query can be, so both outcomes occur.
            std::vector<float> best2(static_cast<size_t>(count));
            for (int64_t i = 0; i < count; ++i) best2[static_cast<size_t>(i)] = i % 2 ? 0.0f : std::numeric_limits<float>::infinity();
            std::vector<int32_t> updated(static_cast<size_t>(count));
            float largest = -1;
            const int64_t found = codeUpdate(update, cells.codes, range.begin, count, best2.data(), updated.data(), &largest);
            std::vector<int32_t> expected;
            float expectedLargest = 0;
            for (int64_t i = 0; i < count; ++i) {
                const float distance2 = codedDistance2(queryCodes.data(), cells.codes.code(range.begin + i), dim, step * step);
                const float before = i % 2 ? 0.0f : std::numeric_limits<float>::infinity();
                const float after = distance2 < before ? distance2 : before;
                if (distance2 < before) expected.push_back(static_cast<int32_t>(i));
                REQUIRE(best2[static_cast<size_t>(i)] == after);
                const float value = distance2 < before
                    ? attenuatedValue(prior[static_cast<size_t>(i)], distance2, lambda, update.cutoff2)
                    : -1.0f; // untouched
                REQUIRE(values[static_cast<size_t>(i)] == value);
                expectedLargest = std::max(expectedLargest, after);
                ++checked;
            }
            REQUIRE(std::vector<int32_t>(updated.begin(), updated.begin() + found) == expected);
            REQUIRE(largest == expectedLargest);
            updatedTotal += found;
        }
    }
    REQUIRE(checked > 1000);
    REQUIRE(updatedTotal > 0);
}

TEST_CASE("coded distances are within the cell's slack of the true distance", "[attenuation][codes]")
{
    const int32_t dim = 32;
    const CodedCells cells = makeCells(600, dim, 11);
    std::mt19937_64 random(5);
    std::vector<int16_t> queryCodes(static_cast<size_t>(dim));
    for (float spread : {1.0f, 2.0f}) {
        const std::vector<float> q = query(dim, spread, random);
        for (int64_t c = 0; c < static_cast<int64_t>(cells.partition.cells.size()); ++c) {
            if (cells.codes.steps[static_cast<size_t>(c)] <= 0) continue; // a single member: never coded
            REQUIRE(cells.codes.encodeQuery(q.data(), c, queryCodes.data()));
            const float step = cells.codes.steps[static_cast<size_t>(c)];
            const Cell& range = cells.partition.cells[static_cast<size_t>(c)];
            for (int64_t p = range.begin; p < range.end; ++p) {
                double exact = 0;
                for (int32_t j = 0; j < dim; ++j) exact += std::pow(double(q[static_cast<size_t>(j)]) - cells.partition.row(p)[j], 2);
                const double coded = std::sqrt(codedDistance2(queryCodes.data(), cells.codes.code(p), dim, step * step));
                REQUIRE(std::abs(coded - std::sqrt(exact)) <= cells.codes.slack(c));
            }
        }
    }
}

TEST_CASE("query codes are the rounded grid coordinates, clamped and flagged far outside the box", "[attenuation][codes]")
{
    const int32_t dim = 19; // two 8-wide blocks and a scalar tail
    const CodedCells cells = makeCells(300, dim, 2);
    std::mt19937_64 random(8);
    std::vector<int16_t> queryCodes(static_cast<size_t>(dim));
    for (float spread : {1.0f, 1e6f}) {
        const std::vector<float> q = query(dim, spread, random);
        const int64_t cell = 0;
        const float step = cells.codes.steps[cell];
        const bool inRange = cells.codes.encodeQuery(q.data(), cell, queryCodes.data());
        bool expectInRange = true;
        for (int32_t j = 0; j < dim; ++j) {
            const float code = std::nearbyint((q[static_cast<size_t>(j)] - cells.codes.offsets[static_cast<size_t>(j)]) / step);
            const float margin = cells.codes.queryMargin;
            expectInRange = expectInRange && code >= -margin && code <= 255 + margin;
            REQUIRE(queryCodes[static_cast<size_t>(j)] == static_cast<int16_t>(std::clamp(code, -margin, 255 + margin)));
        }
        REQUIRE(inRange == expectInRange);
        REQUIRE(inRange == (spread < 10));
    }
}

TEST_CASE("attenuated values: within 1e-14·u0 of expm1, the same bits in the scalar and AVX2 forms", "[attenuation][values]")
{
    const double lambda = 0.37;
    const float cutoff2 = static_cast<float>(std::log(16777216.0) / lambda);
    std::vector<float> distances2 = {0.0f, 1e-30f, 1e-12f, 1e-6f, 0.01f, 0.5f, 1.0f, 2.0f, 10.0f, 40.0f,
                                     std::nextafter(cutoff2, 0.0f), cutoff2, cutoff2 * 2, std::numeric_limits<float>::infinity()};
    std::mt19937_64 random(1);
    std::uniform_real_distribution<float> anywhere(0.0f, cutoff2 * 1.1f);
    for (int i = 0; i < 4000; ++i) distances2.push_back(anywhere(random));
    while (distances2.size() % 4) distances2.push_back(1.0f);
    const float u0 = 0.8f;
    for (size_t i = 0; i < distances2.size(); i += 4) {
        float vector[4];
        if (__builtin_cpu_supports("avx2"))
            _mm_storeu_ps(vector, attenuatedValues4(_mm_set1_ps(u0), _mm_loadu_ps(distances2.data() + i), lambda, cutoff2));
        for (size_t k = 0; k < 4; ++k) {
            const float d2 = distances2[i + k];
            const float scalar = attenuatedValue(u0, d2, lambda, cutoff2);
            if (__builtin_cpu_supports("avx2")) REQUIRE(std::memcmp(&vector[k], &scalar, sizeof scalar) == 0);
            if (!(d2 < cutoff2)) {
                REQUIRE(scalar == u0);
                continue;
            }
            const double exact = double(u0) * -std::expm1(-lambda * double(d2));
            const double unrounded = double(u0) * (1.0 - expNegative(lambda * double(d2)));
            INFO("d2 = " << d2);
            REQUIRE(std::abs(unrounded - exact) <= 1e-14 * u0);
            REQUIRE(scalar == static_cast<float>(unrounded));
        }
    }
}
