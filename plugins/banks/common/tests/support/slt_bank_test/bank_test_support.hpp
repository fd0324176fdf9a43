// Test helpers shared by the bank plugins' tests (HDF5, SQLite, slt-legacy): load a plugin's built
// library, a host with settings, temporary folders, file snapshots (to prove an input was left
// untouched) and `slt-cli plugins validate`. Header-only; link Slt::bank_test_support.
#pragma once

#include <slt/sdk/cpp/host/bank_proxy.hpp>

#include <catch2/catch.hpp>
#include <slt_test/plugin_under_test.hpp>
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

namespace slt::banks::test {

namespace fs = std::filesystem;

// The bank factory of the plugin library at `library`, loaded as a host does.
inline const void* load_bank_factory(const char* library)
{
    const void* factory = slt::test::loadPluginEntry(library)->get_factory(SLT_BANK_FACTORY_ID);
    REQUIRE(factory != nullptr);
    return factory;
}

using slt::test::SettingsHost;

class TempDir {
public:
    TempDir()
    {
        std::string pattern = (fs::temp_directory_path() / "slt-bank-test-XXXXXX").string();
        REQUIRE(mkdtemp(pattern.data()) != nullptr);
        path_ = pattern;
    }
    ~TempDir()
    {
        // a test may have made the folder read-only to provoke a failed write
        std::error_code ec;
        fs::permissions(path_, fs::perms::owner_all, fs::perm_options::add, ec);
        fs::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    std::string file(const std::string& name) const { return (path_ / name).string(); }
    const fs::path& path() const { return path_; }
    std::vector<std::string> entries() const
    {
        std::vector<std::string> names;
        for (const auto& e : fs::directory_iterator(path_)) names.push_back(e.path().filename().string());
        std::sort(names.begin(), names.end());
        return names;
    }

private:
    fs::path path_;
};

inline std::vector<char> read_bytes(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::vector<char>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline void write_bytes(const std::string& path, const std::vector<char>& bytes)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// The bytes and modification time of a file, to prove a read did not change it.
struct Snapshot {
    std::vector<char> bytes;
    fs::file_time_type mtime;
    explicit Snapshot(const std::string& path) : bytes(read_bytes(path)), mtime(fs::last_write_time(path)) {}
    bool operator==(const Snapshot& o) const { return bytes == o.bytes && mtime == o.mtime; }
};

// Opening `path` read-only with `factory` fails with `code` and a message containing `words`, and an existing
// file is left byte-identical.
inline void require_refused(const void* factory, const std::string& path, slt_status code, const std::string& words)
{
    const bool exists = fs::is_regular_file(path);
    const std::vector<char> before = exists ? read_bytes(path) : std::vector<char>();
    auto bank = sdk::host::BankProxy::open(factory, nullptr, path, SLT_BANK_READ);
    REQUIRE_FALSE(bank.ok());
    CHECK(bank.status().code == code);
    CHECK_THAT(bank.message(), Catch::Contains(words));
    if (exists) CHECK(read_bytes(path) == before);
}

// Runs a shell command, returning its exit code and capturing stdout + stderr.
inline int run_command(const std::string& command, std::string& output)
{
    FILE* pipe = popen((command + " 2>&1").c_str(), "r");
    REQUIRE(pipe != nullptr);
    char buffer[4096];
    size_t n = 0;
    while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
    const int status = pclose(pipe);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// `slt-cli plugins validate DIR` in an isolated home (XDG folders in a temporary directory).
inline int validate_plugin(const std::string& cli, const std::string& plugin_dir, std::string& output)
{
    TempDir home;
    const std::string env = "env -u SLT_PLUGIN_PATH HOME='" + home.path().string() + "' XDG_CONFIG_HOME='" +
                            home.file("config") + "' XDG_DATA_HOME='" + home.file("data") + "' XDG_STATE_HOME='" +
                            home.file("state") + "' XDG_CACHE_HOME='" + home.file("cache") + "' ";
    return run_command(env + "'" + cli + "' plugins validate '" + plugin_dir + "'", output);
}

} // namespace slt::banks::test
