#pragma once
// Writing a run's results where the command line asked: the .print tables, the operating point
// and the measurements on stdout; -r raw file (every plot of every .step point, the plot name
// carrying the point); --csv (one file per analysis: the name as given for a single analysis,
// name-1.csv, name-2.csv ... otherwise; with .step, rows of all points behind step columns);
// --measure-csv / --measure-json (one row per point); --events (device events of transient
// runs, e.g. neuron spikes, one row each behind the step columns). With .save/.probe cards the files hold
// only the scale and the saved vectors, as ngspice's do.
#include <ostream>
#include <string>
#include <vector>

#include "elab/flat_circuit.hpp"
#include "step_runner.hpp"

namespace memspice::apps {

struct OutputFiles {
  std::string raw, csv, measureCsv, measureJson, events;
  bool asciiRaw = false;
};

// As ngspice: with .save (or .probe) cards, files hold the scale and the saved vectors only;
// `.save all` keeps everything.
engine::Plot selectSaved(const engine::Plot& p, const elab::FlatCircuit& c);

// Returns an error message, or "" on success.
std::string writeResults(const std::vector<engine::StepRun>& runs, const elab::FlatCircuit& circuit,
                         const OutputFiles& files, std::ostream& out);

}  // namespace memspice::apps
