// SLT plugin SDK, C++ helpers: write a bank backend as a C++ class.
//
//     class MyBank : public slt::sdk::Bank {
//     public:
//         static constexpr uint32_t capabilities = SLT_BANK_CAN_WRITE | SLT_BANK_HAS_CROPS;
//         static constexpr const char* format_name = "My bank";
//         static constexpr const char* default_extension = "mybank";
//         static constexpr const char* file_filter = "My bank (*.mybank)";
//         static float probe(const std::string& path);                   // must not throw
//         MyBank(const slt::sdk::Host&, const std::string& path, slt_bank_mode mode,
//                const slt::sdk::BankMetadata* create);                  // create: CREATE mode only
//         ... overrides of the virtuals below ...
//     };
//
// Columns and point batches stay the C structs (plain pointers to host buffers). Header-only.
#pragma once

#include "../bank.h"
#include "error.hpp"
#include "host.hpp"
#include "job.hpp"
#include "plugin.hpp"
#include "schema.hpp"

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

namespace slt::sdk {

struct BankMetadata {
    uint32_t format_version = 0;
    std::string uuid, created_utc, model_id, checkpoint_hash;
    int32_t mc_samples = 0;
    std::vector<ClassInfo> classes;
    std::vector<std::string> metric_names;
    int32_t embedding_dim = 0;
    int32_t crop_width = 0;
    int32_t crop_height = 0;
    int64_t num_points = 0;
    std::vector<std::string> image_names;

    static BankMetadata from_c(const slt_bank_metadata& m)
    {
        BankMetadata out;
        out.format_version = m.format_version;
        out.uuid = detail::text(m.uuid);
        out.created_utc = detail::text(m.created_utc);
        out.model_id = detail::text(m.model_id);
        out.checkpoint_hash = detail::text(m.checkpoint_hash);
        out.mc_samples = m.mc_samples;
        out.classes = detail::classes_from_c(m.num_classes, m.class_ids, m.class_names, m.class_colours);
        out.metric_names = detail::texts(m.metric_names, m.num_metrics);
        out.embedding_dim = m.embedding_dim;
        out.crop_width = m.crop_width;
        out.crop_height = m.crop_height;
        out.num_points = m.num_points;
        return out;
    }
};

struct Crop {
    int32_t width = 0;
    int32_t height = 0;
    const char* encoding = "rgb"; // static storage: "png", "jpeg", "rgb"
    std::vector<uint8_t> bytes;
};

class Bank {
public:
    virtual ~Bank() = default;
    virtual BankMetadata metadata() = 0;
    virtual void read_points(int64_t first, slt_bank_columns& columns, const Job& job) = 0;
    // The crop of point `index` in `format`; throw Error(SLT_ERR_NOT_FOUND) without crops.
    virtual Crop read_crop(int64_t index, slt_crop_format format) = 0;
    virtual std::optional<std::string> attribute(const std::string& key) = 0;
    // Write calls: the defaults refuse (read-only backends).
    virtual void append_images(const std::vector<std::string>&) { read_only(); }
    virtual void append_points(const slt_bank_points&) { read_only(); }
    virtual void set_attribute(const std::string&, const std::string&) { read_only(); }
    virtual void flush() {}
    // Called by close() before the object is deleted; flush in write modes.
    virtual void close() { flush(); }

private:
    [[noreturn]] static void read_only() { throw Error(SLT_ERR_UNSUPPORTED, "this bank backend is read-only"); }
};

namespace detail {

// What the C `slt_bank*` points to: the C++ bank plus the C views of its metadata.
struct BankBox {
    std::unique_ptr<Bank> bank;
    bool metadata_valid = false;
    BankMetadata metadata;
    CClasses classes;
    CStrings metric_names, image_names;

