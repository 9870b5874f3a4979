// Analysis, sweep, measure and output cards: .op .dc .tran .ac .step .meas .print .save .probe
#include <fmt/format.h>

#include "spice/card_interpreters.hpp"
#include "spice/deck_reader.hpp"

namespace memspice::cards {

using netlist::Sweep;

namespace {

std::optional<Sweep::Kind> sweepKind(const std::string& w) {
  if (w == "lin") return Sweep::Kind::Lin;
  if (w == "dec") return Sweep::Kind::Dec;
  if (w == "oct") return Sweep::Kind::Oct;
  if (w == "list") return Sweep::Kind::List;
  return std::nullopt;
}

// [lin|dec|oct|list] [param] target [lin|dec|oct|list] start stop step | list values...
// target: a source, a parameter, temp, or model(param).
bool parseSweep(FieldCursor& c, Sweep& s) {
  Diagnostics& d = c.diags();
  bool kindGiven = false;
  auto takeKind = [&] {
    if (c.atEnd() || !c.peek()->is(Field::Kind::Word)) return;
    if (auto k = sweepKind(toLower(c.peek()->text))) {
      s.kind = *k;
      kindGiven = true;
      c.next();
    }
  };
  takeKind();
  if (c.peekWord("param")) {
    c.next();
    s.param = true;
  }
  if (c.atEnd()) return c.expectedAtEnd("a sweep variable"), false;
  const Field& target = c.next();
  s.loc = c.loc(target);
  if (target.is(Field::Kind::Word)) {
    s.target = {toLower(target.text), c.loc(target)};
  } else if (target.is(Field::Kind::Call) && target.args.size() == 1 && target.args[0].is(Field::Kind::Word)) {
    s.target = {toLower(target.text), c.loc(target)};
    s.modelParam = toLower(target.args[0].text);
  } else {
    d.error(c.loc(target), fmt::format("expected a sweep variable, found {}", describe(target)));
    return false;
  }
  if (!kindGiven) takeKind();
  if (s.kind == Sweep::Kind::List) {
    while (c.peekValue()) {
      auto v = c.value("a list value");
      if (!v) return false;
      s.list.push_back(std::move(*v));
    }
    if (s.list.empty()) return c.atEnd() ? (c.expectedAtEnd("list values"), false) : c.unexpected();
    return true;
  }
  const char* stepWhat = s.kind == Sweep::Kind::Lin ? "a step" : "a number of points";
  auto start = c.value("a start value");
  if (!start) return false;
  auto stop = c.value("a stop value");
  if (!stop) return false;
  auto step = c.value(stepWhat);
  if (!step) return false;
  s.start = std::move(*start);
  s.stop = std::move(*stop);
  s.step = std::move(*step);
  return true;
}

std::optional<netlist::OutputVar> outputVar(FieldCursor& c, const Field& f) {
  Diagnostics& d = c.diags();
  netlist::OutputVar v;
  v.loc = c.loc(f);
  std::string w = toLower(f.text);
  auto allWords = [&] {
    for (const Field& a : f.args)
      if (!a.is(Field::Kind::Word)) return false;
    return true;
  };
  if (f.is(Field::Kind::Call) && w == "v" && (f.args.size() == 1 || f.args.size() == 2) && allWords()) {
    v.kind = netlist::OutputVar::Kind::Voltage;
    v.a = toLower(f.args[0].text);
    if (f.args.size() == 2) v.b = toLower(f.args[1].text);
  } else if (f.is(Field::Kind::Call) && (w == "i" || w == "p") && f.args.size() == 1 && allWords()) {
    v.kind = w == "i" ? netlist::OutputVar::Kind::Current : netlist::OutputVar::Kind::Power;
    v.a = toLower(f.args[0].text);
  } else if (f.is(Field::Kind::Call) && w == "n" && f.args.size() == 1 && allWords()) {
    v.kind = netlist::OutputVar::Kind::Internal;  // Xyce's n(ymemristor!m1_x): resolved in elaboration
    v.a = toLower(f.args[0].text);
  } else if (f.is(Field::Kind::Expr)) {
    v.kind = netlist::OutputVar::Kind::Expression;
    v.expr = f.expr;
  } else if (f.is(Field::Kind::Word) && w == "all") {
    v.kind = netlist::OutputVar::Kind::All;
  } else if (f.is(Field::Kind::Word) && w.find('#') != std::string::npos && w.find('#') > 0) {
    v.kind = netlist::OutputVar::Kind::Internal;  // a device's internal unknown: n1#gap
    v.a = w.substr(0, w.find('#'));
    v.b = w.substr(w.find('#') + 1);
  } else if (f.is(Field::Kind::Word)) {
    v.kind = netlist::OutputVar::Kind::Node;
    v.a = w;
  } else {
    d.error(c.loc(f), fmt::format("expected v(node), v(n1,n2), i(device), p(device), n(name), {{expression}} or a node name, found {}",
                                  describe(f)));
    return std::nullopt;
  }
  return v;
}

bool isAnalysisName(const std::string& w) {
  return w == "tran" || w == "dc" || w == "op" || w == "ac" || w == "noise";
}

}  // namespace

bool parseOp(FieldCursor& c, netlist::Netlist& n) {
  SourceLoc loc = c.loc(c.card().fields.front());
  if (!c.atEnd()) return c.unexpected();
  n.analyses.push_back({netlist::OpAnalysis{}, loc});
  return true;
}

bool parseDc(FieldCursor& c, netlist::Netlist& n) {
  SourceLoc loc = c.loc(c.card().fields.front());
  netlist::DcAnalysis dc;
  if (c.atEnd()) return c.expectedAtEnd("a source or parameter to sweep"), false;
  while (!c.atEnd()) {
    Sweep s;
    if (!parseSweep(c, s)) return false;
    dc.sweeps.push_back(std::move(s));
  }
  n.analyses.push_back({std::move(dc), loc});
  return true;
}

// .tran tstep tstop [tstart [tmax]] [uic]   (Xyce's ".tran 0 tstop" too)
bool parseTran(FieldCursor& c, netlist::Netlist& n) {
  SourceLoc loc = c.loc(c.card().fields.front());
  netlist::TranAnalysis t;
  auto tstep = c.value("a time step");
  if (!tstep) return false;
  auto tstop = c.value("a stop time");
  if (!tstop) return false;
  t.tstep = std::move(*tstep);
  t.tstop = std::move(*tstop);
  for (int i = 0; i < 2 && !c.atEnd() && !c.peekWord("uic"); ++i) {
    auto v = c.value(i == 0 ? "a start time" : "a maximum step");
    if (!v) return false;
    (i == 0 ? t.tstart : t.tmax) = std::move(*v);
  }
  if (c.peekWord("uic")) {
    c.next();
    t.uic = true;
  }
  if (!c.atEnd()) return c.unexpected();
  n.analyses.push_back({std::move(t), loc});
  return true;
}

// .ac dec|oct|lin points fstart fstop
bool parseAc(FieldCursor& c, netlist::Netlist& n) {
  SourceLoc loc = c.loc(c.card().fields.front());
  netlist::AcAnalysis ac;
  auto kind = c.name("'dec', 'oct' or 'lin'");
  if (!kind) return false;
  auto k = sweepKind(kind->text);
  if (!k || *k == Sweep::Kind::List) {
    c.diags().error(kind->loc, fmt::format("expected 'dec', 'oct' or 'lin', found '{}'", kind->text));
    return false;
  }
  ac.kind = *k;
  auto points = c.value("a number of points");
  if (!points) return false;
  auto fstart = c.value("a start frequency");
  if (!fstart) return false;
  auto fstop = c.value("a stop frequency");
  if (!fstop) return false;
  ac.points = std::move(*points);
  ac.fstart = std::move(*fstart);
  ac.fstop = std::move(*fstop);
  if (!c.atEnd()) return c.unexpected();
  n.analyses.push_back({std::move(ac), loc});
  return true;
}

bool parseStep(FieldCursor& c, netlist::Netlist& n) {
  if (c.atEnd()) return c.expectedAtEnd("a parameter or source to step"), false;
  Sweep s;
  if (!parseSweep(c, s)) return false;
  if (!c.atEnd()) return c.unexpected();
  n.steps.push_back(std::move(s));
  return true;
}

// .meas tran name trig v(a) val=0.5 rise=1 targ v(b) val=0.5 fall=1
// .meas tran name find v(a) when v(b)=0.5 cross=last | at=1n
// .meas tran name avg|rms|min|max|pp|integ|deriv v(a) [from=.. to=..]
// .meas tran name param='expr'
bool parseMeasure(FieldCursor& c, netlist::Netlist& n) {
  Diagnostics& d = c.diags();
  netlist::Measure m;
  m.loc = c.loc(c.card().fields.front());
  auto analysis = c.name("an analysis (tran, dc, ac or op)");
  if (!analysis) return false;
  if (!isAnalysisName(analysis->text)) {
    d.error(analysis->loc, fmt::format("expected an analysis (tran, dc, ac or op), found '{}'", analysis->text));
    return false;
  }
  m.analysis = analysis->text;
  auto name = c.name("a measurement name");
  if (!name) return false;
  m.name = std::move(*name);
  static const char* const kinds[] = {"trig", "targ", "find", "when", "at", "avg", "rms", "min", "max",
                                      "pp", "integ", "integral", "deriv", "derivative", "param"};
  auto isKind = [](const std::string& w) {
    for (const char* k : kinds)
      if (w == k) return true;
    return false;
  };
  while (!c.atEnd()) {
    const Field& f = c.next();
    std::string key = toLower(f.is(Field::Kind::Assign) ? f.key().text : f.text);
    bool keyIsWord = f.is(Field::Kind::Word) || (f.is(Field::Kind::Assign) && f.key().is(Field::Kind::Word));
    if (keyIsWord && isKind(key)) {
      netlist::MeasureClause clause{{key, c.loc(f)}, std::nullopt, std::nullopt, {}};
      if (f.is(Field::Kind::Assign)) {  // param='expr', at=1n, when=... forms
        clause.targetValue = netlist::Value{f.value().expr, c.loc(f.value())};
      } else if (!c.atEnd() && !c.peekAssign()) {
        auto v = outputVar(c, c.next());
        if (!v) return false;
        clause.target = std::move(*v);
      } else if (!c.atEnd() && c.peek()->key().is(Field::Kind::Call)) {  // when v(a)=0.5
        const Field& cond = c.next();
        auto v = outputVar(c, cond.key());
        if (!v) return false;
        clause.target = std::move(*v);
        clause.targetValue = netlist::Value{cond.value().expr, c.loc(cond.value())};
      }
      m.clauses.push_back(std::move(clause));
      continue;
    }
    if (f.is(Field::Kind::Assign) && f.key().is(Field::Kind::Word) && !m.clauses.empty()) {
      m.clauses.back().settings.push_back({{key, c.loc(f.key())}, {f.value().expr, c.loc(f.value())}});
      continue;
    }
    d.error(c.loc(f), fmt::format("unexpected {} in '.measure'", describe(f)));
    return false;
  }
  if (m.clauses.empty()) return c.expectedAtEnd("a measurement (trig/targ, find, avg, max, param=...)"), false;
  n.measures.push_back(std::move(m));
  return true;
}

bool parseOutput(FieldCursor& c, netlist::Netlist& n, netlist::OutputRequest::Kind kind) {
  netlist::OutputRequest r;
  r.kind = kind;
  r.loc = c.loc(c.card().fields.front());
  if (!c.atEnd() && c.peek()->is(Field::Kind::Word) && isAnalysisName(toLower(c.peek()->text)))
    r.analysis = toLower(c.next().text);
  while (!c.atEnd()) {
    const Field& f = c.next();
    if (f.is(Field::Kind::Assign) && f.key().is(Field::Kind::Word)) {  // Xyce: format=csv file=...
      c.diags().warning(c.loc(f), fmt::format("'{}=' ignored; use --csv or -r for output files", toLower(f.key().text)));
      continue;
    }
    auto v = outputVar(c, f);
    if (!v) return false;
    r.vars.push_back(std::move(*v));
  }
  if (r.vars.empty() && kind != netlist::OutputRequest::Kind::Print)
    return c.expectedAtEnd("output variables"), false;
  n.outputs.push_back(std::move(r));
  return true;
}

}  // namespace memspice::cards
