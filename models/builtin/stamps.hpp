#pragma once
// Stamp helpers shared by the built-in devices.
#include <vector>

#include "device/device.hpp"

namespace memspice::models {

// A conductance-like entry block between local unknowns a and b: (a,a) (a,b) (b,a) (b,b).
inline void addPair(std::vector<engine::StampEntry>& s, std::uint16_t a, std::uint16_t b) {
  s.push_back({a, a});
  s.push_back({a, b});
  s.push_back({b, a});
  s.push_back({b, b});
}

// The four entries that tie a branch current b to nodes p, n: (p,b) (n,b) (b,p) (b,n).
inline void addBranch(std::vector<engine::StampEntry>& s, std::uint16_t p, std::uint16_t n, std::uint16_t b) {
  s.push_back({p, b});
  s.push_back({n, b});
  s.push_back({b, p});
  s.push_back({b, n});
}

// Writes a current i = f(v) with conductance g = df/dv flowing from local a to local b into f
// and into the pair block at stamp offset k (as laid out by addPair(a, b)).
inline void loadConductance(engine::EvalOutput& out, std::size_t k, std::uint16_t a, std::uint16_t b, double i,
                            double g) {
  out.f[a] += i;
  out.f[b] -= i;
  out.G[k] += g;
  out.G[k + 1] -= g;
  out.G[k + 2] -= g;
  out.G[k + 3] += g;
}

// The same for a charge q with capacitance c = dq/dv.
inline void loadCapacitance(engine::EvalOutput& out, std::size_t k, std::uint16_t a, std::uint16_t b, double q,
                            double c) {
  out.q[a] += q;
  out.q[b] -= q;
  out.C[k] += c;
  out.C[k + 1] -= c;
  out.C[k + 2] -= c;
  out.C[k + 3] += c;
}

constexpr double kBoltzmann = 1.380649e-23;
constexpr double kCharge = 1.602176634e-19;
constexpr double kNominalTemperature = 300.15;  // 27 C, SPICE's tnom

inline double thermalVoltage(double kelvin) { return kBoltzmann * kelvin / kCharge; }

}  // namespace memspice::models
