// SLT plugin SDK, C++ helpers: the plugin entry. One macro turns C++ classes into the exported
// `slt_plugin_entry_v1`:
//
//     SLT_PLUGIN("org.example.sampler.top-score", "1.0.0", TopScoreSampler)
//
// Each class after the version derives from one kind base (slt::sdk::Sampler, Metric, Bank, Exporter,
// Model); its kind header maps it onto its factory id. A plugin may provide one class per kind.
// SLT_PLUGIN_WITH_INIT adds a function `void f(const slt::sdk::Host&)` run in init(); whatever it
// throws becomes init's status and message. Header-only.
#pragma once

#include "../abi.h"
#include "error.hpp"
#include "host.hpp"

#include <cstring>

namespace slt::sdk {

// Maps a plugin class onto its C factory table. Specialised by each kind header for classes derived
// from that kind's base: { static constexpr const char* factory_id; static const void* table(); }.
template <class T, class Enable = void>
struct KindTraits;

using InitHook = void (*)(const Host&);

// The host handle given to init(); null before init and after deinit.
inline const slt_host*& plugin_host()
{
    static const slt_host* host = nullptr;
    return host;
}

namespace detail {

inline InitHook& init_hook()
{
    static InitHook hook = nullptr;
    return hook;
}

inline slt_status plugin_init(const slt_host* host, slt_error* err)
{
    return guard(err, [&] {
        plugin_host() = host;
        if (InitHook hook = init_hook()) hook(Host(host));
    });
}

inline void plugin_deinit() { plugin_host() = nullptr; }

template <class... Kinds>
const void* plugin_get_factory(const char* factory_id)
{
    if (!factory_id) return nullptr;
    const void* found = nullptr;
    // First class whose kind matches wins.
    ((found == nullptr && std::strcmp(factory_id, KindTraits<Kinds>::factory_id) == 0
          ? (void)(found = KindTraits<Kinds>::table())
          : (void)0),
     ...);
    return found;
}

template <class... Kinds>
const slt_plugin_entry* plugin_entry(const char* id, const char* version, InitHook hook)
{
    init_hook() = hook;
    static const slt_plugin_entry entry = {
        sizeof(slt_plugin_entry), SLT_ABI_MAJOR, SLT_ABI_MINOR, id, version,
        &plugin_init, &plugin_deinit, &plugin_get_factory<Kinds...>};
    return &entry;
}

} // namespace detail
} // namespace slt::sdk

#define SLT_PLUGIN_WITH_INIT(ID, VERSION, INIT, ...)                                         \
    extern "C" SLT_EXPORT const slt_plugin_entry* slt_plugin_entry_v1(void)                  \
    {                                                                                        \
        return ::slt::sdk::detail::plugin_entry<__VA_ARGS__>(ID, VERSION, INIT);             \
    }

#define SLT_PLUGIN(ID, VERSION, ...) SLT_PLUGIN_WITH_INIT(ID, VERSION, nullptr, __VA_ARGS__)
