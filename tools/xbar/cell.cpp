#include "cell.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>

#include "analysis/operating_point.hpp"
#include "expr/evaluator.hpp"
#include "expr/expr_parser.hpp"
#include "frontend.hpp"
#include "library_spec.hpp"
#include "linalg/klu_solver.hpp"
#include "spice/deck_reader.hpp"
#include "system/build_system.hpp"
#include "xbar_error.hpp"

namespace memspice::xbar {

CellDeviceOptions parseCellSpec(const std::string& spec) {
  LibrarySpec s = parseLibrarySpec(spec, "--cell-device", "netlists/xbar_cells.lib:rram");
  CellDeviceOptions o;
  o.library = std::move(s.library);
  o.subckt = std::move(s.subckt);
  return o;
}

std::pair<double, double> parseStateRange(const std::string& text) {
  auto colon = text.find(':');
  std::optional<double> lo, hi;
  if (colon != std::string::npos) {
    lo = expr::parseNumber(text.substr(0, colon));
    hi = expr::parseNumber(text.substr(colon + 1));
  }
  if (!lo || !hi || !(*lo < *hi))
    throw XbarError(fmt::format("--cell-state '{}': expected LO:HI with LO < HI, e.g. 0.2n:1.7n", text));
  return {*lo, *hi};
}

namespace {

// The subcircuit's state_min and state_max defaults, evaluated as its instances would see them
// (defaults may refer to one another).
std::pair<double, double> defaultStateRange(const CellDeviceOptions& o, const std::string& include) {
  static const DiskFileProvider files;
  FrontEndResult deck = loadDeckText("cell.cir", "* memspice-xbar cell library\n" + include + ".end\n", files);
  const std::string where = fmt::format("cell device {}:{}", o.library.string(), o.subckt);
  if (deck.diags.hasErrors()) throw XbarError(fmt::format("{}: the library does not load:\n{}", where, deck.report()));
  const std::string name = toLower(o.subckt);  // as the parser stores names
  auto def = std::find_if(deck.netlist.top.subckts.begin(), deck.netlist.top.subckts.end(),
                          [&](const auto& s) { return s->name.text == name; });
  if (def == deck.netlist.top.subckts.end())
    throw XbarError(fmt::format("{}: the library has no subcircuit '{}'", where, o.subckt));
  const netlist::Subckt& s = **def;
  if (s.ports.size() != 2)
    throw XbarError(fmt::format("{}: expected ports (w b), the subcircuit has {}", where, s.ports.size()));
  expr::Scope scope;
  bool hasState = false;
  for (const netlist::ParamAssign& p : s.defaults) {
    scope.define(p.name.text, p.value.expr, p.value.loc);
    hasState = hasState || p.name.text == "state";
  }
  if (!hasState) throw XbarError(fmt::format("{}: the subcircuit has no parameter 'state' (params: state=...)", where));
  expr::Evaluator ev(deck.diags);
  auto value = [&](const char* n) {
    if (!scope.findParam(n))
      throw XbarError(fmt::format("{}: the subcircuit gives no default {}; give the programmable states with "
                                  "--cell-state LO:HI",
                                  where, n));
    auto v = ev.param(n, scope, s.name.loc);
    if (!v) throw XbarError(fmt::format("{}: cannot evaluate {}:\n{}", where, n, deck.report()));
    return *v;
  };
  return {value("state_min"), value("state_max")};
}

}  // namespace

std::string CellDevice::include() const {
  return fmt::format(".include \"{}\"\n", std::filesystem::absolute(options_.library).string());
}

std::string CellDevice::instance(const std::string& name, const std::string& w, const std::string& b,
                                 double state) const {
  return fmt::format("{} {} {} {} state={:.17g}{}{}\n", name, w, b, options_.subckt, state,
                     options_.params.empty() ? "" : " ", options_.params);
}

CellDevice::CellDevice(const CellDeviceOptions& o, double vread, const engine::ModelRegistry& registry)
    : options_(o), vread_(vread) {
  const std::string where = fmt::format("cell device {}", spec());
  if (!std::filesystem::is_regular_file(o.library))
    throw XbarError(fmt::format("{}: cannot open the cell library", o.library.string()));
  if (!(vread > 0)) throw XbarError(fmt::format("vread: expected a positive voltage, got {}", vread));
  if (!(o.tolerance > 0)) throw XbarError(fmt::format("cell tolerance: expected a positive number, got {}", o.tolerance));
  const auto [lo, hi] = o.stateRange ? *o.stateRange : defaultStateRange(o, include());
  if (!(lo < hi)) throw XbarError(fmt::format("{}: empty state range [{:g}, {:g}]", where, lo, hi));

  // ln G at each state: one deck of independent cells, each behind its own 0 V sense source.
  auto measure = [&](const std::vector<double>& states) {
    std::string d = fmt::format("* memspice-xbar cell table: {} at {:g} V\n", spec(), vread) + include() +
                    fmt::format("vr w 0 dc {:.17g}\n", vread);
    for (std::size_t k = 0; k < states.size(); ++k)
      d += fmt::format("vs{} w n{} dc 0\n", k, k) + instance(fmt::format("xc{}", k), fmt::format("n{}", k), "0", states[k]);
    d += ".end\n";
    static const DiskFileProvider files;
    FrontEndResult deck = loadDeckText("cell_table.cir", d, files);
    if (!deck.circuit) throw XbarError(fmt::format("{}: the cell does not elaborate:\n{}", where, firstLines(deck.report(), 12)));
    const elab::FlatCircuit& c = *deck.circuit;
    auto sys = engine::buildMnaSystem(c, registry, deck.diags);
    if (!sys) throw XbarError(fmt::format("{}: cannot build the cells:\n{}", where, firstLines(deck.report(), 12)));
    engine::KluSolver solver(sys->pattern());
    std::vector<double> x(sys->size(), 0.0);
    sys->initialValues(x);
    engine::OpOptions op;
    op.newton.tol = {.reltol = 1e-10, .vntol = 1e-12, .abstol = 1e-18};
    engine::OpResult r = engine::solveOperatingPoint(*sys, solver, x, engine::EvalContext{}, op);
    if (!r.converged) throw XbarError(fmt::format("{}: no DC solution of the cells at {:g} V: {}", where, vread, r.failure));
    ++solves_;
    std::vector<double> lnG;
    for (std::size_t k = 0; k < states.size(); ++k) {
      auto src = static_cast<std::size_t>(c.findInstance(fmt::format("vs{}", k)));
      const double g = x[static_cast<std::size_t>(sys->internalUnknown(src, 0))] / vread;
      if (!(g > 0))
        throw XbarError(fmt::format("{}: at state {:g} the cell conducts {:g} S at {:g} V; a cell must conduct a "
                                    "positive current at the read voltage",
                                    where, states[k], g, vread));
      lnG.push_back(std::log(g));
    }
    return lnG;
  };

  constexpr int kGrid = 32;  // intervals to start with; refinement adds what the curve needs
  std::map<double, double> table;
  {
    std::vector<double> s;
    for (int k = 0; k <= kGrid; ++k) s.push_back(lo + (hi - lo) * k / kGrid);
    s.back() = hi;
    std::vector<double> g = measure(s);
    for (std::size_t k = 0; k < s.size(); ++k) table[s[k]] = g[k];
  }
  auto monotone = [&] {
    const double sign = table.rbegin()->second > table.begin()->second ? 1 : -1;
    for (auto a = table.begin(), b = std::next(a); b != table.end(); ++a, ++b)
      if (!(sign * (b->second - a->second) > 0))
        throw XbarError(fmt::format("{}: the read conductance is not strictly monotone in the state between {:g} and "
                                    "{:g} ({:g} and {:g} S at {:g} V), so a conductance has no unique state; narrow "
                                    "--cell-state",
                                    where, a->first, b->first, std::exp(a->second), std::exp(b->second), vread));
  };
  monotone();
  // Midpoint checks: an interval whose midpoint misses linear interpolation of ln G is split.
  std::vector<double> pending;
  for (const auto& p : table) pending.push_back(p.first);
  pending.pop_back();
  constexpr int kMaxRounds = 20;
  for (int round = 0; !pending.empty(); ++round) {
    if (round == kMaxRounds)
      throw XbarError(fmt::format("{}: the conductance still misses interpolation by more than {:g} after {} "
                                  "refinements (a jump in the state?)",
                                  where, o.tolerance, kMaxRounds));
    std::vector<double> mids;
    for (double left : pending) {
      auto a = table.find(left), b = std::next(a);
      mids.push_back(0.5 * (a->first + b->first));
    }
    std::vector<double> g = measure(mids);
    std::vector<double> next;
    for (std::size_t k = 0; k < pending.size(); ++k) {
      auto a = table.find(pending[k]), b = std::next(a);
      if (!(mids[k] > a->first && mids[k] < b->first)) continue;  // at double resolution already
      const double miss = std::fabs(g[k] - 0.5 * (a->second + b->second));
      if (miss <= o.tolerance) {
        maxError_ = std::max(maxError_, miss);
        continue;
      }
      table[mids[k]] = g[k];
      next.push_back(pending[k]);
      next.push_back(mids[k]);
    }
    monotone();
    pending = std::move(next);
  }
  for (const auto& [s, g] : table) {
    state_.push_back(s);
    lnG_.push_back(g);
  }
}

std::pair<double, double> CellDevice::conductanceRange() const {
  auto [a, b] = std::minmax(lnG_.front(), lnG_.back());
  return {std::exp(a), std::exp(b)};
}

double CellDevice::stateFor(double g) const {
  const auto [glo, ghi] = conductanceRange();
  // Round-off at the ends of the range (exp(log g)) is not a programming failure.
  if (!(g >= glo * (1 - 1e-12) && g <= ghi * (1 + 1e-12)))
    throw XbarError(fmt::format("cell device {}: conductance {:g} S is outside what its states reach at {:g} V, "
                                "{:g} to {:g} S",
                                spec(), g, vread_, glo, ghi));
  const double y = std::clamp(std::log(g), std::log(glo), std::log(ghi));
  // Interval of the monotone ln G holding y (either direction).
  const bool rising = lnG_.back() > lnG_.front();
  std::size_t k = 0;
  if (rising)
    k = static_cast<std::size_t>(std::upper_bound(lnG_.begin(), lnG_.end(), y) - lnG_.begin());
  else
    k = static_cast<std::size_t>(std::upper_bound(lnG_.begin(), lnG_.end(), y, std::greater<>()) - lnG_.begin());
  k = std::clamp<std::size_t>(k, 1, lnG_.size() - 1);
  const double t = (y - lnG_[k - 1]) / (lnG_[k] - lnG_[k - 1]);
  return state_[k - 1] + t * (state_[k] - state_[k - 1]);
}

void CellDevice::checkRange(double gmin, double gmax) const {
  const auto [glo, ghi] = conductanceRange();
  if (gmin < glo * (1 - 1e-12) || gmax > ghi * (1 + 1e-12))
    throw XbarError(fmt::format("cell device {}: its states [{:g}, {:g}] reach {:g} to {:g} S at {:g} V, which does "
                                "not cover --gmin {:g} to --gmax {:g} S; narrow the conductance range or widen "
                                "--cell-state",
                                spec(), state_.front(), state_.back(), glo, ghi, vread_, gmin, gmax));
}

}  // namespace memspice::xbar
