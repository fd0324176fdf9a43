// PNG encoding and decoding of 8-bit RGB images, for the display crops that bank plugins store.
// Failures are values: every function returns a CodecStatus whose message says what went wrong.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace slt::banks {

// An empty message means success.
struct CodecStatus {
    std::string message;
    bool ok() const { return message.empty(); }
};

// 8-bit RGB pixels, row-major: pixels[(row * width + column) * 3 + channel].
struct RgbImage {
    int32_t width = 0;
    int32_t height = 0;
    std::vector<uint8_t> pixels;
};

// Appends the PNG encoding of `rgb` ([height, width, 3] bytes) to `out`. Lossless: decode_png gives the
// same bytes back. Fast zlib level: crops are encoded once per point while a bank is built.
CodecStatus encode_png(const uint8_t* rgb, int32_t width, int32_t height, std::vector<uint8_t>& out);

// Decodes a PNG of any colour type and bit depth into 8-bit RGB (grey is replicated, alpha dropped,
// 16-bit reduced, palettes expanded). Refuses images larger than `max_pixels` (a corrupt header must not
// make us allocate gigabytes).
CodecStatus decode_png(const uint8_t* png, size_t size, RgbImage& out, size_t max_pixels = size_t{1} << 26);

// True when `data` starts with the 8-byte PNG signature.
bool has_png_signature(const uint8_t* data, size_t size);

} // namespace slt::banks
