// SLT plugin SDK, C++ helpers: the host services a plugin may use (log, settings, paths), as a small
// value that is safe to copy and safe to use when a service is missing. Header-only.
#pragma once

#include "../host.h"
#include "error.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace slt::sdk {

class Host {
public:
    explicit Host(const slt_host* host = nullptr) : host_(host) {}
    const slt_host* raw() const { return host_; }

    // ---- slt.log/1: dropped silently when the host has no log service.
    void log(slt_log_level level, std::string_view message) const
    {
        const auto* service = lookup<slt_log_service>(SLT_SERVICE_LOG);
        if (!service || !SLT_SDK_HAS_FIELD(service, slt_log_service, log) || !service->log) return;
        const std::string text(message); // NUL-terminated copy
        service->log(host_, level, text.c_str());
    }
    void debug(std::string_view message) const { log(SLT_LOG_DEBUG, message); }
    void info(std::string_view message) const { log(SLT_LOG_INFO, message); }
    void warning(std::string_view message) const { log(SLT_LOG_WARNING, message); }
    void error(std::string_view message) const { log(SLT_LOG_ERROR, message); }

    // ---- slt.settings/1: std::nullopt when the key, the value type or the service is missing.
    std::optional<std::string> setting_string(const char* key) const
    {
        const auto* s = settings();
        if (!s || !SLT_SDK_HAS_FIELD(s, slt_settings_service, get_string) || !s->get_string)
            return std::nullopt;
        size_t required = 0;
        std::string value(64, '\0');
        slt_status status = s->get_string(host_, key, value.data(), value.size(), &required);
        if (status == SLT_ERR_BUFFER_TOO_SMALL && required > value.size()) {
            value.assign(required, '\0');
            status = s->get_string(host_, key, value.data(), value.size(), &required);
        }
        if (status != SLT_OK) return std::nullopt;
        value.resize(value.find('\0') == std::string::npos ? value.size() : value.find('\0'));
        return value;
    }
    std::optional<int64_t> setting_int(const char* key) const
    {
        const auto* s = settings();
        int64_t value = 0;
        if (!s || !SLT_SDK_HAS_FIELD(s, slt_settings_service, get_int) || !s->get_int ||
            s->get_int(host_, key, &value) != SLT_OK)
            return std::nullopt;
        return value;
    }
    std::optional<double> setting_double(const char* key) const
    {
        const auto* s = settings();
        double value = 0;
        if (!s || !SLT_SDK_HAS_FIELD(s, slt_settings_service, get_double) || !s->get_double ||
            s->get_double(host_, key, &value) != SLT_OK)
            return std::nullopt;
        return value;
    }
    std::optional<bool> setting_bool(const char* key) const
    {
        const auto* s = settings();
        int value = 0;
        if (!s || !SLT_SDK_HAS_FIELD(s, slt_settings_service, get_bool) || !s->get_bool ||
            s->get_bool(host_, key, &value) != SLT_OK)
            return std::nullopt;
        return value != 0;
    }

    // ---- slt.paths/1: an absolute path, or "" when unavailable.
    std::string path(slt_path_kind kind) const
    {
        const auto* service = lookup<slt_paths_service>(SLT_SERVICE_PATHS);
        if (!service || !SLT_SDK_HAS_FIELD(service, slt_paths_service, get) || !service->get) return {};
        const char* p = service->get(host_, kind);
        return p ? std::string(p) : std::string();
    }

private:
    template <class Service>
    const Service* lookup(const char* id) const
    {
        if (!host_ || !SLT_SDK_HAS_FIELD(host_, slt_host, get_service) || !host_->get_service)
            return nullptr;
        return static_cast<const Service*>(host_->get_service(host_, id));
    }
    const slt_settings_service* settings() const
    {
        return lookup<slt_settings_service>(SLT_SERVICE_SETTINGS);
    }

    const slt_host* host_;
};

} // namespace slt::sdk
