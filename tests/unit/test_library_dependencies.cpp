#include <catch2/catch.hpp>

#include "library_dependencies.hpp"

#include <dlfcn.h>

#include <algorithm>

using slt::core::needsHeavyRuntime;
using slt::core::neededLibraries;

TEST_CASE("library dependencies: DT_NEEDED of a loaded object are read", "[plugins]")
{
    // The test program itself links Qt Core and the C++ runtime.
    void* self = dlopen(nullptr, RTLD_NOW);
    REQUIRE(self);
    const auto needed = neededLibraries(self);
    auto has = [&needed](const char* prefix) {
        return std::any_of(needed.begin(), needed.end(), [prefix](const std::string& n) { return n.rfind(prefix, 0) == 0; });
    };
    CHECK(has("libQt6Core.so"));
    CHECK(has("libstdc++.so"));
    CHECK(needsHeavyRuntime(needed));
    dlclose(self);
    CHECK(neededLibraries(nullptr).empty());
}

TEST_CASE("library dependencies: LibTorch and Qt count as heavy runtimes, others do not", "[plugins]")
{
    CHECK(needsHeavyRuntime({"libc.so.6", "libtorch_cpu.so.1.13"}));
    CHECK(needsHeavyRuntime({"libc10.so.1.13"}));
    CHECK(needsHeavyRuntime({"libQt6Gui.so.6"}));
    CHECK_FALSE(needsHeavyRuntime({"libc.so.6", "libstdc++.so.6", "libhdf5_serial.so.103", "libpng16.so.16"}));
    CHECK_FALSE(needsHeavyRuntime({}));
}
