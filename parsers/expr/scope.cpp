#include "expr/scope.hpp"

namespace memspice::expr {

void Scope::define(const std::string& name, NodePtr value, SourceLoc loc, const Scope* evalScope) {
  params_[name] = Param{std::move(value), evalScope ? evalScope : this, loc, std::nullopt, false, this};
}

void Scope::set(const std::string& name, double value) {
  Param p;
  p.evalScope = this;
  p.value = value;
  p.owner = this;
  params_[name] = std::move(p);
}

Scope::Param* Scope::findParam(const std::string& name) const {
  for (const Scope* s = this; s; s = s->parent_) {
    auto it = s->params_.find(name);
    if (it != s->params_.end()) return &it->second;
  }
  return nullptr;
}

const UserFunc* Scope::findFunc(const std::string& name) const {
  for (const Scope* s = this; s; s = s->parent_) {
    auto it = s->funcs_.find(name);
    if (it != s->funcs_.end()) return &it->second;
  }
  return nullptr;
}

}  // namespace memspice::expr
