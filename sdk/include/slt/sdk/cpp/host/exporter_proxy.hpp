// SLT plugin SDK, host-side C++ helpers: an exporter instance seen from the host. Header-only.
#pragma once

#include "../../exporter.h"
#include "result.hpp"

#include <functional>
#include <string>
#include <utility>

namespace slt::sdk::host {

class ExporterProxy {
public:
    static constexpr size_t kMinimumFactorySize = offsetof(slt_exporter_factory, import_labels) + sizeof(void*);
    // Receives each imported point; a failed Status stops the import.
    using PointHandler = std::function<Status(const slt_import_point&)>;

    static Result<ExporterProxy> create(const void* raw, const slt_host* host)
    {
        auto table = detail::checked_table<slt_exporter_factory>(raw, kMinimumFactorySize, "exporter");
        if (!table) return table.status();
        const slt_exporter_factory* f = *table;
        if (!f->create || !f->destroy || !f->begin || !f->write || !f->finish || !f->import_labels)
            return Result<ExporterProxy>::failure(SLT_ERR_INVALID_ARGUMENT, "exporter factory has a NULL function");
        ErrorBuffer err;
        slt_exporter* instance = nullptr;
        const slt_status code = f->create(host, &instance, err.get());
        if (code != SLT_OK) return err.status(code, "create");
        if (!instance) return Result<ExporterProxy>::failure(SLT_ERR_INTERNAL, "create returned no exporter");
        return ExporterProxy(f, instance);
    }

    ExporterProxy(ExporterProxy&& o) noexcept : f_(o.f_), e_(std::exchange(o.e_, nullptr)) {}
    ExporterProxy& operator=(ExporterProxy&& o) noexcept
    {
        std::swap(f_, o.f_);
        std::swap(e_, o.e_);
        return *this;
    }
    ExporterProxy(const ExporterProxy&) = delete;
    ExporterProxy& operator=(const ExporterProxy&) = delete;
    ~ExporterProxy()
    {
        if (e_) f_->destroy(e_);
    }

    const slt_exporter_factory& factory() const { return *f_; }

    Status begin(const std::string& path, slt_export_header& header)
    {
        header.struct_size = sizeof header;
        ErrorBuffer err;
        return err.status(f_->begin(e_, path.c_str(), &header, err.get()), "begin");
    }
    Status write(slt_export_points& points)
    {
        points.struct_size = sizeof points;
        ErrorBuffer err;
        return err.status(f_->write(e_, &points, err.get()), "write");
    }
    Status finish()
    {
        ErrorBuffer err;
        return err.status(f_->finish(e_, err.get()), "finish");
    }
    Status import_labels(const std::string& path, const PointHandler& handler, const slt_job* job = nullptr)
    {
        struct Context {
            const PointHandler* handler;
        } context{&handler};
        slt_import_sink sink{};
        sink.struct_size = sizeof sink;
        sink.user = &context;
        sink.point = [](const slt_import_sink* s, const slt_import_point* p, slt_error* e) -> slt_status {
            try {
                const Status st = (*static_cast<Context*>(s->user)->handler)(*p);
                return st.ok() ? SLT_OK : slt_error_set(e, st.code, "%s", st.message.c_str());
            } catch (...) { // the host's own handler must not unwind through the plugin
                return slt_error_set(e, SLT_ERR_INTERNAL, "exception in the import handler");
            }
        };
        ErrorBuffer err;
        return err.status(f_->import_labels(e_, path.c_str(), &sink, job, err.get()), "import_labels");
    }

private:
    ExporterProxy(const slt_exporter_factory* f, slt_exporter* e) : f_(f), e_(e) {}
    const slt_exporter_factory* f_;
    slt_exporter* e_;
};

} // namespace slt::sdk::host
