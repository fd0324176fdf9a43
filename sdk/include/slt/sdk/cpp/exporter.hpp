// SLT plugin SDK, C++ helpers: write an exporter as a C++ class.
//
//     class CsvExporter : public slt::sdk::Exporter {
//     public:
//         static constexpr uint32_t capabilities = SLT_EXPORTER_CAN_EXPORT;
//         static constexpr const char* format_name = "CSV";
//         static constexpr const char* default_extension = "csv";
//         static constexpr const char* file_filter = "CSV (*.csv)";
//         explicit CsvExporter(const slt::sdk::Host& host);
//         void begin(const std::string& path, const slt::sdk::ExportHeader& header) override;
//         void write(const slt_export_points& points) override;
//         void finish() override;
//         ~CsvExporter() override;  // removes a partial file when finish() was not reached
//     };
// Header-only.
#pragma once

#include "../exporter.h"
#include "error.hpp"
#include "host.hpp"
#include "job.hpp"
#include "plugin.hpp"
#include "schema.hpp"

#include <memory>
#include <string>
#include <type_traits>
#include <vector>

namespace slt::sdk {

struct ExportHeader {
    std::vector<ClassInfo> classes;
    std::vector<std::string> image_names;
    std::vector<std::string> metric_names;
    bool include_artefacts = false;

    static ExportHeader from_c(const slt_export_header& h)
    {
        ExportHeader out;
        out.classes = detail::classes_from_c(h.num_classes, h.class_ids, h.class_names, h.class_colours);
        out.image_names = detail::texts(h.image_names, h.num_images);
        out.metric_names = detail::texts(h.metric_names, h.num_metrics);
        out.include_artefacts = h.include_artefacts != 0;
        return out;
    }
};

// The host's receiver of imported points; point() throws Error when the host stops the import.
class ImportSink {
public:
    explicit ImportSink(const slt_import_sink* sink) : sink_(sink) {}
    void point(const std::string& image_name, float x, float y, const char* class_name, int32_t class_id)
    {
        slt_import_point p{};
        p.struct_size = sizeof p;
        p.image_name = image_name.c_str();
        p.x = x;
        p.y = y;
        p.class_name = class_name;
        p.class_id = class_id;
        char message[512] = {0};
        slt_error err{message, sizeof message};
        const slt_status status = sink_->point(sink_, &p, &err);
        if (status != SLT_OK) throw Error(status, message[0] ? message : slt_status_name(status));
    }

private:
    const slt_import_sink* sink_;
};

class Exporter {
public:
    virtual ~Exporter() = default;
    virtual void begin(const std::string& path, const ExportHeader& header) = 0;
    virtual void write(const slt_export_points& points) = 0;
    virtual void finish() = 0;
    virtual void import_labels(const std::string&, ImportSink&, const Job&)
    {
        throw Error(SLT_ERR_UNSUPPORTED, "this exporter cannot import");
    }
};

namespace detail {

inline Exporter* as_exporter(slt_exporter* e) { return reinterpret_cast<Exporter*>(e); }

template <class T>
struct ExporterTable {
    static slt_status create(const slt_host* host, slt_exporter** out, slt_error* err)
    {
        return guard(err, [&] {
            require(out != nullptr, "out is NULL");
            std::unique_ptr<Exporter> exporter = std::make_unique<T>(Host(host));
            *out = reinterpret_cast<slt_exporter*>(exporter.release());
        });
    }
    static void destroy(slt_exporter* exporter)
    {
        guard_silent([&] { delete as_exporter(exporter); });
    }
    static slt_status begin(slt_exporter* exporter, const char* path, const slt_export_header* header,
                            slt_error* err)
    {
        return guard(err, [&] {
            require(exporter != nullptr && path != nullptr && header != nullptr, "an argument is NULL");
            as_exporter(exporter)->begin(path, ExportHeader::from_c(*header));
        });
    }
    static slt_status write(slt_exporter* exporter, const slt_export_points* points, slt_error* err)
    {
        return guard(err, [&] {
            require(exporter != nullptr && points != nullptr, "exporter or points is NULL");
            as_exporter(exporter)->write(*points);
        });
    }
    static slt_status finish(slt_exporter* exporter, slt_error* err)
    {
        return guard(err, [&] {
            require(exporter != nullptr, "exporter is NULL");
            as_exporter(exporter)->finish();
        });
    }
    static slt_status import_labels(slt_exporter* exporter, const char* path, const slt_import_sink* sink,
                                    const slt_job* job, slt_error* err)
    {
        return guard(err, [&] {
            require(exporter != nullptr && path != nullptr, "exporter or path is NULL");
            require(sink != nullptr && sink->point != nullptr, "sink is NULL");
            ImportSink wrapped(sink);
            as_exporter(exporter)->import_labels(path, wrapped, Job(job));
        });
    }
    static constexpr slt_exporter_factory table = {
        sizeof(slt_exporter_factory), T::capabilities, T::format_name, T::default_extension, T::file_filter,
        &create, &destroy, &begin, &write, &finish, &import_labels};
};

} // namespace detail

template <class T>
struct KindTraits<T, std::enable_if_t<std::is_base_of_v<Exporter, T>>> {
    static constexpr const char* factory_id = SLT_EXPORTER_FACTORY_ID;
    static const void* table() { return &detail::ExporterTable<T>::table; }
};

} // namespace slt::sdk
