#pragma once
// Neuron columns as circuits. A neuron is a SPICE subcircuit with ports (in out) from a library
// file: the column's differential current, scaled by the layer's mirror ratio, flows into `in`,
// and the DC voltage at `out` drives the next layer's row directly (the paper's mReLU output
// is the next layer's input voltage). The column end is taken as a virtual ground, so the
// neuron and the array do not load each other and each neuron is a one-input DC map. memspice
// solves that map once over the input range, refines it where linear interpolation misses the
// direct solve, and every image then reads the table. Inputs beyond the table are counted.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "device/registry.hpp"

namespace memspice::xbar {

struct NeuronOptions {
  std::filesystem::path library;  // .lib/.cir file holding the subcircuit
  std::string subckt;             // its name; ports (in out)
  std::string params;             // "name=value ..." passed to the instance
  double iunit = 1e-6;            // A into the neuron per unit of pre-activation
  double zmax = 20;               // table spans pre-activations [-zmax, zmax]
  double tolerance = 1e-4;        // V: interpolation error allowed against a direct solve
};
// "FILE:NAME" (the last ':' splits; a Windows-free project, so paths have no drive letters).
NeuronOptions parseNeuronSpec(const std::string& spec);

// The neuron's DC transfer: output volts against input amperes, piecewise linear.
struct NeuronTable {
  std::vector<double> current, voltage;  // increasing current
  double maxError = 0;                   // V: worst interpolation error at the checked points
  std::size_t solves = 0;                // DC solves spent building it
  // Output for input current i; beyond the ends the end value, and *outside is set.
  double operator()(double i, bool* outside = nullptr) const;
};

// One neuron subcircuit driven by a DC current source, solved through the memspice engine.
class NeuronCircuit {
 public:
  NeuronCircuit(const NeuronOptions& options, const engine::ModelRegistry& registry);
  ~NeuronCircuit();
  // The deck the neuron is solved as (also what `memspice-xbar neuron` exports).
  static std::string deck(const NeuronOptions& options);
  // A solution and the input current it holds for.
  struct State {
    double current = 0;
    std::vector<double> x;
  };
  // V(out) with `current` amperes into `in`, continued from the last solve (or from start) as
  // a DC sweep continues from its previous point; the first solve starts cold.
  double solve(double current, const State* start = nullptr);
  const State& state() const { return state_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  State state_;
  bool solved_ = false;  // state_ holds a solution
};

// Sweeps the neuron from 0 up to +zmax iunit and from 0 down to -zmax iunit (warm starts along
// each direction, as a DC sweep does), then checks each interval's midpoint against a direct
// solve and splits the intervals that miss by more than the tolerance.
NeuronTable tabulateNeuron(const NeuronOptions& options, const engine::ModelRegistry& registry);

}  // namespace memspice::xbar
