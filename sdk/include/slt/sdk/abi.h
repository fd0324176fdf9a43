/* SLT plugin SDK, ABI v1: versions, status codes, error buffer, export macro and the plugin entry.
 *
 * The boundary between the SLT host and a plugin is plain C. Nothing C++ crosses it: no exceptions,
 * no std::, Qt or torch types, no RTTI. Every struct that may grow starts with `struct_size`; fields
 * are only ever appended, so a reader checks `struct_size` before touching a newer field.
 *
 * Compiles as C11 and as C++17.
 */
#ifndef SLT_SDK_ABI_H
#define SLT_SDK_ABI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdarg.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- versions ---------------------------------------------------------------------------------
 * The host accepts a plugin when the plugin's ABI major equals the host's and the plugin's minor is
 * not newer than the host's. A minor bump only appends fields or adds new factory ids. */
#define SLT_ABI_MAJOR 1
#define SLT_ABI_MINOR 0

/* ---- export macro -----------------------------------------------------------------------------
 * Plugins are built with hidden visibility; only the entry symbol is exported with SLT_EXPORT. */
#if defined(_WIN32)
#define SLT_EXPORT __declspec(dllexport)
#else
#define SLT_EXPORT __attribute__((visibility("default")))
#endif

/* ---- status codes -----------------------------------------------------------------------------
 * Expected failures are values, never exceptions or aborts. Every fallible call returns one of
 * these and, when it is not SLT_OK, writes a human-readable message into the caller's slt_error. */
typedef int32_t slt_status;
enum {
    SLT_OK = 0,
    SLT_ERR_INVALID_ARGUMENT = 1, /* a parameter is NULL, out of range or inconsistent */
    SLT_ERR_IO = 2,               /* reading or writing a file failed */
    SLT_ERR_FORMAT = 3,           /* a file exists but its content is not what was expected */
    SLT_ERR_UNSUPPORTED = 4,      /* the plugin does not implement this optional call or variant */
    SLT_ERR_CANCELLED = 5,        /* the job was cancelled; partial outputs must not be used */
    SLT_ERR_OUT_OF_MEMORY = 6,
    SLT_ERR_BUFFER_TOO_SMALL = 7, /* an output buffer is too small; the required size was reported */
    SLT_ERR_NOT_FOUND = 8,        /* a key, index, file or service does not exist */
    SLT_ERR_INTERNAL = 9          /* a bug or an unexpected exception inside the plugin */
};

/* A short, stable English name for a status code ("ok", "invalid argument", ...). */
static inline const char* slt_status_name(slt_status s)
{
    switch (s) {
    case SLT_OK: return "ok";
    case SLT_ERR_INVALID_ARGUMENT: return "invalid argument";
    case SLT_ERR_IO: return "i/o error";
    case SLT_ERR_FORMAT: return "format error";
    case SLT_ERR_UNSUPPORTED: return "unsupported";
    case SLT_ERR_CANCELLED: return "cancelled";
    case SLT_ERR_OUT_OF_MEMORY: return "out of memory";
    case SLT_ERR_BUFFER_TOO_SMALL: return "buffer too small";
    case SLT_ERR_NOT_FOUND: return "not found";
    case SLT_ERR_INTERNAL: return "internal error";
    default: return "unknown status";
    }
}

/* ---- error buffer -----------------------------------------------------------------------------
 * Owned by the caller (usually the host), who allocates `message` with `capacity` bytes and keeps it
 * alive for the call. The callee writes a NUL-terminated UTF-8 message, truncated to fit, and never
 * frees or keeps the pointer. `err` itself may be NULL: then the message is dropped.
 * Not shared between threads: one slt_error per call in flight. */
typedef struct slt_error {
    char* message;   /* caller-owned, `capacity` bytes; may be NULL when capacity is 0 */
    size_t capacity; /* bytes available in `message`, including the terminating NUL */
} slt_error;

/* Writes a printf-style message into `err` (if any) and returns `status`, so a plugin can write
 * `return slt_error_set(err, SLT_ERR_IO, "cannot open '%s'", path);`. */
static inline slt_status slt_error_set(slt_error* err, slt_status status, const char* fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static inline slt_status slt_error_set(slt_error* err, slt_status status, const char* fmt, ...)
{
    if (err && err->message && err->capacity > 0) {
        va_list args;
        va_start(args, fmt);
        vsnprintf(err->message, err->capacity, fmt, args);
        va_end(args);
    }
    return status;
}

/* ---- forward declarations ------------------------------------------------------------------- */
struct slt_host; /* host.h */

/* ---- the plugin entry -------------------------------------------------------------------------
 * A plugin library exports exactly one symbol:
 *
 *     SLT_EXPORT const slt_plugin_entry* slt_plugin_entry_v1(void);
 *
 * It returns a pointer to a static, immutable struct that lives as long as the library is loaded.
 * The host calls it once after dlopen, checks struct_size and the ABI version, compares id and
 * version with the manifest (plugin.toml), then calls init() once before any get_factory().
 * init/deinit/get_factory are called from the host's main thread only. */
typedef struct slt_plugin_entry_v1 {
    uint32_t struct_size; /* sizeof(slt_plugin_entry) as compiled into the plugin */
    uint16_t abi_major;   /* SLT_ABI_MAJOR the plugin was built against */
    uint16_t abi_minor;   /* SLT_ABI_MINOR the plugin was built against */
    const char* id;       /* reverse-DNS id, e.g. "org.slt.sampler.random"; static storage */
    const char* version;  /* semantic version "MAJOR.MINOR.PATCH"; static storage */

    /* Called once after load. `host` is valid until deinit() returns; the plugin may keep it.
     * Returns SLT_OK, or a status with a message in `err`; then the plugin is shown as init-failed,
     * deinit() is not called and no factory is requested. */
    slt_status (*init)(const struct slt_host* host, slt_error* err);

    /* Called once before the host forgets the plugin (it may never unload the library). After it
     * returns, no object created by the plugin is used again. May be NULL. */
    void (*deinit)(void);

    /* Returns the factory table for an interface id with revision (e.g. "slt.sampler/1", see the kind
     * headers), or NULL when the plugin does not provide it. The table is static and immutable and
     * lives until deinit(). */
    const void* (*get_factory)(const char* factory_id);
} slt_plugin_entry;

/* The name of the exported entry function, and its type. */
#define SLT_PLUGIN_ENTRY_SYMBOL "slt_plugin_entry_v1"
typedef const slt_plugin_entry* (*slt_plugin_entry_fn)(void);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* SLT_SDK_ABI_H */
