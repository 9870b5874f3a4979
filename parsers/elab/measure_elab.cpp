#include "elab/measure_elab.hpp"

#include <cmath>
#include <fmt/format.h>

namespace memspice::elab {

namespace {

using Kind = FlatMeasure::Kind;

// One clause of the statement, with a following `at=` folded into it.
struct Clause {
  const netlist::MeasureClause* c;
  std::string keyword;  // aliases resolved: integral -> integ, derivative -> deriv
  const netlist::Value* at = nullptr;
};

std::optional<Kind> windowKind(const std::string& k) {
  if (k == "avg") return Kind::Avg;
  if (k == "rms") return Kind::Rms;
  if (k == "min") return Kind::Min;
  if (k == "max") return Kind::Max;
  if (k == "pp") return Kind::Pp;
  if (k == "integ") return Kind::Integ;
  return std::nullopt;
}

class MeasureElaborator {
 public:
  MeasureElaborator(const netlist::Measure& m, const MeasureBinder& b, Diagnostics& d) : m_(m), b_(b), d_(d) {}

  std::optional<FlatMeasure> run(const std::vector<std::string>& earlier);

 private:
  // A setting's number, or, when it uses earlier measurements, its expression in `deferred`.
  bool setting(const netlist::Value& v, const std::string& key, std::vector<std::pair<std::string, expr::NodePtr>>& deferred,
               double& out);
  bool collect();
  bool fail(SourceLoc loc, const std::string& what) {
    d_.error(loc, fmt::format("'.measure {}': {}", m_.name.text, what));
    return false;
  }
  std::optional<FlatOutputVar> target(const Clause& c);
  bool crossing(const Clause& c, FlatCrossing& out);
  bool count(const netlist::ParamAssign& s, FlatCrossing& out);
  bool onlySettings(const Clause& c, std::initializer_list<const char*> allowed);

