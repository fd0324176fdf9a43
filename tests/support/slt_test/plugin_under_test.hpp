// For tests of one plugin library: load it the way a host does (dlopen + entry + init) and give it a host
// whose settings service answers from maps the test fills. Header-only; link Slt::plugin_test_support.
#pragma once

#include <slt/sdk/host.h>

#include <catch2/catch.hpp>
#include <dlfcn.h>

#include <map>
#include <string>

namespace slt::test {

// The entry of the plugin library at `path`, loaded once per process and initialised without a host.
// The library stays loaded until the process ends.
inline const slt_plugin_entry* loadPluginEntry(const char* path)
{
    void* library = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    INFO(path << ": " << (library ? "" : dlerror()));
    REQUIRE(library != nullptr);
    auto entryFunction = reinterpret_cast<slt_plugin_entry_fn>(dlsym(library, SLT_PLUGIN_ENTRY_SYMBOL));
    REQUIRE(entryFunction != nullptr);
    const slt_plugin_entry* entry = entryFunction();
    REQUIRE(entry != nullptr);
    REQUIRE(entry->init(nullptr, nullptr) == SLT_OK);
    return entry;
}

// A host offering only the settings service, answering from `ints` and `bools` (other keys: not found).
// One per process (the C callbacks reach it through a static pointer); fill the maps before creating the
// plugin object that reads them.
class SettingsHost {
public:
    std::map<std::string, int64_t> ints;
    std::map<std::string, bool> bools;

    SettingsHost() { current() = this; }
    ~SettingsHost() { current() = nullptr; }
    SettingsHost(const SettingsHost&) = delete;
    SettingsHost& operator=(const SettingsHost&) = delete;

    const slt_host* host() const { return &host_; }

private:
    static SettingsHost*& current()
    {
        static SettingsHost* instance = nullptr;
        return instance;
    }
    static slt_status getInt(const slt_host*, const char* key, int64_t* out)
    {
        const auto found = current()->ints.find(key);
        if (found == current()->ints.end()) return SLT_ERR_NOT_FOUND;
        *out = found->second;
        return SLT_OK;
    }
    static slt_status getBool(const slt_host*, const char* key, int* out)
    {
        const auto found = current()->bools.find(key);
        if (found == current()->bools.end()) return SLT_ERR_NOT_FOUND;
        *out = found->second ? 1 : 0;
        return SLT_OK;
    }
    static const void* getService(const slt_host*, const char* id)
    {
        static const slt_settings_service settings = {sizeof(slt_settings_service), nullptr, &getInt, nullptr, &getBool};
        return std::string(id) == SLT_SERVICE_SETTINGS ? &settings : nullptr;
    }

    slt_host host_ = {sizeof(slt_host), SLT_ABI_MAJOR, SLT_ABI_MINOR, "test", "0", nullptr, &getService};
};

} // namespace slt::test
