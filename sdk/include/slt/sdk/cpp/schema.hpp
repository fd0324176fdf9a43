// SLT plugin SDK, C++ helpers: the class schema as C++ values, and conversions from the C arrays
// that bank, exporter and model headers use. Header-only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace slt::sdk {

struct ClassInfo {
    int32_t id = 0;
    std::string name;
    std::string colour; // "#rrggbb"
};

namespace detail {

inline std::string text(const char* s) { return s ? std::string(s) : std::string(); }

inline std::vector<std::string> texts(const char* const* names, int64_t count)
{
    std::vector<std::string> out;
    for (int64_t i = 0; names && i < count; ++i) out.push_back(text(names[i]));
    return out;
}

inline std::vector<ClassInfo> classes_from_c(int32_t count, const int32_t* ids, const char* const* names,
                                             const char* const* colours)
{
    std::vector<ClassInfo> out(static_cast<size_t>(count > 0 ? count : 0));
    for (size_t i = 0; i < out.size(); ++i) {
        out[i].id = ids ? ids[i] : static_cast<int32_t>(i);
        out[i].name = names ? text(names[i]) : std::string();
        out[i].colour = colours ? text(colours[i]) : std::string();
    }
    return out;
}

// Pointer arrays into C++ strings, kept alive by whoever owns this struct (for C outputs).
struct CStrings {
    std::vector<const char*> pointers;
    void assign(const std::vector<std::string>& strings)
    {
        pointers.clear();
        for (const std::string& s : strings) pointers.push_back(s.c_str());
    }
};

struct CClasses {
    std::vector<int32_t> ids;
    std::vector<std::string> name_storage, colour_storage;
    CStrings names, colours;
    void assign(const std::vector<ClassInfo>& classes)
    {
        ids.clear();
        name_storage.clear();
        colour_storage.clear();
        for (const ClassInfo& c : classes) {
            ids.push_back(c.id);
            name_storage.push_back(c.name);
            colour_storage.push_back(c.colour);
        }
        names.assign(name_storage);
        colours.assign(colour_storage);
    }
};

} // namespace detail
} // namespace slt::sdk
