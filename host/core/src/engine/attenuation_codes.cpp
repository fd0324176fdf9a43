#include "engine/attenuation_codes.hpp"

#include "engine/attenuation_value.hpp"

#include <algorithm>
#include <cmath>
#include <immintrin.h>
#include <type_traits>

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
    codes.terms.resize(static_cast<size_t>(partition.size()));
    codes.sums.resize(static_cast<size_t>(partition.size()));
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
        for (int64_t p = cell.begin; p < cell.end; ++p) {
            int64_t squares = 0, sum = 0;
            for (int32_t j = 0; j < dim; ++j) {
                const float code = step > 0 ? std::nearbyint((partition.row(p)[j] - offset[j]) / step) : 0.0f;
                const uint8_t byte = static_cast<uint8_t>(std::clamp(code, 0.0f, 255.0f));
                codes.codes[static_cast<size_t>(p * dim + j)] = byte;
                squares += int64_t(byte) * byte;
                sum += byte;
            }
            codes.terms[static_cast<size_t>(p)] = static_cast<int32_t>(static_cast<uint32_t>(squares - 256 * sum));
            codes.sums[static_cast<size_t>(p)] = static_cast<int32_t>(sum);
        }
    }
    return codes;
}

namespace {

// One coordinate's code: the same IEEE subtraction, division and round-to-nearest-even in both paths below.
bool encodeCoordinate(float q, float offset, float step, float margin, int16_t* out)
{
    const float code = std::nearbyint((q - offset) / step);
    *out = static_cast<int16_t>(std::clamp(code, -margin, 255.0f + margin));
    return code >= -margin && code <= 255.0f + margin;
}

bool encodeScalar(const float* q, const float* offset, float step, float margin, int32_t dim, int16_t* out)
{
    bool inRange = true;
    for (int32_t j = 0; j < dim; ++j) inRange &= encodeCoordinate(q[j], offset[j], step, margin, out + j);
    return inRange;
}

// Eight coordinates at a time (an encode per scanned cell and per re-searched candidate: it shows in profiles).
__attribute__((target("avx2"))) bool encodeAvx2(const float* q, const float* offset, float step, float margin,
                                                int32_t dim, int16_t* out)
{
    const __m256 stepVector = _mm256_set1_ps(step);
    const __m256 low = _mm256_set1_ps(-margin), high = _mm256_set1_ps(255.0f + margin);
    __m256 outside = _mm256_setzero_ps();
    int32_t j = 0;
    for (; j + 8 <= dim; j += 8) {
        const __m256 code = _mm256_round_ps(_mm256_div_ps(_mm256_sub_ps(_mm256_loadu_ps(q + j), _mm256_loadu_ps(offset + j)), stepVector),
                                            _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
        outside = _mm256_or_ps(outside, _mm256_or_ps(_mm256_cmp_ps(code, low, _CMP_LT_OQ), _mm256_cmp_ps(code, high, _CMP_GT_OQ)));
        const __m256i clamped = _mm256_cvtps_epi32(_mm256_min_ps(_mm256_max_ps(code, low), high));
        const __m128i packed = _mm_packs_epi32(_mm256_castsi256_si128(clamped), _mm256_extracti128_si256(clamped, 1));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(out + j), packed);
    }
    const bool inRange = _mm256_movemask_ps(outside) == 0;
    return encodeScalar(q + j, offset + j, step, margin, dim - j, out + j) && inRange;
}

} // namespace

