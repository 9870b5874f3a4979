#pragma once
// The netlist AST: what the deck says, with every name lower-cased and every value still an
// expression (evaluated during elaboration, where parameters have their scope). Nothing is
// expanded here; each item keeps the location it was written at.
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "expr/expr.hpp"
#include "source/source_loc.hpp"

namespace memspice::netlist {

struct Name {
  std::string text;
  SourceLoc loc;
};

struct Value {
  expr::NodePtr expr;
  SourceLoc loc;
};

struct ParamAssign {
  Name name;
  Value value;
};

// Time function of an independent source: pulse, sin, exp, pwl, sffm, with positional args
// and keyword options (pwl r= td=).
struct Waveform {
  std::string kind;
  std::vector<Value> args;
  std::vector<ParamAssign> options;
  SourceLoc loc;
};

struct SourceSpec {
  std::optional<Value> dc;
  std::optional<Value> acMag;
  std::optional<Value> acPhase;
  std::optional<Waveform> waveform;
};

// One element card. Which members are used depends on `type` (the first letter):
//   r c l            nodes(2), value or model, params
//   k                refs(2 inductors), values[0] coupling
//   v i              nodes(2), source
//   e g              nodes(4) + values[0] gain, or nodes(2) + behaviour (value=)
//   f h              nodes(2), refs[0] controlling V source, values[0] gain
//   b                nodes(2), behaviour with behaviourKind 'v' or 'i'
//   d                nodes(2), master model, values[0] area (optional), params
//   s / w            nodes(4) / nodes(2)+refs[0], master model, flags on|off
//   m                nodes(3 or 4), master model, params (l= w= ...)
//   x                nodes(any), master subcircuit, params
//   y / n            plug-in: deviceType (y only), nodes(any), master model, params
struct Element {
  char type = 0;
  Name name;               // as written, lower-case ("r1"; for Y cards the second word)
  std::string deviceType;  // Y cards: the word after 'y' ("memristor" in "ymemristor m1 ...")
  std::vector<Name> nodes;
  std::optional<Name> master;
  std::vector<Value> values;
  std::vector<Name> refs;
  std::vector<ParamAssign> params;
  std::optional<SourceSpec> source;
  expr::NodePtr behaviour;
  char behaviourKind = 0;
  std::vector<Name> flags;
  SourceLoc loc;
};

struct Model {
  Name name;
  Name type;  // d, nmos, pmos, sw, csw, r, c, l, or a plug-in family name
  std::vector<ParamAssign> params;
  SourceLoc loc;
};

struct FuncDef {
  Name name;
  std::vector<std::string> args;
  expr::NodePtr body;
};

struct Subckt;

// The contents of the top level or of one .subckt, in the order written.
struct Body {
  std::vector<Element> elements;
  std::vector<Model> models;
  std::vector<ParamAssign> params;
  std::vector<FuncDef> funcs;
  std::vector<std::shared_ptr<Subckt>> subckts;
};

struct Subckt {
  Name name;
  std::vector<Name> ports;
  std::vector<ParamAssign> defaults;
  Body body;
};

// One swept variable: a source, a parameter, `temp`, or a model parameter `model(param)`.
struct Sweep {
  enum class Kind { Lin, Dec, Oct, List };
  Kind kind = Kind::Lin;
  Name target;
  std::string modelParam;  // set for model(param) targets
  bool param = false;      // `param` keyword given: the target is a .param even if a device has its name
  Value start, stop, step;  // step: increment (lin) or points per decade/octave
  std::vector<Value> list;
  SourceLoc loc;
};

struct OpAnalysis {};
struct DcAnalysis {
  std::vector<Sweep> sweeps;  // outer sweep last, as in SPICE (.dc inner ... outer ...)
};
struct TranAnalysis {
  Value tstep, tstop;
  std::optional<Value> tstart, tmax;
  bool uic = false;
};
struct AcAnalysis {
  Sweep::Kind kind = Sweep::Kind::Dec;
  Value points, fstart, fstop;
};
// Analyses memspice parses but does not run (.tf .noise .pz .sens .four .disto .sp).
struct OtherAnalysis {
  std::string command;
};

struct Analysis {
  std::variant<OpAnalysis, DcAnalysis, TranAnalysis, AcAnalysis, OtherAnalysis> kind;
  SourceLoc loc;
};

struct Option {
  Name name;
  std::optional<Value> value;  // numeric value, or absent for flags and words
  std::string word;            // word value (method=gear), or empty
};

struct InitialCondition {
  Name node;
  Value value;
};

// An output variable in .print/.save/.probe/.meas.
struct OutputVar {
  enum class Kind { Voltage, Current, Expression, All, Node, Power, Internal, Quantity };
  Kind kind = Kind::Voltage;
  // v(a) / v(a,b) / i(a) / p(a); Node: a bare node name; Internal: device a, unknown b (a#b);
  // Quantity: device a's derived quantity b (a:b). Xyce's n(name) is parsed as Internal with
  // `a` the whole name and `b` empty; elaboration resolves it to a node, an internal unknown
  // (ymemristor!m1_x) or a quantity (ymemristor!m1:r).
  std::string a, b;
  expr::NodePtr expr;    // Expression
  SourceLoc loc;
};

struct OutputRequest {
  enum class Kind { Print, Save, Probe };
  Kind kind = Kind::Print;
  std::string analysis;  // tran, dc, op, ac, or empty
  std::vector<OutputVar> vars;
  SourceLoc loc;
};

// A .measure statement as clauses: `trig v(a) val=0.5 rise=1` is clause {trig, v(a), {val, rise}}.
struct MeasureClause {
  Name keyword;
  std::optional<OutputVar> target;
  std::optional<Value> targetValue;  // when v(a)=0.5 -> 0.5
  std::vector<ParamAssign> settings;
};

struct Measure {
  std::string analysis;
  Name name;
  std::vector<MeasureClause> clauses;
  SourceLoc loc;
};

struct Netlist {
  std::string title;
  Body top;
  std::vector<Analysis> analyses;
  std::vector<Option> options;
  std::vector<InitialCondition> ics, nodesets;
  std::vector<Value> temps;
  std::vector<Sweep> steps;
  std::vector<Measure> measures;
  std::vector<OutputRequest> outputs;
  std::vector<Name> globals;
};

}  // namespace memspice::netlist
