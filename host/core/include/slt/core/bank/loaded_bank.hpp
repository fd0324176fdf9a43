// A bank opened for the labelling engine: its metadata and the columns the engine needs in memory as
// contiguous arrays (SPEC B5). Each chosen column is read with ONE whole-column read_points call straight
// into its final buffer: no intermediate copies. Crops stay in the file and are read one at a time, when
// shown; the bank file stays open for that.
#pragma once

#include "slt/core/bank/bank_backend.hpp"
#include "slt/core/bank/bank_metadata.hpp"
#include "slt/core/bank/column_buffer.hpp"
#include "slt/core/result.hpp"

#include <optional>
#include <string>

namespace slt::core {

// Which columns to load (bit flags).
enum BankColumn : unsigned {
    ColumnImageIndex = 1u << 0,
    ColumnX = 1u << 1,
    ColumnY = 1u << 2,
    ColumnPredictedClass = 1u << 3,
    ColumnMeanProbs = 1u << 4,
    ColumnScores = 1u << 5,
    ColumnEmbeddings = 1u << 6,
    AllColumns = (1u << 7) - 1
};

class LoadedBank {
public:
    // Opens `path` read-only with `backend` and loads `columns`. Fails with a message for an unreadable
    // bank, inconsistent metadata or arrays too large to allocate.
    static Result<LoadedBank> load(const BankBackend& backend, const QString& path, unsigned columns = AllColumns,
                                   const slt_job* job = nullptr);

    const BankMetadata& metadata() const { return metadata_; }
    const BankBackend& backend() const { return backend_; }
    int64_t size() const { return metadata_.numPoints; }
    unsigned loadedColumns() const { return columns_; }

    // Empty unless loaded. 2-D columns are row-major: row r starts at r * width.
    const ColumnBuffer<int32_t>& imageIndex() const { return imageIndex_; }
    const ColumnBuffer<float>& x() const { return x_; }
    const ColumnBuffer<float>& y() const { return y_; }
    const ColumnBuffer<int32_t>& predictedClass() const { return predictedClass_; }
    const ColumnBuffer<float>& meanProbs() const { return meanProbs_; }   // [N, C]
    const ColumnBuffer<float>& scores() const { return scores_; }         // [N, M]
    const ColumnBuffer<float>& embeddings() const { return embeddings_; } // [N, D]

    // Bytes held by the loaded columns.
    size_t columnBytes() const;

    // The crop of one point, read from the file now (one read_crop call).
    Result<sdk::host::CropBytes> crop(int64_t index, slt_crop_format format = SLT_CROP_ENCODED);
    // The name of image `index`; empty when out of range.
    std::string imageName(int64_t index);

private:
    LoadedBank(BankBackend backend, sdk::host::BankProxy proxy, BankMetadata metadata);
    Status allocate(unsigned columns);
    Status readAll(const slt_job* job);

    BankBackend backend_;
    std::optional<sdk::host::BankProxy> proxy_;
    BankMetadata metadata_;
    unsigned columns_ = 0;
    ColumnBuffer<int32_t> imageIndex_;
    ColumnBuffer<float> x_, y_;
    ColumnBuffer<int32_t> predictedClass_;
    ColumnBuffer<float> meanProbs_, scores_, embeddings_;
};

// Checks what a reader relies on before allocating: non-negative counts, C >= 1, class arrays of C
// entries. A message naming the first problem, or empty.
QString metadataProblem(const BankMetadata& metadata);

} // namespace slt::core
