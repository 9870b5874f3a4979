#pragma once
// Crossbar cells made of device models. A cell device is a SPICE subcircuit with ports (w b), the
// word-line side and the bit-line side, and a parameter `state`: the device's programmed state
// (a stanford_rram's gap, say). Its defaults `state_min` and `state_max` bound the states it can
// be programmed to. A cell is programmed to conductance G by choosing the state at which its
// chord conductance at the read voltage, I(vread) / vread, is G. Read at any other voltage, the
// cell conducts what its model says: the read nonlinearity is simulated, not assumed away.
//
// That state is found from a table of the chord conductance against the state, solved once
// through the engine (one DC solve reads a whole grid of cells, each on its own sense source).
// Every interval's midpoint is checked against linear interpolation of ln G, and intervals that
// miss are split, as a neuron table is refined.
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "device/registry.hpp"

namespace memspice::xbar {

struct CellDeviceOptions {
  std::filesystem::path library;  // .lib/.cir file holding the subcircuit
  std::string subckt;             // its name; ports (w b), parameter `state`
  std::string params;             // "name=value ..." passed to every cell instance
  // Programmable states [lo, hi]; unset: the subcircuit's state_min and state_max defaults.
  std::optional<std::pair<double, double>> stateRange;
  double tolerance = 1e-6;        // allowed miss of ln G at a checked midpoint (relative G)
};
// "FILE:SUBCKT", as --cell-device takes it.
CellDeviceOptions parseCellSpec(const std::string& spec);
// "LO:HI" in SPICE numbers (e.g. 0.2n:1.7n), as --cell-state takes it.
std::pair<double, double> parseStateRange(const std::string& text);

class CellDevice {
 public:
  // Tabulates the cell at read voltage vread. Throws XbarError if the library or subcircuit is
  // missing, the state range is unknown or empty, a solve fails, or the conductance is not
  // positive and strictly monotone in the state.
  CellDevice(const CellDeviceOptions& options, double vread, const engine::ModelRegistry& registry);

  const CellDeviceOptions& options() const { return options_; }
  std::string spec() const { return options_.library.string() + ":" + options_.subckt; }
  double vread() const { return vread_; }
  std::pair<double, double> stateRange() const { return {state_.front(), state_.back()}; }
  // The chord conductances the state range reaches at vread, low then high.
  std::pair<double, double> conductanceRange() const;
  // The state programming chord conductance g; throws XbarError outside conductanceRange().
  double stateFor(double g) const;
  // Checks that every conductance in [gmin, gmax] can be programmed; throws XbarError.
  void checkRange(double gmin, double gmax) const;
  std::size_t points() const { return state_.size(); }
  double maxError() const { return maxError_; }  // worst ln G miss at the checked midpoints
  std::size_t solves() const { return solves_; }  // DC solves spent on the table

  // Deck text: the library's .include, and a cell instance between nodes w and b.
  std::string include() const;
  std::string instance(const std::string& name, const std::string& w, const std::string& b, double state) const;

 private:
  CellDeviceOptions options_;
  double vread_;
  std::vector<double> state_, lnG_;  // increasing state; lnG strictly monotone
  double maxError_ = 0;
  std::size_t solves_ = 0;
};

}  // namespace memspice::xbar
