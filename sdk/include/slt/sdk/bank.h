/* SLT plugin SDK: memory-bank backends ("slt.bank/1") store the candidate points of one inference run
 * in one file (SPEC B1-B5, ARCHITECTURE §6).
 *
 * A bank holds, per point: image (slide) index, x, y, predicted class, mean class probabilities [C],
 * one score per metric [M], an embedding [D] and a display crop; per bank: the metadata below, the
 * image-name table and free-form text attributes (calibration maps, build progress for resuming).
 * Points are read and written in batches of columns; the host allocates every buffer. Crops are only
 * read one at a time, when shown (B5).
 *
 * Threads: one bank instance is used by one thread at a time. For concurrent reads (for example crop
 * decoding on workers) the host opens the same file several times in SLT_BANK_READ mode; a backend
 * must allow any number of readers while no writer has the file open.
 */
#ifndef SLT_SDK_BANK_H
#define SLT_SDK_BANK_H

#include "abi.h"
#include "host.h"
#include "job.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SLT_BANK_FACTORY_ID "slt.bank/1"

typedef enum slt_bank_mode {
    SLT_BANK_READ = 0,   /* open an existing bank read-only */
    SLT_BANK_CREATE = 1, /* create a new bank; fails with SLT_ERR_IO if the file exists */
    SLT_BANK_APPEND = 2  /* open an existing bank to append points (resuming a build, merging) */
} slt_bank_mode;

/* What the backend can do (slt_bank_factory::capabilities). */
enum {
    SLT_BANK_CAN_WRITE = 1u << 0, /* supports SLT_BANK_CREATE and SLT_BANK_APPEND (importers do not) */
    SLT_BANK_HAS_CROPS = 1u << 1  /* stores display crops (read_crop works) */
};

/* Bank-wide metadata. As an OUTPUT of get_metadata() every pointer is owned by the bank and valid
 * until the bank is closed or the next write call on it (append_points, append_images,
 * set_attribute). As an INPUT of open(SLT_BANK_CREATE) every pointer is borrowed for the call;
 * `uuid` and `created_utc` may be NULL (the backend generates them) and the counts of points and
 * images are ignored. Arrays of names have exactly the stated number of entries. */
typedef struct slt_bank_metadata {
    uint32_t struct_size;           /* sizeof(slt_bank_metadata) as compiled into the writer */
    uint32_t format_version;        /* the backend's file format version (output only) */
    const char* uuid;               /* unique id of this bank, e.g. "3f2b...-..." */
    const char* created_utc;        /* ISO 8601 UTC creation time, "2026-01-31T12:00:00Z" */
    const char* model_id;           /* the model plugin id and architecture that produced it */
    const char* checkpoint_hash;    /* hex digest of the checkpoint file */
    int32_t mc_samples;             /* T, Monte-Carlo passes used for the scores */
    int32_t num_classes;            /* C */
    const int32_t* class_ids;       /* [C] class ids of the schema, in probability-column order */
    const char* const* class_names; /* [C] UTF-8 names */
    const char* const* class_colours; /* [C] "#rrggbb" */
    int32_t num_metrics;            /* M */
    const char* const* metric_names;  /* [M] metric names (slt_metric_info::name), column order */
    int32_t embedding_dim;          /* D; 0 when the bank stores no embeddings */
    int32_t crop_width;             /* display crop size in pixels; 0 when the bank has no crops */
    int32_t crop_height;
    int64_t num_points;             /* points stored (output only) */
    int64_t num_images;             /* entries of the image-name table (output only) */
} slt_bank_metadata;

/* A batch of point records as columns, for reading. The host allocates every non-NULL column with
 * room for `count` rows and sets the columns it does not want to NULL: so a whole-column read (say,
 * all scores) streams without touching embeddings. Row r of a 2-D column starts at r * width.
 * Coordinates are level-0 pixel positions in the image (x = column, y = row). */
typedef struct slt_bank_columns {
    uint32_t struct_size;
    int64_t count;             /* rows to read */
    int32_t* image_index;      /* [count] index into the image-name table */
    float* x;                  /* [count] */
    float* y;                  /* [count] */
    int32_t* predicted_class;  /* [count] index into the class schema (probability column) */
    float* mean_probs;         /* [count, C] */
    float* scores;             /* [count, M] */
    float* embeddings;         /* [count, D] */
} slt_bank_columns;

/* A batch of point records for writing; every column is borrowed for the call and must be non-NULL
 * except `embeddings` (when D is 0) and `crops` (when the bank has no crops). */
typedef struct slt_bank_points {
    uint32_t struct_size;
    int64_t count;
    const int32_t* image_index;     /* [count], each < num_images */
    const float* x;                 /* [count] */
    const float* y;                 /* [count] */
    const int32_t* predicted_class; /* [count] */
    const float* mean_probs;        /* [count, C] */
    const float* scores;            /* [count, M] */
    const float* embeddings;        /* [count, D] */
    const uint8_t* crops;           /* [count, crop_height, crop_width, 3] RGB; encoding is the backend's choice */
} slt_bank_points;

