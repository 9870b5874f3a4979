#pragma once
// Evaluator: numbers from expression trees in a Scope, with every failure reported at the
// node that caused it (undefined parameter, unknown function, wrong argument count, division
// by zero, domain error, parameter cycle). It never returns a NaN or infinity.
//
// bind() is for expressions that run inside the simulation (B sources): parameters and user
// functions are substituted and constants folded, while v(), i(), time and temper stay
// symbolic, with node and device names mapped through a CircuitNames resolver.
#include <functional>
#include <optional>
#include <string>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "expr/scope.hpp"
#include "source/diagnostics.hpp"

namespace memspice::expr {

struct CircuitNames {
  // Map a node / device name as written to its flat name; nullopt if it does not exist
  // (the resolver reports the error).
  std::function<std::optional<std::string>(const std::string&, SourceLoc)> node;
  std::function<std::optional<std::string>(const std::string&, SourceLoc)> device;
  // Names that stay symbolic instead of being looked up as parameters (.measure results).
  std::function<bool(const std::string&)> symbolic;
};

class Evaluator {
 public:
  explicit Evaluator(Diagnostics& diags) : diags_(diags) {}

  std::optional<double> evaluate(const Node& node, const Scope& scope);
  // The seed of agauss/gauss/aunif/unif, asked for at the first draw (default 1).
  void setSeed(std::function<std::uint64_t()> seed) { seed_ = std::move(seed); }
  NodePtr bind(const Node& node, const Scope& scope, const CircuitNames& names);
  // Value of parameter `name` as seen from `scope` (nullopt and no message if undefined).
  std::optional<double> param(const std::string& name, const Scope& scope, SourceLoc use);

 private:
  using Args = std::unordered_map<std::string, NodePtr>;
  std::optional<double> eval(const Node& node, const Scope& scope, const Args* args);
  std::optional<double> evalParam(Scope::Param& p, const std::string& name, SourceLoc use);
  void unknownFunction(const Node& n);
  std::optional<double> evalCall(const Node& node, const Scope& scope, const Args* args);
  NodePtr bindNode(const Node& node, const Scope& scope, const CircuitNames& names, const Args* args);
  bool checkArity(const Node& node, int minArgs, int maxArgs);
  std::optional<double> finite(double v, const Node& node, const char* what);
  // agauss(nom, abs, sigma), gauss(nom, rel, sigma), aunif(nom, abs), unif(nom, rel): a draw
  // keyed by (seed, the parameter or scope being evaluated, the call's place in the deck).
  std::optional<double> evalRandom(const Node& node, const Scope& scope, const Args* args);

  Diagnostics& diags_;
  int depth_ = 0;       // user-function calls in progress
  int paramDepth_ = 0;  // parameter evaluations in progress
  std::function<std::uint64_t()> seed_;
  std::optional<std::uint64_t> seedValue_;
  std::vector<std::string> drawKeys_;  // owner scope key + name of the parameters being evaluated
};

// True for the random functions (agauss gauss aunif unif).
bool isRandomFunction(const std::string& name);

}  // namespace memspice::expr
