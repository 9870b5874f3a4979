#include "mnist.hpp"

#include <fmt/format.h>

#include <fstream>
#include <iterator>

#include "xbar_error.hpp"

namespace memspice::xbar {
namespace {

std::vector<unsigned char> readAll(const std::filesystem::path& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw XbarError(fmt::format("{}: cannot open the MNIST {} file (run scripts/setup.sh, or give --mnist DIR)",
                                path.string(), what));
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::uint32_t bigEndian(const std::vector<unsigned char>& b, std::size_t at) {
  return (std::uint32_t{b[at]} << 24) | (std::uint32_t{b[at + 1]} << 16) | (std::uint32_t{b[at + 2]} << 8) | b[at + 3];
}

// Checks the IDX header (magic 0x00000800 + rank, then the dimensions) and the file length.
std::vector<std::uint32_t> idxHeader(const std::vector<unsigned char>& b, const std::filesystem::path& path,
                                     unsigned rank) {
  std::size_t header = 4 + 4 * std::size_t{rank};
  if (b.size() < header)
    throw XbarError(fmt::format("{}: byte 0: file too short for an IDX header ({} bytes, expected at least {})",
                                path.string(), b.size(), header));
  std::uint32_t magic = bigEndian(b, 0);
  if (magic != 0x800u + rank)
    throw XbarError(fmt::format("{}: byte 0: expected the IDX magic number {} (unsigned bytes, rank {}), got {}",
                                path.string(), 0x800u + rank, rank, magic));
  std::vector<std::uint32_t> dims;
  std::size_t total = 1;
  for (unsigned k = 0; k < rank; ++k) {
    dims.push_back(bigEndian(b, 4 + 4 * k));
    total *= dims.back();
  }
  if (b.size() != header + total)
    throw XbarError(fmt::format("{}: byte {}: expected {} data bytes after the header, the file has {}",
                                path.string(), header, total, b.size() - header));
  return dims;
}

}  // namespace

Dataset loadMnist(const std::filesystem::path& dir, const std::string& set, std::size_t limit) {
  auto imagesPath = dir / (set + "-images-idx3-ubyte");
  auto labelsPath = dir / (set + "-labels-idx1-ubyte");
  auto images = readAll(imagesPath, "image");
  auto labels = readAll(labelsPath, "label");
  auto idims = idxHeader(images, imagesPath, 3);
  auto ldims = idxHeader(labels, labelsPath, 1);
  if (idims[0] != ldims[0])
    throw XbarError(fmt::format("{}: {} images, but {} has {} labels", imagesPath.string(), idims[0],
                                labelsPath.string(), ldims[0]));
  Dataset d;
  d.count = limit > 0 && limit < idims[0] ? limit : idims[0];
  d.features = std::size_t{idims[1]} * idims[2];
  d.x.resize(d.count * d.features);
  for (std::size_t i = 0; i < d.x.size(); ++i) d.x[i] = static_cast<float>(images[16 + i]) / 255.0f;
  d.labels.assign(labels.begin() + 8, labels.begin() + 8 + static_cast<std::ptrdiff_t>(d.count));
  for (std::size_t i = 0; i < d.count; ++i)
    if (d.labels[i] > 9)
      throw XbarError(fmt::format("{}: byte {}: label {} is not a digit 0-9", labelsPath.string(), 8 + i, d.labels[i]));
  return d;
}

}  // namespace memspice::xbar
