/* SLT plugin SDK: the job handle passed to long calls (progress and cancellation).
 *
 * The host owns the job and keeps it alive for the call that receives it. Both functions are
 * thread-safe: a plugin may call them from any of its worker threads while the call is running,
 * and must not call them after the call has returned. A NULL job means "nobody is watching".
 */
#ifndef SLT_SDK_JOB_H
#define SLT_SDK_JOB_H

#include "abi.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct slt_job {
    uint32_t struct_size;
    void* host_data; /* opaque to the plugin; never touch */

    /* Reports `done` of `total` units (total 0: unknown). `message` (UTF-8, may be NULL) is borrowed for
     * the call. Cheap enough to call a few hundred times per second; the host throttles display. */
    void (*progress)(const struct slt_job* job, uint64_t done, uint64_t total, const char* message);

    /* Non-zero once the user asked to stop. A plugin checks it between units of work and then returns
     * SLT_ERR_CANCELLED promptly (within about 100 ms), leaving outputs unspecified. */
    int (*is_cancelled)(const struct slt_job* job);
} slt_job;

/* NULL-safe wrappers, so plugin code need not test the job pointer itself. */
static inline void slt_job_progress(const slt_job* job, uint64_t done, uint64_t total,
                                    const char* message)
{
    if (job && job->progress) job->progress(job, done, total, message);
}

static inline int slt_job_is_cancelled(const slt_job* job)
{
    return (job && job->is_cancelled) ? job->is_cancelled(job) : 0;
}

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* SLT_SDK_JOB_H */
