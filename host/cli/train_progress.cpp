#include "train_progress.hpp"

#include "command_line.hpp"

#include <atomic>
#include <cmath>
#include <csignal>
#include <cstring>

#include <unistd.h>

namespace slt::cli {
namespace {

std::atomic<bool> g_interrupted{false};
struct sigaction g_previous {};

void onInterrupt(int)
{
    if (g_interrupted.exchange(true)) {
        // Second Ctrl-C: the user insists; end as the default action would.
        signal(SIGINT, SIG_DFL);
        raise(SIGINT);
        return;
    }
    static const char message[] =
        "\nslt-cli train: stopping after the current batch (the model writes a resumable last.pt); Ctrl-C again to quit now\n";
    const ssize_t ignored = write(STDERR_FILENO, message, sizeof message - 1);
    (void)ignored;
}

constexpr int kBarWidth = 30;
constexpr qint64 kRedrawMs = 200;

QString number(double value, int decimals = 4)
{
    return std::isnan(value) ? QStringLiteral("-") : QString::number(value, 'f', decimals);
}

QString durationText(qint64 ms)
{
    const qint64 s = ms / 1000;
    return s >= 3600 ? QStringLiteral("%1h%2m").arg(s / 3600).arg((s % 3600) / 60, 2, 10, QLatin1Char('0'))
                     : QStringLiteral("%1m%2s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

QString classTable(const slt_epoch_report& report, const QStringList& names)
{
    if (!report.class_f1 || report.num_classes <= 0)
        return {};
    QString table = QStringLiteral("%1 %2 %3 %4 %5\n")
                        .arg(QStringLiteral("class"), -24)
                        .arg(QStringLiteral("precision"), 9)
                        .arg(QStringLiteral("recall"), 9)
                        .arg(QStringLiteral("f1"), 9)
                        .arg(QStringLiteral("support"), 9);
    for (int32_t c = 0; c < report.num_classes; ++c) {
        const QString name = c < names.size() ? names[c] : QStringLiteral("class %1").arg(c);
        table += QStringLiteral("%1 %2 %3 %4 %5\n")
                     .arg(name.left(24), -24)
                     .arg(report.class_precision ? number(report.class_precision[c]) : QStringLiteral("-"), 9)
                     .arg(report.class_recall ? number(report.class_recall[c]) : QStringLiteral("-"), 9)
                     .arg(number(report.class_f1[c]), 9)
                     .arg(report.class_support ? QString::number(report.class_support[c]) : QStringLiteral("-"), 9);
    }
    return table;
}

} // namespace

InterruptGuard::InterruptGuard()
{
    g_interrupted = false;
    struct sigaction action {};
    action.sa_handler = &onInterrupt;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &g_previous);
}

InterruptGuard::~InterruptGuard()
{
    sigaction(SIGINT, &g_previous, nullptr);
}

bool InterruptGuard::interrupted()
{
    return g_interrupted.load();
}

TrainProgress::TrainProgress(QStringList classNames, bool showBar)
    : classNames_(std::move(classNames)), showBar_(showBar)
{
    job_.struct_size = sizeof job_;
    job_.host_data = this;
    job_.progress = &onProgress;
    job_.is_cancelled = &onIsCancelled;
    observer_.struct_size = sizeof observer_;
    observer_.user = this;
    observer_.epoch_end = &onEpochEnd;
    sinceStart_.start();
}

TrainProgress::~TrainProgress()
{
    std::lock_guard lock(mutex_);
    clearBar();
}

void TrainProgress::onProgress(const slt_job* job, uint64_t done, uint64_t total, const char* message)
{
    auto* self = static_cast<TrainProgress*>(job->host_data);
    if (!self->showBar_)
        return;
    std::lock_guard lock(self->mutex_);
    if (self->sinceDraw_.isValid() && self->sinceDraw_.elapsed() < kRedrawMs && done != total)
        return;
    self->drawBar(done, total, message);
}

int TrainProgress::onIsCancelled(const slt_job*)
{
    return InterruptGuard::interrupted() ? 1 : 0;
}

void TrainProgress::onEpochEnd(const slt_train_observer* observer, const slt_epoch_report* report)
{
    if (!report)
        return;
    auto* self = static_cast<TrainProgress*>(observer->user);
    std::lock_guard lock(self->mutex_);
    self->clearBar();
    self->printEpoch(*report);
}

void TrainProgress::drawBar(uint64_t done, uint64_t total, const char* message)
{
    QString bar;
    if (total > 0) {
        const double share = std::min(1.0, static_cast<double>(done) / static_cast<double>(total));
        const int filled = static_cast<int>(share * kBarWidth);
        bar = QStringLiteral("[%1%2] %3%")
                  .arg(QString(filled, QLatin1Char('#')), QString(kBarWidth - filled, QLatin1Char('.')))
                  .arg(static_cast<int>(share * 100), 3);
    } else {
        bar = QStringLiteral("[%1]").arg(done);
    }
    const QString text = QStringLiteral("\r%1 %2 %3").arg(bar, message ? QString::fromUtf8(message) : QString(),
                                                          durationText(sinceStart_.elapsed()));
    printErr(text.leftJustified(100, QLatin1Char(' ')));
    barShown_ = true;
    sinceDraw_.start();
}

void TrainProgress::clearBar()
{
    if (!barShown_)
        return;
    printErr(QStringLiteral("\r%1\r").arg(QString(100, QLatin1Char(' '))));
    barShown_ = false;
}

void TrainProgress::printEpoch(const slt_epoch_report& report)
{
    if (!headerPrinted_) {
        printOut(QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8  %9\n")
                     .arg(QStringLiteral("epoch"), 7).arg(QStringLiteral("train_loss"), 10).arg(QStringLiteral("val_loss"), 10)
                     .arg(QStringLiteral("accuracy"), 9).arg(QStringLiteral("macro_f1"), 9).arg(QStringLiteral("weighted_f1"), 11)
                     .arg(QStringLiteral("kappa"), 9).arg(QStringLiteral("bal_acc"), 9).arg(QStringLiteral("best")));
        headerPrinted_ = true;
    }
    printOut(QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8  %9\n")
                 .arg(QStringLiteral("%1/%2").arg(report.epoch + 1).arg(report.num_epochs), 7)
                 .arg(number(report.train_loss), 10).arg(number(report.val_loss), 10)
                 .arg(number(report.accuracy), 9).arg(number(report.macro_f1), 9).arg(number(report.weighted_f1), 11)
                 .arg(number(report.cohen_kappa), 9).arg(number(report.balanced_accuracy), 9)
                 .arg(report.is_best ? QStringLiteral("*") : QString()));
    ++epochsReported_;
    if (report.is_best || !sawBest_) { // the best epoch, or the latest while none was marked best
        sawBest_ = sawBest_ || report.is_best;
        bestEpoch_ = report.epoch;
        bestTable_ = classTable(report, classNames_);
    }
}

QString TrainProgress::bestEpochClassTable() const
{
    return bestTable_;
}

} // namespace slt::cli
