#include "measure/measure.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <map>

#include "expr/evaluator.hpp"

namespace memspice::engine {

namespace measure {

using Edge = elab::FlatCrossing::Edge;

std::optional<double> crossing(std::span<const double> x, std::span<const double> y, std::span<const double> level,
                               Edge edge, int count, double td) {
  std::optional<double> last;
  int found = 0;
  for (std::size_t k = 1; k < x.size(); ++k) {
    double d0 = y[k - 1] - level[k - 1], d1 = y[k] - level[k];
    bool rise = d0 < 0 && d1 >= 0, fall = d0 > 0 && d1 <= 0;
    if (!(edge == Edge::Rise ? rise : edge == Edge::Fall ? fall : rise || fall)) continue;
    double at = x[k - 1] + (x[k] - x[k - 1]) * d0 / (d0 - d1);
    if (at < td) continue;
    last = at;
    if (++found == count) return at;
  }
  return count < 0 ? last : std::nullopt;
}

namespace {
// Index k of the first segment [x[k-1], x[k]] holding `at` (either direction), or 0.
std::size_t segment(std::span<const double> x, double at) {
  for (std::size_t k = 1; k < x.size(); ++k)
    if ((x[k - 1] <= at && at <= x[k]) || (x[k] <= at && at <= x[k - 1])) return k;
  return 0;
}
double lerp(double x0, double x1, double y0, double y1, double at) {
  return x1 == x0 ? y1 : y0 + (y1 - y0) * (at - x0) / (x1 - x0);
}
}  // namespace

std::optional<double> valueAt(std::span<const double> x, std::span<const double> y, double at) {
  if (x.size() == 1 && x[0] == at) return y[0];
  std::size_t k = segment(x, at);
  if (k == 0) return std::nullopt;
  return lerp(x[k - 1], x[k], y[k - 1], y[k], at);
}

std::optional<double> slopeAt(std::span<const double> x, std::span<const double> y, double at) {
  std::size_t k = segment(x, at);
  if (k == 0 || x[k] == x[k - 1]) return std::nullopt;
  return (y[k] - y[k - 1]) / (x[k] - x[k - 1]);
}

double integral(std::span<const double> x, std::span<const double> y, double from, double to, bool squared) {
  double sum = 0;
  for (std::size_t k = 1; k < x.size(); ++k) {
    double a = std::max(x[k - 1], from), b = std::min(x[k], to);
    if (b <= a) continue;
    double ya = lerp(x[k - 1], x[k], y[k - 1], y[k], a), yb = lerp(x[k - 1], x[k], y[k - 1], y[k], b);
    sum += squared ? 0.5 * (ya * ya + yb * yb) * (b - a) : 0.5 * (ya + yb) * (b - a);
  }
  return sum;
}

std::pair<double, double> extremes(std::span<const double> x, std::span<const double> y, double from, double to) {
  double lo = INFINITY, hi = -INFINITY;
  auto take = [&](double v) {
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  };
  for (std::size_t k = 0; k < x.size(); ++k)
    if (x[k] >= from && x[k] <= to) take(y[k]);
  for (double end : {from, to})
    if (auto v = valueAt(x, y, end)) take(*v);
  return {lo, hi};
}

}  // namespace measure

namespace {

using Kind = elab::FlatMeasure::Kind;

const char* plotName(const std::string& analysis) {
  return analysis == "tran" ? "Transient Analysis" : analysis == "dc" ? "DC transfer characteristic" : "Operating Point";
}

class PlotMeasurer {
 public:
  PlotMeasurer(const elab::FlatCircuit& c, const Plot& p) : c_(c), p_(p), x_(column(0)) {
    // Windows and time points assume an increasing scale; a DC sweep downwards is reversed.
    if (x_.size() > 1 && x_.front() > x_.back()) {
      reversed_ = true;
      std::reverse(x_.begin(), x_.end());
    }
  }

