#include "neuron.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "analysis/operating_point.hpp"
#include "analysis/transient.hpp"
#include "frontend.hpp"
#include "library_spec.hpp"
#include "linalg/klu_solver.hpp"
#include "measure/measure.hpp"
#include "network.hpp"
#include "nonlinear/newton.hpp"
#include "simulator.hpp"
#include "system/build_system.hpp"
#include "xbar_error.hpp"

namespace memspice::xbar {

NeuronOptions parseNeuronSpec(const std::string& spec) {
  LibrarySpec s = parseLibrarySpec(spec, "--neuron", "netlists/xbar_neurons.lib:relu_mirror");
  NeuronOptions o;
  o.library = std::move(s.library);
  o.subckt = std::move(s.subckt);
  return o;
}

double NeuronTable::operator()(double i, bool* outside) const {
  if (outside && (i < current.front() || i > current.back())) *outside = true;
  return piecewiseLinear(current, voltage, i);
}

double NeuronTable::supplyPower(double i) const { return piecewiseLinear(current, power, i); }

namespace {

// The neuron's own independent sources: every V and I source but the input.
std::vector<std::size_t> suppliesOf(const elab::FlatCircuit& c, std::size_t input) {
  std::vector<std::size_t> out;
  for (std::size_t d = 0; d < c.instances.size(); ++d)
    if (d != input && (c.instances[d].type == 'v' || c.instances[d].type == 'i')) out.push_back(d);
  return out;
}

// W those sources deliver at x (x' = xdot): minus the power they absorb.
double delivered(engine::MnaSystem& sys, const elab::FlatCircuit& c, const std::vector<std::size_t>& supplies,
                 std::span<const double> x, std::span<const double> xdot, const engine::EvalContext& ctx) {
  double p = 0;
  for (std::size_t d : supplies) p -= sys.devicePower(d, c.instances[d].nodes.size(), x, xdot, ctx);
  return p;
}

}  // namespace

struct NeuronCircuit::Impl {
  std::unique_ptr<FrontEndResult> deck;
  std::unique_ptr<engine::MnaSystem> system;
  std::unique_ptr<engine::KluSolver> solver;
  engine::SimulationOptions options;  // the deck's .options: how windows integrate
  const engine::ModelRegistry* registry = nullptr;
  std::size_t source = 0;
  std::size_t out = 0;
  std::vector<std::size_t> supplies;
  std::string name;
};

std::string NeuronCircuit::deck(const NeuronOptions& o) {
  std::string text = fmt::format(
      "* memspice-xbar neuron column: subcircuit {} of {}, driven by the column current\n"
      ".include \"{}\"\n",
      o.subckt, o.library.string(), std::filesystem::absolute(o.library).string());
  if (o.window > 0) {
    // Runnable as it stands for one table point: set iin. (The table steps the input exactly
    // at t = 0; the pulse's 1 ns edge is the deck's only difference.)
    text += fmt::format(
        "* A table point: the neuron at rest, the input stepped to iin at t = 0, v(out) averaged over {:g} s\n"
        ".param iin=0\n"
        "iin 0 in pulse(0 {{iin}} 0 1n)\n",
        o.window);
  } else {
    text += "iin 0 in dc 0\n";
  }
  text += fmt::format(".options seed={}\n{} in out {}{}{}\n", o.seed, o.instance, o.subckt, o.params.empty() ? "" : " ",
                      o.params);
  if (o.window > 0)
    text += fmt::format(".tran {:g} {:g}\n.measure tran vmean avg v(out) from=0 to={:g}\n", o.window / 1000, o.window,
                        o.window);
  return text + ".end\n";
}

NeuronCircuit::NeuronCircuit(const NeuronOptions& o, const engine::ModelRegistry& registry)
    : impl_(std::make_unique<Impl>()) {
  if (!std::filesystem::is_regular_file(o.library))
    throw XbarError(fmt::format("{}: cannot open the neuron library", o.library.string()));
  impl_->name = fmt::format("neuron {}:{}", o.library.string(), o.subckt);
  impl_->registry = &registry;
  static const DiskFileProvider files;
  impl_->deck = std::make_unique<FrontEndResult>(loadDeckText("neuron.cir", deck(o), files));
  if (!impl_->deck->circuit)
    throw XbarError(fmt::format("{}: the neuron does not elaborate (ports must be: in out):\n{}", impl_->name,
                                impl_->deck->report()));
  const elab::FlatCircuit& c = *impl_->deck->circuit;
  impl_->options = engine::simulationOptions(c, impl_->deck->diags);
  if (impl_->deck->diags.hasErrors())
    throw XbarError(fmt::format("{}: bad .options:\n{}", impl_->name, impl_->deck->report()));
  impl_->system = engine::buildMnaSystem(c, registry, impl_->deck->diags);
  if (!impl_->system) throw XbarError(fmt::format("{}: cannot build the circuit:\n{}", impl_->name, impl_->deck->report()));
  impl_->solver = std::make_unique<engine::KluSolver>(impl_->system->pattern());
  impl_->source = static_cast<std::size_t>(c.findInstance("iin"));
  impl_->supplies = suppliesOf(c, impl_->source);
  auto out = c.findNode("out");
  if (!out || *out == 0) throw XbarError(fmt::format("{}: no output node", impl_->name));
  impl_->out = static_cast<std::size_t>(impl_->system->nodeUnknown(*out));
  state_.x.assign(impl_->system->size(), 0.0);
  impl_->system->initialValues(state_.x);  // device states (a memristor's gap) as the device says
}

NeuronCircuit::~NeuronCircuit() = default;

bool NeuronCircuit::hasEventDevices() const {
  // A B source's roots are its comparisons (exact where they flip), not device events.
  const auto& instances = impl_->deck->circuit->instances;
  for (std::size_t d = 0; d < impl_->system->deviceCount(); ++d)
    if (instances[d].type != 'b' && impl_->system->device(d).rootCount() > 0) return true;
  return false;
}

double NeuronCircuit::solve(double current, const State* start) {
  if (start) {
    state_ = *start;
    solved_ = true;
  }
  auto& sys = *impl_->system;
  const std::size_t source = impl_->source;
  engine::EvalContext ctx;
  // Tighter than a simulation's defaults: the table is checked to 1e-4 V, and a neuron is a
  // handful of unknowns, so the extra iteration or two costs nothing.
  engine::OpOptions op;
  op.newton.tol = {.reltol = 1e-7, .vntol = 1e-9, .abstol = 1e-15};
  engine::OpResult r;
  if (solved_) {
    r = engine::continueSource(sys, *impl_->solver, state_.x, ctx, op, [&](double i) { sys.setSweepValue(source, i); },
                               state_.current, current);
  } else {
    sys.setSweepValue(source, current);
    r = engine::solveOperatingPoint(sys, *impl_->solver, state_.x, ctx, op);
  }
  if (!r.converged)
    throw XbarError(fmt::format("{}: no DC solution at {:g} A input: {}", impl_->name, current, r.failure));
  state_.current = current;
  solved_ = true;
  return state_.x[impl_->out];
}

double NeuronCircuit::supplyPower() {
  const std::vector<double> rates(state_.x.size(), 0.0);
  return delivered(*impl_->system, *impl_->deck->circuit, impl_->supplies, state_.x, rates, engine::EvalContext{});
}

NeuronCircuit::WindowMean NeuronCircuit::windowMean(double current, double window) {
  // Fresh devices: a spiking device counts its firings and draws each threshold by that count.
  const elab::FlatCircuit& c = *impl_->deck->circuit;
  auto sys = engine::buildMnaSystem(c, *impl_->registry, impl_->deck->diags);
  if (!sys) throw XbarError(fmt::format("{}: cannot build the circuit:\n{}", impl_->name, impl_->deck->report()));
  engine::KluSolver solver(sys->pattern());
  // As the deck runs (`neuron --deck`): its method, tolerances and temperature.
  engine::TransientSetup s = engine::transientSetup(impl_->options);
  std::vector<double> rest(sys->size(), 0.0);
  sys->initialValues(rest);
  sys->setSweepValue(impl_->source, 0.0);
  engine::OpResult op = engine::solveOperatingPoint(*sys, solver, rest, s.ctx, s.op);
  if (!op.converged) throw XbarError(fmt::format("{}: no rest state (DC at zero input): {}", impl_->name, op.failure));
  // The rest state is the start, and the input steps to `current` at t = 0 (the first step
  // starts from it as from a corner). A step cap of window/50, as a .tran without a step;
  // spikes are events.
  sys->setSweepValue(impl_->source, current);
  for (std::size_t d = 0; d < sys->deviceCount(); ++d) sys->device(d).beginTransient(0, window);
  s.tstop = window;
  s.internalPoints = true;  // the mean from the integrator's own points: no spike falls between
  s.start = std::move(rest);
  s.outputs = {static_cast<engine::Index>(impl_->out)};
  s.extra = [&](double t, std::span<const double> y, std::span<const double> yp, std::vector<double>& row) {
    engine::EvalContext at;
    at.time = t;
    at.transient = true;
    row.push_back(delivered(*sys, c, impl_->supplies, y, yp, at));
  };
  engine::TransientResult r = engine::runTransient(*sys, solver, s);
  if (!r.ok) throw XbarError(fmt::format("{}: transient at {:g} A input: {}", impl_->name, current, r.failure));
  // Columns: time, v(out), supply power; trapezoid rule over the steps, as .measure avg.
  const std::vector<double> time = r.column(0);
  if (time.size() < 2) throw XbarError(fmt::format("{}: transient at {:g} A input: no steps recorded", impl_->name, current));
  auto mean = [&](std::size_t col) { return engine::measure::integral(time, r.column(col), 0, window, false) / window; };
  return {mean(1), mean(2)};
}

namespace {

// The window table: a uniform grid over [-zmax, zmax] iunit, each point a window transient.
NeuronTable tabulateWindow(const NeuronOptions& o, NeuronCircuit& n) {
  NeuronTable t;
  const int k = o.windowPoints;
  const double imax = o.zmax * o.iunit;
  for (int j = -k; j <= k; ++j) {
    t.current.push_back(imax * j / k);
    const NeuronCircuit::WindowMean m = n.windowMean(t.current.back(), o.window);
    t.voltage.push_back(m.out);
    t.power.push_back(m.power);
    ++t.solves;
  }
  for (std::size_t j = 0; j + 1 < t.current.size(); ++j) {
    double mid = n.windowMean(0.5 * (t.current[j] + t.current[j + 1]), o.window).out;
    ++t.solves;
    t.maxError = std::max(t.maxError, std::fabs(mid - 0.5 * (t.voltage[j] + t.voltage[j + 1])));
  }
  return t;
}

}  // namespace

NeuronTable tabulateNeuron(const NeuronOptions& o, const engine::ModelRegistry& registry) {
  if (!(o.iunit > 0)) throw XbarError(fmt::format("--neuron-iunit: expected a positive current, got {}", o.iunit));
  if (!(o.zmax > 0)) throw XbarError(fmt::format("--neuron-range: expected a positive span, got {}", o.zmax));
  if (!(o.tolerance > 0)) throw XbarError(fmt::format("neuron tolerance: expected a positive voltage, got {}", o.tolerance));
  if (!(o.window >= 0)) throw XbarError(fmt::format("--neuron-window: expected a duration in seconds, got {}", o.window));
  if (o.window > 0 && o.windowPoints < 1)
    throw XbarError(fmt::format("--neuron-window-points: expected at least 1, got {}", o.windowPoints));
  NeuronCircuit n(o, registry);
  if (o.window > 0) return tabulateWindow(o, n);
  NeuronTable t;
  t.dcOfEventDevices = n.hasEventDevices();
  // Current -> output, supply power and solution (refinement warm-starts from a neighbour).
  struct Point {
    double v, power;
    NeuronCircuit::State state;
  };
  std::map<double, Point> points;
  const int steps = 400;  // per direction; refinement adds what the curve needs
  const double imax = o.zmax * o.iunit;
  auto sweep = [&](double sign) {
    auto zero = points.find(0.0);
    const NeuronCircuit::State* start = zero == points.end() ? nullptr : &zero->second.state;
    for (int k = 0; k <= steps; ++k) {
      double i = sign * imax * k / steps;
      double v = n.solve(i, k == 0 ? start : nullptr);
      points[i] = {v, n.supplyPower(), n.state()};
      ++t.solves;
    }
  };
  sweep(1.0);
  sweep(-1.0);
  // Check each interval's midpoint; an interval that misses is split, and its halves checked
  // in the next round. maxError is the worst miss among the intervals that were kept.
  std::vector<double> pending;  // left ends of the intervals to check
  for (const auto& p : points) pending.push_back(p.first);
  pending.pop_back();
  // Halving 400ths of the range 20 times resolves 2.4e-9 of it (12 fA for 5 uA): a device neuron's
  // transfer may bend within tens of pA of zero (the mReLU's memristor turning on), which a table
  // must follow; only failing intervals split, so a true step costs one solve per round.
  constexpr int kMaxRounds = 20;
  for (int round = 0; !pending.empty(); ++round) {
    if (round == kMaxRounds)
      throw XbarError(fmt::format("neuron {}:{}: the transfer curve still misses its direct solves by more than "
                                  "{:g} V after {} refinements (a discontinuity?)",
                                  o.library.string(), o.subckt, o.tolerance, kMaxRounds));
    std::vector<double> next;
    for (double left : pending) {
      auto a = points.find(left), b = std::next(a);
      double i = 0.5 * (a->first + b->first);
      if (!(i > a->first && i < b->first)) continue;  // at double resolution already
      // Warm start from the neighbour nearer zero: the side the sweep came from.
      const auto& from = std::fabs(a->first) < std::fabs(b->first) ? a->second.state : b->second.state;
      double v = n.solve(i, &from);
      ++t.solves;
      double miss = std::fabs(v - 0.5 * (a->second.v + b->second.v));
      if (miss <= o.tolerance) {
        t.maxError = std::max(t.maxError, miss);
        continue;
      }
      points[i] = {v, n.supplyPower(), n.state()};
      next.push_back(a->first);
      next.push_back(i);
    }
    pending = std::move(next);
  }
  for (const auto& [i, p] : points) {
    t.current.push_back(i);
    t.voltage.push_back(p.v);
    t.power.push_back(p.power);
  }
  return t;
}

}  // namespace memspice::xbar
