/* SLT plugin SDK: uncertainty metrics ("slt.metric/1") turn Monte-Carlo probabilities into scores
 * per point (SPEC U1).
 *
 * One metric plugin provides a FAMILY of metrics (entropy, BALD, margin, ...), listed by index through
 * get_metric(). The host creates an instance for the subset it wants, in the column order it wants,
 * and the instance computes all of them in one pass over the probabilities: reading p once matters
 * more than the arithmetic when a pool holds a million points.
 *
 * Input: p[t, n, c], the class probabilities of T stochastic passes for N points (or pixels) and C
 * classes, as an f32 [T, N, C] view with any strides. Output: one f32 score per point and selected
 * metric, written into a host-allocated contiguous [N, count] view (row n = point n, column j = the
 * j-th metric given to create()). The host may call compute() many times on consecutive chunks of a
 * large pool; an instance must therefore be a pure function of the chunk (no state carried between
 * calls). Per-pixel maps are passed with the pixels flattened into N; reducing a map to a patch score
 * is host work.
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

/* The description of one metric of the family. Owned by the plugin: static storage, valid and
 * unchanged until deinit(). Read-only for the host; readable from any thread. */
typedef struct slt_metric_info {
    uint32_t struct_size; /* sizeof(slt_metric_info) as compiled into the plugin; fields are appended */

    /* Stable machine name, [a-z0-9_]+, e.g. "bald"; unique within the plugin; stored in banks as the
     * score column name (slt_bank_metadata::metric_names). Static storage. */
    const char* name;
    /* Human-readable name for the UI, e.g. "BALD (mutual information)"; static storage; may be NULL
     * (the host then shows `name`). */
    const char* display_name;
    /* One sentence for tooltips; static storage; may be NULL. */
    const char* description;
    /* The smallest T the metric gives meaningful values for: 1 for entropy or 1-MSP of the mean,
     * 2 for BALD, variance and variation ratio. compute() refuses fewer (SLT_ERR_INVALID_ARGUMENT). */
    int32_t min_mc_samples;
    /* Non-zero when a higher score means more uncertain (entropy, BALD, 1-MSP); zero when lower
     * means more uncertain (margin). Samplers always receive "higher = more uncertain": the host
     * negates scores of metrics that declare 0 here. */
    int32_t higher_is_more_uncertain;
} slt_metric_info;

/* One configured instance computing a chosen subset of the family. Created and destroyed by the
 * factory; used by one thread at a time (different instances may run concurrently on different
 * chunks). */
typedef struct slt_metric slt_metric;

/* The factory table, static storage of the plugin, valid until deinit(). Every function except
 * create/destroy/compute is thread-safe and needs no instance. */
typedef struct slt_metric_factory {
    uint32_t struct_size; /* sizeof(slt_metric_factory) as compiled into the plugin */

    /* How many metrics the plugin provides (>= 1); valid indices are [0, num_metrics). */
    int32_t num_metrics;

    /* The description of metric `index`, or NULL for an index outside [0, num_metrics). The pointer
     * is static storage of the plugin (valid until deinit()); the host reads `struct_size` before any
     * field appended after revision 1. A getter rather than an array so the struct may grow. */
    const slt_metric_info* (*get_metric)(int32_t index);

    /* The range of possible scores of metric `metric_index` for `num_classes` classes and
     * `num_samples` MC samples, e.g. [0, ln C] for entropy or [0, min(ln C, ln T)] for BALD; used for
     * histograms and normalisation. Stores the bounds in *out_min and *out_max. Returns SLT_OK, or
     * SLT_ERR_INVALID_ARGUMENT for an unknown index, impossible sizes (C < 1, T < 1) or NULL outputs. */
    slt_status (*value_range)(int32_t metric_index, int64_t num_classes, int64_t num_samples,
                              double* out_min, double* out_max, slt_error* err);

    /* Creates an instance computing the `count` metrics `metric_indices[0..count)` (each in
     * [0, num_metrics), no duplicates, count >= 1), in that column order. `metric_indices` is borrowed
     * for the call (the plugin copies what it keeps). Settings come from the host's settings service
     * (`host` is the pointer given to init()). On success stores the instance in `*out` (owned by the
     * caller, freed with destroy). Returns SLT_ERR_INVALID_ARGUMENT for a bad index list. */
    slt_status (*create)(const slt_host* host, const int32_t* metric_indices, int32_t count,
                         slt_metric** out, slt_error* err);

    /* Frees an instance from create(). NULL is ignored. */
    void (*destroy)(slt_metric* metric);

    /* Computes the selected metrics of one chunk in one pass.
     * `probs`: f32 [T, N, C], borrowed for the call, read-only, any strides; rows sum to 1 up to
     *   rounding, entries in [0, 1] (NaN or negative entries are refused with SLT_ERR_INVALID_ARGUMENT
     *   rather than turned into scores).
     * `out_scores`: f32 [N, count], host-allocated and contiguous (strides {count, 1}); the plugin
     *   writes every entry; column j holds metric_indices[j] of create().
     * Returns SLT_ERR_INVALID_ARGUMENT for a wrong dtype or shape (T below the largest
     * min_mc_samples of the selected metrics, a mismatching N or count, C < 1), SLT_ERR_CANCELLED
     * when `job` was cancelled (outputs then unspecified). `job` may be NULL. */
    slt_status (*compute)(slt_metric* metric, const slt_array* probs, slt_array* out_scores,
                          const slt_job* job, slt_error* err);
} slt_metric_factory;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* SLT_SDK_METRIC_H */