  MeasureResult run(const elab::FlatMeasure& m) {
    MeasureResult r{m.name, std::nullopt, ""};
    try {
      r.value = measure(m);
    } catch (const std::runtime_error& e) {
      r.failure = e.what();
    }
    return r;
  }

 private:
  std::vector<double> column(std::size_t var) const {
    std::vector<double> v(p_.points());
    for (std::size_t k = 0; k < v.size(); ++k) v[k] = p_.at(k, var);
    return v;
  }
  std::vector<double> series(const elab::FlatOutputVar& v) const {
    std::string name = elab::outputName(v, c_);
    int col = p_.find(name);
    if (col < 0) throw std::runtime_error(fmt::format("the {} plot has no vector '{}'", p_.name, name));
    std::vector<double> y = column(static_cast<std::size_t>(col));
    if (reversed_) std::reverse(y.begin(), y.end());
    return y;
  }
  std::string scaleName() const { return p_.vars.empty() ? "time" : p_.vars[0].name; }

  double point(const elab::FlatCrossing& c, const char* role) const {
    if (c.at) {
      // The last output time may differ from tstop by rounding: allow 1e-9 of the span.
      double slack = x_.empty() ? 0 : 1e-9 * (x_.back() - x_.front());
      if (!x_.empty() && *c.at >= x_.front() - slack && *c.at <= x_.back() + slack)
        return std::clamp(*c.at, x_.front(), x_.back());
      if (x_.empty() || *c.at < x_.front() || *c.at > x_.back())
        throw std::runtime_error(fmt::format("{} at={:g} is outside the {} range [{:g}, {:g}]", role, *c.at,
                                             scaleName(), x_.empty() ? 0.0 : x_.front(), x_.empty() ? 0.0 : x_.back()));
      return *c.at;
    }
    std::vector<double> y = series(*c.var);
    std::vector<double> level = c.levelVar ? series(*c.levelVar) : std::vector<double>(y.size(), c.level);
    if (auto at = measure::crossing(x_, y, level, c.edge, c.count, c.td)) return *at;
    const char* edge = c.edge == elab::FlatCrossing::Edge::Rise   ? "rising "
                       : c.edge == elab::FlatCrossing::Edge::Fall ? "falling "
                                                                  : "";
    std::string which = c.count < 0 ? "any " : c.count == 1 ? "" : fmt::format("{} ", c.count);
    std::string level_ = c.levelVar ? elab::outputName(*c.levelVar, c_) : fmt::format("{:g}", c.level);
    throw std::runtime_error(fmt::format("{}: {} has no {}{}crossing of {}{}", role, elab::outputName(*c.var, c_), which,
                                         edge, level_, c.td > 0 ? fmt::format(" after td={:g}", c.td) : ""));
  }

  double measure(const elab::FlatMeasure& m) const {
    if (p_.points() == 0) throw std::runtime_error("the plot is empty");
    switch (m.kind) {
      case Kind::TrigTarg: return point(*m.targ, "targ") - point(*m.trig, "trig");
      case Kind::When: return point(*m.targ, "when");
      case Kind::Find: {
        std::vector<double> y = series(*m.var);
        if (!m.targ) return y.front();  // op
        double at = point(*m.targ, "at");
        return *measure::valueAt(x_, y, at);
      }
      case Kind::Deriv: {
        std::vector<double> y = series(*m.var);
        double at = point(*m.targ, "at");
        if (auto s = measure::slopeAt(x_, y, at)) return *s;
        throw std::runtime_error(fmt::format("no slope at {:g}", at));
      }
      default: break;
    }
    std::vector<double> y = series(*m.var);
    double from = m.from.value_or(x_.front()), to = m.to.value_or(x_.back());
    from = std::max(from, x_.front());
    to = std::min(to, x_.back());
    if (to < from)
      throw std::runtime_error(fmt::format("the window [{:g}, {:g}] is outside the {} range [{:g}, {:g}]",
                                           m.from.value_or(from), m.to.value_or(to), scaleName(), x_.front(), x_.back()));
    double span = to - from;
    switch (m.kind) {
      case Kind::Integ: return measure::integral(x_, y, from, to, false);
      case Kind::Avg:
        if (span <= 0) return *measure::valueAt(x_, y, from);
        return measure::integral(x_, y, from, to, false) / span;
      case Kind::Rms:
        if (span <= 0) return std::abs(*measure::valueAt(x_, y, from));
        return std::sqrt(measure::integral(x_, y, from, to, true) / span);
      case Kind::Min: return measure::extremes(x_, y, from, to).first;
      case Kind::Max: return measure::extremes(x_, y, from, to).second;
      case Kind::Pp: {
        auto [lo, hi] = measure::extremes(x_, y, from, to);
        return hi - lo;
      }
      default: throw std::logic_error("unhandled measure kind");
    }
  }

