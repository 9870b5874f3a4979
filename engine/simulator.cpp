#include "simulator.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "analysis/operating_point.hpp"
#include "analysis/sweep_values.hpp"
#include "analysis/transient.hpp"
#include "expression/tape.hpp"
#include "linalg/klu_solver.hpp"

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
    } else if (opt.name == "filetype") {
      if (opt.word == "ascii") o.asciiRaw = true;
      else if (opt.word != "binary") diags.error(opt.loc, "option 'filetype' is 'ascii' or 'binary'");
    } else if (opt.name == "chgtol" || opt.name == "trtol" || opt.name == "itl2" || opt.name == "itl4" ||
               opt.name == "method" || opt.name == "tnom" || opt.name == "maxord") {
      // Read by the transient analysis or accepted for compatibility.
    } else {
      diags.warning(opt.loc, fmt::format("option '{}' is not used by memspice", opt.name));
    }
  }
  if (!c.temps.empty()) o.temperature = c.temps.front() + 273.15;
  return o;
}

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

void Simulator::addRequestedOutputs(Built& built) {
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
  for (const elab::FlatOutput& out : circuit_.outputs) {
    for (const elab::FlatOutputVar& v : out.vars) {
      if ((v.kind == K::Voltage || v.kind == K::Node) && v.b != 0) {
        std::string name = fmt::format("v({},{})", circuit_.nodes[static_cast<std::size_t>(v.a)],
                                       circuit_.nodes[static_cast<std::size_t>(v.b)]);
        if (has(name)) continue;
        auto a = nodeValue(v.a), b = nodeValue(v.b);
        built.extraVars.push_back({name, "voltage"});
        built.extras.push_back([a, b](auto x, auto, const EvalContext&) { return a(x) - b(x); });
      } else if (v.kind == K::Current) {
        std::string name = fmt::format("i({})", circuit_.instances[static_cast<std::size_t>(v.device)].name);
        if (has(name)) continue;
        auto d = static_cast<std::size_t>(v.device);
        built.extraVars.push_back({name, "current"});
        built.extras.push_back([&sys, d](auto x, auto xdot, const EvalContext& ctx) {
          return sys.deviceCurrent(d, x, xdot, ctx);
        });
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
            auto value = nodeValue(*circuit_.findNode(p.name));
            probes.push_back([value](auto x, auto, const EvalContext&) { return value(x); });
          } else {
            auto d = static_cast<std::size_t>(circuit_.findInstance(p.name));
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
}

Simulator::Simulator(const elab::FlatCircuit& circuit, const ModelRegistry& registry, Diagnostics& diags)
    : circuit_(circuit), registry_(registry), diags_(diags), options_(simulationOptions(circuit, diags)) {}

std::unique_ptr<Simulator::Built> Simulator::build(bool icClamps) {
  std::vector<std::unique_ptr<Device>> devices;
  std::vector<std::vector<Connection>> connections;
  bool ok = true;
  std::vector<elab::FlatInstance> clamps;
  if (icClamps)
    for (const elab::FlatInitial& ic : circuit_.ics) {
      elab::FlatInstance v;
      v.name = "ic#" + circuit_.nodes[static_cast<std::size_t>(ic.node)];
      v.type = 'v';
      v.nodes = {ic.node, 0};
      v.source = elab::FlatSource{ic.value};
      v.loc = ic.loc;
      clamps.push_back(std::move(v));
    }
  std::vector<const elab::FlatInstance*> instances;
  for (const elab::FlatInstance& inst : circuit_.instances) instances.push_back(&inst);
  for (const elab::FlatInstance& inst : clamps) instances.push_back(&inst);
  for (const elab::FlatInstance* instance : instances) {
    const elab::FlatInstance& inst = *instance;
    try {
      devices.push_back(registry_.create(inst, circuit_));
    } catch (const DeviceError& e) {
      diags_.error(inst.loc, e.what());
      ok = false;
      continue;
    }
    std::vector<Connection> c;
    for (int node : inst.nodes) c.push_back({node, -1, 0});
    for (int ref : inst.refs) c.push_back({0, ref, 0});
    for (const Connection& probe : devices.back()->probeConnections()) c.push_back(probe);
    connections.push_back(std::move(c));
  }
  if (!ok) return nullptr;
  auto built = std::make_unique<Built>();
  try {
    built->system = std::make_unique<MnaSystem>(std::move(devices), connections, circuit_.nodes);
  } catch (const ConnectionError& e) {
    SourceLoc loc = e.device() < instances.size() ? instances[e.device()]->loc : SourceLoc{};
    diags_.error(loc, e.what());
    return nullptr;
  }
  built->solver = std::make_unique<KluSolver>(built->system->pattern());
  const auto& unknowns = built->system->unknowns();
  for (std::size_t i = 0; i < unknowns.size(); ++i) {
    const Unknown& u = unknowns[i];
    if (u.nature == Nature::Voltage && u.name.find('#') == std::string::npos) {
      built->vars.push_back({fmt::format("v({})", u.name), "voltage"});
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
  addRequestedOutputs(*built);
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
  for (const elab::FlatInitial& ns : c.nodesets) {
    Index u = system.nodeUnknown(ns.node);
    if (u >= 0) x[static_cast<std::size_t>(u)] = ns.value;
  }
}

}  // namespace

bool Simulator::operatingPoint(const elab::FlatAnalysis& a, std::vector<Plot>& plots) {
  auto built = build();
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
  Plot p{circuit_.title, "Operating Point", built->allVars(), {}};
  for (Index u : built->varUnknowns) p.data.push_back(x[static_cast<std::size_t>(u)]);
  built->appendExtras(x, {}, ctx, p.data);
  plots.push_back(std::move(p));
  return true;
}

bool Simulator::dcSweep(const elab::FlatAnalysis& a, const elab::DcAnalysis& dc, std::vector<Plot>& plots) {
  auto built = build();
  if (!built) return false;
  MnaSystem& sys = *built->system;
  EvalContext ctx = dcContext(options_);
  // Each sweep variable becomes a setter; the inner sweep is the first one.
  std::vector<std::vector<double>> values;
  std::vector<std::function<bool(double)>> setters;
  Vector scale;
  for (std::size_t k = 0; k < dc.sweeps.size(); ++k) {
    const elab::FlatSweep& s = dc.sweeps[k];
    values.push_back(sweepValues(s));
    if (s.target == elab::FlatSweep::Target::Temperature) {
      setters.push_back([&ctx](double v) { ctx.temperature = v + 273.15; return true; });
      if (k == 0) scale = {"temp-sweep", "temp-sweep"};
    } else if (s.target == elab::FlatSweep::Target::Source) {
      int d = circuit_.findInstance(s.name);
      char type = circuit_.instances[static_cast<std::size_t>(d)].type;
      Device* dev = &sys.device(static_cast<std::size_t>(d));
      setters.push_back([dev](double v) { return dev->setSweepValue(v); });
      if (k == 0)
        scale = type == 'v' ? Vector{"v(v-sweep)", "voltage"}
                : type == 'i' ? Vector{"i(i-sweep)", "current"}
                              : Vector{"res-sweep", "res-sweep"};
    } else {
      diags_.error(s.loc, "sweeping parameters in '.dc' is not supported yet; sweep a source, a resistor or temp");
      return false;
    }
  }
  Plot p{circuit_.title, "DC transfer characteristic", {scale}, {}};
  auto all = built->allVars();
  p.vars.insert(p.vars.end(), all.begin(), all.end());
  std::vector<double> x(sys.size(), 0.0);
  initialGuess(circuit_, sys, x);
  bool first = true;
  std::vector<double> outer = values.size() > 1 ? values[1] : std::vector<double>{0.0};
  for (std::size_t o = 0; o < outer.size(); ++o) {
    if (values.size() > 1) setters[1](outer[o]);
    for (double v : values[0]) {
      if (!setters[0](v)) {
        diags_.error(dc.sweeps[0].loc, fmt::format("cannot set '{}' to {:g}", dc.sweeps[0].name, v));
        return false;
      }
      // Warm start from the previous point; the full strategy only when that fails.
      NewtonOptions quick = opOptions(options_).newton;
      NewtonReport r{};
      if (!first) r = newton(sys, *built->solver, x, ctx, quick);
      if (first || !r.converged) {
        OpResult op = solveOperatingPoint(sys, *built->solver, x, ctx, opOptions(options_));
        if (!op.converged) {
          diags_.error(a.loc, fmt::format("at {} = {:g}: {}", dc.sweeps[0].name, v, op.failure));
          return false;
        }
      }
      first = false;
      sys.accept(x);
      p.data.push_back(v);
      for (Index u : built->varUnknowns) p.data.push_back(x[static_cast<std::size_t>(u)]);
      built->appendExtras(x, {}, ctx, p.data);
    }
  }
  plots.push_back(std::move(p));
  return true;
}

bool Simulator::transient(const elab::FlatAnalysis& a, const elab::TranAnalysis& tran, std::vector<Plot>& plots) {
  auto built = build();
  if (!built) return false;
  MnaSystem& sys = *built->system;
  TransientSetup setup;
  setup.tstep = tran.tstep;
  setup.tstop = tran.tstop;
  setup.tstart = tran.tstart;
  setup.tmax = tran.tmax.value_or(0);
  setup.uic = tran.uic;
  setup.op = opOptions(options_);
  setup.ctx = dcContext(options_);
  setup.outputs = built->varUnknowns;
  EvalContext outputCtx = dcContext(options_);
  outputCtx.transient = true;
  Built* b = built.get();
  setup.extra = [b, outputCtx](double t, std::span<const double> y, std::span<const double> yp,
                               std::vector<double>& out) {
    EvalContext c = outputCtx;
    c.time = t;
    b->appendExtras(y, yp, c, out);
  };
  for (std::size_t d = 0; d < sys.deviceCount(); ++d) sys.device(d).beginTransient(tran.tstep, tran.tstop);
  if (tran.uic) {
    // .ic node values, then grounded capacitors' and inductors' ic= values.
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
  if (!tran.uic && !circuit_.ics.empty()) {
    // .ic without uic: the initial operating point holds those nodes at their values (ngspice
    // does the same); the clamp sources' branch currents are the last unknowns and are dropped.
    auto clamped = build(true);
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
  Plot p{circuit_.title, "Transient Analysis", {{"time", "time"}}, std::move(r.data)};
  auto all = built->allVars();
  p.vars.insert(p.vars.end(), all.begin(), all.end());
  plots.push_back(std::move(p));
  return true;
}

}  // namespace memspice::engine
