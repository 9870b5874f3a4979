#include "expr/builtins.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace memspice::expr {

namespace {

using A = std::span<const double>;

const Builtin kBuiltins[] = {
    {"sqrt", 1, 1, [](A a) { return std::sqrt(a[0]); }},
    {"exp", 1, 1, [](A a) { return std::exp(a[0]); }},
    {"log", 1, 1, [](A a) { return std::log(a[0]); }},
    {"ln", 1, 1, [](A a) { return std::log(a[0]); }},
    {"log10", 1, 1, [](A a) { return std::log10(a[0]); }},
    {"abs", 1, 1, [](A a) { return std::fabs(a[0]); }},
    {"min", 2, -1, [](A a) { return *std::min_element(a.begin(), a.end()); }},
    {"max", 2, -1, [](A a) { return *std::max_element(a.begin(), a.end()); }},
    {"pow", 2, 2, [](A a) { return std::pow(a[0], a[1]); }},
    {"pwr", 2, 2, [](A a) { return std::pow(std::fabs(a[0]), a[1]); }},
    {"sgn", 1, 1, [](A a) { return a[0] > 0 ? 1.0 : a[0] < 0 ? -1.0 : 0.0; }},
    {"sign", 2, 2, [](A a) { return std::copysign(std::fabs(a[0]), a[1]); }},
    {"floor", 1, 1, [](A a) { return std::floor(a[0]); }},
    {"ceil", 1, 1, [](A a) { return std::ceil(a[0]); }},
    {"int", 1, 1, [](A a) { return std::trunc(a[0]); }},
    {"nint", 1, 1, [](A a) { return std::round(a[0]); }},
    {"sin", 1, 1, [](A a) { return std::sin(a[0]); }},
    {"cos", 1, 1, [](A a) { return std::cos(a[0]); }},
    {"tan", 1, 1, [](A a) { return std::tan(a[0]); }},
    {"asin", 1, 1, [](A a) { return std::asin(a[0]); }},
    {"acos", 1, 1, [](A a) { return std::acos(a[0]); }},
    {"atan", 1, 1, [](A a) { return std::atan(a[0]); }},
    {"atan2", 2, 2, [](A a) { return std::atan2(a[0], a[1]); }},
    {"sinh", 1, 1, [](A a) { return std::sinh(a[0]); }},
    {"cosh", 1, 1, [](A a) { return std::cosh(a[0]); }},
    {"tanh", 1, 1, [](A a) { return std::tanh(a[0]); }},
    {"hypot", 2, 2, [](A a) { return std::hypot(a[0], a[1]); }},
    {"limit", 3, 3, [](A a) { return std::clamp(a[0], std::min(a[1], a[2]), std::max(a[1], a[2])); }},
};

}  // namespace

const Builtin* findBuiltin(const std::string& name) {
  for (const Builtin& b : kBuiltins)
    if (name == b.name) return &b;
  return nullptr;
}

std::optional<double> builtinConstant(const std::string& name) {
  if (name == "pi") return std::numbers::pi;
  if (name == "e") return std::numbers::e;
  return std::nullopt;
}

std::string builtinNames() {
  std::string out;
  for (const Builtin& b : kBuiltins) out += (out.empty() ? "" : " ") + std::string(b.name);
  return out;
}

}  // namespace memspice::expr
