// Bank-wide metadata as an owned value (the C struct of the SDK only borrows), and the C view of it that
// open(SLT_BANK_CREATE) needs.
#pragma once

#include <slt/sdk/bank.h>

#include <cstdint>
#include <string>
#include <vector>

namespace slt::core {

struct BankMetadata {
    uint32_t formatVersion = 0;
    std::string uuid;        // empty when creating: the backend generates one
    std::string createdUtc;  // empty when creating: the backend stamps the time
    std::string modelId;
    std::string checkpointHash;
    int32_t mcSamples = 0;
    std::vector<int32_t> classIds;        // [C], probability-column order
    std::vector<std::string> classNames;  // [C]
    std::vector<std::string> classColours; // [C] "#rrggbb"
    std::vector<std::string> metricNames; // [M], score-column order
    int32_t embeddingDim = 0;
    int32_t cropWidth = 0;
    int32_t cropHeight = 0;
    int64_t numPoints = 0;
    int64_t numImages = 0;

    int32_t classes() const { return static_cast<int32_t>(classIds.size()); }
    int32_t metrics() const { return static_cast<int32_t>(metricNames.size()); }
    bool hasCrops() const { return cropWidth > 0 && cropHeight > 0; }
    size_t cropBytes() const { return static_cast<size_t>(cropWidth) * static_cast<size_t>(cropHeight) * 3; }

    static BankMetadata fromC(const slt_bank_metadata& m);
};

// The C view of a BankMetadata; valid while both objects live and the metadata is unchanged.
class BankMetadataView {
public:
    explicit BankMetadataView(const BankMetadata& metadata);
    BankMetadataView(const BankMetadataView&) = delete;
    BankMetadataView& operator=(const BankMetadataView&) = delete;
    const slt_bank_metadata* get() const { return &view_; }

private:
    std::vector<const char*> classNames_, classColours_, metricNames_;
    slt_bank_metadata view_{};
};

} // namespace slt::core
