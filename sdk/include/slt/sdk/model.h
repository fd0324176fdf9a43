/* SLT plugin SDK: models ("slt.model/1") segment H&E patches from point labels and predict
 * Monte-Carlo samples of class probabilities plus embeddings (SPEC M1-M10).
 *
 * A model is created from a configuration (TOML text, the plugin's own schema), describes itself,
 * loads and saves checkpoints, trains from a dataset the host serves through callbacks, and predicts
 * T stochastic passes for a batch of images into host-allocated arrays whose shapes it reports first.
 * Images cross as u8 RGB [B, H, W, 3]; normalisation is the model's business.
 *
 * Threads: one model instance is used by one thread at a time; the plugin may use its own worker
 * threads inside a call (and report through the job from any of them).
 */
#ifndef SLT_SDK_MODEL_H
#define SLT_SDK_MODEL_H

#include "abi.h"
#include "array.h"
#include "host.h"
#include "job.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SLT_MODEL_FACTORY_ID "slt.model/1"

enum {
    SLT_MODEL_CAN_TRAIN = 1u << 0,      /* train() works (a TorchScript import model may lack it) */
    SLT_MODEL_STOCHASTIC = 1u << 1,     /* predict() with T > 1 gives distinct MC samples */
    SLT_MODEL_DISTRIBUTED = 1u << 2     /* train() honours rank/world_size (SPEC M10) */
};

/* What a model instance is. Every pointer is owned by the model and valid until the next call that
 * changes it (load_checkpoint) or destroy. The caller sets struct_size before describe(). */
typedef struct slt_model_info {
    uint32_t struct_size;
    uint32_t capabilities;          /* SLT_MODEL_* flags */
    const char* architecture;       /* e.g. "unet-concrete-dropout depth=4 width=64" */
    int32_t num_classes;            /* C, output channels of the probabilities */
    const int32_t* class_ids;       /* [C] schema ids in output-channel order */
    const char* const* class_names; /* [C] */
    int32_t input_channels;         /* 3 for RGB */
    int32_t input_height;           /* preferred tile size in pixels; 0 = any */
    int32_t input_width;
    int32_t size_multiple;          /* H and W must be multiples of this (e.g. 16 for 4 levels); >= 1 */
    int32_t output_stride;          /* input pixels per probability pixel; 1 = full resolution */
    int32_t embedding_dim;          /* D; 0 when the model gives no embeddings */
    int32_t embedding_stride;       /* input pixels per embedding pixel */
    int32_t default_mc_samples;     /* T to use when the user did not choose (20 for MC dropout) */
} slt_model_info;

/* ---- training data, served by the host ------------------------------------------------------- */

/* One training image with its point labels. All buffers are owned by the dataset and valid until
 * release() is called on this sample. */
typedef struct slt_train_sample {
    uint32_t struct_size;
    slt_array image;             /* u8 [H, W, 3] RGB */
    int64_t num_points;
    const float* point_x;        /* [num_points] pixel column in `image` */
    const float* point_y;        /* [num_points] pixel row in `image` */
    const int32_t* point_class;  /* [num_points] output-channel index (not the schema id) */
    float weight;                /* sample weight (rehearsal mixing, SPEC M7); 1 = normal */
} slt_train_sample;

/* A dataset as callbacks. Host-owned and valid for the train() call. get/release are thread-safe so
 * the plugin may load samples on several workers. */
typedef struct slt_train_dataset {
    uint32_t struct_size;
    void* user; /* host data, passed back unchanged */
    /* Number of samples in the current epoch (may change after begin_epoch). */
    int64_t (*size)(const struct slt_train_dataset* dataset);
    /* Called before each epoch (0-based) so the host can re-mix rehearsal data; may be NULL. */
    slt_status (*begin_epoch)(const struct slt_train_dataset* dataset, int32_t epoch,
                              slt_error* err);
    /* Fills `*out` (caller sets out->struct_size) with sample `index` in [0, size). */
    slt_status (*get)(const struct slt_train_dataset* dataset, int64_t index,
                      slt_train_sample* out, slt_error* err);
    /* Gives the sample's buffers back. Every successful get() is matched by exactly one release(). */
    void (*release)(const struct slt_train_dataset* dataset, slt_train_sample* sample);
} slt_train_dataset;

typedef struct slt_train_options {
    uint32_t struct_size;
    int32_t epochs;
    int32_t batch_size;
    uint64_t seed;                /* every random decision (shuffling, augmentation, dropout) */
    const char* output_dir;       /* checkpoints and CSV logs go here (UTF-8, exists) */
    int32_t resume;               /* non-zero: continue from the last checkpoint in output_dir */
    const char* init_checkpoint;  /* fine-tuning (M7): start from these weights; NULL = from scratch */
    const float* class_weights;   /* [C] loss weights or NULL */
    int32_t num_threads;          /* intra-op threads; 0 = plugin's choice */
    int32_t rank;                 /* data-parallel rank (M10); 0 when alone */
    int32_t world_size;           /* number of processes; 1 when alone */
    const char* dist_init;        /* rendezvous, e.g. "tcp://node1:29500" or a file path; NULL when alone */
} slt_train_options;

