#include "engine/attenuation_codes.hpp"

#include <algorithm>
#include <cmath>
#include <immintrin.h>

namespace slt::core::attenuation_detail {
namespace {

// Steps beyond the box a query code may lie: as far as the int32 sum of dim squared differences allows
// ((255 + margin)² · dim < 2^31). A tight margin would clamp far queries close to the box and weaken the bound.
float queryMargin(int32_t dim)
{
    return static_cast<float>(std::floor(std::sqrt(2147483647.0 / dim) - 256.0));
}

} // namespace

CellCodes buildCellCodes(const CellPartition& partition)
{
    const int32_t dim = partition.dim;
    CellCodes codes;
    codes.dim = dim;
    codes.queryMargin = std::max(0.0f, queryMargin(dim));
    codes.codes.resize(partition.rows.size());
    codes.offsets.resize(partition.cells.size() * static_cast<size_t>(dim));
    codes.steps.resize(partition.cells.size());
    for (size_t c = 0; c < partition.cells.size(); ++c) {
        const Cell& cell = partition.cells[c];
        float* offset = codes.offsets.data() + c * static_cast<size_t>(dim);
        std::vector<float> top(static_cast<size_t>(dim));
        std::copy_n(partition.row(cell.begin), dim, offset);
        std::copy_n(partition.row(cell.begin), dim, top.begin());
        for (int64_t p = cell.begin; p < cell.end; ++p)
            for (int32_t j = 0; j < dim; ++j) {
                offset[j] = std::min(offset[j], partition.row(p)[j]);
                top[static_cast<size_t>(j)] = std::max(top[static_cast<size_t>(j)], partition.row(p)[j]);
            }
        float range = 0;
        for (int32_t j = 0; j < dim; ++j) range = std::max(range, top[static_cast<size_t>(j)] - offset[j]);
        const float step = range / 255.0f;
        codes.steps[c] = step;
        for (int64_t p = cell.begin; p < cell.end; ++p)
            for (int32_t j = 0; j < dim; ++j) {
                const float code = step > 0 ? std::nearbyint((partition.row(p)[j] - offset[j]) / step) : 0.0f;
                codes.codes[static_cast<size_t>(p * dim + j)] = static_cast<uint8_t>(std::clamp(code, 0.0f, 255.0f));
            }
    }
    return codes;
}

void CellCodes::encodeQuery(const float* q, int64_t cell, int16_t* out) const
{
    const float step = steps[static_cast<size_t>(cell)];
    const float* offset = offsets.data() + cell * dim;
    for (int32_t j = 0; j < dim; ++j) {
        const float code = std::nearbyint((q[j] - offset[j]) / step);
        out[j] = static_cast<int16_t>(std::clamp(code, -queryMargin, 255.0f + queryMargin));
    }
}

// The rounding of a member to its code and of the clamped query to its code each move a point by at most
// s/2 per coordinate; 1e-3 relative covers the division and rounding errors in computing the codes.
double CellCodes::slack(int64_t cell) const
{
    return steps[static_cast<size_t>(cell)] * std::sqrt(static_cast<double>(dim)) * 1.001;
}

namespace {

int32_t codeDistance(const int16_t* queryCodes, const uint8_t* member, int32_t dim)
{
    int32_t sum = 0;
    for (int32_t j = 0; j < dim; ++j) {
        const int32_t difference = int32_t(queryCodes[j]) - int32_t(member[j]);
        sum += difference * difference;
    }
    return sum;
}

double codeLimit(const CodeQuery& query, float best2)
{
    const double reach = (std::sqrt(static_cast<double>(best2)) + query.slack) / query.step;
    return std::min(reach * reach, query.cutoffLimit);
}

int64_t codeCandidatesScalar(const CodeQuery& query, const uint8_t* codes, int64_t count, int32_t dim,
                             const float* best2, int32_t* candidates, float* largestOther)
{
    int64_t found = 0;
    float largest = 0;
    for (int64_t i = 0; i < count; ++i) {
        if (codeDistance(query.codes, codes + i * dim, dim) < codeLimit(query, best2[i]))
            candidates[found++] = static_cast<int32_t>(i);
        else
            largest = std::max(largest, best2[i]);
    }
    *largestOther = largest;
    return found;
}

// Σ over 16 coordinates at a time: widen the member's bytes to int16, subtract from the query's int16 codes,
// and let madd square and pair-sum into int32 (|difference| ≤ 255 + queryMargin keeps every sum in int32).
__attribute__((target("avx2"))) inline __m256i codeDistanceLanes(const int16_t* query, const uint8_t* member,
                                                                  int32_t blocks)
{
    __m256i sum = _mm256_setzero_si256();
    for (int32_t b = 0; b < blocks; ++b) {
        const __m256i bytes = _mm256_cvtepu8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(member + 16 * b)));
        const __m256i queryBlock = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(query + 16 * b));
        const __m256i difference = _mm256_sub_epi16(queryBlock, bytes);
        sum = _mm256_add_epi32(sum, _mm256_madd_epi16(difference, difference));
    }
    return sum;
}

