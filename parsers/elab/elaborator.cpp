#include "elab/elaborator.hpp"

#include <algorithm>
#include <deque>
#include <fmt/format.h>
#include <memory>
#include <unordered_map>
#include <unordered_set>

#include "elab/measure_elab.hpp"
#include "elab/model_types.hpp"
#include "expr/builtins.hpp"
#include "expr/evaluator.hpp"

namespace memspice::elab {

namespace {

using netlist::Element;

constexpr std::size_t kMaxSubcktDepth = 1000;  // bounds the expansion's recursion

// One level of the expanded hierarchy: the top level or one subcircuit instance.
struct Frame {
  const netlist::Body* body;
  const Frame* definer;  // frame whose body holds this subcircuit's definition (lexical parent)
  expr::Scope* scope;
  std::string path;      // "" at the top, "x1.x2" inside
  std::unordered_map<std::string, std::string> ports;  // port name -> flat node name
};

// Work that must wait until every instance exists.
struct Pending {
  int instance;
  const Element* element;
  const Frame* frame;
};

class Elaborator {
 public:
  Elaborator(const netlist::Netlist& n, Diagnostics& d, const ElabOptions& o)
      : net_(n), diags_(d), options_(o), eval_(d) {}

  std::optional<FlatCircuit> run();

 private:
  void expandBody(const Frame& frame);
  void addElement(const Element& e, const Frame& frame);
  void expandSubckt(const Element& e, const Frame& frame);
  void resolvePending();
  void finishTopLevel(const Frame& top);

  NodeId node(const std::string& local, const Frame& frame);
  std::string nodeName(const std::string& local, const Frame& frame) const;
  std::string deviceName(const Element& e, const Frame& frame) const;
  std::string deviceName(const std::string& local, const Frame& frame) const;
  int modelFor(const netlist::Name& name, const Frame& frame);
  std::optional<double> value(const netlist::Value& v, const expr::Scope& scope);
  std::vector<FlatParam> params(const std::vector<netlist::ParamAssign>& ps, const expr::Scope& scope);
  expr::CircuitNames circuitNames(const Frame& frame);
  std::optional<FlatSweep> sweep(const netlist::Sweep& s, const Frame& top);
  std::optional<FlatOutputVar> outputVar(const netlist::OutputVar& v, const Frame& top);
  std::optional<FlatOutputVar> xyceName(const netlist::OutputVar& v, FlatOutputVar fv, const Frame& top);
  void analysis(const netlist::Analysis& a, const Frame& top);
  const netlist::Subckt* findSubckt(const std::string& name, const Frame& frame, const Frame** where) const;
  expr::Scope* newScope(const expr::Scope* parent);

