#include "mnist.hpp"

#include <fmt/format.h>


#include "read_file.hpp"
#include "xbar_error.hpp"

namespace memspice::xbar {
namespace {

std::string readIdx(const std::filesystem::path& path, const std::string& what) {
  return readWholeFile(path, fmt::format(" the MNIST {} file (run scripts/setup.sh, or give --mnist DIR)", what));
}

std::uint32_t bigEndian(const std::string& b, std::size_t at) {
  std::uint32_t v = 0;
  for (std::size_t k = 0; k < 4; ++k) v = (v << 8) | static_cast<unsigned char>(b[at + k]);
  return v;
}

// Checks the IDX header (magic 0x00000800 + rank, then the dimensions) and the file length.
std::vector<std::uint32_t> idxHeader(const std::string& b, const std::filesystem::path& path,
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
  auto images = readIdx(imagesPath, "image");
  auto labels = readIdx(labelsPath, "label");
  auto idims = idxHeader(images, imagesPath, 3);
  auto ldims = idxHeader(labels, labelsPath, 1);
  if (idims[0] != ldims[0])
    throw XbarError(fmt::format("{}: {} images, but {} has {} labels", imagesPath.string(), idims[0],
                                labelsPath.string(), ldims[0]));
  Dataset d;
  d.count = limit > 0 && limit < idims[0] ? limit : idims[0];
  d.features = std::size_t{idims[1]} * idims[2];
  d.x.resize(d.count * d.features);
  for (std::size_t i = 0; i < d.x.size(); ++i) d.x[i] = static_cast<float>(static_cast<unsigned char>(images[16 + i])) / 255.0f;
  for (std::size_t i = 0; i < d.count; ++i) d.labels.push_back(static_cast<unsigned char>(labels[8 + i]));
  for (std::size_t i = 0; i < d.count; ++i)
    if (d.labels[i] > 9)
      throw XbarError(fmt::format("{}: byte {}: label {} is not a digit 0-9", labelsPath.string(), 8 + i, d.labels[i]));
  return d;
}

}  // namespace memspice::xbar
