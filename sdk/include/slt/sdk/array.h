/* SLT plugin SDK: a borrowed n-dimensional array view (a small DLPack-like struct).
 *
 * Arrays cross the boundary as views: the owner (usually the host) keeps the memory alive for the
 * duration of the call that receives the view; the callee never frees it and never keeps the pointer
 * after the call returns. Input views are read-only by contract; output views are host-allocated
 * buffers the callee fills. Strides are in ELEMENTS (not bytes), C order is
 * strides[i] = shape[i+1] * strides[i+1], strides[ndim-1] = 1.
 */
#ifndef SLT_SDK_ARRAY_H
#define SLT_SDK_ARRAY_H

#include "abi.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum slt_dtype {
    SLT_DTYPE_F32 = 1, /* IEEE float32 */
    SLT_DTYPE_F16 = 2, /* IEEE float16, stored as uint16_t bits */
    SLT_DTYPE_I32 = 3,
    SLT_DTYPE_I64 = 4,
    SLT_DTYPE_U8 = 5
} slt_dtype;

#define SLT_ARRAY_MAX_DIMS 6

typedef struct slt_array {
    void* data;                            /* first element; borrowed (see above); may be NULL if empty */
    slt_dtype dtype;                       /* element type */
    int32_t ndim;                          /* number of dimensions, 0..SLT_ARRAY_MAX_DIMS */
    int64_t shape[SLT_ARRAY_MAX_DIMS];     /* extent of each dimension; entries >= ndim are ignored */
    int64_t strides[SLT_ARRAY_MAX_DIMS];   /* step in elements per dimension; entries >= ndim ignored */
} slt_array;

/* Size of one element in bytes, 0 for an unknown dtype. */
static inline size_t slt_dtype_size(slt_dtype dtype)
{
    switch (dtype) {
    case SLT_DTYPE_F32: return 4;
    case SLT_DTYPE_F16: return 2;
    case SLT_DTYPE_I32: return 4;
    case SLT_DTYPE_I64: return 8;
    case SLT_DTYPE_U8: return 1;
    default: return 0;
    }
}

/* Number of elements (product of the shape; 1 for ndim == 0). */
static inline int64_t slt_array_count(const slt_array* a)
{
    int64_t n = 1;
    int32_t i;
    for (i = 0; i < a->ndim; ++i) n *= a->shape[i];
    return n;
}

/* Non-zero when the view is dense and in C order. */
static inline int slt_array_is_contiguous(const slt_array* a)
{
    int64_t expected = 1;
    int32_t i;
    for (i = a->ndim - 1; i >= 0; --i) {
        if (a->shape[i] != 1 && a->strides[i] != expected) return 0;
        expected *= a->shape[i];
    }
    return 1;
}

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* SLT_SDK_ARRAY_H */
