// SLT plugin SDK, C++ helpers: the job handle (progress, cancellation) as a small value. Header-only.
#pragma once

#include "../job.h"
#include "error.hpp"

namespace slt::sdk {

class Job {
public:
    explicit Job(const slt_job* job = nullptr) : job_(job) {}
    const slt_job* raw() const { return job_; }

    // Reports `done` of `total` units; `message` may be NULL. Thread-safe.
    void progress(uint64_t done, uint64_t total, const char* message = nullptr) const
    {
        slt_job_progress(job_, done, total, message);
    }
    // True once the user asked to stop. Thread-safe.
    bool cancelled() const { return slt_job_is_cancelled(job_) != 0; }
    // Throws Error(SLT_ERR_CANCELLED) once cancelled; call it between units of work.
    void throw_if_cancelled() const
    {
        if (cancelled()) throw Error(SLT_ERR_CANCELLED, "cancelled");
    }

private:
    const slt_job* job_;
};

} // namespace slt::sdk
