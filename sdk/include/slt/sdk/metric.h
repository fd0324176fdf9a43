/* SLT plugin SDK: uncertainty metrics ("slt.metric/1") turn Monte-Carlo probabilities into one score
 * per point (SPEC U1).
 *
 * Input: p[t, n, c], the class probabilities of T stochastic passes for N points (or pixels) and C
 * classes, as an f32 [T, N, C] view. Output: one f32 score per point, written into a host-allocated
 * [N] view. The host may call compute() many times on consecutive chunks of a large pool; a metric
 * must therefore be a pure function of the chunk (no state carried between calls). Per-pixel maps
 * are passed with the pixels flattened into N; reducing a map to a patch score is host work.
 */
#ifndef SLT_SDK_METRIC_H
#define SLT_SDK_METRIC_H

#include "abi.h"
#include "array.h"
#include "host.h"
#include "job.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SLT_METRIC_FACTORY_ID "slt.metric/1"

/* One configured metric. Created and destroyed by the factory; used by one thread at a time
 * (different instances may run concurrently on different chunks). */
typedef struct slt_metric slt_metric;

typedef struct slt_metric_factory {
    uint32_t struct_size; /* sizeof(slt_metric_factory) as compiled into the plugin */

    /* Stable machine name, [a-z0-9_]+, e.g. "bald"; stored in banks as the score column name.
     * Static storage (lives until deinit()). */
    const char* name;
    /* Human-readable name for the UI, e.g. "BALD (mutual information)"; static storage. */
    const char* display_name;
    /* One sentence for tooltips; static storage; may be NULL. */
    const char* description;
    /* The smallest T the metric gives meaningful values for: 1 for entropy or 1-MSP of the mean,
     * 2 for BALD, variance and variation ratio. The host refuses to call compute() with fewer. */
    int32_t min_mc_samples;
    /* Non-zero when a higher score means more uncertain (entropy, BALD, 1-MSP); zero when lower
     * means more uncertain (margin). Samplers always receive "higher = more uncertain": the host
     * negates scores of metrics that declare 0 here. */
    int32_t higher_is_more_uncertain;

    /* The range of possible scores for `num_classes` classes and `num_samples` MC samples, e.g.
     * [0, ln C] for entropy or [0, min(ln C, ln T)] for BALD; used for histograms and for
     * normalisation. Pure function, thread-safe, callable without an instance. Returns SLT_OK or
     * SLT_ERR_INVALID_ARGUMENT for impossible sizes. */
    slt_status (*value_range)(int64_t num_classes, int64_t num_samples, double* out_min,
                              double* out_max, slt_error* err);

    /* Creates an instance. Settings come from the host's settings service (`host` is the pointer
     * given to init()). On success stores the instance in `*out` (owned by the caller, freed with
     * destroy). */
    slt_status (*create)(const slt_host* host, slt_metric** out, slt_error* err);

    /* Frees an instance from create(). NULL is ignored. */
    void (*destroy)(slt_metric* metric);

    /* Computes the scores of one chunk.
     * `probs`: f32 [T, N, C], borrowed for the call, any strides; rows sum to 1 up to rounding.
     * `out_scores`: f32 [N], host-allocated and contiguous; the plugin writes all N entries.
     * Returns SLT_ERR_INVALID_ARGUMENT for a wrong dtype or shape (T below min_mc_samples, a
     * mismatching N), SLT_ERR_CANCELLED when `job` was cancelled. `job` may be NULL. */
    slt_status (*compute)(slt_metric* metric, const slt_array* probs, slt_array* out_scores,
                          const slt_job* job, slt_error* err);
} slt_metric_factory;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* SLT_SDK_METRIC_H */