bool CellCodes::encodeQuery(const float* q, int64_t cell, int16_t* out) const
{
    static const bool avx2 = __builtin_cpu_supports("avx2");
    const float step = steps[static_cast<size_t>(cell)];
    const float* offset = offsets.data() + cell * dim;
    return avx2 ? encodeAvx2(q, offset, step, queryMargin, dim, out)
                : encodeScalar(q, offset, step, queryMargin, dim, out);
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

// Eight int32 vectors of lane sums (one per member) to one vector of the eight members' sums.
__attribute__((target("avx2"))) inline __m256i sumLanes(const __m256i lanes[8])
{
    const __m256i low = _mm256_hadd_epi32(_mm256_hadd_epi32(lanes[0], lanes[1]), _mm256_hadd_epi32(lanes[2], lanes[3]));
    const __m256i high = _mm256_hadd_epi32(_mm256_hadd_epi32(lanes[4], lanes[5]), _mm256_hadd_epi32(lanes[6], lanes[7]));
    return _mm256_add_epi32(_mm256_permute2x128_si256(low, high, 0x20), _mm256_permute2x128_si256(low, high, 0x31));
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
        const __m256i distances = sumLanes(lanes);
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

// The query for members from `first` on (the scalar tail of the SIMD loops).
CodeUpdate shifted(const CodeUpdate& query, int64_t first)
{
    CodeUpdate tail = query;
    tail.prior += first;
    tail.values += first;
    return tail;
}

// The attenuated values of eight members from `first` on, stored where `updated` is set (the AVX2 form of
// attenuatedValue(), the same bits as the scalar one).
__attribute__((target("avx2"))) inline void writeValues8(const CodeUpdate& query, int64_t first, __m256 best2,
                                                         __m256 updated)
{
    const __m256 prior = _mm256_loadu_ps(query.prior + first);
    const __m128 low = attenuatedValues4(_mm256_castps256_ps128(prior), _mm256_castps256_ps128(best2), query.lambda, query.cutoff2);
    const __m128 high = attenuatedValues4(_mm256_extractf128_ps(prior, 1), _mm256_extractf128_ps(best2, 1), query.lambda, query.cutoff2);
    const __m256 values = _mm256_insertf128_ps(_mm256_castps128_ps256(low), high, 1);
    _mm256_storeu_ps(query.values + first, _mm256_blendv_ps(_mm256_loadu_ps(query.values + first), values, updated));
}

int64_t codeUpdateScalar(const CodeUpdate& query, const uint8_t* codes, int64_t count, int32_t dim, float* best2,
                         int32_t* updated, float* largest)
{
    int64_t found = 0;
    float top = 0;
    for (int64_t i = 0; i < count; ++i) {
        const float distance2 = codedDistance2(query.codes, codes + i * dim, dim, query.step2);
        if (distance2 < best2[i] && distance2 < query.cutoff2) {
            best2[i] = distance2;
            query.values[i] = attenuatedValue(query.prior[i], distance2, query.lambda, query.cutoff2);
            updated[found++] = static_cast<int32_t>(i);
        }
        top = std::max(top, best2[i]);
    }
    *largest = top;
    return found;
}

// What the SIMD loops share once they have eight members' exact integer sums: d̂² = f32(sum)·s² (the scalar
// path's two roundings), the comparison with best2 and the cut-off, the updated members' best2, values and
// listing, the running largest best2, and the scalar tail.
struct GroupUpdate {
    const CodeUpdate& query;
    float* best2;
    int32_t* updated;
    int64_t found = 0;
    __m256 top;

    __attribute__((target("avx2"))) GroupUpdate(const CodeUpdate& q, float* best, int32_t* list)
        : query(q), best2(best), updated(list), top(_mm256_setzero_ps())
    {
    }

    __attribute__((target("avx2"))) inline void apply(int64_t i, __m256i sums)
    {
        const __m256 distance2 = _mm256_mul_ps(_mm256_cvtepi32_ps(sums), _mm256_set1_ps(query.step2));
        const __m256 best = _mm256_loadu_ps(best2 + i);
        const __m256 nearer = _mm256_and_ps(_mm256_cmp_ps(distance2, best, _CMP_LT_OQ),
                                            _mm256_cmp_ps(distance2, _mm256_set1_ps(query.cutoff2), _CMP_LT_OQ));
        const __m256 updatedBest = _mm256_blendv_ps(best, distance2, nearer);
        top = _mm256_max_ps(top, updatedBest);
        const int mask = _mm256_movemask_ps(nearer);
        if (mask == 0) return;
        _mm256_storeu_ps(best2 + i, updatedBest);
        writeValues8(query, i, updatedBest, nearer);
        for (int bits = mask; bits != 0; bits &= bits - 1)
            updated[found++] = static_cast<int32_t>(i + __builtin_ctz(static_cast<unsigned>(bits)));
    }

    // Members [i, count) one by one; returns how many members were updated in all.
    __attribute__((target("avx2"))) int64_t finish(const uint8_t* codes, int64_t i, int64_t count, int32_t dim,
                                                   float* largest)
    {
        float lanes[8];
        _mm256_storeu_ps(lanes, top);
        float rest = 0;
        const int64_t tail = codeUpdateScalar(shifted(query, i), codes + i * dim, count - i, dim, best2 + i,
                                              updated + found, &rest);
        for (int64_t c = found; c < found + tail; ++c) updated[c] += static_cast<int32_t>(i); // tail indices start at 0
        *largest = std::max(rest, *std::max_element(lanes, lanes + 8));
        return found + tail;
    }
};

// Eight members at a time, as codeCandidatesAvx2, then the same f32 conversion and product as the scalar path.
__attribute__((target("avx2"))) int64_t codeUpdateAvx2(const CodeUpdate& query, const uint8_t* codes, int64_t count,
                                                       int32_t dim, float* best2, int32_t* updated, float* largest)
{
    const int32_t blocks = dim / 16;
    GroupUpdate group(query, best2, updated);
    int64_t i = 0;
    for (; i + 8 <= count; i += 8) {
        __m256i lanes[8];
        for (int m = 0; m < 8; ++m) {
            const uint8_t* member = codes + (i + m) * dim;
            lanes[m] = codeDistanceLanes(query.codes, member, blocks);
            for (int32_t j = 16 * blocks; j < dim; ++j) {
                const int32_t difference = int32_t(query.codes[j]) - int32_t(member[j]);
                lanes[m] = _mm256_add_epi32(lanes[m], _mm256_setr_epi32(difference * difference, 0, 0, 0, 0, 0, 0, 0));
            }
        }
        group.apply(i, sumLanes(lanes));
    }
    return group.finish(codes, i, count, dim, largest);
}

// The query's codes as signed bytes for vpdpbusd (unsigned member byte × signed query byte). When they span at
// most 256 values: low = qc − k, k chosen so that low fits, and no high part. Otherwise k = 128 and
// qc − 128 = 256·high + low (high is small: the codes stay within the query margin). Zero-padded to whole
// 32-byte blocks. Kept per thread and reused: one query per scanned cell.
struct SplitQuery {
    std::vector<int8_t> low, high; // high is only filled (and read) when hasHigh
    int32_t norm = 0;        // Σqc², wrapping
    int32_t sumFactor = 0;   // 256 − 2k
    bool hasHigh = false;

    void split(const int16_t* codes, int32_t dim)
    {
        const size_t padded = static_cast<size_t>((dim + 31) / 32 * 32);
        if (low.size() < padded) {
            low.resize(padded);
            high.resize(padded);
        }
        int32_t smallest = codes[0], largest = codes[0];
        uint32_t squares = 0;
        for (int32_t j = 0; j < dim; ++j) {
            smallest = std::min<int32_t>(smallest, codes[j]);
            largest = std::max<int32_t>(largest, codes[j]);
            squares += static_cast<uint32_t>(codes[j] * codes[j]);
        }
        norm = static_cast<int32_t>(squares);
        hasHigh = largest - smallest > 255;
        const int32_t k = hasHigh ? 128 : smallest + 128;
        sumFactor = 256 - 2 * k;
        if (hasHigh) {
            for (int32_t j = 0; j < dim; ++j) {
                const int32_t shifted = codes[j] - 128;
                const int8_t lowPart = static_cast<int8_t>(shifted); // shifted mod 256, in [−128, 127]
                low[static_cast<size_t>(j)] = lowPart;
                high[static_cast<size_t>(j)] = static_cast<int8_t>((shifted - lowPart) >> 8); // an exact multiple of 256
            }
            std::fill(high.begin() + dim, high.begin() + static_cast<std::ptrdiff_t>(padded), int8_t{0});
        } else {
            for (int32_t j = 0; j < dim; ++j) low[static_cast<size_t>(j)] = static_cast<int8_t>(codes[j] - k);
        }
        std::fill(low.begin() + dim, low.begin() + static_cast<std::ptrdiff_t>(padded), int8_t{0});
    }
};

#define SLT_VNNI_TARGET __attribute__((target("avx2,avx512f,avx512bw,avx512vl,avx512vnni")))

// The query's blocks of 32 signed bytes, held in registers for the whole cell when there are at most
// kHeldBlocks (D ≤ 128), read from memory otherwise.
constexpr int32_t kHeldBlocks = 4;

// 2·Σlow·xc + 512·Σhigh·xc for one member, in eight int32 lanes (summed by the caller's hadd tree).
template <bool kHigh>
SLT_VNNI_TARGET inline __m256i splitProductLanes(const __m256i* low, const __m256i* high, const uint8_t* member,
                                                 int32_t blocks, __mmask32 lastMask)
{
    __m256i lowSum = _mm256_setzero_si256(), highSum = _mm256_setzero_si256();
    for (int32_t b = 0; b < blocks; ++b) {
        const __mmask32 mask = b + 1 == blocks ? lastMask : ~__mmask32{0};
        const __m256i bytes = _mm256_maskz_loadu_epi8(mask, member + 32 * b);
        lowSum = _mm256_dpbusd_epi32(lowSum, bytes, low[b]);
        if (kHigh) highSum = _mm256_dpbusd_epi32(highSum, bytes, high[b]);
    }
    return kHigh ? _mm256_add_epi32(_mm256_slli_epi32(lowSum, 1), _mm256_slli_epi32(highSum, 9)) : _mm256_slli_epi32(lowSum, 1);
}

// The loop over a cell's members, eight at a time; `low`/`high` point at the query's blocks (kBlocks of them,
// or `blocks` when kBlocks is 0).
template <bool kHigh, bool kSums, int32_t kBlocks>
SLT_VNNI_TARGET int64_t codeUpdateVnniLoop(const CodeUpdate& query, const SplitQuery& split, const uint8_t* codes,
                                           const int32_t* terms, const int32_t* sums, int64_t count, int32_t dim,
                                           float* best2, int32_t* updated, float* largest)
{
    const int32_t blocks = kBlocks > 0 ? kBlocks : (dim + 31) / 32;
    __m256i heldLow[kHeldBlocks], heldHigh[kHeldBlocks];
    if (kBlocks > 0)
        for (int32_t b = 0; b < kBlocks; ++b) {
            heldLow[b] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(split.low.data() + 32 * b));
            heldHigh[b] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(split.high.data() + 32 * b));
        }
    const __m256i* low = kBlocks > 0 ? heldLow : reinterpret_cast<const __m256i*>(split.low.data());
    const __m256i* high = kBlocks > 0 ? heldHigh : reinterpret_cast<const __m256i*>(split.high.data());
    const __mmask32 lastMask = dim % 32 == 0 ? ~__mmask32{0} : static_cast<__mmask32>((1u << (dim % 32)) - 1);
    const __m256i norm = _mm256_set1_epi32(split.norm);
    const __m256i sumFactor = _mm256_set1_epi32(split.sumFactor);
    GroupUpdate group(query, best2, updated);
    int64_t i = 0;
    const int64_t groupBytes = 8 * static_cast<int64_t>(dim);
    for (; i + 8 <= count; i += 8) {
        // The loop body is long enough that the out-of-order window holds few of its cache misses at once;
        // requesting the group after next ahead keeps the memory bus busy (measured ~1.7x at D = 64).
        const char* ahead = reinterpret_cast<const char*>(codes + (i + 16) * dim);
        for (int64_t offset = 0; offset < groupBytes; offset += 64) _mm_prefetch(ahead + offset, _MM_HINT_T0);
        __m256i lanes[8];
        for (int m = 0; m < 8; ++m) lanes[m] = splitProductLanes<kHigh>(low, high, codes + (i + m) * dim, blocks, lastMask);
        const __m256i products = sumLanes(lanes);
        __m256i constant = _mm256_add_epi32(norm, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(terms + i)));
        if (kSums)
            constant = _mm256_add_epi32(constant, _mm256_mullo_epi32(sumFactor, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(sums + i))));
        group.apply(i, _mm256_sub_epi32(constant, products));
    }
    return group.finish(codes, i, count, dim, largest);
}