  const elab::FlatCircuit& c_;
  const Plot& p_;
  std::vector<double> x_;
  bool reversed_ = false;
};

void names(const expr::Node& n, std::vector<std::string>& out) {
  if (n.kind == expr::Node::Kind::Name) out.push_back(n.text);
  for (const expr::NodePtr& a : n.args) names(*a, out);
}

// Value of an expression over earlier measurements; nullopt with `failure` set if it cannot be had.
std::optional<double> evaluateWith(const expr::Node& e, const std::map<std::string, MeasureResult>& done,
                                   std::string& failure) {
  std::vector<std::string> used;
  names(e, used);
  expr::Scope scope;
  for (const std::string& n : used) {
    auto it = done.find(n);
    if (it == done.end()) {
      failure = fmt::format("'{}' is not a measurement before this one", n);
      return std::nullopt;
    }
    if (!it->second.value) {
      failure = fmt::format("it uses '{}', which failed", n);
      return std::nullopt;
    }
    scope.set(n, *it->second.value);
  }
  Diagnostics d;
  expr::Evaluator ev(d);
  auto v = ev.evaluate(e, scope);
  if (!v) failure = d.all().empty() ? "cannot evaluate" : d.all().front().message;
  return v;
}

// Settings that use earlier measurements, filled in now that those are known.
bool resolve(elab::FlatMeasure& m, const std::map<std::string, MeasureResult>& done, std::string& failure) {
  for (const auto& [key, e] : m.deferred) {
    auto v = evaluateWith(*e, done, failure);
    if (!v) return false;
    if (key == "to") m.to = *v;
    else m.from = m.from ? std::max(*m.from, *v) : *v;
  }
  for (auto* c : {&m.trig, &m.targ}) {
    if (!*c) continue;
    for (const auto& [key, e] : (*c)->deferred) {
      auto v = evaluateWith(*e, done, failure);
      if (!v) return false;
      if (key == "val") (*c)->level = *v;
      else if (key == "td") (*c)->td = *v;
      else (*c)->at = *v;
    }
  }
  return true;
}

}  // namespace

std::vector<MeasureResult> evaluateMeasures(const elab::FlatCircuit& circuit, const std::vector<Plot>& plots) {
  // In deck order: a measurement may use the ones before it (param=, and settings such as
  // val='0.9*ifinal').
  std::vector<MeasureResult> results;
  std::map<std::string, MeasureResult> done;
  for (const elab::FlatMeasure& given : circuit.measures) {
    MeasureResult r{given.name, std::nullopt, ""};
    elab::FlatMeasure m = given;
    if (m.kind == Kind::Param) {
      r.value = evaluateWith(*m.param, done, r.failure);
    } else if (resolve(m, done, r.failure)) {
      const Plot* plot = nullptr;
      for (const Plot& p : plots)
        if (p.name == plotName(m.analysis)) {
          plot = &p;
          break;
        }
      if (plot && plot->fine) plot = plot->fine.get();
      if (plot) r = PlotMeasurer(circuit, *plot).run(m);
      else r.failure = fmt::format("there is no {} result (no '.{}' analysis, or it failed)", m.analysis, m.analysis);
    }
    done[m.name] = r;
    results.push_back(r);
  }
  return results;
}

}  // namespace memspice::engine
