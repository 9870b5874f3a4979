#pragma once
// Transient analysis. runTransient integrates with the setup's method: the trapezoidal rule
// (the default; memspice's own, as in SPICE; analysis/trapezoidal.hpp) or runIda below.
// runIda: SUNDIALS IDA (variable-order BDF) with SUNDIALS' KLU linear solver.
//   residual   F(t, y, y') = f(y, t) + C(y) y'          (x-form: unknowns as in DC)
//   Jacobian   dF/dy + cj dF/dy' = G + cj C             (on the one pattern; dC/dy y' dropped)
// Start: the operating point at t = 0 (sources at their t = 0 values); or a given start point
// (the caller's operating point with .ic nodes held); or with `uic` the .ic values and
// capacitor ic= voltages. Given and uic starts are made consistent by IDACalcIC. Every source breakpoint is
// an IDA stop time; after it IDA is re-initialised and the initial conditions recomputed,
// because BDF history is not valid across a corner. Results are interpolated onto the output
// grid tstart, tstart + tstep, ..., tstop (or, with internalPoints, at every step IDA takes
// after tstart, plus the breakpoints). IDA runs one step at a time; grid points are
// interpolated from the step that passes them (as IDA's own normal mode does), and chosen
// columns can be kept at every step as well. Algebraic unknowns are left out of the error test
// (IDASetSuppressAlg). Tolerances: reltol for all, vntol for voltages,
// abstol for currents; the local error test accepts trtol times them (ngspice's
// truncation-error overestimation factor; default 1 here, 7 in ngspice), Newton does not. The
// maximum step is tmax, or min(tstep, (tstop - tstart)/50) as ngspice.
// Device root functions are IDA root functions; at a crossing the device is told, and if its
// equations changed the integrator is re-initialised there.
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "analysis/operating_point.hpp"
#include "elab/flat_circuit.hpp"
#include "output/plot.hpp"

namespace memspice::engine {

// gear: IDA's variable-order BDF (runIda); trap: memspice's own trapezoidal rule, as SPICE
// integrates by default (runTrapezoidal, analysis/trapezoidal.hpp), with IDA bridging what its
// smallest step cannot follow.
enum class Method { Gear, Trap };
// Without .options method: trap, at least as fast as IDA on every benchmark deck
// (docs/performance.md, "Default"; on the LIF population about the same).
inline constexpr Method kDefaultMethod = Method::Trap;

struct TransientSetup {
  double tstep = 0, tstop = 0, tstart = 0, tmax = 0;
  Method method = kDefaultMethod;
  bool uic = false;
  bool internalPoints = false;  // record every integrator step instead of the tstep grid
  int maxOrder = 5;             // highest BDF order IDA may use (trap: 1 keeps backward Euler)
  double trtol = 1;             // the local error test accepts trtol times the tolerances
  std::vector<std::pair<Index, double>> initial;  // uic: unknown -> value
  std::vector<double> start;  // if not empty: the initial point (e.g. an OP with .ic clamps)
  // With start: the run continues from this time (IDA only); what lies up to it is another
  // run's, and is not recorded. startRate: dx/dt there (empty: at rest).
  std::optional<double> resumeAt;
  std::vector<double> startRate;
  // IDA as trap's bridge over a stretch its smallest step cannot follow: stop at the first
  // output point (grid point, or step with internalPoints) at which IDA's last step is at least
  // this long, and hand that point back (TransientResult::handBack). 0: on to tstop.
  double handBackStep = 0;
  OpOptions op;
  EvalContext ctx;
  std::vector<Index> outputs;  // unknowns to record, after the time column
  // Appends further columns computed from (t, y, y') at each recorded point (may be empty).
  std::function<void(double, std::span<const double>, std::span<const double>, std::vector<double>&)> extra;
  // Columns (indices into a recorded row after its time: outputs, then extra columns) to record
  // also at every integrator step, for .measure (TransientResult::fine). Empty: none.
  std::vector<std::size_t> fineColumns;
};

struct TransientResult {
  bool ok = false;
  std::string failure;
  std::vector<double> data;  // point-major: time, outputs..., extra columns...
  std::size_t width = 0;     // values per recorded point in data
  // Column c of data over the recorded points (0: time).
  std::vector<double> column(std::size_t c) const;
  std::vector<double> fine;  // point-major: time, the fineColumns, at every step and output point
  long steps = 0;            // IDA's internal steps
  long residuals = 0;        // residual evaluations
  long jacobians = 0;        // Jacobian evaluations (matrix factorisations)
  long restarts = 0;         // re-initialisations at breakpoints and events
  long errorFails = 0;       // steps rejected by the local error test
  long correctorFails = 0;   // steps rejected because the corrector did not converge
  long bridges = 0;          // method=trap: stretches IDA bridged (analysis/trapezoidal.hpp)
  struct DeviceEvent {
    double time;
    std::size_t device;
    std::string what;
  };
  std::vector<DeviceEvent> events;  // what devices did at their roots (Device::eventName)
  // Where a bridging IDA run stopped (TransientSetup::handBackStep): the time, IDA's last step,
  // and x, dx/dt there.
  struct HandBack {
    double t = 0, step = 0;
    std::vector<double> x, xdot;
  };
  std::optional<HandBack> handBack;
  // Appends a later stretch of the same run: rows, events and counters.
  void append(TransientResult&& later);
};

// The transient with setup.method.
TransientResult runTransient(MnaSystem& system, KluSolver& dcSolver, const TransientSetup& setup);
// The transient on IDA, whatever setup.method says.
TransientResult runIda(MnaSystem& system, KluSolver& dcSolver, const TransientSetup& setup);

}  // namespace memspice::engine
