// Writes small banks in the layout of the original Python SLT with the HDF5 C++ API, for the tests.
#pragma once

#include <H5Cpp.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace slt::legacy::test {

using MapFunction = std::function<float(int n, int row, int column)>;

struct LegacySpec {
    int n = 3, h = 32, w = 32, k = 4;
    bool rgb = true, logits = true, filenames = true;
    bool compress = true;
    int64_t last_written_index = -1; // -1: no attribute
    std::map<std::string, MapFunction> maps;

    static uint8_t rgb_value(int n, int row, int column, int channel)
    {
        return static_cast<uint8_t>((n * 50 + row * 3 + column * 5 + channel * 7) % 256);
    }
    static float logit_value(int n, int row, int column, int k)
    {
        return static_cast<float>(std::sin(0.7 * n + 0.13 * row + 0.29 * column + 1.1 * k) * 3.0 + 0.05 * k);
    }
    static std::string filename(int n) { return "tile_" + std::to_string(n) + "_µm.png"; }
};

inline H5::DSetCreatPropList chunked(const std::vector<hsize_t>& chunk, bool compress)
{
    H5::DSetCreatPropList plist;
    plist.setChunk(static_cast<int>(chunk.size()), chunk.data());
    if (compress) plist.setDeflate(4);
    return plist;
}

inline void write_legacy(const std::string& path, const LegacySpec& s)
{
    H5::H5File file(path, H5F_ACC_TRUNC);
    const hsize_t n = static_cast<hsize_t>(s.n), h = static_cast<hsize_t>(s.h), w = static_cast<hsize_t>(s.w),
                  k = static_cast<hsize_t>(s.k);
    if (s.rgb) {
        std::vector<uint8_t> data;
        for (int i = 0; i < s.n; ++i)
            for (int r = 0; r < s.h; ++r)
                for (int c = 0; c < s.w; ++c)
                    for (int ch = 0; ch < 3; ++ch) data.push_back(LegacySpec::rgb_value(i, r, c, ch));
        const hsize_t dims[4] = {n, h, w, 3};
        H5::DataSet d = file.createDataSet("rgb_images", H5::PredType::STD_U8LE, H5::DataSpace(4, dims),
                                           chunked({1, h, w, 3}, s.compress));
        d.write(data.data(), H5::PredType::NATIVE_UINT8);
    }
    if (s.logits) {
        std::vector<float> data;
        for (int i = 0; i < s.n; ++i)
            for (int r = 0; r < s.h; ++r)
                for (int c = 0; c < s.w; ++c)
                    for (int j = 0; j < s.k; ++j) data.push_back(LegacySpec::logit_value(i, r, c, j));
        const hsize_t dims[4] = {n, h, w, k};
        H5::DataSet d = file.createDataSet("logits", H5::PredType::IEEE_F32LE, H5::DataSpace(4, dims),
                                           chunked({1, h, w, k}, s.compress));
        d.write(data.data(), H5::PredType::NATIVE_FLOAT);
    }
    if (s.filenames) {
        H5::StrType type(H5::PredType::C_S1, H5T_VARIABLE);
        type.setCset(H5T_CSET_UTF8);
        std::vector<std::string> names;
        for (int i = 0; i < s.n; ++i) names.push_back(LegacySpec::filename(i));
        std::vector<const char*> pointers;
        for (const std::string& name : names) pointers.push_back(name.c_str());
        const hsize_t dims[1] = {n};
        H5::DataSet d = file.createDataSet("filenames", type, H5::DataSpace(1, dims), chunked({n}, s.compress));
        d.write(pointers.data(), type);
    }
    for (const auto& [name, f] : s.maps) {
        std::vector<float> data;
        for (int i = 0; i < s.n; ++i)
            for (int r = 0; r < s.h; ++r)
                for (int c = 0; c < s.w; ++c) data.push_back(f(i, r, c));
        const hsize_t dims[3] = {n, h, w};
        H5::DataSet d = file.createDataSet(name, H5::PredType::IEEE_F32LE, H5::DataSpace(3, dims),
                                           chunked({1, h, w}, s.compress));
        d.write(data.data(), H5::PredType::NATIVE_FLOAT);
    }
    if (s.last_written_index >= 0) {
        H5::Attribute a = file.createAttribute("last_written_index", H5::PredType::STD_I64LE, H5::DataSpace());
        a.write(H5::PredType::NATIVE_INT64, &s.last_written_index);
    }
}

} // namespace slt::legacy::test
