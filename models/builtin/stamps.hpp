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

constexpr double kBoltzmann = 1.380649e-23;
constexpr double kCharge = 1.602176634e-19;
constexpr double kNominalTemperature = 300.15;  // 27 C, SPICE's tnom

inline double thermalVoltage(double kelvin) { return kBoltzmann * kelvin / kCharge; }

}  // namespace memspice::models
