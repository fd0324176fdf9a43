// PNG crops with libpng. libpng reports errors by longjmp: every function that calls setjmp below holds no
// C++ object with a destructor (the buffers live in its caller), and the callbacks never let an exception
// travel through libpng's C frames.
#include "slt/banks/png_codec.hpp"

#include <png.h>

#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <new>

namespace slt::banks {
namespace {

// Fast zlib level: level 1 is several times faster than the default and PNG crops stay small anyway.
constexpr int kCompressionLevel = 1;

struct ErrorSink {
    char message[200] = "";
};

[[noreturn]] void on_error(png_structp png, png_const_charp message)
{
    auto* sink = static_cast<ErrorSink*>(png_get_error_ptr(png));
    std::snprintf(sink->message, sizeof sink->message, "%s", message ? message : "unknown libpng error");
    png_longjmp(png, 1);
}

void on_warning(png_structp, png_const_charp) {} // warnings (e.g. unknown chunks) do not matter for crops

void write_bytes(png_structp png, png_bytep data, size_t size)
{
    auto* out = static_cast<std::vector<uint8_t>*>(png_get_io_ptr(png));
    try {
        out->insert(out->end(), data, data + size);
    } catch (...) {
        png_error(png, "out of memory while encoding a PNG");
    }
}

void flush_nothing(png_structp) {}

struct ReadSource {
    const uint8_t* data;
    size_t size;
    size_t position;
};

void read_bytes(png_structp png, png_bytep out, size_t size)
{
    auto* source = static_cast<ReadSource*>(png_get_io_ptr(png));
    if (size > source->size - source->position) png_error(png, "the PNG data is truncated");
    std::memcpy(out, source->data + source->position, size);
    source->position += size;
}

bool write_image(png_structp png, png_infop info, png_bytep* rows, int32_t width, int32_t height)
{
    if (setjmp(png_jmpbuf(png))) return false;
    png_set_IHDR(png, info, static_cast<png_uint_32>(width), static_cast<png_uint_32>(height), 8, PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_compression_level(png, kCompressionLevel);
    png_write_info(png, info);
    png_write_image(png, rows);
    png_write_end(png, info);
    return true;
}

// Reads the header and sets the transformations that turn any PNG into 8-bit RGB.
bool read_header(png_structp png, png_infop info, png_uint_32* width, png_uint_32* height, size_t* row_bytes)
{
    if (setjmp(png_jmpbuf(png))) return false;
    png_read_info(png, info);
    png_set_expand(png);      // palette -> RGB, grey < 8 bits -> 8 bits, tRNS -> alpha
    png_set_strip_16(png);    // 16-bit -> 8-bit
    png_set_strip_alpha(png); // RGBA / grey+alpha -> no alpha
    png_set_gray_to_rgb(png);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
    *width = png_get_image_width(png, info);
    *height = png_get_image_height(png, info);
    *row_bytes = png_get_rowbytes(png, info);
    return true;
}

bool read_pixels(png_structp png, png_infop info, png_bytep* rows)
{
    if (setjmp(png_jmpbuf(png))) return false;
    png_read_image(png, rows);
    png_read_end(png, info);
    return true;
}

CodecStatus failure(const char* what, const ErrorSink& sink)
{
    return {std::string(what) + ": " + (sink.message[0] ? sink.message : "unknown libpng error")};
}

} // namespace

bool has_png_signature(const uint8_t* data, size_t size)
{
    return data != nullptr && size >= 8 && png_sig_cmp(data, 0, 8) == 0;
}

CodecStatus encode_png(const uint8_t* rgb, int32_t width, int32_t height, std::vector<uint8_t>& out)
{
    if (rgb == nullptr || width <= 0 || height <= 0)
        return {"cannot encode a PNG: no pixels or a size of " + std::to_string(width) + "x" + std::to_string(height)};
    ErrorSink sink;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &sink, on_error, on_warning);
    png_infop info = png ? png_create_info_struct(png) : nullptr;
    if (!info) {
        png_destroy_write_struct(&png, nullptr);
        return {"cannot encode a PNG: libpng could not allocate its state"};
    }
    std::vector<png_bytep> rows(static_cast<size_t>(height));
    const size_t row_bytes = static_cast<size_t>(width) * 3;
    for (size_t r = 0; r < rows.size(); ++r) rows[r] = const_cast<png_bytep>(rgb + r * row_bytes);
    const size_t start = out.size();
    png_set_write_fn(png, &out, write_bytes, flush_nothing);
    const bool ok = write_image(png, info, rows.data(), width, height);
    png_destroy_write_struct(&png, &info);
    if (!ok) {
        out.resize(start);
        return failure("cannot encode a PNG", sink);
    }
    return {};
}

CodecStatus decode_png(const uint8_t* data, size_t size, RgbImage& out, size_t max_pixels)
{
    if (!has_png_signature(data, size)) return {"not a PNG image (no PNG signature)"};
    ErrorSink sink;
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &sink, on_error, on_warning);
    png_infop info = png ? png_create_info_struct(png) : nullptr;
    if (!info) {
        png_destroy_read_struct(&png, nullptr, nullptr);
        return {"cannot decode a PNG: libpng could not allocate its state"};
    }
    ReadSource source{data, size, 0};
    png_set_read_fn(png, &source, read_bytes);
    png_uint_32 width = 0, height = 0;
    size_t row_bytes = 0;
    CodecStatus status;
    if (!read_header(png, info, &width, &height, &row_bytes)) {
        status = failure("cannot decode a PNG", sink);
    } else if (width == 0 || height == 0 || static_cast<size_t>(width) * height > max_pixels) {
        status = {"cannot decode a PNG of " + std::to_string(width) + "x" + std::to_string(height) +
                  " pixels (limit " + std::to_string(max_pixels) + ")"};
    } else if (row_bytes != static_cast<size_t>(width) * 3) {
        status = {"cannot decode a PNG: unexpected row size after conversion to RGB"};
    } else {
        try {
            out.width = static_cast<int32_t>(width);
            out.height = static_cast<int32_t>(height);
            out.pixels.resize(row_bytes * height);
            std::vector<png_bytep> rows(height);
            for (size_t r = 0; r < rows.size(); ++r) rows[r] = out.pixels.data() + r * row_bytes;
            if (!read_pixels(png, info, rows.data())) status = failure("cannot decode a PNG", sink);
        } catch (const std::bad_alloc&) {
            status = {"out of memory while decoding a PNG"};
        }
    }
    png_destroy_read_struct(&png, &info, nullptr);
    if (!status.ok()) out = RgbImage{};
    return status;
}

} // namespace slt::banks
