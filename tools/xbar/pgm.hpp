#pragma once
// Grey-scale images as binary PGM (P5, 8-bit), the one image format the crossbar tools read and
// write: any converter (netpbm, ImageMagick, GIMP) makes one.
#include <cstddef>
#include <filesystem>
#include <string_view>
#include <vector>

namespace memspice::xbar {

struct GrayImage {
  std::size_t width = 0, height = 0;
  std::vector<float> pixels;  // row-major, in [0, 1]
  float at(std::size_t x, std::size_t y) const { return pixels[y * width + x]; }
};

// Throws XbarError naming the file and the byte offset of a malformed header or short data.
GrayImage readPgm(const std::filesystem::path& path);
GrayImage parsePgm(std::string_view bytes, std::string_view name);
// Values are clamped to [0, 1] and rounded to 0..255.
void writePgm(const std::filesystem::path& path, const GrayImage& image);
// Area-averaging resample to width x height (each output pixel averages the input area it covers).
GrayImage resample(const GrayImage& image, std::size_t width, std::size_t height);

}  // namespace memspice::xbar
