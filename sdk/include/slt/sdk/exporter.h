/* SLT plugin SDK: exporters ("slt.exporter/1") write labelled points to a file format (SPEC E1-E2)
 * and may import point labels from it.
 *
 * Export is begin() once, write() any number of batches, finish() once. The host only ever passes
 * real labels: unlabelled and unsure points are never written, artefacts only when the user asked
 * for them (E2); an exporter must not re-filter. Import reads a file and hands every point to a host
 * callback, which maps image and class names onto the project.
 *
 * Threads: one exporter instance is used by one thread at a time.
 */
#ifndef SLT_SDK_EXPORTER_H
#define SLT_SDK_EXPORTER_H

#include "abi.h"
#include "host.h"
#include "job.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SLT_EXPORTER_FACTORY_ID "slt.exporter/1"

enum {
    SLT_EXPORTER_CAN_EXPORT = 1u << 0, /* begin/write/finish work */
    SLT_EXPORTER_CAN_IMPORT = 1u << 1  /* import_labels works */
};

/* What the file describes, borrowed for the begin() call (copy what you keep). */
typedef struct slt_export_header {
    uint32_t struct_size;
    int32_t num_classes;              /* entries of the class schema */
    const int32_t* class_ids;         /* [num_classes] ids as in SPEC "Classes" (artefact -3, ...) */
    const char* const* class_names;   /* [num_classes] UTF-8 */
    const char* const* class_colours; /* [num_classes] "#rrggbb" */
    int64_t num_images;
    const char* const* image_names;   /* [num_images] image/slide names; points refer to them by index */
    int32_t num_metrics;
    const char* const* metric_names;  /* [num_metrics] names of the score columns */
    int32_t include_artefacts;        /* the user's option; the host has already filtered (E2) */
} slt_export_header;

/* A batch of labelled points, columns borrowed for the write() call. */
typedef struct slt_export_points {
    uint32_t struct_size;
    int64_t count;
    const int32_t* image_index; /* [count] index into header.image_names */
    const float* x;             /* [count] level-0 pixel column */
    const float* y;             /* [count] level-0 pixel row */
    const int32_t* class_id;    /* [count] a class id from the header's schema */
    const int32_t* cluster_id;  /* [count] the cluster the point was labelled in; -1 = none */
    const float* scores;        /* [count, num_metrics] or NULL when the user left scores out */
} slt_export_points;

/* One imported point, borrowed for the callback. */
typedef struct slt_import_point {
    uint32_t struct_size;
    const char* image_name; /* UTF-8, as written in the file */
    float x;                /* level-0 pixel column */
    float y;                /* level-0 pixel row */
    const char* class_name; /* UTF-8 class name as written in the file; NULL when only an id is known */
    int32_t class_id;       /* class id when the format stores one, else INT32_MIN */
} slt_import_point;

/* Host-owned receiver of imported points, valid for the import_labels() call. */
typedef struct slt_import_sink {
    uint32_t struct_size;
    void* user; /* host data, passed back unchanged */
    /* Called once per point, on the thread that called import_labels(). A non-OK return (with a
     * message in err) stops the import; import_labels() then returns that status. */
    slt_status (*point)(const struct slt_import_sink* sink, const slt_import_point* point,
                        slt_error* err);
} slt_import_sink;

typedef struct slt_exporter slt_exporter;

typedef struct slt_exporter_factory {
    uint32_t struct_size;
    uint32_t capabilities;         /* SLT_EXPORTER_* flags */
    const char* format_name;       /* "QuPath GeoJSON"; static storage */
    const char* default_extension; /* "geojson", without the dot; static storage */
    const char* file_filter;       /* "QuPath GeoJSON (*.geojson *.json)"; static storage */

    /* Creates an instance; options come from the settings service. `*out` is caller-owned, freed
     * with destroy. */
    slt_status (*create)(const slt_host* host, slt_exporter** out, slt_error* err);

    /* Frees the instance. If begin() succeeded but finish() did not, the exporter removes its
     * partial output file. NULL is ignored. */
    void (*destroy)(slt_exporter* exporter);

    /* Starts a file at `path` (UTF-8), replacing it. */
    slt_status (*begin)(slt_exporter* exporter, const char* path, const slt_export_header* header,
                        slt_error* err);

    /* Writes one batch; only between begin() and finish(). */
    slt_status (*write)(slt_exporter* exporter, const slt_export_points* points, slt_error* err);

    /* Completes and closes the file; after SLT_OK the file is whole on disk. */
    slt_status (*finish)(slt_exporter* exporter, slt_error* err);

    /* Reads point labels from `path` and passes each to `sink`. SLT_ERR_UNSUPPORTED when the
     * exporter lacks SLT_EXPORTER_CAN_IMPORT. `job` may be NULL. */
    slt_status (*import_labels)(slt_exporter* exporter, const char* path,
                                const slt_import_sink* sink, const slt_job* job, slt_error* err);
} slt_exporter_factory;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* SLT_SDK_EXPORTER_H */
