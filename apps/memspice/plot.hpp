#pragma once
// --plot: an SVG or PNG of a run through gnuplot.
//  Waveforms: the y vectors (default: every saved vector) of one analysis against its scale or
//    another vector (--plot-x, e.g. v(top) for an I-V loop), one curve per vector and .step point.
//  Measurements: when every y name is a .measure, its value against a step variable (default:
//    the first), one curve per combination of the other step variables.
// Expressions are named as in the deck, in braces: --plot-y '{v(a)/i(v1)}'.
// --plot-log-y plots |y| on a log axis (currents of I-V curves), --plot-log-x likewise.
#include <string>
#include <vector>

#include "elab/flat_circuit.hpp"
#include "step_runner.hpp"

namespace memspice::apps {

struct PlotRequest {
  std::string file;      // .svg or .png
  std::vector<std::string> y;
  std::string x;
  std::string analysis;  // tran, dc or op; default: the first analysis with more than one point
  bool logX = false, logY = false;
};

// Returns an error message, or "" on success.
std::string writePlot(const std::vector<engine::StepRun>& runs, const elab::FlatCircuit& circuit,
                      const PlotRequest& request);

}  // namespace memspice::apps
