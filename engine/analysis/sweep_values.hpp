#pragma once
// The values a sweep visits: lin (start, start+step, ... up to stop), dec/oct (points per
// decade/octave from start to stop), or the list. Stop is included when the steps land on it
// within a relative 1e-9.
#include <vector>

#include "elab/flat_circuit.hpp"

namespace memspice::engine {

std::vector<double> sweepValues(const elab::FlatSweep& s);

}  // namespace memspice::engine
