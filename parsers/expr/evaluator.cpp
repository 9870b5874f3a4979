#include "expr/evaluator.hpp"

#include <cmath>
#include <fmt/format.h>
#include <vector>

#include "expr/builtins.hpp"
#include "expr/counter_rng.hpp"

namespace memspice::expr {

namespace {
constexpr int kMaxDepth = 200;        // user-function nesting; deeper means runaway recursion
constexpr int kMaxParamChain = 500;  // a longer chain is refused (safe even in sanitizer builds)

bool isSimulationName(const std::string& n) { return n == "time" || n == "temper" || n == "hertz"; }
}  // namespace

std::optional<double> Evaluator::evaluate(const Node& node, const Scope& scope) {
  return eval(node, scope, nullptr);
}

std::optional<double> Evaluator::param(const std::string& name, const Scope& scope, SourceLoc use) {
  Scope::Param* p = scope.findParam(name);
  if (!p) return std::nullopt;
  return evalParam(*p, name, use);
}

std::optional<double> Evaluator::finite(double v, const Node& node, const char* what) {
  if (std::isfinite(v)) return v;
  diags_.error(node.loc, fmt::format("{} gives {}", what, std::isnan(v) ? "an undefined result (nan)" : "infinity"));
  return std::nullopt;
}

std::optional<double> Evaluator::evalParam(Scope::Param& p, const std::string& name, SourceLoc use) {
  if (p.value) return p.value;
  if (p.evaluating) {
    diags_.error(use, fmt::format("parameter '{}' depends on itself", name));
    return std::nullopt;
  }
  if (paramDepth_ >= kMaxParamChain) {
    diags_.error(use, fmt::format("parameter '{}' is defined through more than {} other parameters", name,
                                  kMaxParamChain));
    return std::nullopt;
  }
  p.evaluating = true;
  ++paramDepth_;
  drawKeys_.push_back((p.owner ? p.owner->randomKey() : std::string()) + "/" + name);
  auto v = eval(*p.expr, *p.evalScope, nullptr);
  drawKeys_.pop_back();
  --paramDepth_;
  p.evaluating = false;
  p.value = v;
  if (!v) p.value = std::nullopt;
  return v;
}

bool Evaluator::checkArity(const Node& node, int minArgs, int maxArgs) {
  int n = static_cast<int>(node.args.size());
  if (n >= minArgs && (maxArgs < 0 || n <= maxArgs)) return true;
  std::string expected = maxArgs < 0 ? fmt::format("at least {}", minArgs)
                         : minArgs == maxArgs ? std::to_string(minArgs)
                                              : fmt::format("{} to {}", minArgs, maxArgs);
  diags_.error(node.loc, fmt::format("function '{}' takes {} argument{}, got {}", node.text, expected,
                                     (maxArgs == 1 && minArgs == 1) ? "" : "s", n));
  return false;
}

std::optional<double> Evaluator::eval(const Node& n, const Scope& scope, const Args* args) {
  using K = Node::Kind;
  switch (n.kind) {
    case K::Number: return n.value;
    case K::String:
      diags_.error(n.loc, fmt::format("expected a number, found the string \"{}\"", n.text));
      return std::nullopt;
    case K::Name: {
      if (args) {
        auto it = args->find(n.text);
        if (it != args->end()) return eval(*it->second, scope, nullptr);
      }
      if (Scope::Param* p = scope.findParam(n.text)) return evalParam(*p, n.text, n.loc);
      if (auto c = builtinConstant(n.text)) return c;
      if (isSimulationName(n.text))
        diags_.error(n.loc, fmt::format("'{}' is only defined while simulating (use it in a B source)", n.text));
      else
        diags_.error(n.loc, fmt::format("undefined parameter '{}'", n.text));
      return std::nullopt;
    }
    case K::Voltage:
    case K::Current:
      diags_.error(n.loc, fmt::format("'{}' is a circuit quantity; it is allowed only in B sources, "
                                      "value= sources and output expressions", toString(n)));
      return std::nullopt;
    case K::Unary: {
      auto a = eval(*n.args[0], scope, args);
      if (!a) return std::nullopt;
      switch (n.op) {
        case Op::Neg: return -*a;
        case Op::Not: return *a == 0 ? 1.0 : 0.0;
        default: return *a;
      }
    }
    case K::Ternary: {
      auto c = eval(*n.args[0], scope, args);
      if (!c) return std::nullopt;
      return eval(*n.args[*c != 0 ? 1 : 2], scope, args);
    }
    case K::Binary: {
      auto a = eval(*n.args[0], scope, args);
      if (!a) return std::nullopt;
      // && and || short-circuit, as in C.
      if (n.op == Op::And && *a == 0) return 0.0;
      if (n.op == Op::Or && *a != 0) return 1.0;
      auto b = eval(*n.args[1], scope, args);
      if (!b) return std::nullopt;
      double x = *a, y = *b;
      switch (n.op) {
        case Op::Add: return finite(x + y, n, "'+'");
        case Op::Sub: return finite(x - y, n, "'-'");
        case Op::Mul: return finite(x * y, n, "'*'");
        case Op::Div:
          if (y == 0) {
            diags_.error(n.loc, "division by zero");
            return std::nullopt;
          }
          return finite(x / y, n, "'/'");
        case Op::Mod:
          if (y == 0) {
            diags_.error(n.loc, "modulo by zero");
            return std::nullopt;
          }
          return std::fmod(x, y);
        case Op::Pow: return finite(std::pow(x, y), n, "'^'");
        case Op::Lt: return x < y ? 1.0 : 0.0;
        case Op::Le: return x <= y ? 1.0 : 0.0;
        case Op::Gt: return x > y ? 1.0 : 0.0;
        case Op::Ge: return x >= y ? 1.0 : 0.0;
        case Op::Eq: return x == y ? 1.0 : 0.0;
        case Op::Ne: return x != y ? 1.0 : 0.0;
        case Op::And: return y != 0 ? 1.0 : 0.0;
        case Op::Or: return y != 0 ? 1.0 : 0.0;
        default: return std::nullopt;
      }
    }
    case K::Call: return evalCall(n, scope, args);
  }
  return std::nullopt;
}

void Evaluator::unknownFunction(const Node& n) {
  // if(c, a, b) becomes the conditional when parsed; any other arity lands here.
  if (n.text == "if")
    diags_.error(n.loc, fmt::format("'if' takes 3 arguments (condition, value if true, value if false), got {}",
                                    n.args.size()));
  else
    diags_.error(n.loc, fmt::format("unknown function '{}'", n.text));
}

std::optional<double> Evaluator::evalCall(const Node& n, const Scope& scope, const Args* args) {
  if (const UserFunc* f = scope.findFunc(n.text)) {
    if (!checkArity(n, static_cast<int>(f->args.size()), static_cast<int>(f->args.size()))) return std::nullopt;
    if (depth_ >= kMaxDepth) {
      diags_.error(n.loc, fmt::format("function '{}' calls itself without end", n.text));
      return std::nullopt;
    }
    Args bound;
    for (std::size_t i = 0; i < f->args.size(); ++i) {
      auto v = eval(*n.args[i], scope, args);
      if (!v) return std::nullopt;
      bound[f->args[i]] = makeNumber(*v, n.args[i]->loc);
    }
    ++depth_;
    auto r = eval(*f->body, *f->scope, &bound);
    --depth_;
    return r;
  }
  if (isRandomFunction(n.text)) return evalRandom(n, scope, args);
  const Builtin* b = findBuiltin(n.text);
  if (!b) {
    unknownFunction(n);
    return std::nullopt;
  }
  if (!checkArity(n, b->minArgs, b->maxArgs)) return std::nullopt;
  std::vector<double> values;
  for (const NodePtr& a : n.args) {
    auto v = eval(*a, scope, args);
    if (!v) return std::nullopt;
    values.push_back(*v);
  }
  return finite(b->fn(values), n, fmt::format("'{}'", n.text).c_str());
}

bool isRandomFunction(const std::string& name) {
  return name == "agauss" || name == "gauss" || name == "aunif" || name == "unif";
}

std::optional<double> Evaluator::evalRandom(const Node& n, const Scope& scope, const Args* args) {
  bool gaussian = n.text == "agauss" || n.text == "gauss";
  if (!checkArity(n, 2, gaussian ? 3 : 2)) return std::nullopt;
  std::vector<double> v;
  for (const NodePtr& a : n.args) {
    auto x = eval(*a, scope, args);
    if (!x) return std::nullopt;
    v.push_back(*x);
  }
  double sigma = v.size() > 2 ? v[2] : 1.0;
  if (gaussian && !(sigma > 0)) {
    diags_.error(n.loc, fmt::format("'{}': the sigma count (third argument) must be positive", n.text));
    return std::nullopt;
  }
  if (!seedValue_) seedValue_ = seed_ ? seed_() : 1;
  const std::string& owner = drawKeys_.empty() ? scope.randomKey() : drawKeys_.back();
  std::uint64_t key = rng::key(*seedValue_, owner);
  key = rng::mix(key ^ (static_cast<std::uint64_t>(n.loc.file) << 48 ^ static_cast<std::uint64_t>(n.loc.line) << 20 ^
                        static_cast<std::uint64_t>(n.loc.col)));
  double u1 = rng::unit(rng::mix(key)), u2 = rng::unit(rng::mix(key + 1));
  double spread = n.text == "agauss" || n.text == "aunif" ? v[1] : v[0] * v[1];
  double x = gaussian ? v[0] + spread / sigma * std::sqrt(-2 * std::log(u1)) * std::cos(2 * M_PI * u2)
                      : v[0] + spread * (2 * u1 - 1);
  return finite(x, n, fmt::format("'{}'", n.text).c_str());
}

NodePtr Evaluator::bind(const Node& node, const Scope& scope, const CircuitNames& names) {
  NodePtr bound = bindNode(node, scope, names, nullptr);
  // Nested user functions share subtrees: small in memory, but exponential as a tree.
  constexpr std::uint64_t kMaxBoundSize = 1'000'000;
  if (bound && (bound->size > kMaxBoundSize || bound->depth > 4 * kMaxExpressionDepth)) {
    diags_.error(node.loc, "expression too large after expanding its functions (over a million terms)");
    return nullptr;
  }
  return bound;
}

NodePtr Evaluator::bindNode(const Node& n, const Scope& scope, const CircuitNames& names, const Args* args) {
  using K = Node::Kind;
  auto isNumber = [](const NodePtr& p) { return p && p->kind == K::Number; };
  switch (n.kind) {
    case K::Number: return makeNumber(n.value, n.loc);
    case K::String: {
      diags_.error(n.loc, fmt::format("expected a number, found the string \"{}\"", n.text));
      return nullptr;
    }
    case K::Name: {
      if (args) {
        auto it = args->find(n.text);
        if (it != args->end()) return it->second;
      }
      if (names.symbolic && names.symbolic(n.text)) return makeName(n.text, n.loc);
      if (isSimulationName(n.text) && !scope.findParam(n.text)) return makeName(n.text, n.loc);
      auto v = eval(n, scope, nullptr);
      return v ? makeNumber(*v, n.loc) : nullptr;
    }
    case K::Voltage: {
      auto a = names.node(n.text, n.loc);
      if (!a) return nullptr;
      std::string b;
      if (!n.text2.empty()) {
        auto r = names.node(n.text2, n.loc);
        if (!r) return nullptr;
        b = *r;
      }
      return makeVoltage(*a, b, n.loc);
    }
    case K::Current: {
      auto d = names.device(n.text, n.loc);
      return d ? makeCurrent(*d, n.loc) : nullptr;
    }
    case K::Call:
      if (const UserFunc* f = scope.findFunc(n.text)) {
        if (!checkArity(n, static_cast<int>(f->args.size()), static_cast<int>(f->args.size()))) return nullptr;
        if (depth_ >= kMaxDepth) {
          diags_.error(n.loc, fmt::format("function '{}' calls itself without end", n.text));
          return nullptr;
        }
        Args bound;
        for (std::size_t i = 0; i < f->args.size(); ++i) {
          NodePtr a = bindNode(*n.args[i], scope, names, args);
          if (!a) return nullptr;
          bound[f->args[i]] = a;
        }
        ++depth_;
        NodePtr r = bindNode(*f->body, *f->scope, names, &bound);
        --depth_;
        return r;
      } else if (isRandomFunction(n.text)) {
        // A draw is a constant of the instance: its arguments must be constants too.
        auto v = eval(n, scope, args);
        return v ? makeNumber(*v, n.loc) : nullptr;
      } else {
        const Builtin* b = findBuiltin(n.text);
        if (!b) {
          unknownFunction(n);
          return nullptr;
        }
        if (!checkArity(n, b->minArgs, b->maxArgs)) return nullptr;
      }
      [[fallthrough]];
    default: {
      std::vector<NodePtr> parts;
      bool constant = true;
      for (const NodePtr& a : n.args) {
        NodePtr p = bindNode(*a, scope, names, args);
        if (!p) return nullptr;
        constant = constant && isNumber(p);
        parts.push_back(std::move(p));
      }
      NodePtr out = makeNode(Node{n.kind, 0, n.op, n.text, n.text2, parts, n.loc});
      if (!constant) return out;
      auto v = eval(*out, scope, nullptr);
      return v ? makeNumber(*v, n.loc) : nullptr;
    }
  }
}

}  // namespace memspice::expr
