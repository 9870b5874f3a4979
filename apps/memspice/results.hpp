#pragma once
// Writing a run's plots where the command line asked: -r raw file (all plots), --csv (one
// file per plot: the name as given for a single plot, name-1.csv, name-2.csv ... otherwise),
// and the .print tables (plus the operating point) on stdout. With .save/.probe cards the files
// hold only the scale and the saved vectors, as ngspice's do.
#include <ostream>
#include <string>
#include <vector>

#include "elab/flat_circuit.hpp"
#include "output/plot.hpp"

namespace memspice::apps {

// Returns an error message, or "" on success.
std::string writeResults(const std::vector<engine::Plot>& plots, const elab::FlatCircuit& circuit,
                         const std::string& rawFile, const std::string& csvFile, bool asciiRaw, std::ostream& out);

}  // namespace memspice::apps
