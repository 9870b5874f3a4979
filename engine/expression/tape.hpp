#pragma once
// Tape: a bound expression tree (parameters folded, v()/i() naming flat nodes and devices)
// compiled to postfix operations, evaluated with forward-mode derivatives with respect to
// its probes. Used by behavioural sources (value and Jacobian) and by output expressions.
//   compile: each distinct v(node) and i(device) becomes a probe, numbered in first-use order;
//            v(a, b) is two probes.
//   evaluate: probe values in, value and d value / d probe out. No allocation after compile.
//   comparisons (<, <=, >, >=) can be latched: a behavioural source keeps their results fixed
//   while integrating and lets IDA locate where each one's margin crosses zero (an event), so
//   the integrator never sees a discontinuity inside a step. Evaluated directly, a hysteresis
//   written with ?: flips between Newton iterates at its threshold and the step collapses.
//   A comparison that keeps reversing, more than three times in a row within 1/10 of the
//   output step each (the circuit slides along the threshold: each result drives the margin
//   back), gets a band: it flips back only once its margin is past 1e-6 of its operands, ten
//   times more per further reversal, up to 1e-3. A sliding mode so becomes a relay oscillation
//   at a finite rate instead of events without end. One quick reversal is normal (a neuron's
//   membrane turns back as it fires); a flip after a whole output step removes the band.

#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "expr/expr.hpp"

namespace memspice::engine {

struct ProbeRef {
  enum class Kind { Node, Current };
  Kind kind;
  std::string name;  // flat node or device name
};

class Tape {
 public:
  // Throws std::runtime_error for constructs that cannot be evaluated (strings, unknown calls).
  explicit Tape(const expr::Node& root);

  const std::vector<ProbeRef>& probes() const { return probes_; }
  // value; gradient (size probes()) is overwritten. `latched`: comparisons give their latched
  // results instead of comparing (their margins are computed either way).
  double evaluate(std::span<const double> probeValues, double time, double temperatureC, std::span<double> gradient,
                  bool latched = false) const;

  // Comparisons in the expression, and after an evaluation their margins: positive where the
  // comparison holds (a - b for > and >=, b - a for < and <=).
  std::size_t comparisonCount() const { return strict_.size(); }
  std::span<const double> margins() const { return margins_; }
  // Latched results := what the last evaluation's margins say (and no flips yet).
  void latch();
  // Root functions of the latched comparisons at the last evaluation: zero where a latched
  // false result turns true (margin = +band) or a true one false (margin = -band).
  void roots(std::span<double> g) const;
  // Root k crossed zero at `time`, rising (+1) or falling (-1): a latched false result turns
  // true on a rising crossing, a true one false on a falling one; `resolution` (the output
  // step) sets what counts as chatter. True if the result changed.
  bool cross(std::size_t k, int direction, double time, double resolution);
  // Latched results whose margins at the last evaluation lie past the band the other way
  // flip. True if any did.
  bool settle();

  static constexpr double kFirstBand = 1e-6, kWidestBand = 1e-3;  // relative to the larger operand
  static constexpr int kQuietFlips = 3;  // quick flips in a row that are not yet chatter

 private:
  enum class Op : std::uint8_t { Const, Probe, Time, Temper, Neg, Not, Add, Sub, Mul, Div, Mod, Pow, Lt, Le, Gt, Ge,
                                 Eq, Ne, And, Or, Select, Call, AddK, SubK, MulK, DivK, PowK, RSubK, RDivK, RPowK };
  struct Instr {
    Op op;
    double value = 0;   // Const, and the constant operand of AddK .. RPowK
    int index = 0;      // Probe: probe number; Call: builtin id; Lt..Ge: comparison number
    int args = 0;       // Call: argument count
  };
  // evaluate with the probe count known at compile time (kAnyProbes: at run time), so that the
  // gradient loops of the usual one to four probes unroll instead of calling memset and memmove.
  static constexpr std::size_t kAnyProbes = ~std::size_t{0};
  template <std::size_t Probes>
  double run(std::span<const double> x, double time, double temperatureC, std::span<double> gradient,
             bool latched) const;
  void emit(const expr::Node& n);
  bool fuseConstant(Op op, std::size_t lhs, std::size_t rhs);
  int probe(ProbeRef::Kind kind, const std::string& name);

  std::vector<Instr> code_;
  std::vector<ProbeRef> probes_;
  std::vector<char> strict_;    // per comparison: < or > (a zero margin does not hold)
  std::vector<char> latched_;   // per comparison: its latched result
  std::vector<double> band_;    // per comparison: relative band (0, or kFirstBand .. kWidestBand)
  std::vector<double> flipped_; // per comparison: time of its last flip (-inf: none yet)
  std::vector<int> quickFlips_; // per comparison: flips in a row within 1/10 of the resolution
  // Scratch of evaluate (which is logically const: roots are computed from const devices).
  mutable std::vector<double> values_;   // stack of values
  mutable std::vector<double> grads_;    // stack of gradients, probes_.size() each
  mutable std::vector<double> margins_;  // per comparison, from the last evaluation
  mutable std::vector<double> scales_;   // per comparison: max(|a|, |b|) at the last evaluation
};

}  // namespace memspice::engine
