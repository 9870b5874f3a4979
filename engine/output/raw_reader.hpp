#pragma once
// readRaw: reads real-valued plots from an ngspice raw file (ASCII "Values:" or binary), as
// ngspice 39 and memspice write them. Returns an error message instead of throwing.
#include <istream>
#include <string>
#include <vector>

#include "output/plot.hpp"

namespace memspice::engine {

struct RawFile {
  std::vector<Plot> plots;
  std::string error;  // empty on success
};

RawFile readRaw(std::istream& in);

}  // namespace memspice::engine
