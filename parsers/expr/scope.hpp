#pragma once
// Scope: parameters and user functions visible at one level of the hierarchy. Parameters are
// stored as expressions and evaluated on first use, in the scope they were written for, so
// definition order does not matter and `.param a={b} b={a}` is reported as a cycle.
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "expr/expr.hpp"

namespace memspice::expr {

class Scope;

struct UserFunc {
  std::vector<std::string> args;
  NodePtr body;
  const Scope* scope;  // where the body's free names are looked up
  SourceLoc loc;
};

class Scope {
 public:
  explicit Scope(const Scope* parent = nullptr) : parent_(parent) {}
  Scope(const Scope&) = delete;
  Scope& operator=(const Scope&) = delete;

  // Defines (or redefines) `name` as `value`, to be evaluated in `evalScope` (default: here).
  void define(const std::string& name, NodePtr value, SourceLoc loc, const Scope* evalScope = nullptr);
  // Fixes `name` to a number (sweeps and overrides); wins over any expression.
  void set(const std::string& name, double value);
  void defineFunc(const std::string& name, UserFunc func) { funcs_[name] = std::move(func); }

  bool definesHere(const std::string& name) const { return params_.count(name) != 0; }
  const Scope* parent() const { return parent_; }
  // Names this scope for random draws (a subcircuit instance's path, "x1.x2"): every instance
  // draws its own values, the same ones in every run with the same seed.
  void setRandomKey(std::string key) { randomKey_ = std::move(key); }
  const std::string& randomKey() const { return randomKey_; }

  struct Param {
    NodePtr expr;
    const Scope* evalScope;
    SourceLoc loc;
    std::optional<double> value;
    bool evaluating = false;
    const Scope* owner = nullptr;  // the scope that defines it
  };
  // The nearest definition of `name` along the parent chain, or nullptr.
  Param* findParam(const std::string& name) const;
  const UserFunc* findFunc(const std::string& name) const;

 private:
  const Scope* parent_;
  std::string randomKey_;
  mutable std::unordered_map<std::string, Param> params_;
  std::unordered_map<std::string, UserFunc> funcs_;
};

}  // namespace memspice::expr