  const netlist::Netlist& net_;
  Diagnostics& diags_;
  const ElabOptions& options_;
  expr::Evaluator eval_;
  FlatCircuit out_;
  std::unordered_map<std::string, NodeId> nodeIndex_;
  std::unordered_map<std::string, int> instanceIndex_;
  std::unordered_set<std::string> globals_;
  std::deque<std::unique_ptr<expr::Scope>> scopes_;
  std::deque<Frame> frames_;
  std::vector<const netlist::Subckt*> expanding_;
  std::vector<std::string> expandingNames_;
  std::map<std::pair<const netlist::Model*, const expr::Scope*>, int> modelIndex_;
  std::vector<Pending> pending_;
  bool tooLarge_ = false;
};

expr::Scope* Elaborator::newScope(const expr::Scope* parent) {
  scopes_.push_back(std::make_unique<expr::Scope>(parent));
  return scopes_.back().get();
}

std::optional<double> Elaborator::value(const netlist::Value& v, const expr::Scope& scope) {
  if (!v.expr) return std::nullopt;
  return eval_.evaluate(*v.expr, scope);
}

std::vector<FlatParam> Elaborator::params(const std::vector<netlist::ParamAssign>& ps, const expr::Scope& scope) {
  std::vector<FlatParam> result;
  for (const auto& p : ps) {
    auto v = value(p.value, scope);
    for (const FlatParam& prev : result)
      if (prev.name == p.name.text) diags_.error(p.name.loc, fmt::format("parameter '{}' given twice", p.name.text));
    if (v) result.push_back({p.name.text, *v, p.name.loc});
  }
  return result;
}

std::string Elaborator::nodeName(const std::string& local, const Frame& frame) const {
  if (local == "0" || local == "gnd") return "0";
  if (globals_.count(local)) return local;
  auto it = frame.ports.find(local);
  if (it != frame.ports.end()) return it->second;
  return frame.path.empty() ? local : frame.path + "." + local;
}

NodeId Elaborator::node(const std::string& local, const Frame& frame) {
  std::string name = nodeName(local, frame);
  auto [it, added] = nodeIndex_.emplace(name, static_cast<NodeId>(out_.nodes.size()));
  if (added) out_.nodes.push_back(name);
  return it->second;
}

std::string Elaborator::deviceName(const std::string& local, const Frame& frame) const {
  if (frame.path.empty()) return local;
  return fmt::format("{}.{}.{}", local.substr(0, 1), frame.path, local);
}

std::string Elaborator::deviceName(const Element& e, const Frame& frame) const {
  std::string local = e.type == 'y' ? fmt::format("y{}!{}", e.deviceType, e.name.text) : e.name.text;
  return deviceName(local, frame);
}

const netlist::Subckt* Elaborator::findSubckt(const std::string& name, const Frame& frame,
                                              const Frame** where) const {
  for (const Frame* f = &frame; f; f = f->definer)
    for (const auto& s : f->body->subckts)
      if (s->name.text == name) {
        *where = f;
        return s.get();
      }
  return nullptr;
}

// Models are looked up from the inside out; one defined in a subcircuit is evaluated (and
// named) per instance of it, because its parameters may use the subcircuit's parameters.
int Elaborator::modelFor(const netlist::Name& name, const Frame& frame) {
  for (const Frame* f = &frame; f; f = f->definer) {
    for (const netlist::Model& m : f->body->models) {
      if (m.name.text != name.text) continue;
      auto key = std::make_pair(&m, f->scope);
      auto it = modelIndex_.find(key);
      if (it != modelIndex_.end()) return it->second;
      FlatModel fm{f->path.empty() ? m.name.text : f->path + "." + m.name.text, m.type.text,
                   params(m.params, *f->scope), m.loc};
      out_.models.push_back(std::move(fm));
      int index = static_cast<int>(out_.models.size() - 1);
      modelIndex_[key] = index;
      return index;
    }
  }
  diags_.error(name.loc, fmt::format("unknown model '{}'", name.text));
  return -1;
}

void Elaborator::expandBody(const Frame& frame) {
  expr::Scope* scope = frame.scope;
  for (const auto& p : frame.body->params) {
    if (scope->definesHere(p.name.text) && !(frame.path.empty() && options_.overrides.count(p.name.text)))
      diags_.warning(p.name.loc, fmt::format("parameter '{}' redefined; the last value is used", p.name.text));
    scope->define(p.name.text, p.value.expr, p.name.loc);
  }
  if (frame.path.empty())
    for (const auto& [name, v] : options_.overrides) scope->set(name, v);
  for (const auto& f : frame.body->funcs) {
    if (expr::findBuiltin(f.name.text))
      diags_.error(f.name.loc, fmt::format("'.func {}' would hide the built-in function of that name", f.name.text));
    scope->defineFunc(f.name.text, {f.args, f.body, scope, f.name.loc});
  }
  // Names must be unique within one body.
  std::unordered_map<std::string, SourceLoc> seen;
  auto unique = [&](const std::string& kind, const netlist::Name& n) {
    auto [it, added] = seen.emplace(kind + ":" + n.text, n.loc);
    if (!added)
      diags_.error(n.loc, fmt::format("duplicate {} name '{}' (first defined at line {})", kind, n.text, it->second.line));
  };
  for (const auto& m : frame.body->models) unique("model", m.name);
  for (const auto& s : frame.body->subckts) {
    unique("subcircuit", s->name);
    std::unordered_set<std::string> ports;
    for (const auto& p : s->ports)
      if (!ports.insert(p.text).second)
        diags_.error(p.loc, fmt::format("port '{}' listed twice in subcircuit '{}'", p.text, s->name.text));
  }
  for (const Element& e : frame.body->elements) {
    if (tooLarge_) return;
    if (e.type == 'x') expandSubckt(e, frame);
    else addElement(e, frame);
  }
}

void Elaborator::addElement(const Element& e, const Frame& frame) {
  if (out_.instances.size() >= options_.maxInstances) {
    diags_.error(e.loc, fmt::format("the circuit expands to more than {} devices", options_.maxInstances));
    tooLarge_ = true;
    return;
  }
  FlatInstance fi;
  fi.name = deviceName(e, frame);
  fi.type = e.type;
  fi.deviceType = e.deviceType;
  fi.loc = e.loc;
  auto [it, added] = instanceIndex_.emplace(fi.name, static_cast<int>(out_.instances.size()));
  if (!added) {
    const FlatInstance& first = out_.instances[static_cast<std::size_t>(it->second)];
    diags_.error(e.name.loc, fmt::format("duplicate element name '{}' (first defined at line {})", e.name.text,
                                         first.loc.line));
    return;
  }
  for (const auto& n : e.nodes) fi.nodes.push_back(node(n.text, frame));
  for (const auto& v : e.values)
    if (auto x = value(v, *frame.scope)) fi.values.push_back(*x);
  fi.params = params(e.params, *frame.scope);
  for (const auto& f : e.flags) fi.flags.push_back(f.text);
  if (e.master) {
    fi.model = modelFor(*e.master, frame);
    if (fi.model >= 0) {
      const FlatModel& m = out_.models[static_cast<std::size_t>(fi.model)];
      if (auto need = requiredModelType(e.type, m.type))
        diags_.error(e.master->loc, fmt::format("model '{}' has type '{}', but '{}' needs {}", e.master->text,
                                                m.type, e.name.text, *need));
    }
  }
  if (e.source) {
    FlatSource s;
    const auto& src = *e.source;
    if (src.dc) s.dc = value(*src.dc, *frame.scope);
    if (src.acMag) {
      s.hasAc = true;
      s.acMag = value(*src.acMag, *frame.scope).value_or(0);
      if (src.acPhase) s.acPhase = value(*src.acPhase, *frame.scope).value_or(0);
    }
    if (src.waveform) {
      FlatWaveform w{src.waveform->kind, {}, params(src.waveform->options, *frame.scope)};
      for (const auto& a : src.waveform->args)
        if (auto x = value(a, *frame.scope)) w.args.push_back(*x);
      s.waveform = std::move(w);
    }
    fi.source = std::move(s);
  }
  fi.behaviourKind = e.behaviourKind;
  out_.instances.push_back(std::move(fi));
  if (!e.refs.empty() || e.behaviour)
    pending_.push_back({static_cast<int>(out_.instances.size() - 1), &e, &frame});
}

void Elaborator::expandSubckt(const Element& e, const Frame& frame) {
  const Frame* definer = nullptr;
  const netlist::Subckt* def = findSubckt(e.master->text, frame, &definer);
  if (!def) {
    diags_.error(e.master->loc, fmt::format("unknown subcircuit '{}'", e.master->text));
    return;
  }
  std::string path = frame.path.empty() ? e.name.text : frame.path + "." + e.name.text;
  if (expanding_.size() >= kMaxSubcktDepth) {
    diags_.error(e.loc, fmt::format("subcircuits nested more than {} levels deep", kMaxSubcktDepth));
    tooLarge_ = true;
    return;
  }
  for (const auto* open : expanding_)
    if (open == def) {
      std::string chain;
      for (const auto& n : expandingNames_) chain += n + " -> ";
      diags_.error(e.loc, fmt::format("subcircuit '{}' instantiates itself ({}{})", def->name.text, chain, path));
      return;
    }
  if (def->ports.size() != e.nodes.size()) {
    diags_.error(e.loc, fmt::format("subcircuit '{}' has {} port{}, but '{}' connects {} node{}", def->name.text,
                                    def->ports.size(), def->ports.size() == 1 ? "" : "s", e.name.text,
                                    e.nodes.size(), e.nodes.size() == 1 ? "" : "s"));
    return;
  }
  if (!instanceIndex_.emplace(deviceName(e, frame), -1).second) {
    diags_.error(e.name.loc, fmt::format("duplicate element name '{}'", e.name.text));
    return;
  }
  expr::Scope* scope = newScope(definer->scope);
  scope->setRandomKey(path);
  for (const auto& d : def->defaults) scope->define(d.name.text, d.value.expr, d.name.loc);
  for (const auto& p : e.params) {
    bool known = false;
    for (const auto& d : def->defaults) known = known || d.name.text == p.name.text;
    if (!known) {
      diags_.error(p.name.loc, fmt::format("subcircuit '{}' has no parameter '{}'", def->name.text, p.name.text));
      continue;
    }
    scope->define(p.name.text, p.value.expr, p.name.loc, frame.scope);
  }
  Frame& child = frames_.emplace_back(Frame{&def->body, definer, scope, path, {}});
  for (std::size_t i = 0; i < def->ports.size(); ++i)
    child.ports[def->ports[i].text] = nodeName(e.nodes[i].text, frame);
  for (std::size_t i = 0; i < e.nodes.size(); ++i) node(e.nodes[i].text, frame);
  expanding_.push_back(def);
  expandingNames_.push_back(path);
  expandBody(child);
  expanding_.pop_back();
  expandingNames_.pop_back();
}

expr::CircuitNames Elaborator::circuitNames(const Frame& frame) {
  expr::CircuitNames names;
  names.node = [this, &frame](const std::string& n, SourceLoc loc) -> std::optional<std::string> {
    std::string flat = nodeName(n, frame);
    if (!nodeIndex_.count(flat)) {
      diags_.error(loc, fmt::format("unknown node '{}'", n));
      return std::nullopt;
    }
    return flat;
  };
  names.device = [this, &frame](const std::string& n, SourceLoc loc) -> std::optional<std::string> {
    std::string flat = deviceName(n, frame);
    auto it = instanceIndex_.find(flat);
    if (it == instanceIndex_.end() || it->second < 0) {
      diags_.error(loc, fmt::format("unknown device '{}'", n));
      return std::nullopt;
    }
    return flat;
  };
  return names;
}

void Elaborator::resolvePending() {
  for (const Pending& p : pending_) {
    FlatInstance& fi = out_.instances[static_cast<std::size_t>(p.instance)];
    const Element& e = *p.element;
    for (const auto& r : e.refs) {
      auto it = instanceIndex_.find(deviceName(r.text, *p.frame));
      char want = e.type == 'k' ? 'l' : 'v';
      if (it == instanceIndex_.end() || it->second < 0 ||
          out_.instances[static_cast<std::size_t>(it->second)].type != want) {
        diags_.error(r.loc, fmt::format("'{}' must name {}; '{}' is not one in this {}", e.name.text,
                                        want == 'l' ? "an inductor" : "a voltage source", r.text,
                                        p.frame->path.empty() ? "netlist" : "subcircuit"));
        continue;
      }
      fi.refs.push_back(it->second);
    }
    if (e.behaviour) fi.behaviour = eval_.bind(*e.behaviour, *p.frame->scope, circuitNames(*p.frame));
  }
}


std::optional<FlatSweep> Elaborator::sweep(const netlist::Sweep& s, const Frame& top) {
  FlatSweep fs;
  fs.kind = s.kind;
  fs.loc = s.loc;
  fs.name = s.target.text;
  const expr::Scope& scope = *top.scope;
  if (s.param) {
    if (!scope.findParam(s.target.text)) {
      diags_.error(s.target.loc, fmt::format("'.param {}' is not defined at the top level", s.target.text));
      return std::nullopt;
    }
    fs.target = FlatSweep::Target::Param;
  } else if (!s.modelParam.empty()) {
    fs.target = FlatSweep::Target::ModelParam;
    fs.modelParam = s.modelParam;
    if (modelFor(s.target, top) < 0) return std::nullopt;
  } else if (s.target.text == "temp") {
    fs.target = FlatSweep::Target::Temperature;
  } else if (auto it = instanceIndex_.find(s.target.text);
             it != instanceIndex_.end() && it->second >= 0 &&
             std::string("vir").find(out_.instances[static_cast<std::size_t>(it->second)].type) != std::string::npos) {
    fs.target = FlatSweep::Target::Source;
  } else if (scope.findParam(s.target.text)) {
    fs.target = FlatSweep::Target::Param;
  } else {
    diags_.error(s.target.loc, fmt::format("unknown sweep variable '{}': expected a source, a resistor, a parameter, "
                                           "temp or model(param)", s.target.text));
    return std::nullopt;
  }
  bool ok = true;
  if (s.kind == netlist::Sweep::Kind::List) {
    for (const auto& v : s.list) {
      auto x = value(v, scope);
      ok = ok && x;
      if (x) fs.list.push_back(*x);
    }
    return ok ? std::optional(fs) : std::nullopt;
  }
  auto start = value(s.start, scope), stop = value(s.stop, scope), step = value(s.step, scope);
  if (!start || !stop || !step) return std::nullopt;
  fs.start = *start;
  fs.stop = *stop;
  fs.step = *step;
  if (s.kind == netlist::Sweep::Kind::Lin) {
    if (fs.step == 0 && fs.start != fs.stop) {
      diags_.error(s.step.loc, "sweep step must not be zero");
      return std::nullopt;
    }
    if (fs.step != 0 && (fs.stop - fs.start) / fs.step < 0) {
      diags_.error(s.step.loc, fmt::format("sweep step {:g} goes away from the stop value {:g}", fs.step, fs.stop));
      return std::nullopt;
    }
  } else {
    if (fs.step < 1) {
      diags_.error(s.step.loc, "points per decade/octave must be at least 1");
      return std::nullopt;
    }
    if (fs.start <= 0 || fs.stop <= 0) {
      diags_.error(s.start.loc, "a logarithmic sweep needs positive start and stop values");
      return std::nullopt;
    }
  }
  return fs;
}

std::optional<FlatOutputVar> Elaborator::outputVar(const netlist::OutputVar& v, const Frame& top) {
  using K = netlist::OutputVar::Kind;
  FlatOutputVar fv;
  fv.kind = v.kind;
  fv.loc = v.loc;
  auto names = circuitNames(top);
  switch (v.kind) {
    case K::Voltage:
    case K::Node: {
      auto a = names.node(v.a, v.loc);
      if (!a) return std::nullopt;
      fv.a = nodeIndex_.at(*a);
      if (!v.b.empty()) {
        auto b = names.node(v.b, v.loc);
        if (!b) return std::nullopt;
        fv.b = nodeIndex_.at(*b);
      }
      return fv;
    }
    case K::Internal:
      if (v.b.empty()) return xyceName(v, fv, top);
      fv.suffix = v.b;
      [[fallthrough]];
    case K::Quantity:
      if (v.kind == K::Quantity) fv.suffix = v.b;
      [[fallthrough]];
    case K::Current:
    case K::Power: {
      auto d = names.device(v.a, v.loc);
      if (!d) return std::nullopt;
      fv.device = instanceIndex_.at(*d);
      return fv;
    }
    case K::Expression:
      fv.expr = eval_.bind(*v.expr, *top.scope, names);
      if (!fv.expr) return std::nullopt;
      return fv;
    case K::All: return fv;
  }
  return std::nullopt;
}

// Xyce's n(name): a node voltage, a device's internal unknown (ymemristor!m1_x: device
// ymemristor!m1, unknown x) or a device quantity (ymemristor!m1:r).
std::optional<FlatOutputVar> Elaborator::xyceName(const netlist::OutputVar& v, FlatOutputVar fv, const Frame& top) {
  using K = netlist::OutputVar::Kind;
  auto device = [&](const std::string& n) {
    auto it = instanceIndex_.find(deviceName(n, top));
    return it == instanceIndex_.end() ? -1 : it->second;
  };
  const std::string& w = v.a;
  if (auto n = nodeIndex_.find(nodeName(w, top)); n != nodeIndex_.end()) {
    fv.kind = K::Node;
    fv.a = n->second;
    return fv;
  }
  if (auto colon = w.rfind(':'); colon != std::string::npos && colon > 0) {
    if (int d = device(w.substr(0, colon)); d >= 0) {
      fv.kind = K::Quantity;
      fv.device = d;
      fv.suffix = w.substr(colon + 1);
      return fv;
    }
  }
  for (auto u = w.rfind('_'); u != std::string::npos && u > 0; u = w.rfind('_', u - 1)) {
    if (int d = device(w.substr(0, u)); d >= 0) {
      fv.kind = K::Internal;
      fv.device = d;
      fv.suffix = w.substr(u + 1);
      return fv;
    }
  }
  diags_.error(v.loc, fmt::format("n({}) names no node, no device unknown (device_x) and no device quantity "
                                  "(device:r)", w));
  return std::nullopt;
}

void Elaborator::analysis(const netlist::Analysis& a, const Frame& top) {
  const expr::Scope& scope = *top.scope;
  FlatAnalysis fa{OtherAnalysis{}, a.loc};
  if (std::holds_alternative<netlist::OpAnalysis>(a.kind)) {
    fa.kind = OpAnalysis{};
  } else if (auto* dc = std::get_if<netlist::DcAnalysis>(&a.kind)) {
    DcAnalysis fdc;
    for (const auto& s : dc->sweeps)
      if (auto fs = sweep(s, top)) fdc.sweeps.push_back(std::move(*fs));
    if (fdc.sweeps.size() != dc->sweeps.size()) return;
    fa.kind = std::move(fdc);
  } else if (auto* tran = std::get_if<netlist::TranAnalysis>(&a.kind)) {
    TranAnalysis t;
    auto tstep = value(tran->tstep, scope), tstop = value(tran->tstop, scope);
    if (!tstep || !tstop) return;
    t.tstep = *tstep;
    t.tstop = *tstop;
    t.uic = tran->uic;
    if (tran->tstart) {
      auto v = value(*tran->tstart, scope);
      if (!v) return;
      t.tstart = *v;
    }
    if (tran->tmax) {
      auto v = value(*tran->tmax, scope);
      if (!v) return;
      t.tmax = *v;
    }
    if (t.tstop <= 0) return diags_.error(tran->tstop.loc, "'.tran' stop time must be positive");
    if (t.tstep < 0) return diags_.error(tran->tstep.loc, "'.tran' time step must not be negative");
    if (t.tstart < 0 || t.tstart >= t.tstop)
      return diags_.error(tran->tstart->loc, "'.tran' start time must be at least 0 and below the stop time");
    if (t.tmax && *t.tmax <= 0) return diags_.error(tran->tmax->loc, "'.tran' maximum step must be positive");
    fa.kind = t;
  } else if (auto* ac = std::get_if<netlist::AcAnalysis>(&a.kind)) {
    AcAnalysis fac;
    fac.kind = ac->kind;
    auto points = value(ac->points, scope), fstart = value(ac->fstart, scope), fstop = value(ac->fstop, scope);
    if (!points || !fstart || !fstop) return;
    if (*points < 1) return diags_.error(ac->points.loc, "'.ac' needs at least 1 point");
    if (*fstart <= 0) return diags_.error(ac->fstart.loc, "'.ac' start frequency must be positive");
    if (*fstop < *fstart) return diags_.error(ac->fstop.loc, "'.ac' stop frequency is below the start frequency");
    fac.points = *points;
    fac.fstart = *fstart;
    fac.fstop = *fstop;
    fa.kind = fac;
  } else {
    fa.kind = OtherAnalysis{std::get<netlist::OtherAnalysis>(a.kind).command};
  }
  out_.analyses.push_back(std::move(fa));
}

void Elaborator::finishTopLevel(const Frame& top) {
  const expr::Scope& scope = *top.scope;
  for (const auto& a : net_.analyses) analysis(a, top);
  for (const auto& o : net_.options) {
    FlatOption fo{o.name.text, std::nullopt, o.word, o.name.loc};
    if (o.value) fo.value = value(*o.value, scope);
    out_.options.push_back(std::move(fo));
  }
  auto initial = [&](const std::vector<netlist::InitialCondition>& in, std::vector<FlatInitial>& result,
                     const char* card) {
    for (const auto& ic : in) {
      auto it = nodeIndex_.find(nodeName(ic.node.text, top));
      if (it == nodeIndex_.end() || it->second == 0) {
        diags_.error(ic.node.loc, it == nodeIndex_.end() ? fmt::format("unknown node '{}' in '{}'", ic.node.text, card)
                                                         : fmt::format("'{}' cannot set the ground node", card));
        continue;
      }
      if (auto v = value(ic.value, scope)) result.push_back({it->second, *v, ic.node.loc});
    }
  };
  initial(net_.ics, out_.ics, ".ic");
  initial(net_.nodesets, out_.nodesets, ".nodeset");
  for (const auto& t : net_.temps)
    if (auto v = value(t, scope)) out_.temps.push_back(*v);
  for (const auto& s : net_.steps)
    if (auto fs = sweep(s, top)) out_.steps.push_back(std::move(*fs));
  for (const auto& r : net_.outputs) {
    FlatOutput fo{r.kind, r.analysis, {}, r.loc};
    for (const auto& v : r.vars)
      if (auto fv = outputVar(v, top)) fo.vars.push_back(std::move(*fv));
    out_.outputs.push_back(std::move(fo));
  }
  MeasureBinder binder;
  binder.var = [&](const netlist::OutputVar& v) { return outputVar(v, top); };
  binder.value = [&](const netlist::Value& v) { return value(v, scope); };
  binder.bind = [&](const expr::Node& e, const std::vector<std::string>& keep) {
    expr::CircuitNames names = circuitNames(top);
    names.symbolic = [&keep](const std::string& n) { return std::find(keep.begin(), keep.end(), n) != keep.end(); };
    return eval_.bind(e, scope, names);
  };
  std::vector<std::string> measureNames;
  for (const auto& m : net_.measures) {
    if (std::find(measureNames.begin(), measureNames.end(), m.name.text) != measureNames.end()) {
      diags_.error(m.name.loc, fmt::format("measurement '{}' is defined twice", m.name.text));
      continue;
    }
    if (auto fm = elaborateMeasure(m, measureNames, binder, diags_)) out_.measures.push_back(std::move(*fm));
    measureNames.push_back(m.name.text);
  }
}

std::optional<FlatCircuit> Elaborator::run() {
  out_.title = net_.title;
  out_.nodes.push_back("0");
  nodeIndex_["0"] = 0;
  for (const auto& g : net_.globals)
    if (g.text != "0" && g.text != "gnd") globals_.insert(g.text);
  expr::Scope* topScope = newScope(nullptr);
  // The seed is looked up at the first draw, so `.options seed={trial}` can follow a .step.
  auto seed = [this, topScope]() -> std::uint64_t {
    if (options_.seed) return *options_.seed;
    for (const auto& o : net_.options)
      if (o.name.text == "seed" && o.value) {
        Diagnostics quiet;  // a bad seed is reported where the options are elaborated
        expr::Evaluator seedEval(quiet);
        if (auto v = seedEval.evaluate(*o.value->expr, *topScope); v && *v >= 0 && *v < 1.8e19)
          return static_cast<std::uint64_t>(*v);
      }
    return 1;
  };
  eval_.setSeed(seed);
  Frame& top = frames_.emplace_back(Frame{&net_.top, nullptr, topScope, "", {}});
  expandBody(top);
  if (tooLarge_) return std::nullopt;
  // Models at the top level are checked even when no device uses them.
  for (const auto& m : net_.top.models) modelFor(m.name, top);
  resolvePending();
  finishTopLevel(top);
  if (diags_.hasErrors()) return std::nullopt;
  out_.seed = seed();
  return std::move(out_);
}

}  // namespace

std::optional<FlatCircuit> elaborate(const netlist::Netlist& netlist, Diagnostics& diags, const ElabOptions& options) {
  return Elaborator(netlist, diags, options).run();
}

}  // namespace memspice::elab