// A third or less of the AVX2 path's instructions per member (one vpdpbusd per 32 coordinates, two when the
// query's codes span more than 256 values, instead of widen, subtract, multiply-add and add per 16).
int64_t codeUpdateVnni(const CodeUpdate& query, const CellCodes& cellCodes, int64_t position, int64_t count,
                       float* best2, int32_t* updated, float* largest)
{
    thread_local SplitQuery split;
    split.split(query.codes, cellCodes.dim);
    const uint8_t* codes = cellCodes.code(position);
    const int32_t* terms = cellCodes.terms.data() + position;
    const int32_t* sums = cellCodes.sums.data() + position;
    const int32_t dim = cellCodes.dim;
    const auto run = [&](auto high, auto withSums) {
        constexpr bool kHigh = decltype(high)::value, kSums = decltype(withSums)::value;
        switch ((dim + 31) / 32) {
        case 1: return codeUpdateVnniLoop<kHigh, kSums, 1>(query, split, codes, terms, sums, count, dim, best2, updated, largest);
        case 2: return codeUpdateVnniLoop<kHigh, kSums, 2>(query, split, codes, terms, sums, count, dim, best2, updated, largest);
        case 3: return codeUpdateVnniLoop<kHigh, kSums, 3>(query, split, codes, terms, sums, count, dim, best2, updated, largest);
        case 4: return codeUpdateVnniLoop<kHigh, kSums, 4>(query, split, codes, terms, sums, count, dim, best2, updated, largest);
        default: return codeUpdateVnniLoop<kHigh, kSums, 0>(query, split, codes, terms, sums, count, dim, best2, updated, largest);
        }
    };
    using Yes = std::true_type;
    using No = std::false_type;
    if (split.hasHigh) return run(Yes{}, No{});
    return split.sumFactor != 0 ? run(No{}, Yes{}) : run(No{}, No{});
}

} // namespace

