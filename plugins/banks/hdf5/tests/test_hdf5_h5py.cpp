// A bank written by the plugin is readable with h5py alone, following docs/bank-format.md.
#include "bank_test_support.hpp"

#include <catch2/catch.hpp>
#include <sys/wait.h>

#include <cstdio>
#include <fstream>

using namespace bank_test;

namespace {

void write_floats(const fs::path& path, const std::vector<float>& values)
{
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(values.data()), static_cast<std::streamsize>(values.size() * sizeof(float)));
}

} // namespace

TEST_CASE("h5py reads embeddings and scores with the documented paths")
{
    const char* python = "/usr/bin/python3";
    if (!fs::exists(python)) {
        WARN("skipped: " << python << " is missing");
        return;
    }
    TempDir dir;
    Shape shape;
    shape.dim = 16;
    Points written = Points::make(shape, 3000, 2, 31);
    write_bank(dir.path("bank.h5"), shape, {"a.svs", "b.svs"}, written, 1000);
    write_floats(dir.path("embeddings.f32"), written.embeddings);
    write_floats(dir.path("scores.f32"), written.scores);
    const std::string command = std::string(python) + " " + SLT_H5PY_SCRIPT + " '" + dir.path("bank.h5").string() +
                                "' '" + dir.path("embeddings.f32").string() + "' '" +
                                dir.path("scores.f32").string() + "' metric_0,metric_1,metric_2,metric_3 2>&1";
    FILE* pipe = popen(command.c_str(), "r");
    REQUIRE(pipe != nullptr);
    std::string output;
    char buffer[256];
    while (fgets(buffer, sizeof buffer, pipe)) output += buffer;
    const int status = pclose(pipe);
    REQUIRE(WIFEXITED(status));
    if (WEXITSTATUS(status) == 77) {
        WARN("skipped: " << output);
        return;
    }
    INFO(output);
    CHECK(WEXITSTATUS(status) == 0);
    CHECK_THAT(output, Catch::Contains("ok: 3000 points"));
}
