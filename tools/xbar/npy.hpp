#pragma once
// NumPy arrays: .npy files and .npz archives (np.savez and np.savez_compressed), read into
// doubles; written as little-endian float64 .npy entries of an uncompressed .npz.
#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace memspice::xbar {

struct Array {
  std::vector<std::size_t> shape;
  std::vector<double> data;  // C order
  std::size_t rows() const { return shape.empty() ? 1 : shape[0]; }
  std::size_t cols() const { return shape.size() < 2 ? 1 : shape[1]; }
};

// Parses one .npy image; `where` names it in errors ("w.npz:w0.npy").
Array parseNpy(const std::string& bytes, const std::string& where);
Array readNpy(const std::filesystem::path& path);
// Every array of an archive, by name without ".npy".
std::map<std::string, Array> readNpz(const std::filesystem::path& path);

std::string npyBytes(const Array& a);
void writeNpz(const std::filesystem::path& path, const std::map<std::string, Array>& arrays);

}  // namespace memspice::xbar
