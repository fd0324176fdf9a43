// Durability (SPEC G4): a writer process records label actions in a tight loop and prints each acknowledged
// event id; it is killed with SIGKILL at random moments, many times, on the same project file. After every
// kill, every acknowledged event must be in the journal, the project must open, and its derived state must
// equal a rebuild from the journal.
#include "project_test_support.hpp"

#include <algorithm>
#include <chrono>
#include <random>

#include <csignal>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace slt::core;
using slt::test::ProjectFolder;
using slt::test::text;

namespace {

using Clock = std::chrono::steady_clock;

struct KilledRun {
    std::vector<qint64> acknowledged; // event ids from complete output lines
    int waitStatus = 0;
};

// Reads what is available (waiting at most `timeoutMs`); false at end of file.
bool readSome(int fd, int timeoutMs, QByteArray& output)
{
    pollfd watched{fd, POLLIN, 0};
    if (poll(&watched, 1, timeoutMs) <= 0)
        return true;
    char buffer[4096];
    const ssize_t count = read(fd, buffer, sizeof buffer);
    if (count <= 0)
        return false;
    output.append(buffer, static_cast<int>(count));
    return true;
}

std::vector<qint64> completeLines(const QByteArray& output)
{
    std::vector<qint64> ids;
    QList<QByteArray> lines = output.split('\n');
    lines.removeLast(); // text after the last newline is not a complete acknowledgement
    for (const QByteArray& line : lines)
        ids.push_back(line.toLongLong());
    return ids;
}

// Starts the writer, waits for its first acknowledged event (start-up time varies a lot under sanitizers and
// load), lets it write for `runFor` more, kills it with SIGKILL and collects its acknowledged events.
KilledRun runAndKill(const QString& project, unsigned seed, std::chrono::milliseconds runFor)
{
    const QByteArray path = QFile::encodeName(project), uuid = slt::test::testBank().uuid.toUtf8(),
                     seedText = QByteArray::number(seed);
    int pipeEnds[2];
    REQUIRE(pipe(pipeEnds) == 0);
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        dup2(pipeEnds[1], STDOUT_FILENO);
        close(pipeEnds[0]);
        close(pipeEnds[1]);
        execl(SLT_JOURNAL_WRITER, SLT_JOURNAL_WRITER, path.constData(), uuid.constData(), seedText.constData(),
              static_cast<char*>(nullptr));
        _exit(127);
    }
    close(pipeEnds[1]);
    QByteArray output;
    bool open = true;
    const auto startDeadline = Clock::now() + std::chrono::seconds(30);
    while (open && !output.contains('\n') && Clock::now() < startDeadline)
        open = readSome(pipeEnds[0], 100, output);
    const auto deadline = Clock::now() + runFor;
    // Keep reading while waiting, so a full pipe never slows the writer down.
    while (open && Clock::now() < deadline) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        open = readSome(pipeEnds[0], static_cast<int>(std::max<long long>(1, left.count())), output);
    }
    kill(child, SIGKILL);
    while (readSome(pipeEnds[0], 1000, output)) {
    }
    close(pipeEnds[0]);
    KilledRun run;
    REQUIRE(waitpid(child, &run.waitStatus, 0) == child);
    run.acknowledged = completeLines(output);
    return run;
}

std::vector<qint64> journalIds(ProjectStore& store)
{
    const auto events = store.journal();
    REQUIRE(events.ok());
    std::vector<qint64> ids;
    ids.reserve(events->size());
    for (const JournalEvent& event : *events)
        ids.push_back(event.id);
    return ids;
}

} // namespace

TEST_CASE("durability: no acknowledged event is lost when the writer is killed", "[project][durability]")
{
    ProjectFolder folder;
    folder.create("crash.sltp", 5000);
    const QString path = folder.path("crash.sltp");
    std::mt19937 random(20261127);
    std::uniform_int_distribution<int> runMs(5, 150);
    std::vector<qint64> acknowledged;
    const int kills = 60;
    for (int kill = 0; kill < kills; ++kill) {
        const KilledRun run = runAndKill(path, static_cast<unsigned>(kill + 1), std::chrono::milliseconds(runMs(random)));
        INFO("kill " << kill);
        REQUIRE(WIFSIGNALED(run.waitStatus)); // the writer ran until killed (it prints its error otherwise)
        CHECK(WTERMSIG(run.waitStatus) == SIGKILL);
        REQUIRE_FALSE(run.acknowledged.empty()); // so the kill landed while it was writing
        acknowledged.insert(acknowledged.end(), run.acknowledged.begin(), run.acknowledged.end());

        auto store = ProjectStore::open(path, slt::test::testBank().uuid);
        INFO(text(store.error()));
        REQUIRE(store.ok());
        const std::vector<qint64> ids = journalIds(*store);
        const auto lost = std::count_if(acknowledged.begin(), acknowledged.end(), [&](qint64 id) {
            return !std::binary_search(ids.begin(), ids.end(), id);
        });
        REQUIRE(lost == 0);
        const auto incremental = store->derivedState();
        REQUIRE(incremental.ok());
        REQUIRE(store->rebuildDerivedState().ok());
        REQUIRE(*store->derivedState() == *incremental);
    }
    // Every run was killed mid-stream (checked above), and together they wrote a real journal.
    CHECK(acknowledged.size() >= static_cast<size_t>(kills));
}