typedef enum slt_crop_format {
    SLT_CROP_ENCODED = 0, /* the stored bytes as they are (PNG or JPEG, see slt_crop_info::encoding) */
    SLT_CROP_RGB = 1      /* decoded, u8 [height, width, 3] */
} slt_crop_format;

typedef struct slt_crop_info {
    uint32_t struct_size;
    int32_t width;        /* pixels */
    int32_t height;
    const char* encoding; /* "png", "jpeg" or "rgb" (uncompressed); static storage */
    size_t size;          /* bytes needed for the requested format */
} slt_crop_info;

typedef struct slt_bank slt_bank; /* one open bank file */

typedef struct slt_bank_factory {
    uint32_t struct_size;
    uint32_t capabilities;        /* SLT_BANK_* flags */
    const char* format_name;      /* "HDF5 bank"; static storage */
    const char* default_extension; /* without the dot, "h5"; static storage */
    const char* file_filter;      /* for file dialogs: "HDF5 bank (*.h5 *.hdf5)"; static storage */

    /* How confident the backend is that it can read `path`, from 0 (no) to 1 (certain), from the
     * file's magic bytes and structure, not its name alone. Never fails, never throws; an unreadable
     * file gives 0. Thread-safe, callable without an instance. */
    float (*probe)(const char* path);

    /* Opens (or creates) the bank at `path` (UTF-8). `metadata` is required for SLT_BANK_CREATE and
     * ignored otherwise. On success stores the instance in `*out` (caller-owned, freed with close).
     * SLT_ERR_IO: cannot open/create; SLT_ERR_FORMAT: not a bank of this backend or a newer format;
     * SLT_ERR_UNSUPPORTED: a write mode on a read-only backend. */
    slt_status (*open)(const slt_host* host, const char* path, slt_bank_mode mode,
                       const slt_bank_metadata* metadata, slt_bank** out, slt_error* err);

    /* Flushes (in write modes) and frees the instance; returns the flush status. After it returns
     * `bank` is gone, whatever the status. NULL is ignored. */
    slt_status (*close)(slt_bank* bank, slt_error* err);

    /* Fills `*out` (the caller sets out->struct_size) with borrowed metadata, see slt_bank_metadata. */
    slt_status (*get_metadata)(slt_bank* bank, slt_bank_metadata* out, slt_error* err);

    /* The image (slide) name of `index` in [0, num_images): a UTF-8 name, owned by the bank, valid
     * like the metadata; NULL when out of range. */
    const char* (*image_name)(slt_bank* bank, int64_t index);

    /* Reads rows [first, first + columns->count) into the non-NULL columns of `columns`.
     * SLT_ERR_INVALID_ARGUMENT when the range exceeds num_points. `job` may be NULL. */
    slt_status (*read_points)(slt_bank* bank, int64_t first, slt_bank_columns* columns,
                              const slt_job* job, slt_error* err);

    /* Reads the crop of point `index`. With `out` NULL it only fills `*info` (size query). Otherwise
     * writes `info->size` bytes into `out` (host-allocated, `capacity` bytes) or returns
     * SLT_ERR_BUFFER_TOO_SMALL with `info->size` set. SLT_ERR_NOT_FOUND when the bank has no crops. */
    slt_status (*read_crop)(slt_bank* bank, int64_t index, slt_crop_format format, uint8_t* out,
                            size_t capacity, slt_crop_info* info, slt_error* err);

    /* Appends names to the image table; the first new name gets index num_images (as before the
     * call). Write modes only. */
    slt_status (*append_images)(slt_bank* bank, const char* const* names, int64_t count,
                                slt_error* err);

    /* Appends a batch of points at the end (write modes only). Either the whole batch is stored or,
     * on error, none of it is visible after reopening. */
    slt_status (*append_points)(slt_bank* bank, const slt_bank_points* points, slt_error* err);

    /* Free-form UTF-8 text attributes by key ([a-z0-9_./-]+), e.g. "calibration/bald" (JSON) or
     * "build/progress". get copies the value into `out` (capacity bytes, NUL-terminated) and stores
     * the needed size including the NUL in `*required`; SLT_ERR_NOT_FOUND for an absent key,
     * SLT_ERR_BUFFER_TOO_SMALL when it did not fit. set replaces the value (write modes only). */
    slt_status (*get_attribute)(slt_bank* bank, const char* key, char* out, size_t capacity,
                                size_t* required, slt_error* err);
    slt_status (*set_attribute)(slt_bank* bank, const char* key, const char* value,
                                slt_error* err);

    /* Makes everything appended so far durable (a crash afterwards loses nothing of it). */
    slt_status (*flush)(slt_bank* bank, slt_error* err);
} slt_bank_factory;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* SLT_SDK_BANK_H */
