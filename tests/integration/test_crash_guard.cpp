// The crash guard with the init_crash fixture, whose init() raises SIGSEGV.
// (a) Without a probe, the process that initialises it dies; the next start, with the same state
//     folder, must quarantine it and say that it crashed at the last start.
// (b) With the probe (slt-cli probes never-seen plugins in a child), the very first run already shows
//     it quarantined, and slt-cli itself exits normally.
// Every start that might crash runs in a forked child, so a broken guard fails the test instead of
// killing the test runner.
#include "catch_qt.hpp"
#include "fixture_checks.hpp"

#include <slt/core/plugin_manager.hpp>

#include <QFile>
#include <QJsonObject>

#include <csignal>
#include <cstdio>
#include <functional>

#include <sys/wait.h>
#include <unistd.h>

using namespace slt::test;
using slt::core::PluginManager;
using slt::core::PluginRecord;

namespace {

struct ChildOutcome {
    bool forked = false;
    bool signalled = false;
    int signal = 0;
    int exitCode = -1;
    QString report; // what the child wrote before exiting normally
};

// Runs `work` in a forked child with default signal dispositions (Catch's own handlers would
// report the crash as a failure of this test) and collects how it ended and what it reported.
ChildOutcome runInChild(const QString& reportFile, const std::function<QString()>& work)
{
    std::fflush(nullptr); // no buffered output may be written twice
    ChildOutcome outcome;
    const pid_t pid = fork();
    if (pid < 0)
        return outcome;
    if (pid == 0) {
        std::signal(SIGSEGV, SIG_DFL);
        std::signal(SIGABRT, SIG_DFL);
        const QString report = work();
        QFile file(reportFile);
        const bool written = file.open(QIODevice::WriteOnly) && file.write(report.toUtf8()) >= 0;
        file.close();
        _exit(written ? 0 : 3);
    }
    outcome.forked = true;
    int status = 0;
    waitpid(pid, &status, 0);
    outcome.signalled = WIFSIGNALED(status);
    outcome.signal = outcome.signalled ? WTERMSIG(status) : 0;
    outcome.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    QFile file(reportFile);
    if (file.open(QIODevice::ReadOnly))
        outcome.report = QString::fromUtf8(file.readAll());
    return outcome;
}

// One start of the plugin manager: "<state>\n<message>" of the record from `pluginFolder`.
QString startAndReport(const QStringList& searchFolders, const IsolatedHome& home, const QString& pluginFolder)
{
    PluginManager manager(optionsFor(searchFolders, home));
    manager.discover();
    const PluginRecord* record = findRecord(manager, pluginFolder);
    if (!record)
        return QStringLiteral("(no record)\n");
    return QLatin1String(slt::core::stateName(record->state)) + QLatin1Char('\n') + record->message;
}

QString crashState(const ChildOutcome& outcome)
{
    return outcome.report.section(QLatin1Char('\n'), 0, 0);
}

QString crashMessage(const ChildOutcome& outcome)
{
    return outcome.report.section(QLatin1Char('\n'), 1);
}

// "quarantined" plus a message that says it crashed at an earlier start.
void checkQuarantinedForCrash(const QString& state, const QString& message)
{
    INFO("state: " << state.toStdString() << "; message: " << message.toStdString());
    CHECK(state == QStringLiteral("quarantined"));
    CHECK(containsPattern(message, QStringLiteral("crash")));
    CHECK(containsPattern(message, QStringLiteral("start|run|launch")));
}

} // namespace

TEST_CASE("fixture init_crash without a probe: the process dies, the next start quarantines it", "[fixture][crash]")
{
    IsolatedHome home;
    const QStringList search = scenarioDirs({QStringLiteral("good"), QStringLiteral("init_crash")});
    const QString crashFolder = pluginDir(QStringLiteral("init_crash"), QStringLiteral("fx_init_crash"));
    const QString goodFolder = pluginDir(QStringLiteral("good"), QStringLiteral("fx_good"));
    const QString reportFile = home.stateDirectory() + QStringLiteral(".report");

    const ChildOutcome first = runInChild(reportFile, [&] { return startAndReport(search, home, crashFolder); });
    REQUIRE(first.forked);
    INFO("first start: signalled=" << first.signalled << " exit=" << first.exitCode << " report="
                                   << first.report.toStdString());
    REQUIRE(first.signalled);
    CHECK(first.signal == SIGSEGV);

    const ChildOutcome second = runInChild(reportFile, [&] { return startAndReport(search, home, crashFolder); });
    INFO("second start: signalled=" << second.signalled << " signal=" << second.signal);
    REQUIRE_FALSE(second.signalled); // the guard must stop the plugin from crashing the host again
    REQUIRE(second.exitCode == 0);
    checkQuarantinedForCrash(crashState(second), crashMessage(second));

    // The other plugins of that start are unaffected, and quarantine lasts beyond one start.
    const ChildOutcome third = runInChild(reportFile, [&] { return startAndReport(search, home, goodFolder); });
    REQUIRE_FALSE(third.signalled);
    CHECK(crashState(third) == QStringLiteral("active"));
    const ChildOutcome fourth = runInChild(reportFile, [&] { return startAndReport(search, home, crashFolder); });
    REQUIRE_FALSE(fourth.signalled);
    CHECK(crashState(fourth) == QStringLiteral("quarantined"));
}

TEST_CASE("fixture init_crash with the slt-cli probe: quarantined at the first run, slt-cli survives", "[fixture][crash]")
{
    IsolatedHome home;
    const QStringList search = scenarioDirs({QStringLiteral("good"), QStringLiteral("init_crash")});
    int exitCode = -1;
    const QJsonArray listing = requireListing(search, home, &exitCode);
    CHECK(exitCode == 0);
    const QJsonObject crashed =
        findByFolder(listing, pluginDir(QStringLiteral("init_crash"), QStringLiteral("fx_init_crash")));
    REQUIRE_FALSE(crashed.isEmpty());
    const QString state = crashed.value(QStringLiteral("state")).toString();
    const QString message = crashed.value(QStringLiteral("message")).toString();
    INFO("state: " << state.toStdString() << "; message: " << message.toStdString());
    CHECK(state == QStringLiteral("quarantined"));
    CHECK(containsPattern(message, QStringLiteral("crash")));
    const QJsonObject good = findByFolder(listing, pluginDir(QStringLiteral("good"), QStringLiteral("fx_good")));
    CHECK(good.value(QStringLiteral("state")).toString() == QStringLiteral("active"));

    // The second run remembers the verdict instead of probing (and crashing a child) again.
    const QJsonArray again = requireListing(search, home);
    CHECK(findByFolder(again, pluginDir(QStringLiteral("init_crash"), QStringLiteral("fx_init_crash")))
              .value(QStringLiteral("state"))
              .toString() == QStringLiteral("quarantined"));
}
