#pragma once
// A readable dump of a FlatCircuit in SPICE-like lines (memspice --listing), one device per
// line with evaluated values; tests compare against it.
#include <string>

#include "elab/flat_circuit.hpp"

namespace memspice::elab {

std::string listing(const FlatCircuit& circuit);

}  // namespace memspice::elab
