// For tests of one plugin library: load it the way a host does (dlopen + entry + init) and give it a host
// whose settings service answers from a map the test fills. Header-only; link Slt::plugin_test_support.
#pragma once

#include <slt/sdk/host.h>

#include <catch2/catch.hpp>
#include <dlfcn.h>

#include <cstring>
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

// A host offering only the settings service, answering from `values` (text; numbers and booleans — "true",
// "false", "1", "0" — parsed on demand; other keys: not found). The C callbacks reach the SettingsHost whose
// host() was asked for last; keep it alive as long as the plugin object made with that host.
class SettingsHost {
public:
    std::map<std::string, std::string> values;

    const slt_host* host() const
    {
        current() = this;
        return &kHost;
    }

private:
    static const SettingsHost*& current()
    {
        static const SettingsHost* instance = nullptr;
        return instance;
    }
    static const std::string* find(const char* key)
    {
        const auto found = current()->values.find(key);
        return found == current()->values.end() ? nullptr : &found->second;
    }
    static slt_status getString(const slt_host*, const char* key, char* out, size_t capacity, size_t* required)
    {
        const std::string* value = find(key);
        if (!value) return SLT_ERR_NOT_FOUND;
        if (required) *required = value->size() + 1;
        if (capacity < value->size() + 1) return SLT_ERR_BUFFER_TOO_SMALL;
        std::memcpy(out, value->c_str(), value->size() + 1);
        return SLT_OK;
    }
    static slt_status getInt(const slt_host*, const char* key, int64_t* out)
    {
        const std::string* value = find(key);
        if (!value) return SLT_ERR_NOT_FOUND;
        *out = std::stoll(*value);
        return SLT_OK;
    }
    static slt_status getDouble(const slt_host*, const char* key, double* out)
    {
        const std::string* value = find(key);
        if (!value) return SLT_ERR_NOT_FOUND;
        *out = std::stod(*value);
        return SLT_OK;
    }
    static slt_status getBool(const slt_host*, const char* key, int* out)
    {
        const std::string* value = find(key);
        if (!value) return SLT_ERR_NOT_FOUND;
        if (*value != "true" && *value != "false" && *value != "1" && *value != "0") return SLT_ERR_FORMAT;
        *out = (*value == "true" || *value == "1") ? 1 : 0;
        return SLT_OK;
    }
    static const void* getService(const slt_host*, const char* id)
    {
        static const slt_settings_service settings = {sizeof(slt_settings_service), &getString, &getInt, &getDouble,
                                                      &getBool};
        return std::strcmp(id, SLT_SERVICE_SETTINGS) == 0 ? &settings : nullptr;
    }
    static inline const slt_host kHost = {sizeof(slt_host), SLT_ABI_MAJOR, SLT_ABI_MINOR, "test", "0", nullptr,
                                          &getService};
};

} // namespace slt::test
