#pragma once
// A whole input file, read through the front end's DiskFileProvider (regular files only);
// a file that cannot be read is an XbarError "<path>: cannot open<hint>".
#include <fmt/format.h>

#include <filesystem>
#include <string>
#include <string_view>

#include "source/source_manager.hpp"
#include "xbar_error.hpp"

namespace memspice::xbar {

inline std::string readWholeFile(const std::filesystem::path& path, std::string_view hint = {}) {
  auto text = DiskFileProvider{}.read(path);
  if (!text) throw XbarError(fmt::format("{}: cannot open{}", path.string(), hint));
  return std::move(*text);
}

}  // namespace memspice::xbar
