#pragma once
// "FILE:NAME": a subcircuit in a library file, as --neuron and --cell-device take it. The last
// ':' splits (a Windows-free project, so paths have no drive letters).
#include <fmt/format.h>

#include <filesystem>
#include <string>

#include "xbar_error.hpp"

namespace memspice::xbar {

struct LibrarySpec {
  std::filesystem::path library;
  std::string subckt;
};

inline LibrarySpec parseLibrarySpec(const std::string& spec, const char* option, const char* example) {
  auto colon = spec.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == spec.size())
    throw XbarError(fmt::format("{} '{}': expected LIBRARY:SUBCKT, e.g. {}", option, spec, example));
  return {spec.substr(0, colon), spec.substr(colon + 1)};
}

}  // namespace memspice::xbar
