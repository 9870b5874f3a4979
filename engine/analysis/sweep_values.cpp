#include "analysis/sweep_values.hpp"

#include <cmath>

namespace memspice::engine {

std::vector<double> sweepValues(const elab::FlatSweep& s) {
  using Kind = netlist::Sweep::Kind;
  if (s.kind == Kind::List) return s.list;
  std::vector<double> v;
  if (s.kind == Kind::Lin) {
    if (s.step == 0) return {s.start};
    double count = std::floor((s.stop - s.start) / s.step + 1e-9);
    for (long k = 0; k <= static_cast<long>(count); ++k) v.push_back(s.start + static_cast<double>(k) * s.step);
    return v;
  }
  double base = s.kind == Kind::Dec ? 10.0 : 2.0;
  double ratio = std::pow(base, 1.0 / s.step);
  double up = s.stop >= s.start ? 1.0 : -1.0;
  double steps = std::floor(std::log(s.stop / s.start) / std::log(ratio) * up + 1e-9);
  for (long k = 0; k <= static_cast<long>(steps); ++k) v.push_back(s.start * std::pow(ratio, up * static_cast<double>(k)));
  return v;
}

}  // namespace memspice::engine
