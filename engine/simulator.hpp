#pragma once
// Simulator: runs the analyses of a flat circuit and returns one plot per analysis.
// Each analysis gets freshly built devices (a .dc sweep changes source values), all built
// through the model registry. Problems go to Diagnostics at the netlist location of the
// device or analysis concerned; an analysis that fails produces no plot.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "device/registry.hpp"
#include "elab/flat_circuit.hpp"
#include "analysis/transient.hpp"
#include "nonlinear/newton.hpp"
#include "output/plot.hpp"
#include "source/diagnostics.hpp"

namespace memspice::engine {

struct SimulationOptions {
  Tolerances tol;
  double gmin = 1e-12;
  double temperature = 300.15;  // K, from .temp or .options temp (first value)
  int maxIterations = 100;      // itl1
  bool asciiRaw = false;        // .options filetype=ascii
  bool internalPoints = false;  // .options internalpoints: transient output at every step
  int maxOrder = 5;             // .options maxord: highest BDF order
  double trtol = 1;             // .options trtol: error-test factor (ngspice: 7)
  Method method = kDefaultMethod;  // .options method: gear (IDA) or trap (memspice's own, as SPICE)
};

// Reads .options and .temp; unknown options are warned about, bad values are errors.
SimulationOptions simulationOptions(const elab::FlatCircuit& circuit, Diagnostics& diags);

// How a transient integrates under these options (method, order, trtol, output at every step,
// Newton's tolerances, temperature, gmin); the caller sets the times, start and outputs.
TransientSetup transientSetup(const SimulationOptions& options);

// What one analysis cost, for --stats.
struct AnalysisStats {
  std::string analysis;  // plot name
  std::size_t unknowns = 0;
  std::size_t points = 0;
  long steps = 0, residuals = 0, jacobians = 0, restarts = 0;  // transient only
  long errorFails = 0, correctorFails = 0;                      // rejected steps, transient only
  long bridges = 0;  // method=trap: stretches IDA bridged (TransientResult::bridges)
  double seconds = 0;
};

// Elaborates the deck again with top-level parameters fixed to values (.dc over a .param);
// returns nullopt after reporting the problems to the Diagnostics it was made with.
using Reelaborate = std::function<std::optional<elab::FlatCircuit>(const std::map<std::string, double>&)>;

class Simulator {
 public:
  Simulator(const elab::FlatCircuit& circuit, const ModelRegistry& registry, Diagnostics& diags,
            Reelaborate reelaborate = {});

  // Runs every analysis in deck order. Returns the plots of those that succeeded.
  std::vector<Plot> run();
  const SimulationOptions& options() const { return options_; }
  const std::vector<AnalysisStats>& stats() const { return stats_; }

 private:
  struct Built;
  // Devices for every instance; with icClamps, also an ideal source holding each .ic node.
  std::unique_ptr<Built> build(const elab::FlatCircuit& circuit, bool icClamps = false);
  // Output vectors beyond node voltages and branch currents that .print/.save/.probe ask for:
  // v(a,b), i() of devices without a branch current, {expressions}.
  void addRequestedOutputs(Built& built, const elab::FlatCircuit& circuit);
  bool operatingPoint(const elab::FlatAnalysis& a, std::vector<Plot>& plots);
  bool dcSweep(const elab::FlatAnalysis& a, const elab::DcAnalysis& dc, std::vector<Plot>& plots);
  bool transient(const elab::FlatAnalysis& a, const elab::TranAnalysis& tran, std::vector<Plot>& plots);

  const elab::FlatCircuit& circuit_;
  const ModelRegistry& registry_;
  Diagnostics& diags_;
  Reelaborate reelaborate_;
  SimulationOptions options_;
  std::vector<AnalysisStats> stats_;
  AnalysisStats pending_;  // filled by the analysis being run
};

}  // namespace memspice::engine
