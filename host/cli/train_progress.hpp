// What `slt-cli train` shows while the model trains: a progress bar on stderr fed by the job's progress
// callback (throttled, only on a terminal unless forced), one table row per epoch on stdout from the
// observer, the per-class table of the best epoch at the end, and Ctrl-C turned into the job's cancel flag.
#pragma once

#include <slt/sdk/job.h>
#include <slt/sdk/model.h>

#include <QElapsedTimer>
#include <QString>
#include <QStringList>

#include <mutex>
#include <vector>

namespace slt::cli {

// Installs a SIGINT handler for its lifetime: the first Ctrl-C sets the cancel flag (and says so on stderr),
// a second one ends the process as usual.
class InterruptGuard {
public:
    InterruptGuard();
    ~InterruptGuard();
    InterruptGuard(const InterruptGuard&) = delete;
    InterruptGuard& operator=(const InterruptGuard&) = delete;
    static bool interrupted();
};

class TrainProgress {
public:
    // `classNames` in output order, for the per-class table.
    TrainProgress(QStringList classNames, bool showBar);
    ~TrainProgress();

    const slt_job* job() const { return &job_; }
    const slt_train_observer* observer() const { return &observer_; }

    // The per-class table of the best epoch seen (or the last, when none was marked best); empty before any.
    QString bestEpochClassTable() const;
    int32_t bestEpoch() const { return bestEpoch_; }
    int32_t epochsReported() const { return epochsReported_; }

private:
    static void onProgress(const slt_job* job, uint64_t done, uint64_t total, const char* message);
    static int onIsCancelled(const slt_job* job);
    static void onEpochEnd(const slt_train_observer* observer, const slt_epoch_report* report);
    void drawBar(uint64_t done, uint64_t total, const char* message);
    void clearBar();
    void printEpoch(const slt_epoch_report& report);

    QStringList classNames_;
    bool showBar_;
    slt_job job_{};
    slt_train_observer observer_{};
    std::mutex mutex_;
    QElapsedTimer sinceDraw_;
    QElapsedTimer sinceStart_;
    bool barShown_ = false;
    bool headerPrinted_ = false;
    int32_t bestEpoch_ = -1;
    bool sawBest_ = false;
    int32_t epochsReported_ = 0;
    QString bestTable_;
};

} // namespace slt::cli
