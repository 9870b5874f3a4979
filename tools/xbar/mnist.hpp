#pragma once
// MNIST in the IDX format (LeCun's files; scripts/setup.sh fetches them into data/mnist/).
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace memspice::xbar {

struct Dataset {
  std::size_t count = 0, features = 0;  // images, pixels per image
  std::vector<float> x;                 // count x features, pixels scaled to [0, 1]
  std::vector<std::uint8_t> labels;     // count, 0..9
  const float* image(std::size_t i) const { return x.data() + i * features; }
};

// Reads <dir>/<set>-images-idx3-ubyte and <dir>/<set>-labels-idx1-ubyte (set: "train" or
// "t10k"), the first `limit` images if limit > 0. Throws XbarError naming the file, the byte
// offset and what was expected.
Dataset loadMnist(const std::filesystem::path& dir, const std::string& set, std::size_t limit = 0);

}  // namespace memspice::xbar
