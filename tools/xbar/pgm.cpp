#include "pgm.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>

#include "read_file.hpp"

namespace memspice::xbar {

namespace {

// The next header number, skipping white space and # comments.
std::size_t headerNumber(std::string_view b, std::size_t& at, std::string_view name, const char* what) {
  while (at < b.size() && (std::isspace(static_cast<unsigned char>(b[at])) || b[at] == '#')) {
    if (b[at] == '#')
      while (at < b.size() && b[at] != '\n') ++at;
    else
      ++at;
  }
  std::size_t start = at, value = 0;
  while (at < b.size() && std::isdigit(static_cast<unsigned char>(b[at])) && at - start < 9)
    value = value * 10 + static_cast<std::size_t>(b[at++] - '0');
  if (at == start || value == 0)
    throw XbarError(fmt::format("{}: byte {}: expected the {} (a positive whole number) in the PGM header", name, start, what));
  return value;
}

}  // namespace

GrayImage parsePgm(std::string_view b, std::string_view name) {
  if (b.size() < 2 || b[0] != 'P' || b[1] != '5')
    throw XbarError(fmt::format("{}: byte 0: expected a binary PGM image (starting 'P5')", name));
  std::size_t at = 2;
  GrayImage image;
  image.width = headerNumber(b, at, name, "width");
  image.height = headerNumber(b, at, name, "height");
  std::size_t maxval = headerNumber(b, at, name, "maximum grey value");
  if (maxval > 255)
    throw XbarError(fmt::format("{}: maximum grey value {}: only 8-bit PGM (at most 255) is read", name, maxval));
  if (at >= b.size() || !std::isspace(static_cast<unsigned char>(b[at])))
    throw XbarError(fmt::format("{}: byte {}: expected one white-space byte before the pixels", name, at));
  ++at;
  const std::size_t n = image.width * image.height;
  if (b.size() - at < n)
    throw XbarError(fmt::format("{}: byte {}: expected {} x {} = {} pixel bytes, the file holds {}", name, at,
                                image.width, image.height, n, b.size() - at));
  image.pixels.resize(n);
  for (std::size_t k = 0; k < n; ++k)
    image.pixels[k] = static_cast<float>(static_cast<unsigned char>(b[at + k])) / static_cast<float>(maxval);
  return image;
}

GrayImage readPgm(const std::filesystem::path& path) {
  std::string bytes = readWholeFile(path);
  return parsePgm(bytes, path.string());
}

void writePgm(const std::filesystem::path& path, const GrayImage& image) {
  std::ofstream out(path, std::ios::binary);
  out << fmt::format("P5\n{} {}\n255\n", image.width, image.height);
  for (float p : image.pixels)
    out.put(static_cast<char>(static_cast<unsigned char>(std::lround(std::clamp(p, 0.0f, 1.0f) * 255.0f))));
  if (!out) throw XbarError(fmt::format("{}: cannot write", path.string()));
}

GrayImage resample(const GrayImage& in, std::size_t width, std::size_t height) {
  if (width == 0 || height == 0) throw XbarError("resample: expected a positive size");
  GrayImage out{width, height, std::vector<float>(width * height)};
  const double sx = static_cast<double>(in.width) / static_cast<double>(width);
  const double sy = static_cast<double>(in.height) / static_cast<double>(height);
  // Coverage of input cell [k, k+1) by the output pixel's span [a, b).
  auto overlap = [](double a, double b, std::size_t k) {
    return std::max(0.0, std::min(b, static_cast<double>(k + 1)) - std::max(a, static_cast<double>(k)));
  };
  for (std::size_t y = 0; y < height; ++y) {
    const double y0 = static_cast<double>(y) * sy, y1 = y0 + sy;
    for (std::size_t x = 0; x < width; ++x) {
      const double x0 = static_cast<double>(x) * sx, x1 = x0 + sx;
      double sum = 0, area = 0;
      for (auto j = static_cast<std::size_t>(y0); j < in.height && static_cast<double>(j) < y1; ++j)
        for (auto i = static_cast<std::size_t>(x0); i < in.width && static_cast<double>(i) < x1; ++i) {
          double w = overlap(x0, x1, i) * overlap(y0, y1, j);
          sum += w * in.at(i, j);
          area += w;
        }
      out.pixels[y * width + x] = static_cast<float>(sum / area);
    }
  }
  return out;
}

}  // namespace memspice::xbar
