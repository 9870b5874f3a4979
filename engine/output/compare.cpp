#include "output/compare.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace memspice::engine {

bool PlotComparison::ok() const {
  if (!error.empty() || !missing.empty()) return false;
  return std::all_of(vectors.begin(), vectors.end(), [](const VectorScore& v) { return v.score <= 1; });
}

namespace {

double difference(const Plot& g, std::size_t v, double t, double x, double peak) {
  std::size_t lo = 0, hi = g.points() - 1;
  if (t <= g.at(0, 0)) return x - g.at(0, v);
  if (t >= g.at(hi, 0)) return x - g.at(hi, v);
  while (hi - lo > 1) {
    std::size_t mid = (lo + hi) / 2;
    (g.at(mid, 0) <= t ? lo : hi) = mid;
  }
  double t0 = g.at(lo, 0), t1 = g.at(hi, 0), g0 = g.at(lo, v), g1 = g.at(hi, v);
  if (std::fabs(g1 - g0) > 0.1 * peak) {
    if (x >= std::min(g0, g1) && x <= std::max(g0, g1)) return 0;
    return x < std::min(g0, g1) ? x - std::min(g0, g1) : x - std::max(g0, g1);
  }
  double w = t1 > t0 ? (t - t0) / (t1 - t0) : 0;
  return x - (g0 + w * (g1 - g0));
}

}  // namespace

PlotComparison comparePlots(const Plot& g, const Plot& m, const CompareOptions& o) {
  PlotComparison result;
  const bool transient = !g.vars.empty() && g.vars[0].name == "time";
  if (!transient && g.points() != m.points()) {
    result.error = fmt::format("{} points in the reference, {} tested", g.points(), m.points());
    return result;
  }
  if (transient && m.points() < 2) {
    result.error = "the tested transient has fewer than 2 points";
    return result;
  }
  for (std::size_t v = transient ? 1 : 0; v < g.vars.size(); ++v) {
    const std::string& name = g.vars[v].name;
    if (o.skip && o.skip(name)) continue;
    int mv = m.find(name);
    if (mv < 0) {
      result.missing.push_back(name);
      continue;
    }
    const auto col = static_cast<std::size_t>(mv);
    double abstol = g.vars[v].type == "current" ? o.currentAbstol : o.voltageAbstol;
    VectorScore s{name, 0, ""};
    if (transient) {
      double peak = 0, sum = 0;
      for (std::size_t k = 0; k < g.points(); ++k) peak = std::max(peak, std::fabs(g.at(k, v)));
      for (std::size_t k = 0; k < m.points(); ++k) {
        double d = difference(g, v, m.at(k, 0), m.at(k, col), peak);
        sum += d * d;
      }
      double rms = std::sqrt(sum / static_cast<double>(m.points()));
      s.score = rms / (o.rmsRelative * peak + abstol);
      s.worst = fmt::format("RMS difference {:.3g} against peak {:.3g}", rms, peak);
    } else {
      for (std::size_t k = 0; k < g.points(); ++k) {
        double a = g.at(k, v), b = m.at(k, col);
        double score = std::fabs(a - b) / (o.reltol * std::max(std::fabs(a), std::fabs(b)) + abstol);
        if (score > s.score) {
          s.score = score;
          s.worst = fmt::format("point {}: reference {:.9g}, tested {:.9g}", k, a, b);
        }
      }
    }
    result.vectors.push_back(std::move(s));
  }
  return result;
}

}  // namespace memspice::engine
