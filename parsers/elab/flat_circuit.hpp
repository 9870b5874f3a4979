#pragma once
// FlatCircuit: the elaborated deck, the contract between the front end and the engine.
// Subcircuits are expanded, every number is evaluated, names are final and unique:
//   nodes      "0" is ground (index 0); nested nodes are "x1.x2.n3"; .global nodes keep their name
//   instances  top-level "r1"; nested "<letter>.<path>.<name>", e.g. "r.x1.x2.r1" (as ngspice)
//   models     top-level "dmod"; a model defined inside a subcircuit is one per instance, "x1.dmod"
// B-source expressions are kept as trees with parameters folded and v()/i() names flattened.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "expr/expr.hpp"
#include "source/source_loc.hpp"
#include "spice/netlist.hpp"

namespace memspice::elab {

using NodeId = int;  // index into FlatCircuit::nodes; 0 is ground

struct FlatParam {
  std::string name;
  double value = 0;
  SourceLoc loc;
};

struct FlatWaveform {
  std::string kind;  // pulse sin exp pwl sffm am
  std::vector<double> args;
  std::vector<FlatParam> options;
};

struct FlatSource {
  std::optional<double> dc;
  double acMag = 0, acPhase = 0;
  bool hasAc = false;
  std::optional<FlatWaveform> waveform;
};

struct FlatInstance {
  std::string name;
  char type = 0;           // element letter
  std::string deviceType;  // Y devices: the family word
  std::vector<NodeId> nodes;
  int model = -1;          // index into FlatCircuit::models, -1 if none
  std::vector<double> values;
  std::vector<int> refs;   // indexes into FlatCircuit::instances (K, F, H, W)
  std::vector<FlatParam> params;
  std::optional<FlatSource> source;
  expr::NodePtr behaviour;
  char behaviourKind = 0;
  std::vector<std::string> flags;
  SourceLoc loc;

  const FlatParam* param(std::string_view n) const {
    for (const FlatParam& p : params)
      if (p.name == n) return &p;
    return nullptr;
  }
};

struct FlatModel {
  std::string name;
  std::string type;
  std::vector<FlatParam> params;
  SourceLoc loc;
};

struct FlatSweep {
  netlist::Sweep::Kind kind = netlist::Sweep::Kind::Lin;
  enum class Target { Source, Param, Temperature, ModelParam };
  Target target = Target::Source;
  std::string name;        // flat source / parameter / model name
  std::string modelParam;  // ModelParam targets
  double start = 0, stop = 0, step = 0;
  std::vector<double> list;
  SourceLoc loc;
};

struct OpAnalysis {};
struct DcAnalysis { std::vector<FlatSweep> sweeps; };
struct TranAnalysis {
  double tstep = 0, tstop = 0, tstart = 0;
  std::optional<double> tmax;
  bool uic = false;
};
struct AcAnalysis {
  netlist::Sweep::Kind kind = netlist::Sweep::Kind::Dec;
  double points = 0, fstart = 0, fstop = 0;
};
struct OtherAnalysis { std::string command; };

struct FlatAnalysis {
  std::variant<OpAnalysis, DcAnalysis, TranAnalysis, AcAnalysis, OtherAnalysis> kind;
  SourceLoc loc;
};

struct FlatOption {
  std::string name;
  std::optional<double> value;
  std::string word;
  SourceLoc loc;
};

struct FlatInitial {
  NodeId node = 0;
  double value = 0;
  SourceLoc loc;
};

struct FlatOutputVar {
  netlist::OutputVar::Kind kind = netlist::OutputVar::Kind::Voltage;
  NodeId a = 0, b = 0;      // Voltage / Node
  int device = -1;          // Current, Power, Internal, Quantity: instance index
  std::string suffix;       // Internal: the unknown's name after '#' (gap); Quantity: its name (r)
  expr::NodePtr expr;       // Expression, bound to flat names
  SourceLoc loc;
};

struct FlatOutput {
  netlist::OutputRequest::Kind kind = netlist::OutputRequest::Kind::Print;
  std::string analysis;
  std::vector<FlatOutputVar> vars;
  SourceLoc loc;
};

struct FlatCircuit;

// A point on a plot's scale (time, or the sweep value) where a measurement starts or ends:
// the count-th time `var` crosses `level` (or the vector `levelVar`) in the given direction,
// no earlier than `td`; or the fixed scale value `at`.
struct FlatCrossing {
  std::optional<FlatOutputVar> var, levelVar;
  double level = 0;
  enum class Edge { Rise, Fall, Cross };
  Edge edge = Edge::Cross;
  int count = 1;  // 1 = first; -1 = last
  double td = 0;
  std::optional<double> at;
  // Settings (val, td, at) that use earlier measurements: evaluated once those are known.
  std::vector<std::pair<std::string, expr::NodePtr>> deferred;
  SourceLoc loc;
};

// A .measure statement with its variables bound and its settings evaluated.
struct FlatMeasure {
  enum class Kind { TrigTarg, Find, When, Deriv, Avg, Rms, Min, Max, Pp, Integ, Param };
  Kind kind = Kind::Find;
  std::string analysis;  // tran, dc or op
  std::string name;
  std::optional<FlatOutputVar> var;       // the measured variable (Find, Deriv, Avg ... Integ)
  std::optional<FlatCrossing> trig, targ;  // TrigTarg; Find/Deriv/When use targ as their point
  std::optional<double> from, to;         // window of Avg ... Integ
  std::vector<std::pair<std::string, expr::NodePtr>> deferred;  // from/to/td using earlier measurements
  expr::NodePtr param;                    // Param: parameters folded, measure names left as names
  SourceLoc loc;

  // Every variable the measurement reads, for the simulator to compute.
  std::vector<const FlatOutputVar*> vars() const;
};

// The vector name a simulator gives an output variable: v(a), v(a,b), i(d), p(d), or the
// expression's canonical text.
std::string outputName(const FlatOutputVar& v, const FlatCircuit& c);

struct FlatCircuit {
  std::string title;
  // The run's random seed (--seed, else .options seed=, else 1): agauss() and friends used it
  // during elaboration; stochastic devices key their draws with it.
  std::uint64_t seed = 1;
  std::vector<std::string> nodes;  // nodes[0] == "0"
  std::vector<FlatInstance> instances;
  std::vector<FlatModel> models;
  std::vector<FlatAnalysis> analyses;
  std::vector<FlatOption> options;
  std::vector<FlatInitial> ics, nodesets;
  std::vector<double> temps;
  std::vector<FlatSweep> steps;
  std::vector<FlatMeasure> measures;
  std::vector<FlatOutput> outputs;

  std::optional<NodeId> findNode(std::string_view name) const;
  int findInstance(std::string_view name) const;
};

}  // namespace memspice::elab
