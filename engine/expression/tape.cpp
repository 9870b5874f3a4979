#include "expression/tape.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <fmt/format.h>

namespace memspice::engine {

namespace {

enum Fn { Sqrt, Exp, Log, Log10, Abs, Min, Max, Pow, Pwr, Sgn, Sign, Floor, Ceil, Int, Nint, Sin, Cos, Tan, Asin,
          Acos, Atan, Atan2, Sinh, Cosh, Tanh, Hypot, Limit };

int builtinId(const std::string& name) {
  static const std::pair<const char*, Fn> table[] = {
      {"sqrt", Sqrt}, {"exp", Exp},     {"log", Log},     {"ln", Log},     {"log10", Log10}, {"abs", Abs},
      {"min", Min},   {"max", Max},     {"pow", Pow},     {"pwr", Pwr},    {"sgn", Sgn},     {"sign", Sign},
      {"floor", Floor}, {"ceil", Ceil}, {"int", Int},     {"nint", Nint},  {"sin", Sin},     {"cos", Cos},
      {"tan", Tan},   {"asin", Asin},   {"acos", Acos},   {"atan", Atan},  {"atan2", Atan2}, {"sinh", Sinh},
      {"cosh", Cosh}, {"tanh", Tanh},   {"hypot", Hypot}, {"limit", Limit}};
  for (auto& [n, f] : table)
    if (name == n) return f;
  return -1;
}

}  // namespace

Tape::Tape(const expr::Node& root) {
  emit(root);
  // The stack never needs more slots than instructions.
  values_.resize(code_.size() + 1);
  grads_.resize((code_.size() + 1) * probes_.size());
  margins_.assign(strict_.size(), 0.0);
  scales_.assign(strict_.size(), 0.0);
  latched_.assign(strict_.size(), 0);
  band_.assign(strict_.size(), 0.0);
  flipped_.assign(strict_.size(), -std::numeric_limits<double>::infinity());
  quickFlips_.assign(strict_.size(), 0);
}

void Tape::latch() {
  for (std::size_t k = 0; k < margins_.size(); ++k) latched_[k] = strict_[k] ? margins_[k] > 0 : margins_[k] >= 0;
  std::fill(band_.begin(), band_.end(), 0.0);
  std::fill(flipped_.begin(), flipped_.end(), -std::numeric_limits<double>::infinity());
  std::fill(quickFlips_.begin(), quickFlips_.end(), 0);
}

void Tape::roots(std::span<double> g) const {
  for (std::size_t k = 0; k < margins_.size(); ++k) {
    double band = band_[k] * scales_[k] + std::numeric_limits<double>::min();
    g[k] = latched_[k] ? margins_[k] + band : margins_[k] - band;
  }
}

bool Tape::settle() {
  bool changed = false;
  for (std::size_t k = 0; k < margins_.size(); ++k) {
    double band = band_[k] * scales_[k];
    char next = latched_[k] ? margins_[k] >= -band : margins_[k] > band;
    changed = changed || next != latched_[k];
    latched_[k] = next;
  }
  return changed;
}

bool Tape::cross(std::size_t k, int direction, double time, double resolution) {
  char next = direction > 0;
  if (k >= latched_.size() || direction == 0 || latched_[k] == next) return false;
  latched_[k] = next;
  double since = time - flipped_[k];
  flipped_[k] = time;
  if (since > resolution) {
    quickFlips_[k] = 0;
    band_[k] = 0;
  } else if (since < 0.1 * resolution && ++quickFlips_[k] > kQuietFlips) {
    band_[k] = band_[k] == 0 ? kFirstBand : std::min(10 * band_[k], kWidestBand);
  }
  return true;
}

int Tape::probe(ProbeRef::Kind kind, const std::string& name) {
  for (std::size_t i = 0; i < probes_.size(); ++i)
    if (probes_[i].kind == kind && probes_[i].name == name) return static_cast<int>(i);
  probes_.push_back({kind, name});
  return static_cast<int>(probes_.size() - 1);
}

void Tape::emit(const expr::Node& n) {
  using K = expr::Node::Kind;
  switch (n.kind) {
    case K::Number: code_.push_back({Op::Const, n.value}); return;
    case K::String: throw std::runtime_error(fmt::format("a string (\"{}\") cannot be evaluated", n.text));
    case K::Name:
      if (n.text == "time") code_.push_back({Op::Time});
      else if (n.text == "temper") code_.push_back({Op::Temper});
      else throw std::runtime_error(fmt::format("'{}' has no value while simulating", n.text));
      return;
    case K::Voltage:
      code_.push_back({Op::Probe, 0, probe(ProbeRef::Kind::Node, n.text)});
      if (!n.text2.empty()) {
        code_.push_back({Op::Probe, 0, probe(ProbeRef::Kind::Node, n.text2)});
        code_.push_back({Op::Sub});
      }
      return;
    case K::Current: code_.push_back({Op::Probe, 0, probe(ProbeRef::Kind::Current, n.text)}); return;
    case K::Unary:
      emit(*n.args[0]);
      if (n.op == expr::Op::Neg) code_.push_back({Op::Neg});
      else if (n.op == expr::Op::Not) code_.push_back({Op::Not});
      return;
    case K::Ternary:
      for (const auto& a : n.args) emit(*a);
      code_.push_back({Op::Select});
      return;
    case K::Binary: {
      const std::size_t lhs = code_.size();
      emit(*n.args[0]);
      const std::size_t rhs = code_.size();
      emit(*n.args[1]);
      static const std::pair<expr::Op, Op> map[] = {
          {expr::Op::Add, Op::Add}, {expr::Op::Sub, Op::Sub}, {expr::Op::Mul, Op::Mul}, {expr::Op::Div, Op::Div},
          {expr::Op::Mod, Op::Mod}, {expr::Op::Pow, Op::Pow}, {expr::Op::Lt, Op::Lt},   {expr::Op::Le, Op::Le},
          {expr::Op::Gt, Op::Gt},   {expr::Op::Ge, Op::Ge},   {expr::Op::Eq, Op::Eq},   {expr::Op::Ne, Op::Ne},
          {expr::Op::And, Op::And}, {expr::Op::Or, Op::Or}};
      Op op = Op::Const;
      for (auto& [from, to] : map)
        if (from == n.op) op = to;
      if (fuseConstant(op, lhs, rhs)) return;
      code_.push_back({op});
      if (op == Op::Lt || op == Op::Le || op == Op::Gt || op == Op::Ge) {
        code_.back().index = static_cast<int>(strict_.size());
        strict_.push_back(op == Op::Lt || op == Op::Gt);
      }
      return;
    }
    case K::Call: {
      int id = builtinId(n.text);
      if (id < 0) throw std::runtime_error(fmt::format("unknown function '{}'", n.text));
      for (const auto& a : n.args) emit(*a);
      code_.push_back({Op::Call, 0, id, static_cast<int>(n.args.size())});
      return;
    }
  }
}

// Arithmetic with a constant operand is one instruction that carries the constant (the
// constant's zero gradient is never pushed nor combined): x + k, k + x, x - k, x * k, k * x,
// x / k, x ^ k become AddK, SubK, MulK, DivK, PowK; k - x, k / x, k ^ x become RSubK, RDivK,
// RPowK. Both constant: one constant. The operands' code is code_[lhs, rhs) and [rhs, end).
bool Tape::fuseConstant(Op op, std::size_t lhs, std::size_t rhs) {
  if (op != Op::Add && op != Op::Sub && op != Op::Mul && op != Op::Div && op != Op::Pow) return false;
  const bool constA = rhs == lhs + 1 && code_[lhs].op == Op::Const;
  const bool constB = code_.size() == rhs + 1 && code_[rhs].op == Op::Const;
  if (!constA && !constB) return false;
  if (constA && constB) {
    const double a = code_[lhs].value, b = code_[rhs].value;
    code_.pop_back();
    code_.back().value = op == Op::Add   ? a + b
                         : op == Op::Sub ? a - b
                         : op == Op::Mul ? a * b
                         : op == Op::Div ? a / b
                                         : std::pow(a, b);
    return true;
  }
  if (constB) {
    const double k = code_.back().value;
    static constexpr std::pair<Op, Op> right[] = {
        {Op::Add, Op::AddK}, {Op::Sub, Op::SubK}, {Op::Mul, Op::MulK}, {Op::Div, Op::DivK}, {Op::Pow, Op::PowK}};
    for (auto [from, to] : right)
      if (from == op) code_.back() = {to, k};
    return true;
  }
  const double k = code_[lhs].value;
  code_.erase(code_.begin() + static_cast<std::ptrdiff_t>(lhs));
  static constexpr std::pair<Op, Op> left[] = {
      {Op::Add, Op::AddK}, {Op::Sub, Op::RSubK}, {Op::Mul, Op::MulK}, {Op::Div, Op::RDivK}, {Op::Pow, Op::RPowK}};
  for (auto [from, to] : left)
    if (from == op) code_.push_back({to, k});
  return true;
}

double Tape::evaluate(std::span<const double> x, double time, double temperatureC, std::span<double> gradient,
                      bool latched) const {
  switch (probes_.size()) {
    case 0: return run<0>(x, time, temperatureC, gradient, latched);
    case 1: return run<1>(x, time, temperatureC, gradient, latched);
    case 2: return run<2>(x, time, temperatureC, gradient, latched);
    case 3: return run<3>(x, time, temperatureC, gradient, latched);
    case 4: return run<4>(x, time, temperatureC, gradient, latched);
    default: return run<kAnyProbes>(x, time, temperatureC, gradient, latched);
  }
}

template <std::size_t Probes>
double Tape::run(std::span<const double> x, double time, double temperatureC, std::span<double> gradient,
                 bool latched) const {
  const std::size_t P = Probes == kAnyProbes ? probes_.size() : Probes;
  std::size_t sp = 0;  // next free slot
  auto g = [&](std::size_t slot) { return grads_.data() + slot * P; };
  auto pushConst = [&](double v) {
    values_[sp] = v;
    std::fill(g(sp), g(sp) + P, 0.0);
    ++sp;
  };
  // Combine the top two slots a, b into a: value r, gradient da * ga + db * gb.
  auto combine = [&](double r, double da, double db) {
    double* ga = g(sp - 2);
    const double* gb = g(sp - 1);
    for (std::size_t i = 0; i < P; ++i) ga[i] = da * ga[i] + db * gb[i];
    values_[sp - 2] = r;
    --sp;
  };
  auto unary = [&](double r, double d) {
    double* ga = g(sp - 1);
    for (std::size_t i = 0; i < P; ++i) ga[i] *= d;
    values_[sp - 1] = r;
  };
  for (const Instr& in : code_) {
    switch (in.op) {
      case Op::Const: pushConst(in.value); break;
      case Op::Time: pushConst(time); break;
      case Op::Temper: pushConst(temperatureC); break;
      case Op::Probe:
        pushConst(x[static_cast<std::size_t>(in.index)]);
        g(sp - 1)[in.index] = 1.0;
        break;
      case Op::Neg: unary(-values_[sp - 1], -1); break;
      case Op::AddK: values_[sp - 1] += in.value; break;
      case Op::SubK: values_[sp - 1] -= in.value; break;
      case Op::MulK: unary(values_[sp - 1] * in.value, in.value); break;
      case Op::DivK: unary(values_[sp - 1] / in.value, 1 / in.value); break;
      case Op::RSubK: unary(in.value - values_[sp - 1], -1); break;
      case Op::RDivK: {
        const double b = values_[sp - 1];
        unary(in.value / b, -in.value / (b * b));
        break;
      }
      case Op::PowK: {
        const double a = values_[sp - 1], b = in.value;
        unary(std::pow(a, b), a == 0 ? (b == 1 ? 1.0 : 0.0) : b * std::pow(a, b - 1));
        break;
      }
      case Op::RPowK: {
        const double a = in.value, r = std::pow(a, values_[sp - 1]);
        unary(r, a > 0 ? r * std::log(a) : 0.0);
        break;
      }
      case Op::Not: unary(values_[sp - 1] == 0 ? 1.0 : 0.0, 0); break;
      case Op::Select: {
        // cond, a, b -> chosen branch (value and gradient)
        double c = values_[sp - 3];
        std::size_t from = c != 0 ? sp - 2 : sp - 1;
        values_[sp - 3] = values_[from];
        std::copy(g(from), g(from) + P, g(sp - 3));
        sp -= 2;
        break;
      }
      case Op::Call: {
        std::size_t n = static_cast<std::size_t>(in.args);
        double* v = values_.data() + sp - n;
        auto one = [&](double r, double d) { unary(r, d); };
        switch (in.index) {
          case Sqrt: one(std::sqrt(v[0]), 0.5 / std::sqrt(v[0])); break;
          case Exp: {
            const double e = std::exp(v[0]);
            one(e, e);
            break;
          }
          case Log: one(std::log(v[0]), 1 / v[0]); break;
          case Log10: one(std::log10(v[0]), 1 / (v[0] * std::log(10.0))); break;
          case Abs: one(std::fabs(v[0]), v[0] >= 0 ? 1.0 : -1.0); break;
          case Sgn: one(v[0] > 0 ? 1.0 : v[0] < 0 ? -1.0 : 0.0, 0); break;
          case Floor: one(std::floor(v[0]), 0); break;
          case Ceil: one(std::ceil(v[0]), 0); break;
          case Int: one(std::trunc(v[0]), 0); break;
          case Nint: one(std::round(v[0]), 0); break;
          case Sin: one(std::sin(v[0]), std::cos(v[0])); break;
          case Cos: one(std::cos(v[0]), -std::sin(v[0])); break;
          case Tan: one(std::tan(v[0]), 1 / (std::cos(v[0]) * std::cos(v[0]))); break;
          case Asin: one(std::asin(v[0]), 1 / std::sqrt(1 - v[0] * v[0])); break;
          case Acos: one(std::acos(v[0]), -1 / std::sqrt(1 - v[0] * v[0])); break;
          case Atan: one(std::atan(v[0]), 1 / (1 + v[0] * v[0])); break;
          case Sinh: one(std::sinh(v[0]), std::cosh(v[0])); break;
          case Cosh: one(std::cosh(v[0]), std::sinh(v[0])); break;
          case Tanh: {
            const double th = std::tanh(v[0]);
            one(th, 1 - th * th);
            break;
          }
          case Pow:
          case Pwr: {
            double a = in.index == Pwr ? std::fabs(v[0]) : v[0], b = v[1];
            double sa = in.index == Pwr ? (v[0] >= 0 ? 1.0 : -1.0) : 1.0;
            double r = std::pow(a, b);
            double da = a == 0 ? (b == 1 ? 1.0 : 0.0) : b * std::pow(a, b - 1) * sa;
            double db = a > 0 ? r * std::log(a) : 0.0;
            combine(r, da, db);
            break;
          }
          case Sign: combine(std::copysign(std::fabs(v[0]), v[1]), std::copysign(1.0, v[0]) * std::copysign(1.0, v[1]), 0);
            break;
          case Atan2: {
            double d = v[0] * v[0] + v[1] * v[1];
            combine(std::atan2(v[0], v[1]), v[1] / d, -v[0] / d);
            break;
          }
          case Hypot: {
            double r = std::hypot(v[0], v[1]);
            combine(r, r > 0 ? v[0] / r : 0, r > 0 ? v[1] / r : 0);
            break;
          }
          case Min:
          case Max: {
            // Fold pairwise: keep the chosen argument's value and gradient.
            while (n > 1) {
              double a = values_[sp - 2], b = values_[sp - 1];
              bool takeA = in.index == Min ? a <= b : a >= b;
              combine(takeA ? a : b, takeA ? 1 : 0, takeA ? 0 : 1);
              --n;
            }
            break;
          }
          case Limit: {
            double x0 = v[0], lo = std::min(v[1], v[2]), hi = std::max(v[1], v[2]);
            std::size_t pick = x0 < lo ? (v[1] < v[2] ? 1 : 2) : x0 > hi ? (v[1] > v[2] ? 1 : 2) : 0;
            std::size_t base = sp - 3;
            values_[base] = values_[base + pick];
            std::copy(g(base + pick), g(base + pick) + P, g(base));
            sp -= 2;
            break;
          }
        }
        break;
      }
      default: {
        double a = values_[sp - 2], b = values_[sp - 1];
        switch (in.op) {
          case Op::Add: combine(a + b, 1, 1); break;
          case Op::Sub: combine(a - b, 1, -1); break;
          case Op::Mul: combine(a * b, b, a); break;
          case Op::Div: combine(a / b, 1 / b, -a / (b * b)); break;
          case Op::Mod: combine(std::fmod(a, b), 1, -std::trunc(a / b)); break;
          case Op::Pow: {
            double r = std::pow(a, b);
            combine(r, a == 0 ? (b == 1 ? 1.0 : 0.0) : b * std::pow(a, b - 1), a > 0 ? r * std::log(a) : 0.0);
            break;
          }
          case Op::Lt:
          case Op::Le:
          case Op::Gt:
          case Op::Ge: {
            auto k = static_cast<std::size_t>(in.index);
            margins_[k] = in.op == Op::Gt || in.op == Op::Ge ? a - b : b - a;
            scales_[k] = std::max(std::fabs(a), std::fabs(b));
            bool holds = latched                ? latched_[k] != 0
                         : in.op == Op::Lt ? a < b
                         : in.op == Op::Le ? a <= b
                         : in.op == Op::Gt ? a > b
                                           : a >= b;
            combine(holds, 0, 0);
            break;
          }
          case Op::Eq: combine(a == b, 0, 0); break;
          case Op::Ne: combine(a != b, 0, 0); break;
          case Op::And: combine(a != 0 && b != 0, 0, 0); break;
          case Op::Or: combine(a != 0 || b != 0, 0, 0); break;
          default: break;
        }
      }
    }
  }
  std::copy(g(0), g(0) + P, gradient.begin());
  return values_[0];
}

}  // namespace memspice::engine
