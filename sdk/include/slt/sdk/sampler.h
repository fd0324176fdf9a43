/* SLT plugin SDK: samplers ("slt.sampler/1") pick k points to show the annotator (SPEC S1).
 *
 * A sampler sees the candidate pool as arrays: one score per point (higher = more uncertain), an
 * embedding per point, which points are labelled already, and which were chosen earlier in the same
 * round (so a diversity sampler can keep away from them). It writes k point indices into a
 * host-allocated buffer. Given the same inputs and seed, a sampler returns the same indices.
 */
#ifndef SLT_SDK_SAMPLER_H
#define SLT_SDK_SAMPLER_H

#include "abi.h"
#include "array.h"
#include "host.h"
#include "job.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SLT_SAMPLER_FACTORY_ID "slt.sampler/1"

/* What a sampler reads; the host may pass NULL for inputs the sampler does not declare it needs. */
enum {
    SLT_SAMPLER_NEEDS_SCORES = 1u << 0,     /* reads `scores` */
    SLT_SAMPLER_NEEDS_EMBEDDINGS = 1u << 1  /* reads `embeddings` */
};

/* The pool, borrowed for the duration of select(). */
typedef struct slt_sampler_input {
    uint32_t struct_size;
    int64_t num_points;           /* N, the number of candidate points */
    const slt_array* scores;      /* f32 [N], higher = more uncertain; NULL unless NEEDS_SCORES */
    const slt_array* embeddings;  /* f32 [N, D]; NULL unless NEEDS_EMBEDDINGS */
    const uint8_t* labelled;      /* [N], non-zero = labelled, never to be picked; NULL = none */
    const int64_t* chosen;        /* indices picked earlier this round, never to be picked again */
    int64_t num_chosen;           /* entries in `chosen`; 0 when `chosen` is NULL */
    uint64_t seed;                /* seed for every random decision of this call */
} slt_sampler_input;

/* One configured sampler. Created and destroyed by the factory; used by one thread at a time
 * (different instances may run concurrently). */
typedef struct slt_sampler slt_sampler;

typedef struct slt_sampler_factory {
    uint32_t struct_size;
    uint32_t needs; /* SLT_SAMPLER_NEEDS_* flags */

    /* Creates an instance. Settings come from the host's settings service (`host` is the pointer given
     * to init()). On success stores the instance in `*out` (owned by the caller, freed with destroy). */
    slt_status (*create)(const slt_host* host, slt_sampler** out, slt_error* err);

    /* Frees an instance from create(). NULL is ignored. */
    void (*destroy)(slt_sampler* sampler);

    /* Picks up to `k` distinct indices in [0, N) that are neither labelled nor already chosen, in
     * order of preference, into `out_indices` (host-allocated, capacity `k`), and stores how many were
     * written in `*out_count` (fewer than k only when fewer points are eligible). `job` may be NULL. */
    slt_status (*select)(slt_sampler* sampler, const slt_sampler_input* input, int64_t k,
                         int64_t* out_indices, int64_t* out_count, const slt_job* job,
                         slt_error* err);
} slt_sampler_factory;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* SLT_SDK_SAMPLER_H */
