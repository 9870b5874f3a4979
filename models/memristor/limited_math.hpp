#pragma once
// exp, sinh and cosh continued linearly beyond |argument| = 60, so that a Newton iterate far
// from the solution gives a large but finite current instead of inf (SPICE does the same for
// junction exponentials). Used by the compact models whose currents grow exponentially.
#include <cmath>

namespace memspice::models::limited {

constexpr double kMaxArg = 60;

inline double sinh(double u) {
  if (std::fabs(u) <= kMaxArg) return std::sinh(u);
  return std::copysign(std::sinh(kMaxArg) + std::cosh(kMaxArg) * (std::fabs(u) - kMaxArg), u);
}
// The derivative of limited::sinh.
inline double cosh(double u) { return std::fabs(u) <= kMaxArg ? std::cosh(u) : std::cosh(kMaxArg); }
inline double exp(double z) { return z <= kMaxArg ? std::exp(z) : std::exp(kMaxArg) * (1 + z - kMaxArg); }
// The derivative of limited::exp.
inline double expDeriv(double z) { return z <= kMaxArg ? std::exp(z) : std::exp(kMaxArg); }

}  // namespace memspice::models::limited
