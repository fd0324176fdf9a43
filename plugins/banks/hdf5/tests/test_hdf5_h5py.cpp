// A bank written by the plugin is readable with h5py alone, following docs/bank-format.md.
#include "bank_test_support.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using namespace bank_test;
using slt::banks::test::run_command;

namespace {

// The ```python block of docs/bank-format.md.
std::string documented_snippet()
{
    std::ifstream in(SLT_BANK_FORMAT_DOC);
    REQUIRE(in.good());
    // The first ```python block after the marker line: the document has other Python blocks.
    std::string line, code;
    bool marked = false, inside = false;
    while (std::getline(in, line)) {
        if (line == "<!-- test: h5py-reader -->") marked = true;
        else if (marked && line == "```python") inside = true;
        else if (inside && line == "```") break;
        else if (inside) code += line + "\n";
    }
    return code;
}

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
    write_bank(dir.file("bank.h5"), shape, {"a.svs", "b.svs"}, written, 1000);
    write_floats(dir.file("embeddings.f32"), written.embeddings);
    write_floats(dir.file("scores.f32"), written.scores);
    const std::string command = std::string(python) + " " + SLT_H5PY_SCRIPT + " '" + dir.file("bank.h5") +
                                "' '" + dir.file("embeddings.f32") + "' '" +
                                dir.file("scores.f32") + "' metric_0,metric_1,metric_2,metric_3";
    std::string output;
    const int code = run_command(command, output);
    if (code == 77) {
        WARN("skipped: " << output);
        return;
    }
    INFO(output);
    CHECK(code == 0);
    CHECK_THAT(output, Catch::Contains("ok: 3000 points"));

    // The snippet in docs/bank-format.md itself runs as written (in the bank's folder).
    std::string snippet = documented_snippet();
    REQUIRE_THAT(snippet, Catch::Contains("h5py.File(\"bank.h5\""));
    snippet += "assert embeddings.shape == (3000, 16) and scores.shape == (3000, 4) and len(image) == 3000\n";
    snippet += "assert png.startswith(b'\\x89PNG')\nprint('snippet ok')\n";
    std::ofstream(dir.file("snippet.py")) << snippet;
    std::string snippet_output;
    const int snippet_code =
        run_command("cd '" + dir.path().string() + "' && " + python + " snippet.py", snippet_output);
    INFO(snippet_output);
    CHECK(snippet_code == 0);
    CHECK_THAT(snippet_output, Catch::Contains("snippet ok"));
}
