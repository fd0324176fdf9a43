#include "library_dependencies.hpp"

#include <dlfcn.h>
#include <link.h>

#include <algorithm>

namespace slt::core {

std::vector<std::string> neededLibraries(void* dlopenHandle)
{
    std::vector<std::string> needed;
    link_map* map = nullptr;
    if (!dlopenHandle || dlinfo(dlopenHandle, RTLD_DI_LINKMAP, &map) != 0 || !map || !map->l_ld)
        return needed;
    const char* strings = nullptr;
    for (const ElfW(Dyn)* entry = map->l_ld; entry->d_tag != DT_NULL; ++entry) {
        if (entry->d_tag == DT_STRTAB) {
            // ld.so relocates the dynamic section in place on most targets; where it does not, the value
            // is still relative to the load address.
            const ElfW(Addr) address = entry->d_un.d_ptr;
            strings = reinterpret_cast<const char*>(address < map->l_addr ? address + map->l_addr : address);
        }
    }
    if (!strings)
        return needed;
    for (const ElfW(Dyn)* entry = map->l_ld; entry->d_tag != DT_NULL; ++entry) {
        if (entry->d_tag == DT_NEEDED)
            needed.emplace_back(strings + entry->d_un.d_val);
    }
    return needed;
}

bool needsHeavyRuntime(const std::vector<std::string>& needed)
{
    static const char* const prefixes[] = {"libtorch", "libc10", "libQt"};
    return std::any_of(needed.begin(), needed.end(), [](const std::string& name) {
        return std::any_of(std::begin(prefixes), std::end(prefixes),
                           [&name](const char* prefix) { return name.rfind(prefix, 0) == 0; });
    });
}

} // namespace slt::core