  const netlist::Measure& m_;
  const MeasureBinder& b_;
  Diagnostics& d_;
  std::vector<Clause> clauses_;
  std::vector<std::string> earlier_;
};

bool readsCircuit(const expr::Node& n) {
  if (n.kind == expr::Node::Kind::Voltage || n.kind == expr::Node::Kind::Current) return true;
  for (const expr::NodePtr& a : n.args)
    if (readsCircuit(*a)) return true;
  return false;
}

bool MeasureElaborator::setting(const netlist::Value& v, const std::string& key,
                                std::vector<std::pair<std::string, expr::NodePtr>>& deferred, double& out) {
  if (!v.expr) return false;
  expr::NodePtr e = b_.bind(*v.expr, earlier_);
  if (!e) return false;
  if (e->kind == expr::Node::Kind::Number) {
    out = e->value;
    return true;
  }
  if (readsCircuit(*e))
    return fail(v.loc, fmt::format("'{}=' is a number, or an expression of parameters and earlier measurements", key));
  deferred.emplace_back(key, e);
  return true;
}

bool MeasureElaborator::collect() {
  for (const netlist::MeasureClause& c : m_.clauses) {
    std::string k = c.keyword.text;
    if (k == "integral") k = "integ";
    if (k == "derivative") k = "deriv";
    if (k == "at") {
      if (clauses_.empty() || clauses_.back().at || !c.targetValue ||
          (clauses_.back().keyword != "trig" && clauses_.back().keyword != "targ" &&
           clauses_.back().keyword != "find" && clauses_.back().keyword != "deriv"))
        return fail(c.keyword.loc, "'at=' belongs after trig, targ, find or deriv");
      clauses_.back().at = &*c.targetValue;
      if (!c.settings.empty()) return fail(c.settings[0].name.loc, fmt::format("unexpected '{}=' after 'at='", c.settings[0].name.text));
      continue;
    }
    clauses_.push_back({&c, k});
  }
  return true;
}

std::optional<FlatOutputVar> MeasureElaborator::target(const Clause& c) {
  if (!c.c->target) {
    fail(c.c->keyword.loc, fmt::format("'{}' needs a variable such as v(out) or i(v1)", c.keyword));
    return std::nullopt;
  }
  return b_.var(*c.c->target);
}

bool MeasureElaborator::onlySettings(const Clause& c, std::initializer_list<const char*> allowed) {
  for (const netlist::ParamAssign& s : c.c->settings) {
    bool ok = false;
    for (const char* a : allowed) ok = ok || s.name.text == a;
    if (!ok) {
      std::string list;
      for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a) + "=";
      return fail(s.name.loc, fmt::format("unexpected '{}=' in '{}'{}", s.name.text, c.keyword,
                                          list.empty() ? "" : "; expected " + list));
    }
  }
  return true;
}

bool MeasureElaborator::count(const netlist::ParamAssign& s, FlatCrossing& out) {
  out.edge = s.name.text == "rise" ? FlatCrossing::Edge::Rise
             : s.name.text == "fall" ? FlatCrossing::Edge::Fall
                                     : FlatCrossing::Edge::Cross;
  if (s.value.expr && s.value.expr->isName() && s.value.expr->text == "last") {
    out.count = -1;
    return true;
  }
  auto v = b_.value(s.value);
  if (!v) return false;
  if (!(*v >= 1) || *v != std::floor(*v) || *v > 1e9)
    return fail(s.value.loc, fmt::format("'{}=' is a crossing number (1, 2, ...) or 'last'", s.name.text));
  out.count = static_cast<int>(*v);
  return true;
}

// trig/targ: `v(a) val=x [td=] [rise=|fall=|cross=]` or `at=t`; when: `v(a)=level` with the same settings.
bool MeasureElaborator::crossing(const Clause& c, FlatCrossing& out) {
  out.loc = c.c->keyword.loc;
  if (c.at) {
    if (!onlySettings(c, {})) return false;
    double t = 0;
    if (!setting(*c.at, "at", out.deferred, t)) return false;
    out.at = t;
    return true;
  }
  bool when = c.keyword == "when";
  if (!onlySettings(c, when ? std::initializer_list<const char*>{"td", "rise", "fall", "cross"}
                            : std::initializer_list<const char*>{"val", "td", "rise", "fall", "cross"}))
    return false;
  auto var = target(c);
  if (!var) return false;
  out.var = std::move(*var);
  bool haveLevel = false, haveEdge = false;
  if (when) {
    if (!c.c->targetValue) return fail(out.loc, "'when' needs a condition such as v(out)=0.5");
    expr::NodePtr level = b_.bind(*c.c->targetValue->expr, earlier_);
    if (!level) return false;
    if (level->kind == expr::Node::Kind::Number) {
      out.level = level->value;
    } else if (!readsCircuit(*level)) {
      out.deferred.emplace_back("val", level);  // a level from earlier measurements
    } else {
      if (!b_.bind(*c.c->targetValue->expr, {})) return false;  // a vector may not use measurements
      FlatOutputVar lv;
      lv.kind = netlist::OutputVar::Kind::Expression;
      lv.expr = level;
      lv.loc = c.c->targetValue->loc;
      out.levelVar = std::move(lv);
    }
    haveLevel = true;
  }
  for (const netlist::ParamAssign& s : c.c->settings) {
    if (s.name.text == "val") {
      if (!setting(s.value, "val", out.deferred, out.level)) return false;
      haveLevel = true;
    } else if (s.name.text == "td") {
      if (!setting(s.value, "td", out.deferred, out.td)) return false;
    } else {
      if (haveEdge) return fail(s.name.loc, "give only one of rise=, fall= and cross=");
      haveEdge = true;
      if (!count(s, out)) return false;
    }
  }
  if (!haveLevel) return fail(out.loc, fmt::format("'{}' needs val=", c.keyword));
  return true;
}

std::optional<FlatMeasure> MeasureElaborator::run(const std::vector<std::string>& earlier) {
  FlatMeasure fm;
  fm.analysis = m_.analysis;
  fm.name = m_.name.text;
  fm.loc = m_.name.loc;
  if (fm.analysis != "tran" && fm.analysis != "dc" && fm.analysis != "op") {
    fail(m_.loc, fmt::format("measurements of '{}' analyses are not supported; use tran, dc or op", fm.analysis));
    return std::nullopt;
  }
  earlier_ = earlier;
  if (!collect()) return std::nullopt;
  const Clause& first = clauses_.front();
  const std::string& k = first.keyword;
  std::size_t expected = 1;
  // The second clause of find/deriv: `when ...`, unless the point is an at=.
  auto pointClause = [&](FlatCrossing& out) -> bool {
    if (first.at) {
      out.loc = first.c->keyword.loc;
      double t = 0;
      if (!setting(*first.at, "at", out.deferred, t)) return false;
      out.at = t;
      return true;
    }
    if (clauses_.size() < 2 || clauses_[1].keyword != "when") {
      if (fm.analysis == "op" && fm.kind == Kind::Find) return true;  // the single point
      return fail(first.c->keyword.loc, fmt::format("'{}' needs 'at=' or 'when'", k));
    }
    expected = 2;
    return crossing(clauses_[1], out);
  };
  if (k == "param") {
    if (!first.c->targetValue) return fail(first.c->keyword.loc, "'param' needs ='expression'"), std::nullopt;
    fm.kind = Kind::Param;
    fm.param = b_.bind(*first.c->targetValue->expr, earlier);
    if (!fm.param) return std::nullopt;
  } else if (k == "trig") {
    fm.kind = Kind::TrigTarg;
    if (clauses_.size() < 2 || clauses_[1].keyword != "targ")
      return fail(first.c->keyword.loc, "'trig' needs a following 'targ'"), std::nullopt;
    expected = 2;
    FlatCrossing trig, targ;
    if (!crossing(first, trig) || !crossing(clauses_[1], targ)) return std::nullopt;
    fm.trig = std::move(trig);
    fm.targ = std::move(targ);
  } else if (k == "find" || k == "deriv") {
    fm.kind = k == "find" ? Kind::Find : Kind::Deriv;
    if (!onlySettings(first, {})) return std::nullopt;
    auto var = target(first);
    if (!var) return std::nullopt;
    fm.var = std::move(*var);
    FlatCrossing point;
    if (!pointClause(point)) return std::nullopt;
    if (point.var || point.at) fm.targ = std::move(point);
  } else if (k == "when") {
    fm.kind = Kind::When;
    FlatCrossing point;
    if (!crossing(first, point)) return std::nullopt;
    fm.targ = std::move(point);
  } else if (auto wk = windowKind(k)) {
    fm.kind = *wk;
    if (!onlySettings(first, {"from", "to", "td"})) return std::nullopt;
    auto var = target(first);
    if (!var) return std::nullopt;
    fm.var = std::move(*var);
    for (const netlist::ParamAssign& s : first.c->settings) {
      double v = 0;
      std::size_t before = fm.deferred.size();
      if (!setting(s.value, s.name.text, fm.deferred, v)) return std::nullopt;
      if (fm.deferred.size() != before) continue;
      if (s.name.text == "to") fm.to = v;
      else fm.from = fm.from ? std::max(*fm.from, v) : v;  // td= acts as a lower bound, as from=
    }
    if (fm.from && fm.to && *fm.to < *fm.from) return fail(first.c->keyword.loc, "'to=' is before 'from='"), std::nullopt;
  } else {
    return fail(first.c->keyword.loc, fmt::format("a measurement cannot start with '{}'", k)), std::nullopt;
  }
  if (fm.analysis == "op" && fm.kind != Kind::Find && fm.kind != Kind::Param)
    return fail(first.c->keyword.loc, "an 'op' measurement is 'find v(...)' or 'param='"), std::nullopt;
  if (clauses_.size() > expected)
    return fail(clauses_[expected].c->keyword.loc, fmt::format("unexpected '{}' clause", clauses_[expected].keyword)),
           std::nullopt;
  return fm;
}

}  // namespace

std::optional<FlatMeasure> elaborateMeasure(const netlist::Measure& m, const std::vector<std::string>& earlier,
                                            const MeasureBinder& binder, Diagnostics& diags) {
  return MeasureElaborator(m, binder, diags).run(earlier);
}

}  // namespace memspice::elab
