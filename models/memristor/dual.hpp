#pragma once
// A forward-mode dual number with N partial derivatives, for compact models whose Jacobians
// are tedious by hand (the Stanford/PKU gap model's self-heating feeds the current back into
// the rate). Only the operations the models use.
#include <array>
#include <cmath>

namespace memspice::models {

template <std::size_t N>
struct Dual {
  double v = 0;
  std::array<double, N> d{};

  Dual() = default;
  Dual(double value) : v(value) {}  // NOLINT: constants mix freely with duals
  static Dual variable(double value, std::size_t k) {
    Dual x(value);
    x.d[k] = 1;
    return x;
  }
  // f(v) with derivative df at v, by the chain rule.
  Dual chain(double f, double df) const {
    Dual r(f);
    for (std::size_t k = 0; k < N; ++k) r.d[k] = df * d[k];
    return r;
  }
};

template <std::size_t N> Dual<N> operator+(Dual<N> a, const Dual<N>& b) {
  a.v += b.v;
  for (std::size_t k = 0; k < N; ++k) a.d[k] += b.d[k];
  return a;
}
template <std::size_t N> Dual<N> operator-(Dual<N> a, const Dual<N>& b) {
  a.v -= b.v;
  for (std::size_t k = 0; k < N; ++k) a.d[k] -= b.d[k];
  return a;
}
template <std::size_t N> Dual<N> operator-(const Dual<N>& a) { return Dual<N>(0) - a; }
template <std::size_t N> Dual<N> operator*(const Dual<N>& a, const Dual<N>& b) {
  Dual<N> r(a.v * b.v);
  for (std::size_t k = 0; k < N; ++k) r.d[k] = a.d[k] * b.v + a.v * b.d[k];
  return r;
}
template <std::size_t N> Dual<N> operator/(const Dual<N>& a, const Dual<N>& b) {
  Dual<N> r(a.v / b.v);
  for (std::size_t k = 0; k < N; ++k) r.d[k] = (a.d[k] - r.v * b.d[k]) / b.v;
  return r;
}
template <std::size_t N> Dual<N> operator+(Dual<N> a, double b) { return a + Dual<N>(b); }
template <std::size_t N> Dual<N> operator-(Dual<N> a, double b) { return a - Dual<N>(b); }
template <std::size_t N> Dual<N> operator*(const Dual<N>& a, double b) { return a * Dual<N>(b); }
template <std::size_t N> Dual<N> operator/(const Dual<N>& a, double b) { return a / Dual<N>(b); }
template <std::size_t N> Dual<N> operator+(double a, const Dual<N>& b) { return Dual<N>(a) + b; }
template <std::size_t N> Dual<N> operator-(double a, const Dual<N>& b) { return Dual<N>(a) - b; }
template <std::size_t N> Dual<N> operator*(double a, const Dual<N>& b) { return Dual<N>(a) * b; }
template <std::size_t N> Dual<N> operator/(double a, const Dual<N>& b) { return Dual<N>(a) / b; }

template <std::size_t N> Dual<N> exp(const Dual<N>& a) {
  double e = std::exp(a.v);
  return a.chain(e, e);
}
template <std::size_t N> Dual<N> log1p(const Dual<N>& a) { return a.chain(std::log1p(a.v), 1 / (1 + a.v)); }

}  // namespace memspice::models
