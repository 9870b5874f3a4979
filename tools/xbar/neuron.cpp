#include "neuron.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "analysis/operating_point.hpp"
#include "frontend.hpp"
#include "linalg/klu_solver.hpp"
#include "network.hpp"
#include "nonlinear/newton.hpp"
#include "system/build_system.hpp"
#include "xbar_error.hpp"

namespace memspice::xbar {

NeuronOptions parseNeuronSpec(const std::string& spec) {
  auto colon = spec.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == spec.size())
    throw XbarError(fmt::format("--neuron '{}': expected LIBRARY:SUBCKT, e.g. netlists/xbar_neurons.lib:relu_mirror", spec));
  NeuronOptions o;
  o.library = spec.substr(0, colon);
  o.subckt = spec.substr(colon + 1);
  return o;
}

double NeuronTable::operator()(double i, bool* outside) const {
  if (outside && (i < current.front() || i > current.back())) *outside = true;
  return piecewiseLinear(current, voltage, i);
}

struct NeuronCircuit::Impl {
  std::unique_ptr<FrontEndResult> deck;
  std::unique_ptr<engine::MnaSystem> system;
  std::unique_ptr<engine::KluSolver> solver;
  std::size_t source = 0;
  std::size_t out = 0;
  std::string name;
};

std::string NeuronCircuit::deck(const NeuronOptions& o) {
  return fmt::format(
      "* memspice-xbar neuron column: subcircuit {} of {}, driven by the column current\n"
      ".include \"{}\"\n"
      "iin 0 in dc 0\n"
      "xneuron in out {}{}{}\n"
      ".end\n",
      o.subckt, o.library.string(), std::filesystem::absolute(o.library).string(), o.subckt,
      o.params.empty() ? "" : " ", o.params);
}

NeuronCircuit::NeuronCircuit(const NeuronOptions& o, const engine::ModelRegistry& registry)
    : impl_(std::make_unique<Impl>()) {
  if (!std::filesystem::is_regular_file(o.library))
    throw XbarError(fmt::format("{}: cannot open the neuron library", o.library.string()));
  impl_->name = fmt::format("neuron {}:{}", o.library.string(), o.subckt);
  static const DiskFileProvider files;
  impl_->deck = std::make_unique<FrontEndResult>(loadDeckText("neuron.cir", deck(o), files));
  if (!impl_->deck->circuit)
    throw XbarError(fmt::format("{}: the neuron does not elaborate (ports must be: in out):\n{}", impl_->name,
                                impl_->deck->report()));
  const elab::FlatCircuit& c = *impl_->deck->circuit;
  impl_->system = engine::buildMnaSystem(c, registry, impl_->deck->diags);
  if (!impl_->system) throw XbarError(fmt::format("{}: cannot build the circuit:\n{}", impl_->name, impl_->deck->report()));
  impl_->solver = std::make_unique<engine::KluSolver>(impl_->system->pattern());
  impl_->source = static_cast<std::size_t>(c.findInstance("iin"));
  auto out = c.findNode("out");
  if (!out || *out == 0) throw XbarError(fmt::format("{}: no output node", impl_->name));
  impl_->out = static_cast<std::size_t>(impl_->system->nodeUnknown(*out));
  state_.x.assign(impl_->system->size(), 0.0);
  impl_->system->initialValues(state_.x);  // device states (a memristor's gap) as the device says
}

NeuronCircuit::~NeuronCircuit() = default;

double NeuronCircuit::solve(double current, const State* start) {
  if (start) {
    state_ = *start;
    solved_ = true;
  }
  auto& sys = *impl_->system;
  engine::Device& source = sys.device(impl_->source);
  engine::EvalContext ctx;
  // Tighter than a simulation's defaults: the table is checked to 1e-4 V, and a neuron is a
  // handful of unknowns, so the extra iteration or two costs nothing.
  engine::OpOptions op;
  op.newton.tol = {.reltol = 1e-7, .vntol = 1e-9, .abstol = 1e-15};
  engine::OpResult r;
  if (solved_) {
    r = engine::continueSource(sys, *impl_->solver, state_.x, ctx, op, [&](double i) { source.setSweepValue(i); },
                               state_.current, current);
  } else {
    source.setSweepValue(current);
    r = engine::solveOperatingPoint(sys, *impl_->solver, state_.x, ctx, op);
  }
  if (!r.converged)
    throw XbarError(fmt::format("{}: no DC solution at {:g} A input: {}", impl_->name, current, r.failure));
  state_.current = current;
  solved_ = true;
  return state_.x[impl_->out];
}

NeuronTable tabulateNeuron(const NeuronOptions& o, const engine::ModelRegistry& registry) {
  if (!(o.iunit > 0)) throw XbarError(fmt::format("--neuron-iunit: expected a positive current, got {}", o.iunit));
  if (!(o.zmax > 0)) throw XbarError(fmt::format("--neuron-range: expected a positive span, got {}", o.zmax));
  if (!(o.tolerance > 0)) throw XbarError(fmt::format("neuron tolerance: expected a positive voltage, got {}", o.tolerance));
  NeuronCircuit n(o, registry);
  NeuronTable t;
  // Current -> (output, solution), so that refinement warm-starts from a neighbour.
  std::map<double, std::pair<double, NeuronCircuit::State>> points;
  const int steps = 400;  // per direction; refinement adds what the curve needs
  const double imax = o.zmax * o.iunit;
  auto sweep = [&](double sign) {
    auto zero = points.find(0.0);
    const NeuronCircuit::State* start = zero == points.end() ? nullptr : &zero->second.second;
    for (int k = 0; k <= steps; ++k) {
      double i = sign * imax * k / steps;
      double v = n.solve(i, k == 0 ? start : nullptr);
      points[i] = {v, n.state()};
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
      const auto& from = std::fabs(a->first) < std::fabs(b->first) ? a->second.second : b->second.second;
      double v = n.solve(i, &from);
      ++t.solves;
      double miss = std::fabs(v - 0.5 * (a->second.first + b->second.first));
      if (miss <= o.tolerance) {
        t.maxError = std::max(t.maxError, miss);
        continue;
      }
      points[i] = {v, n.state()};
      next.push_back(a->first);
      next.push_back(i);
    }
    pending = std::move(next);
  }
  for (const auto& [i, p] : points) {
    t.current.push_back(i);
    t.voltage.push_back(p.first);
  }
  return t;
}

}  // namespace memspice::xbar
