// Data-parallel training (SPEC M10): two processes on localhost train together through c10d/Gloo
// and must end with identical weights; only rank 0 writes files.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

extern char** environ;

namespace fs = std::filesystem;

namespace {

struct TempDir {
    fs::path path;
    TempDir()
    {
        char pattern[] = "/tmp/slt-ddp-XXXXXX";
        path = mkdtemp(pattern);
    }
    ~TempDir() { fs::remove_all(path); }
};

// A port nobody listens on right now (the kernel picks it; released just before the ranks start).
int freeLoopbackPort()
{
    const int s = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(bind(s, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    socklen_t length = sizeof address;
    REQUIRE(getsockname(s, reinterpret_cast<sockaddr*>(&address), &length) == 0);
    close(s);
    return ntohs(address.sin_port);
}

struct Rank {
    pid_t pid = 0;
    fs::path out, stdoutFile, stderrFile;
};

Rank startRank(int rank, int world, const std::string& init, const fs::path& dir)
{
    Rank r;
    r.out = dir / ("rank" + std::to_string(rank));
    fs::create_directories(r.out);
    r.stdoutFile = dir / ("rank" + std::to_string(rank) + ".out");
    r.stderrFile = dir / ("rank" + std::to_string(rank) + ".err");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, r.stdoutFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, r.stderrFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const std::string rankText = std::to_string(rank), worldText = std::to_string(world), outText = r.out.string();
    std::vector<char*> argv{const_cast<char*>(SLT_UNET_DDP_DRIVER), const_cast<char*>(rankText.c_str()), const_cast<char*>(worldText.c_str()),
                            const_cast<char*>(init.c_str()), const_cast<char*>(outText.c_str()), nullptr};
    REQUIRE(posix_spawn(&r.pid, SLT_UNET_DDP_DRIVER, &actions, nullptr, argv.data(), environ) == 0);
    posix_spawn_file_actions_destroy(&actions);
    return r;
}

int waitFor(const Rank& r)
{
    int status = 0;
    waitpid(r.pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string readText(const fs::path& p)
{
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

} // namespace

TEST_CASE("two processes train together over Gloo on localhost and hold identical weights")
{
    TempDir dir;
    const std::string init = "tcp://127.0.0.1:" + std::to_string(freeLoopbackPort());
    const Rank zero = startRank(0, 2, init, dir.path);
    const Rank one = startRank(1, 2, init, dir.path);
    const int exitZero = waitFor(zero), exitOne = waitFor(one);
    INFO("rank 0 stderr: " << readText(zero.stderrFile));
    INFO("rank 1 stderr: " << readText(one.stderrFile));
    REQUIRE(exitZero == 0);
    REQUIRE(exitOne == 0);
    const std::string digestZero = readText(zero.stdoutFile), digestOne = readText(one.stdoutFile);
    REQUIRE(digestZero.size() == 17); // 16 hex digits + newline
    REQUIRE(digestZero == digestOne);
    REQUIRE(fs::exists(zero.out / "best.pt"));
    REQUIRE(fs::exists(zero.out / "training_log.csv"));
    REQUIRE(fs::is_empty(one.out)); // only rank 0 writes
}

TEST_CASE("a bad rendezvous fails at once with a message instead of waiting for the other ranks")
{
    TempDir dir;
    const std::string missingDirectory = (dir.path / "missing" / "store").string();
    const Rank file = startRank(0, 2, missingDirectory, dir.path);
    REQUIRE(waitFor(file) == 1);
    REQUIRE_THAT(readText(file.stderrFile), Catch::Contains("does not exist"));
    const Rank port = startRank(0, 2, "tcp://127.0.0.1:99999", dir.path);
    REQUIRE(waitFor(port) == 1);
    REQUIRE_THAT(readText(port.stderrFile), Catch::Contains("port must be a number in 1..65535"));
}
