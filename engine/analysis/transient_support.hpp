#pragma once
// What both transient integrators (IDA's BDF and memspice's trapezoidal rule) share: the start
// point, the sources' corners, the largest step, the device events at a root, and the record
// of the output grid, the corners and the per-step (.measure) columns.
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "analysis/transient.hpp"

namespace memspice::engine {

// The point a transient starts from, into x: setup.start; with uic, the .ic values over the
// devices' initial values; otherwise the operating point at t = 0 (ctx: sources at t = 0).
// On failure, false with result.failure said.
bool transientStart(MnaSystem& sys, KluSolver& dcSolver, const TransientSetup& s, const EvalContext& ctx,
                    std::vector<double>& x, TransientResult& result);

// Every source's corners in [0, tstop], ascending, those closer than `tiny` merged.
std::vector<double> sourceCorners(MnaSystem& sys, double tstop, double tiny);

// The largest step: tmax if given, else min(tstep, (tstop - tstart) / 50) as ngspice.
double maxStep(const TransientSetup& s);

// Hands the root crossings at t (per root: +1 rising, -1 falling, 0 none) to the devices, and
// while their equations change, calls restart() and lets them settle at x, at most 20 rounds.
// Device events are added to result.events. Returns false (result.failure said) when the
// events do not settle or keep coming at one instant; `restarted` says whether restart ran.
class EventHandler {
 public:
  EventHandler(const TransientSetup& s, double tiny) : s_(s), tiny_(tiny) {}
  bool handle(MnaSystem& sys, std::span<const int> found, std::span<double> x, double t, const EvalContext& integrating,
              const std::function<void()>& restart, TransientResult& result, bool& restarted);

 private:
  const TransientSetup& s_;
  double tiny_;
  double lastEventTime_ = -1;
  int sameInstantEvents_ = 0;
};

// Records (t, y, y') rows: the outputs, then the setup's extra columns, into result.data; and
// the setup's fine columns, at every integrator step, into result.fine.
class TransientRecorder {
 public:
  TransientRecorder(const TransientSetup& s, TransientResult& result, double tiny);
  // Output grid: tstart + k tstep up to tstop, and tstop when the grid does not land on it.
  std::size_t gridPoints() const { return gridPoints_; }
  double gridTime(std::size_t k) const;
  double outStep() const { return outStep_; }  // tstep, or (tstop - tstart) / 200 without one
  // Reserves the grid and `corners` more rows (the row width from y, y' at tstart).
  void reserve(std::size_t corners, std::span<const double> y, std::span<const double> yp);
  // An output row (grid point or corner), also kept in the fine record.
  void record(double t, std::span<const double> y, std::span<const double> yp);
  // A row for the fine record only (an integrator step), if fine columns are wanted.
  void fine(double t, std::span<const double> y, std::span<const double> yp);

 private:
  void makeRow(double t, std::span<const double> y, std::span<const double> yp);
  void keepFine(double t);
  const TransientSetup& s_;
  TransientResult& result_;
  double tiny_;
  double outStep_;
  std::size_t gridPoints_;
  std::vector<double> row_;
  double lastFine_ = -1;
};

}  // namespace memspice::engine