int64_t codeCandidates(const CodeQuery& query, const uint8_t* codes, int64_t count, int32_t dim, const float* best2,
                       int32_t* candidates, float* largestOther)
{
    static const bool avx2 = __builtin_cpu_supports("avx2");
    return avx2 ? codeCandidatesAvx2(query, codes, count, dim, best2, candidates, largestOther)
                : codeCandidatesScalar(query, codes, count, dim, best2, candidates, largestOther);
}

namespace {

__attribute__((target("avx2"))) int32_t codeDistanceAvx2(const int16_t* queryCodes, const uint8_t* member, int32_t dim)
{
    const int32_t blocks = dim / 16;
    const __m256i lanes = codeDistanceLanes(queryCodes, member, blocks);
    __m128i sum = _mm_add_epi32(_mm256_castsi256_si128(lanes), _mm256_extracti128_si256(lanes, 1));
    sum = _mm_add_epi32(sum, _mm_shuffle_epi32(sum, 0x4e));
    sum = _mm_add_epi32(sum, _mm_shuffle_epi32(sum, 0xb1));
    return _mm_cvtsi128_si32(sum) + codeDistance(queryCodes + 16 * blocks, member + 16 * blocks, dim - 16 * blocks);
}

} // namespace

// One member (unlabel re-searches): the integer sum is exact whichever way it is added up.
float codedDistance2(const int16_t* queryCodes, const uint8_t* member, int32_t dim, float step2)
{
    static const bool avx2 = __builtin_cpu_supports("avx2");
    const int32_t sum = avx2 ? codeDistanceAvx2(queryCodes, member, dim) : codeDistance(queryCodes, member, dim);
    return static_cast<float>(sum) * step2;
}

int64_t codeUpdate(const CodeUpdate& query, const CellCodes& codes, int64_t position, int64_t count, float* best2,
                   int32_t* updated, float* largest)
{
    static const bool vnni = __builtin_cpu_supports("avx512vnni") && __builtin_cpu_supports("avx512vl") &&
                             __builtin_cpu_supports("avx512bw");
    static const bool avx2 = __builtin_cpu_supports("avx2");
    if (vnni) return codeUpdateVnni(query, codes, position, count, best2, updated, largest);
    const uint8_t* members = codes.code(position);
    return avx2 ? codeUpdateAvx2(query, members, count, codes.dim, best2, updated, largest)
                : codeUpdateScalar(query, members, count, codes.dim, best2, updated, largest);
}

} // namespace slt::core::attenuation_detail
