/* SLT plugin SDK: the host handle and its services (log, settings, paths).
 *
 * The host gives every plugin its own `slt_host` in init(); services are looked up by string id with
 * a revision ("slt.log/1"). A service table is static on the host side and valid until the plugin's
 * deinit() returns. Every service call takes the plugin's own `slt_host*` so the host knows who calls.
 */
#ifndef SLT_SDK_HOST_H
#define SLT_SDK_HOST_H

#include "abi.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct slt_host {
    uint32_t struct_size;     /* sizeof(slt_host) as compiled into the host */
    uint16_t abi_major;       /* the host's SLT_ABI_MAJOR */
    uint16_t abi_minor;       /* the host's SLT_ABI_MINOR */
    const char* host_name;    /* "slt", "slt-cli", ...; host-owned, valid until deinit() */
    const char* host_version; /* the application version; host-owned, valid until deinit() */
    void* host_data;          /* opaque to the plugin; never touch */

    /* Returns the service table for `service_id` (e.g. SLT_SERVICE_LOG), or NULL when the host does not
     * offer it. Thread-safe. The returned table is immutable and valid until deinit(). */
    const void* (*get_service)(const struct slt_host* host, const char* service_id);
} slt_host;

/* ---- slt.log/1: write to the host's log (shown in the GUI's log and in slt-cli -v) -------------- */
#define SLT_SERVICE_LOG "slt.log/1"

typedef enum slt_log_level {
    SLT_LOG_DEBUG = 0,
    SLT_LOG_INFO = 1,
    SLT_LOG_WARNING = 2,
    SLT_LOG_ERROR = 3
} slt_log_level;

typedef struct slt_log_service {
    uint32_t struct_size;
    /* `message` is borrowed for the call (UTF-8, NUL-terminated). Thread-safe, any thread. */
    void (*log)(const slt_host* host, slt_log_level level, const char* message);
} slt_log_service;

/* ---- slt.settings/1: the plugin's own settings ---------------------------------------------------
 * Keys are the `key`s of the manifest's [[settings]] entries. The value is the user's choice, or the
 * manifest's default. Thread-safe, any thread. */
#define SLT_SERVICE_SETTINGS "slt.settings/1"

typedef struct slt_settings_service {
    uint32_t struct_size;
    /* Copies the value as text into `out` (capacity `capacity`, NUL-terminated) and stores the
     * required size including the NUL in `*required` (if not NULL). Returns SLT_ERR_NOT_FOUND for an
     * unknown key, SLT_ERR_BUFFER_TOO_SMALL when it did not fit (then `out` holds a truncated copy). */
    slt_status (*get_string)(const slt_host* host, const char* key, char* out, size_t capacity,
                             size_t* required);
    /* Typed reads; SLT_ERR_NOT_FOUND for an unknown key, SLT_ERR_FORMAT when the value has another
     * type. `out` is written only on SLT_OK. */
    slt_status (*get_int)(const slt_host* host, const char* key, int64_t* out);
    slt_status (*get_double)(const slt_host* host, const char* key, double* out);
    slt_status (*get_bool)(const slt_host* host, const char* key, int* out);
} slt_settings_service;

/* ---- slt.paths/1: folders the plugin may use ---------------------------------------------------- */
#define SLT_SERVICE_PATHS "slt.paths/1"

typedef enum slt_path_kind {
    SLT_PATH_PLUGIN_DIR = 0, /* the folder holding plugin.toml and the library; read-only */
    SLT_PATH_DATA_DIR = 1,   /* a writable folder for this plugin's persistent data (created on demand) */
    SLT_PATH_CACHE_DIR = 2,  /* a writable folder for caches that may be deleted at any time */
    SLT_PATH_TEMP_DIR = 3    /* a writable folder for temporary files of this process */
} slt_path_kind;

typedef struct slt_paths_service {
    uint32_t struct_size;
    /* Returns an absolute UTF-8 path, host-owned and valid until deinit(); NULL for an unknown kind.
     * Thread-safe. */
    const char* (*get)(const slt_host* host, slt_path_kind kind);
} slt_paths_service;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* SLT_SDK_HOST_H */