    const BankMetadata& refresh()
    {
        if (!metadata_valid) {
            metadata = bank->metadata();
            classes.assign(metadata.classes);
            metric_names.assign(metadata.metric_names);
            image_names.assign(metadata.image_names);
            metadata_valid = true;
        }
        return metadata;
    }
};

inline BankBox* as_box(slt_bank* b) { return reinterpret_cast<BankBox*>(b); }

template <class T>
struct BankTable {
    static float probe(const char* path)
    {
        try {
            return path ? std::clamp(T::probe(std::string(path)), 0.0f, 1.0f) : 0.0f;
        } catch (...) {
            return 0.0f;
        }
    }
    static slt_status open(const slt_host* host, const char* path, slt_bank_mode mode,
                           const slt_bank_metadata* metadata, slt_bank** out, slt_error* err)
    {
        return guard(err, [&] {
            require(path != nullptr && out != nullptr, "path or out is NULL");
            std::optional<BankMetadata> create;
            if (mode == SLT_BANK_CREATE) {
                require(metadata != nullptr, "creating a bank needs metadata");
                create = BankMetadata::from_c(*metadata);
            }
            if (mode != SLT_BANK_READ && !(T::capabilities & SLT_BANK_CAN_WRITE))
                throw Error(SLT_ERR_UNSUPPORTED, "this bank backend is read-only");
            auto box = std::make_unique<BankBox>();
            box->bank = std::make_unique<T>(Host(host), std::string(path), mode, create ? &*create : nullptr);
            *out = reinterpret_cast<slt_bank*>(box.release());
        });
    }
    static slt_status close(slt_bank* bank, slt_error* err)
    {
        if (!bank) return SLT_OK;
        std::unique_ptr<BankBox> box(as_box(bank));
        const slt_status status = guard(err, [&] { box->bank->close(); });
        guard_silent([&] { box.reset(); });
        return status;
    }
    static slt_status get_metadata(slt_bank* bank, slt_bank_metadata* out, slt_error* err)
    {
        return guard(err, [&] {
            require(bank != nullptr && out != nullptr, "bank or out is NULL");
            require(SLT_SDK_HAS_FIELD(out, slt_bank_metadata, num_images), "metadata struct_size too small");
            BankBox* box = as_box(bank);
            const BankMetadata& m = box->refresh();
            const uint32_t size = out->struct_size;
            *out = slt_bank_metadata{};
            out->struct_size = size;
            out->format_version = m.format_version;
            out->uuid = m.uuid.c_str();
            out->created_utc = m.created_utc.c_str();
            out->model_id = m.model_id.c_str();
            out->checkpoint_hash = m.checkpoint_hash.c_str();
            out->mc_samples = m.mc_samples;
            out->num_classes = static_cast<int32_t>(m.classes.size());
            out->class_ids = box->classes.ids.data();
            out->class_names = box->classes.names.pointers.data();
            out->class_colours = box->classes.colours.pointers.data();
            out->num_metrics = static_cast<int32_t>(m.metric_names.size());
            out->metric_names = box->metric_names.pointers.data();
            out->embedding_dim = m.embedding_dim;
            out->crop_width = m.crop_width;
            out->crop_height = m.crop_height;
            out->num_points = m.num_points;
            out->num_images = static_cast<int64_t>(m.image_names.size());
        });
    }
    static const char* image_name(slt_bank* bank, int64_t index)
    {
        try {
            const BankMetadata& m = as_box(bank)->refresh();
            if (index < 0 || index >= static_cast<int64_t>(m.image_names.size())) return nullptr;
            return m.image_names[static_cast<size_t>(index)].c_str();
        } catch (...) {
            return nullptr;
        }
    }
    static slt_status read_points(slt_bank* bank, int64_t first, slt_bank_columns* columns,
                                  const slt_job* job, slt_error* err)
    {
        return guard(err, [&] {
            require(bank != nullptr && columns != nullptr, "bank or columns is NULL");
            require(first >= 0 && columns->count >= 0, "negative range");
            as_box(bank)->bank->read_points(first, *columns, Job(job));
        });
    }
    static slt_status read_crop(slt_bank* bank, int64_t index, slt_crop_format format, uint8_t* out,
                                size_t capacity, slt_crop_info* info, slt_error* err)
    {
        return guard(err, [&]() -> slt_status {
            require(bank != nullptr && info != nullptr, "bank or info is NULL");
            const Crop crop = as_box(bank)->bank->read_crop(index, format);
            info->width = crop.width;
            info->height = crop.height;
            info->encoding = crop.encoding;
            info->size = crop.bytes.size();
            if (!out) return SLT_OK;
            if (capacity < crop.bytes.size())
                return slt_error_set(err, SLT_ERR_BUFFER_TOO_SMALL, "crop needs %zu bytes", crop.bytes.size());
            std::copy(crop.bytes.begin(), crop.bytes.end(), out);
            return SLT_OK;
        });
    }
    static slt_status append_images(slt_bank* bank, const char* const* names, int64_t count, slt_error* err)
    {
        return guard(err, [&] {
            require(bank != nullptr && (count == 0 || names != nullptr), "bank or names is NULL");
            as_box(bank)->metadata_valid = false;
            as_box(bank)->bank->append_images(texts(names, count));
        });
    }
    static slt_status append_points(slt_bank* bank, const slt_bank_points* points, slt_error* err)
    {
        return guard(err, [&] {
            require(bank != nullptr && points != nullptr, "bank or points is NULL");
            as_box(bank)->metadata_valid = false;
            as_box(bank)->bank->append_points(*points);
        });
    }
    static slt_status get_attribute(slt_bank* bank, const char* key, char* out, size_t capacity,
                                    size_t* required, slt_error* err)
    {
        return guard(err, [&]() -> slt_status {
            require(bank != nullptr && key != nullptr, "bank or key is NULL");
            const std::optional<std::string> value = as_box(bank)->bank->attribute(key);
            if (!value) return slt_error_set(err, SLT_ERR_NOT_FOUND, "no attribute '%s'", key);
            if (required) *required = value->size() + 1;
            if (out && capacity > 0) {
                const size_t n = std::min(capacity - 1, value->size());
                std::copy(value->begin(), value->begin() + static_cast<std::ptrdiff_t>(n), out);
                out[n] = '\0';
            }
            if (capacity < value->size() + 1)
                return slt_error_set(err, SLT_ERR_BUFFER_TOO_SMALL, "attribute '%s' needs %zu bytes", key,
                                     value->size() + 1);
            return SLT_OK;
        });
    }
    static slt_status set_attribute(slt_bank* bank, const char* key, const char* value, slt_error* err)
    {
        return guard(err, [&] {
            require(bank != nullptr && key != nullptr && value != nullptr, "an argument is NULL");
            as_box(bank)->metadata_valid = false;
            as_box(bank)->bank->set_attribute(key, value);
        });
    }
    static slt_status flush(slt_bank* bank, slt_error* err)
    {
        return guard(err, [&] {
            require(bank != nullptr, "bank is NULL");
            as_box(bank)->bank->flush();
        });
    }
    static constexpr slt_bank_factory table = {
        sizeof(slt_bank_factory), T::capabilities, T::format_name, T::default_extension, T::file_filter,
        &probe, &open, &close, &get_metadata, &image_name, &read_points, &read_crop, &append_images,
        &append_points, &get_attribute, &set_attribute, &flush};
};

} // namespace detail

template <class T>
struct KindTraits<T, std::enable_if_t<std::is_base_of_v<Bank, T>>> {
    static constexpr const char* factory_id = SLT_BANK_FACTORY_ID;
    static const void* table() { return &detail::BankTable<T>::table; }
};

} // namespace slt::sdk
