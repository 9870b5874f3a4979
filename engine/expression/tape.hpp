#pragma once
// Tape: a bound expression tree (parameters folded, v()/i() naming flat nodes and devices)
// compiled to postfix operations, evaluated with forward-mode derivatives with respect to
// its probes. Used by behavioural sources (value and Jacobian) and by output expressions.
//   compile: each distinct v(node) and i(device) becomes a probe, numbered in first-use order;
//            v(a, b) is two probes.
//   evaluate: probe values in, value and d value / d probe out. No allocation after compile.
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
  // value; gradient (size probes()) is overwritten.
  double evaluate(std::span<const double> probeValues, double time, double temperatureC, std::span<double> gradient);

 private:
  enum class Op : std::uint8_t { Const, Probe, Time, Temper, Neg, Not, Add, Sub, Mul, Div, Mod, Pow, Lt, Le, Gt, Ge,
                                 Eq, Ne, And, Or, Select, Call };
  struct Instr {
    Op op;
    double value = 0;   // Const
    int index = 0;      // Probe: probe number; Call: builtin id
    int args = 0;       // Call: argument count
  };
  void emit(const expr::Node& n);
  int probe(ProbeRef::Kind kind, const std::string& name);

  std::vector<Instr> code_;
  std::vector<ProbeRef> probes_;
  std::vector<double> values_;  // stack of values
  std::vector<double> grads_;   // stack of gradients, probes_.size() each
};

}  // namespace memspice::engine
