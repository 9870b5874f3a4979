#pragma once
// Neuron columns as circuits. A neuron is a SPICE subcircuit with ports (in out) from a library
// file: the column's differential current, scaled by the layer's mirror ratio, flows into `in`,
// and the DC voltage at `out` drives the next layer's row directly (the paper's mReLU output
// is the next layer's input voltage). The column end is taken as a virtual ground, so the
// neuron and the array do not load each other and each neuron is a one-input DC map. memspice
// solves that map once over the input range, refines it where linear interpolation misses the
// direct solve, and every image then reads the table. Inputs beyond the table are counted.
// A spiking neuron (an LIF column) has no DC output to tabulate: with a read window T, each
// table point is instead a transient from rest with the input stepped on at t = 0, and the
// table holds v(out) averaged over [0, T]: what a rate-coded next layer integrates in one read.
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
  double window = 0;              // s: > 0 tabulates the mean of v(out) over a read window
  int windowPoints = 100;         // with a window: table points per sign of the input (uniform)
  // The instance's name and the deck's seed: the library's random draws (agauss, gauss, ...) are
  // keyed by both, so a different name is a different device of the same design.
  std::string instance = "xneuron";
  std::uint64_t seed = 1;
};
// "FILE:NAME" (library_spec.hpp).
NeuronOptions parseNeuronSpec(const std::string& spec);

// The neuron's DC transfer: output volts against input amperes, piecewise linear.
struct NeuronTable {
  std::vector<double> current, voltage;  // increasing current
  // W delivered by the neuron's own independent sources (supplies, biases) at each point: its
  // power draw. B sources are left out (an ideal output stage has no known supply), and so is
  // the input, whose current the array delivers into a virtual ground.
  std::vector<double> power;
  double maxError = 0;                   // V: worst interpolation error at the checked points
  std::size_t solves = 0;                // DC solves (or window transients) spent building it
  // A DC table of a neuron with event devices (thresholds that fire, as a spiking neuron's):
  // the DC transfer never crosses them, so the table may not be what the neuron does in time.
  bool dcOfEventDevices = false;
  // Output for input current i; beyond the ends the end value, and *outside is set.
  double operator()(double i, bool* outside = nullptr) const;
  double supplyPower(double i) const;  // W at input i (interpolated as the voltage is)
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
  // Whether a device other than a B source has root functions (fires or switches at events).
  bool hasEventDevices() const;
  // The power the neuron's own sources deliver at the last solve (NeuronTable::power).
  double supplyPower();
  // The means of V(out) and of the supply power over [0, window] with `current` amperes stepped
  // on at t = 0 into the neuron at rest (its DC state at zero input). Each call starts from
  // freshly built devices, so a stochastic neuron draws the same random sequence at every input.
  struct WindowMean {
    double out = 0, power = 0;
  };
  WindowMean windowMean(double current, double window);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  State state_;
  bool solved_ = false;  // state_ holds a solution
};

// Sweeps the neuron from 0 up to +zmax iunit and from 0 down to -zmax iunit (warm starts along
// each direction, as a DC sweep does), then checks each interval's midpoint against a direct
// solve and splits the intervals that miss by more than the tolerance. With a window: the
// window means on a uniform grid of windowPoints per sign, and maxError is the worst midpoint
// miss (a spike count is whole, so the mean steps and refining would chase the steps).
NeuronTable tabulateNeuron(const NeuronOptions& options, const engine::ModelRegistry& registry);

}  // namespace memspice::xbar
