// Private to slt_core: what a loaded plugin library links against, read from its ELF dynamic section.
#pragma once

#include <string>
#include <vector>

namespace slt::core {

// The DT_NEEDED names (e.g. "libtorch_cpu.so") of a library opened with dlopen; empty when unknown.
std::vector<std::string> neededLibraries(void* dlopenHandle);

// True when any needed library is LibTorch or Qt: such a plugin must never be dlclose'd (their static
// destructors, thread pools and atexit handlers do not survive unloading), whatever its manifest says.
bool needsHeavyRuntime(const std::vector<std::string>& needed);

} // namespace slt::core
