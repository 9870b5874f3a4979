#pragma once
// A counter-based random generator (splitmix64): a draw is a pure function of its key, so the
// numbers do not depend on evaluation order, threads, rejected time steps or step sizes.
// Keys are built from the run's seed, a name (instance, parameter owner) and a counter
// (call site, switching event).
#include <cmath>
#include <cstdint>
#include <string_view>

namespace memspice::rng {

inline std::uint64_t mix(std::uint64_t z) {
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

inline std::uint64_t hashText(std::string_view s) {
  std::uint64_t h = 1469598103934665603ULL;  // FNV-1a
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
  return h;
}

// The key of (seed, name): combine with a counter through keyed().
inline std::uint64_t key(std::uint64_t seed, std::string_view name) { return mix(seed ^ mix(hashText(name))); }
inline std::uint64_t keyed(std::uint64_t key, std::uint64_t counter) { return mix(key ^ mix(counter)); }

// Uniform in (0, 1).
inline double unit(std::uint64_t z) { return (static_cast<double>(z >> 11) + 0.5) * 0x1.0p-53; }

// A standard normal draw from one key (Box-Muller on two derived uniforms).
inline double normal(std::uint64_t key) {
  double u1 = unit(mix(key)), u2 = unit(mix(key + 1));
  return std::sqrt(-2 * std::log(u1)) * std::cos(2 * M_PI * u2);
}

}  // namespace memspice::rng
