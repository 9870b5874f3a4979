#include "simulator.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "analysis/operating_point.hpp"
#include "analysis/sweep_values.hpp"
#include "analysis/transient.hpp"
#include "expression/tape.hpp"
#include "linalg/klu_solver.hpp"
#include "system/build_system.hpp"

namespace memspice::engine {

SimulationOptions simulationOptions(const elab::FlatCircuit& c, Diagnostics& diags) {
  SimulationOptions o;
  auto positive = [&](const elab::FlatOption& opt, double& target) {
    if (!opt.value || !(*opt.value > 0))
      diags.error(opt.loc, fmt::format("option '{}' needs a positive number", opt.name));
    else
      target = *opt.value;
  };
  for (const elab::FlatOption& opt : c.options) {
    if (opt.name == "reltol") positive(opt, o.tol.reltol);
    else if (opt.name == "abstol") positive(opt, o.tol.abstol);
    else if (opt.name == "vntol") positive(opt, o.tol.vntol);
    else if (opt.name == "gmin") {
      if (!opt.value || *opt.value < 0) diags.error(opt.loc, "option 'gmin' needs a number >= 0");
      else o.gmin = *opt.value;
    } else if (opt.name == "itl1") {
      double v = 0;
      positive(opt, v);
      if (v > 0) o.maxIterations = static_cast<int>(v);
    } else if (opt.name == "temp") {
      if (opt.value) o.temperature = *opt.value + 273.15;
    } else if (opt.name == "internalpoints") {
      o.internalPoints = !opt.value || *opt.value != 0;
    } else if (opt.name == "filetype") {
      if (opt.word == "ascii") o.asciiRaw = true;
      else if (opt.word != "binary") diags.error(opt.loc, "option 'filetype' is 'ascii' or 'binary'");
    } else if (opt.name == "maxord") {
      if (!opt.value || *opt.value < 1 || *opt.value > 5) diags.error(opt.loc, "option 'maxord' is an order from 1 to 5");
      else o.maxOrder = static_cast<int>(*opt.value);
    } else if (opt.name == "trtol") {
      if (!opt.value || !(*opt.value >= 1) || *opt.value > 1000)
        diags.error(opt.loc, "option 'trtol' is a factor from 1 to 1000");
      else o.trtol = *opt.value;
    } else if (opt.name == "method") {
      if (opt.word == "gear") o.method = Method::Gear;
      else if (opt.word == "trap" || opt.word == "trapezoidal") o.method = Method::Trap;
      else
        diags.error(opt.loc, "option 'method' is 'trap' (trapezoidal, the default) or 'gear' (variable-order BDF "
                             "on SUNDIALS IDA)");
    } else if (opt.name == "seed") {
      // Used by the front end (agauss, gauss, aunif, unif); checked here.
      if (!opt.value || *opt.value < 0 || *opt.value != std::floor(*opt.value))
        diags.error(opt.loc, "option 'seed' is a whole number >= 0");
    } else if (opt.name == "chgtol" || opt.name == "itl2" || opt.name == "itl4" ||
               opt.name == "tnom") {
      diags.warning(opt.loc, fmt::format("option '{}' has no effect in memspice", opt.name));
    } else {
      diags.warning(opt.loc, fmt::format("option '{}' is not used by memspice", opt.name));
    }
  }
  if (!c.temps.empty()) o.temperature = c.temps.front() + 273.15;
  if (c.temps.size() > 1)
    diags.warning({}, fmt::format("'.temp' lists {} temperatures; memspice simulates at the first ({:g} C). Sweep "
                                  "temperature with '.dc temp ...'",
                                  c.temps.size(), c.temps.front()));
  return o;
}

namespace {
// A capacitor's ic= (its initial voltage), if it has one and sits between two nodes.
const elab::FlatParam* capacitorIc(const elab::FlatInstance& inst) {
  return inst.type == 'c' && inst.nodes.size() == 2 && inst.nodes[0] != inst.nodes[1] ? inst.param("ic") : nullptr;
}
}  // namespace

struct Simulator::Built {
  std::unique_ptr<MnaSystem> system;
  std::unique_ptr<KluSolver> solver;
  std::vector<Vector> vars;             // node voltages then branch currents
  std::vector<Index> varUnknowns;       // unknown behind each var
  // Requested outputs computed from (x, dx/dt); their vectors follow `vars` in plots.
  using Probe = std::function<double(std::span<const double>, std::span<const double>, const EvalContext&)>;
  std::vector<Vector> extraVars;
  std::vector<Probe> extras;

