#pragma once
// The device interface. Every device contributes to
//     f(x) + d/dt q(x) = 0
// in local form: it sees only its own unknowns (terminal node voltages first, then its
// internal unknowns such as branch currents or state variables), and fills
//     f[i], q[i]   resistive currents / charges leaving local unknown i's equation,
//     G[k], C[k]   d f / d x and d q / d x for each entry k of its stamp.
// It never sees the global matrix, ground, the integration method or the time step; the engine
// scatters the local arrays through offsets computed once at setup.
//
// Lifecycle: construct (parameters resolved, errors thrown as DeviceError) -> the engine asks
// internals() and stamp() once -> eval() many times -> accept() after each converged point.
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "source/source_loc.hpp"

namespace memspice::engine {

// What an unknown is; sets its tolerance (vntol, abstol, or a state tolerance).
enum class Nature : std::uint8_t { Voltage, Current, State };

struct StampEntry {
  std::uint16_t row;  // local equation
  std::uint16_t col;  // local unknown
};

// What one local unknown connects to: a node (0 = ground), or, when `device` >= 0, the
// internal unknown `internal` of another device (its branch current).
struct Connection {
  int node = 0;
  int device = -1;
  int internal = 0;
};

struct InternalUnknown {
  Nature nature;
  std::string suffix;  // output name suffix, e.g. "#branch" (branch currents print as i(name))
};

struct EvalContext {
  double time = 0;
  double sourceFactor = 1;        // source stepping scales every independent source
  double temperature = 300.15;    // kelvin
  bool transient = false;         // time-domain source values; q and C wanted (false: DC analyses)
  bool integrating = false;       // inside the integrator (false also for the transient's start point)
  bool limit = false;             // DC Newton: devices may limit junction voltages
  bool firstIteration = false;    // start junctions at a safe voltage
  double gmin = 1e-12;            // conductance devices put across junctions
  bool jacobian = true;           // false: the caller needs f and q (and C) but not G
  bool scale = true;              // false: the caller does not read MnaSystem::fScale
};

struct EvalOutput {
  std::span<double> f, q, G, C;   // zeroed by the engine before eval
  bool limited = false;           // a junction voltage was limited, or the device switched its
                                  // equations, this iteration (Newton neither damps nor stops)
};

// A problem in a device's parameters, reported at the device's netlist location.
class DeviceError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A problem found while assembling the system, blamed on the device with this index.
class ConnectionError : public DeviceError {
 public:
  ConnectionError(std::size_t device, const std::string& message) : DeviceError(message), device_(device) {}
  std::size_t device() const { return device_; }

 private:
  std::size_t device_;
};

class Device {
 public:
  Device(std::string name, SourceLoc loc) : name_(std::move(name)), loc_(loc) {}
  virtual ~Device() = default;
  Device(const Device&) = delete;
  Device& operator=(const Device&) = delete;

  const std::string& name() const { return name_; }
  SourceLoc loc() const { return loc_; }

  // Local unknowns before the internals: terminal nodes, or other devices' branch currents
  // (F, H and W read a V source's current; K couples two inductor currents).
  virtual std::size_t terminalCount() const = 0;
  virtual std::vector<InternalUnknown> internals() const { return {}; }
  // Local (row, col) pairs this device writes G and/or C into, in the order of G[k], C[k].
  // A pair may appear more than once; its values add.
  virtual std::vector<StampEntry> stamp() const = 0;
  virtual void eval(std::span<const double> x, const EvalContext& ctx, EvalOutput& out) = 0;
  // True if f and q are linear in x, so G and C never change. A circuit whose devices are all
  // linear skips the transient corrector's residual check (analysis/ida_corrector.hpp).
  virtual bool linear() const { return false; }
  // True if, beyond linear(), f = G x and q = C x exactly (no term of the device's own, as a
  // source has) with G and C set by the parameters and ctx.temperature alone: resistors,
  // capacitors, inductors, linear controlled sources. The engine then stamps G and C once per
  // temperature and forms f and q from them, without calling eval. Such a device's
  // setSweepValue is called through MnaSystem's, which restamps.
  virtual bool fixedStamp() const { return false; }
  // True if q and C are always zero (sources, switches, behavioural sources): the engine then
  // does not add the device's q and C.
  virtual bool chargeFree() const { return false; }
  // Called with the converged local unknowns of an accepted point (resets limiting history,
  // commits hysteresis state in DC).
  virtual void accept(std::span<const double> /*x*/) {}

  // Events (transient): the device's root functions g_k(x, t); IDA locates their zero
  // crossings, then calls onRoot with the crossing's index, direction (+1 rising, -1 falling)
  // and time. onRoot returns true if the device changed its equations (a switch flipped, a
  // neuron fired); the engine then re-initialises the integrator there.
  virtual std::size_t rootCount() const { return 0; }
  virtual void roots(std::span<const double> /*x*/, const EvalContext& /*ctx*/, std::span<double> /*g*/) const {}
  virtual bool onRoot(std::size_t /*k*/, int /*direction*/, std::span<const double> /*x*/, double /*time*/) {
    return false;
  }
  // After an event and the integrator's restart: bring discrete state that the event's jump
  // has left behind in line with x (a latched comparison whose operand jumped across its
  // threshold at the event: no crossing for IDA to find later). True if anything changed; the
  // engine then restarts again and asks once more.
  virtual bool settle(std::span<const double> /*x*/, const EvalContext& /*ctx*/) { return false; }
  // What a change made by onRoot(k, direction) means, for the run's event list ("fire",
  // "on"); empty: not worth recording.
  virtual std::string eventName(std::size_t /*k*/, int /*direction*/) const { return {}; }

  // Transient with uic: the starting value of internal unknown k (a memristor's initial
  // state); nullopt leaves it at 0.
  virtual std::optional<double> initialValue(std::size_t /*internal*/) const { return std::nullopt; }
  // Named quantities derived from the local unknowns (a memristor's resistance r), for output
  // as n(device:name) in Xyce's syntax; quantity(k, x) computes the k-th.
  virtual std::vector<std::string> quantityNames() const { return {}; }
  virtual double quantity(std::size_t /*k*/, std::span<const double> /*x*/) const { return 0; }
  // The local unknown that is this device's current, if it has one (V sources, inductors).
  virtual std::optional<std::size_t> branchUnknown() const { return std::nullopt; }
  // Extra terminals after the netlist's nodes and references: what the device reads but does
  // not connect to (behavioural sources' v() and i() probes).
  virtual std::vector<Connection> probeConnections() const { return {}; }
  // Transient: called before the run with .tran's step and stop time (SPICE defaults for
  // waveform parameters come from them).
  virtual void beginTransient(double /*tstep*/, double /*tstop*/) {}
  // Transient: times in (from, to] where this device's inputs have corners.
  virtual void breakpoints(double /*from*/, double /*to*/, std::vector<double>& /*out*/) const {}

 protected:
  // .dc sweeps: set the swept value (V/I source value, resistance). False if not sweepable.
  // Called through MnaSystem::setSweepValue only, which restamps a fixed stamp (fixedStamp).
  friend class MnaSystem;
  virtual bool setSweepValue(double /*value*/) { return false; }

 private:
  std::string name_;
  SourceLoc loc_;
};

}  // namespace memspice::engine