/* Metrics of one finished epoch (SPEC M6), borrowed for the callback. NaN = not computed. */
typedef struct slt_epoch_report {
    uint32_t struct_size;
    int32_t epoch;               /* 0-based */
    int32_t num_epochs;
    double train_loss;
    double val_loss;
    double accuracy;             /* validation point accuracy */
    double macro_f1;
    double weighted_f1;
    double cohen_kappa;
    double balanced_accuracy;
    int32_t num_classes;
    const double* class_f1;      /* [num_classes] or NULL */
    const double* class_precision; /* [num_classes] or NULL */
    const double* class_recall;  /* [num_classes] or NULL */
    const int64_t* class_support; /* [num_classes] or NULL */
    int32_t is_best;             /* non-zero when this epoch became the best checkpoint */
    const char* checkpoint_path; /* checkpoint written after this epoch, or NULL */
    int32_t num_extra;           /* further named values, e.g. learned dropout p per layer (M2) */
    const char* const* extra_names;
    const double* extra_values;
} slt_epoch_report;

/* Host-owned receiver of epoch reports, valid for the train() call; called on any one thread at a
 * time. */
typedef struct slt_train_observer {
    uint32_t struct_size;
    void* user;
    void (*epoch_end)(const struct slt_train_observer* observer, const slt_epoch_report* report);
} slt_train_observer;

/* ---- prediction ------------------------------------------------------------------------------- */

/* Output shapes of predict() for a given input, from predict_shape(). */
typedef struct slt_predict_shape {
    uint32_t struct_size;
    int32_t ndim_probs;                /* 5 */
    int64_t probs[SLT_ARRAY_MAX_DIMS]; /* [T, B, C, h, w] of the MC probabilities */
    int32_t ndim_embeddings;           /* 4, or 0 when the model has no embeddings */
    int64_t embeddings[SLT_ARRAY_MAX_DIMS]; /* [B, D, he, we] */
} slt_predict_shape;

typedef struct slt_model slt_model;

typedef struct slt_model_factory {
    uint32_t struct_size;

    /* Creates a model from `config_toml` (UTF-8 TOML text in the plugin's schema; NULL or "" for the
     * defaults), with fresh weights. SLT_ERR_FORMAT with "line:column: ..." for a bad config.
     * `*out` is caller-owned, freed with destroy. */
    slt_status (*create)(const slt_host* host, const char* config_toml, slt_model** out,
                         slt_error* err);

    /* Frees the instance. NULL is ignored. */
    void (*destroy)(slt_model* model);

    /* Fills `*out` with borrowed information, see slt_model_info. */
    slt_status (*describe)(slt_model* model, slt_model_info* out, slt_error* err);

    /* Loads weights (and the architecture stored with them) from `path` (UTF-8). The model checks
     * the architecture and every tensor shape: SLT_ERR_FORMAT on a mismatch, never a silent load. */
    slt_status (*load_checkpoint)(slt_model* model, const char* path, slt_error* err);

    /* Saves weights plus a sidecar describing architecture, classes and input size. */
    slt_status (*save_checkpoint)(slt_model* model, const char* path, slt_error* err);

    /* Trains on `train`, validating on `validation` after each epoch (NULL: no validation; the best
     * model is then the last). Reports each epoch to `observer` (may be NULL) and steps through
     * `job` (may be NULL). On return the model holds the best weights. SLT_ERR_UNSUPPORTED when the
     * model lacks SLT_MODEL_CAN_TRAIN. */
    slt_status (*train)(slt_model* model, const slt_train_dataset* train,
                        const slt_train_dataset* validation, const slt_train_options* options,
                        const slt_train_observer* observer, const slt_job* job, slt_error* err);

    /* The shapes predict() writes for `batch` images of `height` x `width` and `mc_samples` passes.
     * SLT_ERR_INVALID_ARGUMENT for a size that is not a multiple of size_multiple. */
    slt_status (*predict_shape)(slt_model* model, int64_t batch, int64_t height, int64_t width,
                                int32_t mc_samples, slt_predict_shape* out, slt_error* err);

    /* Runs `mc_samples` stochastic passes (1 = deterministic) over `images` (u8 [B, H, W, 3],
     * borrowed), drawing every dropout mask from `seed` (same seed, same inputs: same outputs, so a
     * sharded bank build is reproducible), and writes the per-pass softmax probabilities into `out_probs` (f32, shape from
     * predict_shape, host-allocated) and, when not NULL, the embeddings into `out_embeddings`
     * (f32 [B, D, he, we]). SLT_ERR_INVALID_ARGUMENT for wrong dtypes or shapes. */
    slt_status (*predict)(slt_model* model, const slt_array* images, int32_t mc_samples,
                          uint64_t seed, slt_array* out_probs, slt_array* out_embeddings, const slt_job* job,
                          slt_error* err);
} slt_model_factory;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* SLT_SDK_MODEL_H */