  std::vector<Vector> allVars() const {
    std::vector<Vector> v = vars;
    v.insert(v.end(), extraVars.begin(), extraVars.end());
    return v;
  }
  void appendExtras(std::span<const double> x, std::span<const double> xdot, const EvalContext& ctx,
                    std::vector<double>& out) const {
    for (const Probe& e : extras) out.push_back(e(x, xdot, ctx));
  }
};

void Simulator::addRequestedOutputs(Built& built, const elab::FlatCircuit& circuit) {
  MnaSystem& sys = *built.system;
  auto has = [&](const std::string& name) {
    for (const Vector& v : built.vars)
      if (v.name == name) return true;
    for (const Vector& v : built.extraVars)
      if (v.name == name) return true;
    return false;
  };
  auto nodeValue = [&sys](int node) {
    Index u = sys.nodeUnknown(node);
    return [u](std::span<const double> x) { return u < 0 ? 0.0 : x[static_cast<std::size_t>(u)]; };
  };
  using K = netlist::OutputVar::Kind;
  std::vector<const elab::FlatOutputVar*> wanted;
  for (const elab::FlatOutput& out : circuit.outputs)
    for (const elab::FlatOutputVar& v : out.vars) wanted.push_back(&v);
  for (const elab::FlatMeasure& m : circuit.measures)
    for (const elab::FlatOutputVar* v : m.vars()) wanted.push_back(v);
  for (const elab::FlatOutputVar* pv : wanted) {
    const elab::FlatOutputVar& v = *pv;
    if ((v.kind == K::Voltage || v.kind == K::Node) && v.b != 0) {
      std::string name = fmt::format("v({},{})", circuit.nodes[static_cast<std::size_t>(v.a)],
                                     circuit.nodes[static_cast<std::size_t>(v.b)]);
      if (has(name)) continue;
      auto a = nodeValue(v.a), b = nodeValue(v.b);
      built.extraVars.push_back({name, "voltage"});
      built.extras.push_back([a, b](auto x, auto, const EvalContext&) { return a(x) - b(x); });
    } else if (v.kind == K::Current) {
      std::string name = fmt::format("i({})", circuit.instances[static_cast<std::size_t>(v.device)].name);
      if (has(name)) continue;
      auto d = static_cast<std::size_t>(v.device);
      built.extraVars.push_back({name, "current"});
      built.extras.push_back([&sys, d](auto x, auto xdot, const EvalContext& ctx) {
        return sys.deviceCurrent(d, x, xdot, ctx);
      });
    } else if (v.kind == K::Power) {
      std::string name = elab::outputName(v, circuit);
      if (has(name)) continue;
      auto d = static_cast<std::size_t>(v.device);
      std::size_t terminals = circuit.instances[d].nodes.size();
      built.extraVars.push_back({name, "notype"});
      built.extras.push_back([&sys, d, terminals](auto x, auto xdot, const EvalContext& ctx) {
        return sys.devicePower(d, terminals, x, xdot, ctx);
      });
    } else if (v.kind == K::Internal) {
      if (has(elab::outputName(v, circuit))) continue;
      auto d = static_cast<std::size_t>(v.device);
      std::vector<std::string> names;
      for (const InternalUnknown& u : sys.device(d).internals())
        if (u.nature == Nature::State) names.push_back(u.suffix.substr(1));
      diags_.error(v.loc, fmt::format("'{}' has no state '{}'{}", circuit.instances[d].name, v.suffix,
                                      names.empty() ? "" : fmt::format(" (it has: {})", fmt::join(names, ", "))));
    } else if (v.kind == K::Quantity) {
      std::string name = elab::outputName(v, circuit);
      if (has(name)) continue;
      auto d = static_cast<std::size_t>(v.device);
      auto names = sys.device(d).quantityNames();
      auto k = std::find(names.begin(), names.end(), v.suffix);
      if (k == names.end()) {
        diags_.error(v.loc, fmt::format("'{}' has no quantity '{}'{}", circuit.instances[d].name, v.suffix,
                                        names.empty() ? "" : fmt::format(" (it has: {})", fmt::join(names, ", "))));
        continue;
      }
      auto index = static_cast<std::size_t>(k - names.begin());
      built.extraVars.push_back({name, "notype"});
      built.extras.push_back([&sys, d, index](auto x, auto, const EvalContext&) { return sys.deviceQuantity(d, index, x); });
    } else if (v.kind == K::Expression) {
      std::string name = expr::toString(*v.expr);
      if (has(name)) continue;
      std::shared_ptr<Tape> tape;
      try {
        tape = std::make_shared<Tape>(*v.expr);
      } catch (const std::runtime_error& e) {
        diags_.error(v.loc, e.what());
        continue;
      }
      // Each probe reads a node voltage or a device current.
      std::vector<std::function<double(std::span<const double>, std::span<const double>, const EvalContext&)>> probes;
      for (const ProbeRef& p : tape->probes()) {
        if (p.kind == ProbeRef::Kind::Node) {
          auto value = nodeValue(*circuit.findNode(p.name));
          probes.push_back([value](auto x, auto, const EvalContext&) { return value(x); });
        } else {
          auto d = static_cast<std::size_t>(circuit.findInstance(p.name));
          probes.push_back([&sys, d](auto x, auto xdot, const EvalContext& ctx) {
            return sys.deviceCurrent(d, x, xdot, ctx);
          });
        }
      }
      auto values = std::make_shared<std::vector<double>>(probes.size());
      auto grad = std::make_shared<std::vector<double>>(probes.size());
      built.extraVars.push_back({name, "notype"});
      built.extras.push_back([tape, probes, values, grad](auto x, auto xdot, const EvalContext& ctx) {
        for (std::size_t k = 0; k < probes.size(); ++k) (*values)[k] = probes[k](x, xdot, ctx);
        return tape->evaluate(*values, ctx.time, ctx.temperature - 273.15, *grad);
      });
    }
  }
}

Simulator::Simulator(const elab::FlatCircuit& circuit, const ModelRegistry& registry, Diagnostics& diags,
                     Reelaborate reelaborate)
    : circuit_(circuit),
      registry_(registry),
      diags_(diags),
      reelaborate_(std::move(reelaborate)),
      options_(simulationOptions(circuit, diags)) {}

std::unique_ptr<Simulator::Built> Simulator::build(const elab::FlatCircuit& c, bool icClamps) {
  std::vector<elab::FlatInstance> clamps;
  if (icClamps) {
    auto clamp = [&](std::string name, int a, int b, double value, SourceLoc loc) {
      elab::FlatInstance v;
      v.name = std::move(name);
      v.type = 'v';
      v.nodes = {a, b};
      v.source = elab::FlatSource{value};
      v.loc = loc;
      clamps.push_back(std::move(v));
    };
    for (const elab::FlatInitial& ic : c.ics) clamp("ic#" + c.nodes[static_cast<std::size_t>(ic.node)], ic.node, 0, ic.value, ic.loc);
    for (const elab::FlatInstance& inst : c.instances)
      if (const elab::FlatParam* ic = capacitorIc(inst)) clamp("ic#" + inst.name, inst.nodes[0], inst.nodes[1], ic->value, inst.loc);
  }
  std::vector<const elab::FlatInstance*> instances;
  for (const elab::FlatInstance& inst : c.instances) instances.push_back(&inst);
  for (const elab::FlatInstance& inst : clamps) instances.push_back(&inst);
  auto built = std::make_unique<Built>();
  built->system = buildMnaSystem(instances, c, registry_, diags_);
  if (!built->system) return nullptr;
  built->solver = std::make_unique<KluSolver>(built->system->pattern());
  const auto& unknowns = built->system->unknowns();
  for (std::size_t i = 0; i < unknowns.size(); ++i) {
    const Unknown& u = unknowns[i];
    if (u.nature == Nature::Voltage && u.name.find('#') == std::string::npos) {
      built->vars.push_back({fmt::format("v({})", u.name), "voltage"});
      built->varUnknowns.push_back(static_cast<Index>(i));
    }
  }
  // Device states (a memristor's gap) as name#suffix vectors, as Xyce shows n(ymemristor!m1_x).
  for (std::size_t i = 0; i < unknowns.size(); ++i) {
    const Unknown& u = unknowns[i];
    if (u.nature == Nature::State) {
      built->vars.push_back({u.name, "notype"});
      built->varUnknowns.push_back(static_cast<Index>(i));
    }
  }
  for (std::size_t i = 0; i < unknowns.size(); ++i) {
    const Unknown& u = unknowns[i];
    auto hash = u.name.rfind("#branch");
    if (u.nature == Nature::Current && hash != std::string::npos) {
      built->vars.push_back({fmt::format("i({})", u.name.substr(0, hash)), "current"});
      built->varUnknowns.push_back(static_cast<Index>(i));
    }
  }
  // An output that cannot be computed stops the analysis: no numbers without all of them.
  std::size_t errors = diags_.errorCount();
  addRequestedOutputs(*built, c);
  if (diags_.errorCount() > errors) return nullptr;
  return built;
}

namespace {
// ngspice runs analyses in a fixed order (ac, dc, op, tran, then the rest), whatever the deck
// order; memspice does the same so raw files hold their plots in the same order.
int analysisRank(const elab::FlatAnalysis& a) {
  if (std::holds_alternative<elab::AcAnalysis>(a.kind)) return 0;
  if (std::holds_alternative<elab::DcAnalysis>(a.kind)) return 1;
  if (std::holds_alternative<elab::OpAnalysis>(a.kind)) return 2;
  if (std::holds_alternative<elab::TranAnalysis>(a.kind)) return 3;
  return 4;
}
}  // namespace

std::vector<Plot> Simulator::run() {
  std::vector<Plot> plots;
  std::vector<const elab::FlatAnalysis*> order;
  for (const elab::FlatAnalysis& a : circuit_.analyses) order.push_back(&a);
  std::stable_sort(order.begin(), order.end(),
                   [](auto* x, auto* y) { return analysisRank(*x) < analysisRank(*y); });
  for (const elab::FlatAnalysis* analysis : order) {
    const elab::FlatAnalysis& a = *analysis;
    auto started = std::chrono::steady_clock::now();
    std::size_t before = plots.size();
    pending_ = {};
    if (std::holds_alternative<elab::OpAnalysis>(a.kind)) {
      operatingPoint(a, plots);
    } else if (auto* dc = std::get_if<elab::DcAnalysis>(&a.kind)) {
      dcSweep(a, *dc, plots);
    } else if (auto* tran = std::get_if<elab::TranAnalysis>(&a.kind)) {
      transient(a, *tran, plots);
    } else if (std::holds_alternative<elab::AcAnalysis>(a.kind)) {
      diags_.error(a.loc, "'.ac' is not simulated by this version of memspice");
    } else {
      diags_.error(a.loc, fmt::format("'{}' is not simulated by memspice",
                                      std::get<elab::OtherAnalysis>(a.kind).command));
    }
    if (plots.size() > before) {
      pending_.analysis = plots.back().name;
      pending_.points = plots.back().points();
      pending_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      stats_.push_back(pending_);
    }
  }
  return plots;
}

namespace {

EvalContext dcContext(const SimulationOptions& o) {
  EvalContext ctx;
  ctx.temperature = o.temperature;
  ctx.gmin = o.gmin;
  return ctx;
}

OpOptions opOptions(const SimulationOptions& o) {
  OpOptions op;
  op.newton.tol = o.tol;
  op.newton.maxIterations = o.maxIterations;
  return op;
}

void initialGuess(const elab::FlatCircuit& c, const MnaSystem& system, std::vector<double>& x) {
  system.initialValues(x);
  for (const elab::FlatInitial& ns : c.nodesets) {
    Index u = system.nodeUnknown(ns.node);
    if (u >= 0) x[static_cast<std::size_t>(u)] = ns.value;
  }
}

}  // namespace

TransientSetup transientSetup(const SimulationOptions& o) {
  TransientSetup s;
  s.method = o.method;
  s.maxOrder = o.maxOrder;
  s.trtol = o.trtol;
  s.internalPoints = o.internalPoints;
  s.op = opOptions(o);
  s.ctx = dcContext(o);
  return s;
}

bool Simulator::operatingPoint(const elab::FlatAnalysis& a, std::vector<Plot>& plots) {
  auto built = build(circuit_);
  if (!built) return false;
  MnaSystem& sys = *built->system;
  std::vector<double> x(sys.size(), 0.0);
  initialGuess(circuit_, sys, x);
  EvalContext ctx = dcContext(options_);
  OpResult r = solveOperatingPoint(sys, *built->solver, x, ctx, opOptions(options_));
  if (!r.converged) {
    diags_.error(a.loc, r.failure);
    return false;
  }
  pending_.unknowns = sys.size();
  Plot p{circuit_.title, "Operating Point", built->allVars(), {}};
  for (Index u : built->varUnknowns) p.data.push_back(x[static_cast<std::size_t>(u)]);
  built->appendExtras(x, {}, ctx, p.data);
  plots.push_back(std::move(p));
  return true;
}

bool Simulator::dcSweep(const elab::FlatAnalysis& a, const elab::DcAnalysis& dc, std::vector<Plot>& plots) {
  using Target = elab::FlatSweep::Target;
  EvalContext ctx = dcContext(options_);
  std::vector<std::vector<double>> values;
  bool anyParam = false;
  for (const elab::FlatSweep& s : dc.sweeps) {
    if (s.target == Target::ModelParam) {
      diags_.error(s.loc, "sweeping a model parameter in '.dc' is not supported yet; use a .param in the model card");
      return false;
    }
    anyParam = anyParam || s.target == Target::Param;
    values.push_back(sweepValues(s));
  }
  if (anyParam && !reelaborate_) {
    diags_.error(a.loc, "this program cannot re-elaborate the deck, so '.dc' cannot sweep a parameter");
    return false;
  }
  const elab::FlatSweep& inner = dc.sweeps[0];
  Vector scale = inner.target == Target::Temperature ? Vector{"temp-sweep", "temp-sweep"}
                 : inner.target == Target::Param      ? Vector{inner.name, "notype"}
                                                      : Vector{"", ""};
  if (inner.target == Target::Source) {
    char type = circuit_.instances[static_cast<std::size_t>(circuit_.findInstance(inner.name))].type;
    scale = type == 'v' ? Vector{"v(v-sweep)", "voltage"} : type == 'i' ? Vector{"i(i-sweep)", "current"}
                                                                        : Vector{"res-sweep", "res-sweep"};
  }

  // The system in use: rebuilt when a swept parameter changes (the deck is elaborated again).
  std::optional<elab::FlatCircuit> reelaborated;
  std::unique_ptr<Built> built;
  std::map<std::string, double> overrides;
  std::vector<double> x;
  Plot p{circuit_.title, "DC transfer characteristic", {scale}, {}};
  std::size_t width = 0;
  bool first = true;
  double lastInner = 0, lastOuter = 0;  // the sweep values of the last solved point
  std::vector<double> outer = values.size() > 1 ? values[1] : std::vector<double>{0.0};
  for (double o : outer) {
    for (double v : values[0]) {
      double point[2] = {v, o};
      std::map<std::string, double> wanted;
      for (std::size_t k = 0; k < dc.sweeps.size() && k < 2; ++k)
        if (dc.sweeps[k].target == Target::Param) wanted[dc.sweeps[k].name] = point[k];
      if (!built || wanted != overrides) {
        overrides = wanted;
        if (anyParam) {
          reelaborated = reelaborate_(overrides);
          if (!reelaborated) return false;
        }
        const elab::FlatCircuit& c = anyParam ? *reelaborated : circuit_;
        built = build(c);
        if (!built) return false;
        if (p.vars.size() == 1) {
          auto all = built->allVars();
          p.vars.insert(p.vars.end(), all.begin(), all.end());
          width = p.vars.size();
        }
        if (x.size() != built->system->size()) {
          x.assign(built->system->size(), 0.0);
          initialGuess(c, *built->system, x);
          first = true;
        }
      }
      const elab::FlatCircuit& c = anyParam ? *reelaborated : circuit_;
      MnaSystem& sys = *built->system;
      for (std::size_t k = 0; k < dc.sweeps.size() && k < 2; ++k) {
        const elab::FlatSweep& s = dc.sweeps[k];
        if (s.target == Target::Temperature) ctx.temperature = point[k] + 273.15;
        if (s.target == Target::Source &&
            !sys.setSweepValue(static_cast<std::size_t>(c.findInstance(s.name)), point[k])) {
          diags_.error(s.loc, fmt::format("cannot set '{}' to {:g}", s.name, point[k]));
          return false;
        }
      }
      // Warm start from the previous point; where only a swept source moved since, the walk
      // of continueSource; otherwise the full strategy.
      const bool walk = !first && inner.target == Target::Source && o == lastOuter;
      OpResult op;
      if (walk) {
        const auto source = static_cast<std::size_t>(c.findInstance(inner.name));
        op = continueSource(sys, *built->solver, x, ctx, opOptions(options_),
                            [&](double value) { sys.setSweepValue(source, value); }, lastInner, v);
      } else {
        const std::vector<double> previous = x;
        NewtonReport r{};
        if (!first) r = newton(sys, *built->solver, x, ctx, opOptions(options_).newton);
        op.converged = !first && r.converged;
        if (!op.converged) {
          x = previous;  // not where the failed Newton wandered
          op = solveOperatingPoint(sys, *built->solver, x, ctx, opOptions(options_));
        }
      }
      if (!op.converged) {
        diags_.error(a.loc, fmt::format("at {} = {:g}: {}", inner.name, v, op.failure));
        return false;
      }
      first = false;
      lastInner = v;
      lastOuter = o;
      sys.accept(x);
      pending_.unknowns = sys.size();
      std::size_t before = p.data.size();
      p.data.push_back(v);
      for (Index u : built->varUnknowns) p.data.push_back(x[static_cast<std::size_t>(u)]);
      built->appendExtras(x, {}, ctx, p.data);
      if (p.data.size() - before != width) {
        diags_.error(a.loc, fmt::format("the circuit changed shape at {} = {:g}", inner.name, v));
        return false;
      }
    }
  }
  plots.push_back(std::move(p));
  return true;
}

bool Simulator::transient(const elab::FlatAnalysis& a, const elab::TranAnalysis& tran, std::vector<Plot>& plots) {
  auto built = build(circuit_);
  if (!built) return false;
  MnaSystem& sys = *built->system;
  TransientSetup setup = transientSetup(options_);
  setup.tstep = tran.tstep;
  setup.tstop = tran.tstop;
  setup.tstart = tran.tstart;
  setup.tmax = tran.tmax.value_or(0);
  setup.uic = tran.uic;
  setup.outputs = built->varUnknowns;
  EvalContext outputCtx = dcContext(options_);
  outputCtx.transient = true;
  outputCtx.integrating = true;  // outputs read devices as they were integrated (switch states, latched comparisons)
  Built* b = built.get();
  setup.extra = [b, outputCtx](double t, std::span<const double> y, std::span<const double> yp,
                               std::vector<double>& out) {
    EvalContext c = outputCtx;
    c.time = t;
    b->appendExtras(y, yp, c, out);
  };
  // The vectors tran measurements read, kept at every integrator step.
  std::vector<Vector> fineVars;
  {
    auto all = built->allVars();
    for (const elab::FlatMeasure& m : circuit_.measures) {
      if (m.analysis != "tran") continue;
      for (const elab::FlatOutputVar* v : m.vars()) {
        std::string name = elab::outputName(*v, circuit_);
        for (std::size_t k = 0; k < all.size(); ++k)
          if (all[k].name == name && std::find(setup.fineColumns.begin(), setup.fineColumns.end(), k) ==
                                         setup.fineColumns.end()) {
            setup.fineColumns.push_back(k);
            fineVars.push_back(all[k]);
          }
      }
    }
  }
  for (std::size_t d = 0; d < sys.deviceCount(); ++d) sys.device(d).beginTransient(tran.tstep, tran.tstop);
  if (tran.uic) {
    // .ic node values, then grounded capacitors' and inductors' ic= values (devices' own
    // initial states are set by runTransient).
    for (const elab::FlatInitial& ic : circuit_.ics) setup.initial.emplace_back(sys.nodeUnknown(ic.node), ic.value);
    for (std::size_t d = 0; d < circuit_.instances.size(); ++d) {
      const elab::FlatInstance& inst = circuit_.instances[d];
      const elab::FlatParam* ic = inst.param("ic");
      if (!ic) continue;
      if (inst.type == 'l') {
        setup.initial.emplace_back(sys.internalUnknown(d, 0), ic->value);
      } else if (inst.type == 'c') {
        int a0 = inst.nodes[0], b0 = inst.nodes[1];
        if (a0 != 0 && b0 != 0) {
          diags_.warning(inst.loc, fmt::format("'{}': ic= across two non-ground nodes is not applied with uic; "
                                               "use .ic on its nodes", inst.name));
          continue;
        }
        setup.initial.emplace_back(sys.nodeUnknown(a0 != 0 ? a0 : b0), a0 != 0 ? ic->value : -ic->value);
      }
    }
  }
  bool capacitorIcs = std::any_of(circuit_.instances.begin(), circuit_.instances.end(),
                                  [](const elab::FlatInstance& i) { return capacitorIc(i) != nullptr; });
  if (!tran.uic && (!circuit_.ics.empty() || capacitorIcs)) {
    // .ic without uic: the initial operating point holds those nodes at their values (ngspice
    // does the same), and capacitors with ic= at those voltages (Xyce does; ngspice ignores
    // ic= without uic). The clamp sources' branch currents are the last unknowns and are dropped.
    auto clamped = build(circuit_, true);
    if (!clamped) return false;
    std::vector<double> x(clamped->system->size(), 0.0);
    initialGuess(circuit_, *clamped->system, x);
    EvalContext ctx = dcContext(options_);
    ctx.transient = true;
    OpResult op = solveOperatingPoint(*clamped->system, *clamped->solver, x, ctx, opOptions(options_));
    if (!op.converged) {
      diags_.error(a.loc, "initial operating point with .ic: " + op.failure);
      return false;
    }
    x.resize(sys.size());
    setup.start = std::move(x);
  }
  TransientResult r = runTransient(sys, *built->solver, setup);
  if (!r.ok) {
    diags_.error(a.loc, r.failure);
    return false;
  }
  pending_.unknowns = sys.size();
  pending_.steps = r.steps;
  pending_.residuals = r.residuals;
  pending_.jacobians = r.jacobians;
  pending_.restarts = r.restarts;
  pending_.errorFails = r.errorFails;
  pending_.correctorFails = r.correctorFails;
  pending_.bridges = r.bridges;
  Plot p{circuit_.title, "Transient Analysis", {{"time", "time"}}, std::move(r.data), {}};
  for (auto& e : r.events) p.events.push_back({e.time, sys.device(e.device).name(), std::move(e.what)});
  if (!setup.fineColumns.empty()) {
    auto fine = std::make_shared<Plot>(p.title, p.name, std::vector<Vector>{{"time", "time"}}, std::move(r.fine));
    fine->vars.insert(fine->vars.end(), fineVars.begin(), fineVars.end());
    p.fine = std::move(fine);
  }
  auto all = built->allVars();
  p.vars.insert(p.vars.end(), all.begin(), all.end());
  plots.push_back(std::move(p));
  return true;
}

}  // namespace memspice::engine