// Eight members at a time: lane sums reduced by a hadd tree into one vector of eight distances, compared in f32
// with the eight limits. The limits carry a relative margin of 1e-5 (f32 rounding of the conversions and of
// the limit itself is below 1e-6 relative), so a member is only ruled out when the exact test rules it out.
__attribute__((target("avx2"))) int64_t codeCandidatesAvx2(const CodeQuery& query, const uint8_t* codes,
                                                           int64_t count, int32_t dim, const float* best2,
                                                           int32_t* candidates, float* largestOther)
{
    const int32_t blocks = dim / 16;
    const __m256 slack = _mm256_set1_ps(static_cast<float>(query.slack * (1 + 1e-5)));
    const __m256 inverseStep = _mm256_set1_ps(static_cast<float>(1.0 / query.step * (1 + 1e-5)));
    const __m256 cutoffLimit = _mm256_set1_ps(static_cast<float>(query.cutoffLimit * (1 + 1e-5)));
    __m256 largest = _mm256_setzero_ps();
    int64_t found = 0;
    int64_t i = 0;
    for (; i + 8 <= count; i += 8) {
        __m256i lanes[8];
        for (int m = 0; m < 8; ++m) {
            const uint8_t* member = codes + (i + m) * dim;
            lanes[m] = codeDistanceLanes(query.codes, member, blocks);
            for (int32_t j = 16 * blocks; j < dim; ++j) { // dim not a multiple of 16: the rest into lane 0
                const int32_t difference = int32_t(query.codes[j]) - int32_t(member[j]);
                lanes[m] = _mm256_add_epi32(lanes[m], _mm256_setr_epi32(difference * difference, 0, 0, 0, 0, 0, 0, 0));
            }
        }
        const __m256i low = _mm256_hadd_epi32(_mm256_hadd_epi32(lanes[0], lanes[1]), _mm256_hadd_epi32(lanes[2], lanes[3]));
        const __m256i high = _mm256_hadd_epi32(_mm256_hadd_epi32(lanes[4], lanes[5]), _mm256_hadd_epi32(lanes[6], lanes[7]));
        const __m256i distances = _mm256_add_epi32(_mm256_permute2x128_si256(low, high, 0x20),
                                                   _mm256_permute2x128_si256(low, high, 0x31));
        const __m256 best = _mm256_loadu_ps(best2 + i);
        const __m256 reach = _mm256_mul_ps(_mm256_add_ps(_mm256_sqrt_ps(best), slack), inverseStep);
        const __m256 limit = _mm256_min_ps(_mm256_mul_ps(reach, reach), cutoffLimit);
        const __m256 candidate = _mm256_cmp_ps(_mm256_cvtepi32_ps(distances), limit, _CMP_LT_OQ);
        largest = _mm256_max_ps(largest, _mm256_andnot_ps(candidate, best));
        for (int mask = _mm256_movemask_ps(candidate); mask != 0; mask &= mask - 1)
            candidates[found++] = static_cast<int32_t>(i + __builtin_ctz(static_cast<unsigned>(mask)));
    }
    float lanes[8];
    _mm256_storeu_ps(lanes, largest);
    float rest = 0;
    const int64_t tail = codeCandidatesScalar(query, codes + i * dim, count - i, dim, best2 + i, candidates + found, &rest);
    for (int64_t c = found; c < found + tail; ++c) candidates[c] += static_cast<int32_t>(i); // tail indices start at 0
    found += tail;
    *largestOther = std::max(rest, *std::max_element(lanes, lanes + 8));
    return found;
}

} // namespace

int64_t codeCandidates(const CodeQuery& query, const uint8_t* codes, int64_t count, int32_t dim, const float* best2,
                       int32_t* candidates, float* largestOther)
{
    static const bool avx2 = __builtin_cpu_supports("avx2");
    return avx2 ? codeCandidatesAvx2(query, codes, count, dim, best2, candidates, largestOther)
                : codeCandidatesScalar(query, codes, count, dim, best2, candidates, largestOther);
}

} // namespace slt::core::attenuation_detail
