#pragma once
// .step: the deck's analyses run once per point of the step sweep, in one process. Step cards
// nest with the first card innermost (varying fastest), as the sweeps of .dc do. Each point
// runs on the deck with its step variables set: parameters by elaborating the deck again
// (so every expression that uses them follows), sources, resistors, model parameters and the
// temperature on a copy of the flat circuit. A point that fails is reported with its step
// values and the remaining points still run. Without .step there is one point.
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "measure/measure.hpp"
#include "simulator.hpp"

namespace memspice::engine {

struct StepRun {
  std::vector<std::pair<std::string, double>> point;  // step variable -> value, as the cards list them
  std::vector<Plot> plots;
  std::vector<MeasureResult> measures;
  std::vector<AnalysisStats> stats;
  bool ok = true;
};

// Called after each point with (points done, total points).
using StepProgress = std::function<void(std::size_t, std::size_t)>;

// The step sweep's points: the cartesian product of the .step cards, first card fastest.
std::vector<std::vector<std::pair<std::string, double>>> stepPoints(const elab::FlatCircuit& circuit);

// Runs every point; errors go to diags with the point's step values in the message.
// `options` receives the simulation options of the base circuit (raw file format).
std::vector<StepRun> runSteps(const elab::FlatCircuit& circuit, const ModelRegistry& registry, Diagnostics& diags,
                              const Reelaborate& reelaborate, const StepProgress& progress = {},
                              SimulationOptions* options = nullptr);

// "icc = 1e-06, rs = 1000"
std::string describePoint(const std::vector<std::pair<std::string, double>>& point);

}  // namespace memspice::engine
