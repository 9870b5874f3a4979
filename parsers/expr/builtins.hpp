#pragma once
// Built-in functions and constants of the expression language (ngspice semantics:
// log = ln, pwr(x,y) = |x|^y, limit(x,a,b) clamps, sgn(0) = 0, int truncates, nint rounds).
#include <optional>
#include <span>
#include <string>

namespace memspice::expr {

struct Builtin {
  const char* name;
  int minArgs;
  int maxArgs;  // -1: any number >= minArgs
  double (*fn)(std::span<const double>);
};

const Builtin* findBuiltin(const std::string& name);
std::optional<double> builtinConstant(const std::string& name);
// Names of all builtins, for docs and error hints.
std::string builtinNames();

}  // namespace memspice::expr
