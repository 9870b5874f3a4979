#include "analysis/transient_support.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace memspice::engine {

bool transientStart(MnaSystem& sys, KluSolver& dcSolver, const TransientSetup& s, const EvalContext& ctx,
                    std::vector<double>& x, TransientResult& result) {
  x.assign(sys.size(), 0.0);
  sys.initialValues(x);
  if (!s.start.empty() || s.uic) {
    if (!s.start.empty()) {
      x = s.start;
    } else {
      for (auto [u, v] : s.initial) x[static_cast<std::size_t>(u)] = v;
    }
    // Devices that latch (B-source comparisons) take their states from the start point, as they
    // would from an operating point; a resumed run keeps them as they are.
    if (!s.resumeAt) sys.evaluate(x, ctx);
    return true;
  }
  OpResult op = solveOperatingPoint(sys, dcSolver, x, ctx, s.op);
  if (!op.converged) {
    result.failure = "initial operating point: " + op.failure;
    return false;
  }
  return true;
}

std::vector<double> sourceCorners(MnaSystem& sys, double tstop, double tiny) {
  std::vector<double> corners;
  for (std::size_t d = 0; d < sys.deviceCount(); ++d) sys.device(d).breakpoints(0, tstop, corners);
  std::sort(corners.begin(), corners.end());
  corners.erase(std::unique(corners.begin(), corners.end(), [&](double a, double b) { return b - a < tiny; }),
                corners.end());
  return corners;
}

double maxStep(const TransientSetup& s) {
  double span = s.tstop - s.tstart;
  if (s.tmax > 0) return s.tmax;
  if (s.tstep <= 0) return s.tstop / 50;
  return std::min(s.tstep, span / 50);
}

bool EventHandler::handle(MnaSystem& sys, std::span<const int> found, std::span<double> x, double t,
                          const EvalContext& integrating, const std::function<void()>& restart,
                          TransientResult& result, bool& restarted) {
  restarted = false;
  std::vector<std::pair<std::size_t, std::string>> happened;
  bool changed = sys.onRoots(found, x, t, &happened);
  for (auto& [device, what] : happened)
    if (t >= s_.tstart - tiny_) result.events.push_back({t, device, std::move(what)});
  // The restart may move algebraic unknowns across other devices' thresholds: settle those
  // too (an event iteration), a bounded number of times.
  for (int round = 0; changed; ++round) {
    if (round == 20) {
      result.failure = fmt::format("transient stopped at t = {:.6g} s: the events there do not settle (devices "
                                   "keep changing their equations after each restart)",
                                   t);
      return false;
    }
    restart();
    restarted = true;
    EvalContext at = integrating;
    at.time = t;
    changed = sys.settle(x, at);
  }
  // Events that keep coming at one instant (a sliding mode the devices do not resolve: a
  // switch without hysteresis whose state drives its own control back) would stall the run:
  // stop with a message instead.
  const double span = s_.tstop - s_.tstart;
  sameInstantEvents_ = t - lastEventTime_ <= 1e-9 * span ? sameInstantEvents_ + 1 : 0;
  lastEventTime_ = t;
  if (sameInstantEvents_ >= 1000) {
    result.failure = fmt::format("transient stopped at t = {:.6g} s: 1000 events in {:.3g} s (a device switching "
                                 "back and forth, each state driving its control across the threshold again: "
                                 "give the switching some hysteresis)",
                                 t, 1e-9 * span * 1000);
    return false;
  }
  return true;
}

TransientRecorder::TransientRecorder(const TransientSetup& s, TransientResult& result, double tiny)
    : s_(s), result_(result), tiny_(tiny) {
  const double span = s.tstop - s.tstart;
  outStep_ = s.tstep > 0 ? s.tstep : span / 200;
  auto steps = static_cast<std::size_t>(std::floor(span / outStep_ + 1e-9));
  if (s.tstart + static_cast<double>(steps) * outStep_ < s.tstop - 1e-9 * outStep_) ++steps;
  gridPoints_ = steps + 1;
}

double TransientRecorder::gridTime(std::size_t k) const {
  return std::min(s_.tstart + static_cast<double>(k) * outStep_, s_.tstop);
}

void TransientRecorder::reserve(std::size_t corners, std::span<const double> y, std::span<const double> yp) {
  makeRow(s_.tstart, y, yp);
  result_.data.reserve((gridPoints_ + corners + 1) * (1 + row_.size()));
}

void TransientRecorder::makeRow(double t, std::span<const double> y, std::span<const double> yp) {
  row_.clear();
  for (Index u : s_.outputs) row_.push_back(y[static_cast<std::size_t>(u)]);
  if (s_.extra) s_.extra(t, y, yp, row_);
}

void TransientRecorder::keepFine(double t) {
  if (s_.fineColumns.empty() || t < s_.tstart - tiny_ || t <= lastFine_) return;
  lastFine_ = t;
  result_.fine.push_back(t);
  for (std::size_t c : s_.fineColumns) result_.fine.push_back(row_[c]);
}

void TransientRecorder::record(double t, std::span<const double> y, std::span<const double> yp) {
  makeRow(t, y, yp);
  result_.data.push_back(t);
  result_.data.insert(result_.data.end(), row_.begin(), row_.end());
  result_.width = 1 + row_.size();
  keepFine(t);
}

void TransientRecorder::fine(double t, std::span<const double> y, std::span<const double> yp) {
  if (s_.fineColumns.empty()) return;
  makeRow(t, y, yp);
  keepFine(t);
}

}  // namespace memspice::engine
