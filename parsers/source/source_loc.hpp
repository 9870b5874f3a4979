#pragma once
// A position in a netlist file. `file` indexes SourceManager; line and column are 1-based,
// columns count bytes (a tab is one column), as gcc and ngspice report them.
#include <cstdint>

namespace memspice {

struct SourceLoc {
  std::uint32_t file = 0;
  std::uint32_t line = 0;  // 0 means "no location" (e.g. a command-line option)
  std::uint32_t col = 0;

  bool valid() const { return line != 0; }
  friend bool operator==(const SourceLoc&, const SourceLoc&) = default;
};

}  // namespace memspice
