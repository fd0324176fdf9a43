// SLT plugin SDK, host-side C++ helpers: an open bank seen from the host. Owns the instance (closed
// with the proxy, or explicitly with close() to see the flush status). Header-only.
#pragma once

#include "../../bank.h"
#include "result.hpp"

#include <string>
#include <utility>
#include <vector>

namespace slt::sdk::host {

struct CropBytes {
    int32_t width = 0;
    int32_t height = 0;
    std::string encoding;
    std::vector<uint8_t> bytes;
};

class BankProxy {
public:
    static constexpr size_t kMinimumFactorySize = offsetof(slt_bank_factory, flush) + sizeof(void*);

    // The factory table, checked; use it for probe() and the descriptive fields.
    static Result<const slt_bank_factory*> factory(const void* raw)
    {
        auto table = detail::checked_table<slt_bank_factory>(raw, kMinimumFactorySize, "bank");
        if (!table) return table;
        const slt_bank_factory* f = *table;
        if (!f->probe || !f->open || !f->close || !f->get_metadata || !f->image_name || !f->read_points ||
            !f->read_crop || !f->append_images || !f->append_points || !f->get_attribute ||
            !f->set_attribute || !f->flush)
            return Result<const slt_bank_factory*>::failure(SLT_ERR_INVALID_ARGUMENT, "bank factory has a NULL function");
        return f;
    }

    static float probe(const slt_bank_factory* f, const std::string& path)
    {
        const float p = f->probe(path.c_str());
        return p > 0.0f ? (p < 1.0f ? p : 1.0f) : 0.0f; // also maps NaN to 0
    }

    static Result<BankProxy> open(const void* raw, const slt_host* host, const std::string& path,
                                  slt_bank_mode mode, const slt_bank_metadata* create = nullptr)
    {
        auto f = factory(raw);
        if (!f) return f.status();
        ErrorBuffer err;
        slt_bank* bank = nullptr;
        const slt_status code = (*f)->open(host, path.c_str(), mode, create, &bank, err.get());
        if (code != SLT_OK) return err.status(code, "open");
        if (!bank) return Result<BankProxy>::failure(SLT_ERR_INTERNAL, "open returned no bank");
        return BankProxy(*f, bank);
    }

    BankProxy(BankProxy&& o) noexcept : f_(o.f_), bank_(std::exchange(o.bank_, nullptr)) {}
    BankProxy& operator=(BankProxy&& o) noexcept
    {
        std::swap(f_, o.f_);
        std::swap(bank_, o.bank_);
        return *this;
    }
    BankProxy(const BankProxy&) = delete;
    BankProxy& operator=(const BankProxy&) = delete;
    ~BankProxy() { close(); }

    Status close()
    {
        if (!bank_) return Status::success();
        ErrorBuffer err;
        return err.status(f_->close(std::exchange(bank_, nullptr), err.get()), "close");
    }

    // Borrowed metadata, valid until the next write call or close.
    Result<slt_bank_metadata> metadata()
    {
        slt_bank_metadata m{};
        m.struct_size = sizeof m;
        ErrorBuffer err;
        const slt_status code = f_->get_metadata(bank_, &m, err.get());
        if (code != SLT_OK) return err.status(code, "metadata");
        return m;
    }

    std::string image_name(int64_t index)
    {
        const char* name = f_->image_name(bank_, index);
        return name ? std::string(name) : std::string();
    }

    Status read_points(int64_t first, slt_bank_columns& columns, const slt_job* job = nullptr)
    {
        columns.struct_size = sizeof columns;
        ErrorBuffer err;
        return err.status(f_->read_points(bank_, first, &columns, job, err.get()), "read_points");
    }

    Result<CropBytes> read_crop(int64_t index, slt_crop_format format)
    {
        slt_crop_info info{};
        info.struct_size = sizeof info;
        ErrorBuffer err;
        slt_status code = f_->read_crop(bank_, index, format, nullptr, 0, &info, err.get());
        if (code != SLT_OK) return err.status(code, "read_crop");
        CropBytes crop;
        crop.bytes.resize(info.size);
        code = f_->read_crop(bank_, index, format, crop.bytes.data(), crop.bytes.size(), &info, err.get());
        if (code != SLT_OK) return err.status(code, "read_crop");
        crop.width = info.width;
        crop.height = info.height;
        crop.encoding = info.encoding ? info.encoding : "";
        crop.bytes.resize(info.size);
        return crop;
    }

    Status append_images(const std::vector<std::string>& names)
    {
        std::vector<const char*> pointers;
        for (const std::string& n : names) pointers.push_back(n.c_str());
        ErrorBuffer err;
        return err.status(f_->append_images(bank_, pointers.data(), static_cast<int64_t>(pointers.size()), err.get()),
                          "append_images");
    }

    Status append_points(slt_bank_points& points)
    {
        points.struct_size = sizeof points;
        ErrorBuffer err;
        return err.status(f_->append_points(bank_, &points, err.get()), "append_points");
    }

    Result<std::string> attribute(const std::string& key)
    {
        ErrorBuffer err;
        size_t required = 0;
        std::string value(256, '\0');
        slt_status code = f_->get_attribute(bank_, key.c_str(), value.data(), value.size(), &required, err.get());
        if (code == SLT_ERR_BUFFER_TOO_SMALL && required > value.size()) {
            value.assign(required, '\0');
            code = f_->get_attribute(bank_, key.c_str(), value.data(), value.size(), &required, err.get());
        }
        if (code != SLT_OK) return err.status(code, "attribute");
        value.resize(required > 0 ? required - 1 : 0);
        return value;
    }

    Status set_attribute(const std::string& key, const std::string& value)
    {
        ErrorBuffer err;
        return err.status(f_->set_attribute(bank_, key.c_str(), value.c_str(), err.get()), "set_attribute");
    }

    Status flush()
    {
        ErrorBuffer err;
        return err.status(f_->flush(bank_, err.get()), "flush");
    }

private:
    BankProxy(const slt_bank_factory* f, slt_bank* bank) : f_(f), bank_(bank) {}
    const slt_bank_factory* f_;
    slt_bank* bank_;
};

} // namespace slt::sdk::host
