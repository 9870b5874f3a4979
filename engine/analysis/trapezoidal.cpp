#include "analysis/trapezoidal.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <fmt/format.h>

#include "analysis/transient_support.hpp"

namespace memspice::engine {

namespace {

constexpr double kChargeFloor = 1e-14;  // SPICE's chgtol: charges below it are measured against it
constexpr int kCorrectorIterations = 10;  // SPICE's itl4
// The largest ratio of successive corrector updates (in units of their tolerances) at which
// the corrector goes on with the factors it has (as IDA's modified Newton does).
constexpr double kChordContraction = 0.3;

// An accepted point: its time, unknowns, their derivatives by the integration formula (so that
// C dx/dt is the charges' current the step balanced, which output currents are made of), and
// the charges (per equation).
struct Point {
  double t = 0;
  std::vector<double> x, xdot, q;
};

// x at `at` from the polynomial through the newest `count` (1 to 3) points; dx/dt from the
// straight line between the newest two points' derivatives.
void interpolate(const std::array<Point, 3>& p, int count, double at, std::vector<double>& x,
                 std::vector<double>& xdot) {
  const std::size_t n = p[0].x.size();
  if (count == 1) {
    x = p[0].x;
    xdot = p[0].xdot;
    return;
  }
  const double w = (at - p[1].t) / (p[0].t - p[1].t);
  for (std::size_t i = 0; i < n; ++i) xdot[i] = p[1].xdot[i] + w * (p[0].xdot[i] - p[1].xdot[i]);
  if (count == 2) {
    for (std::size_t i = 0; i < n; ++i) x[i] = p[1].x[i] + w * (p[0].x[i] - p[1].x[i]);
    return;
  }
  // Newton's form through (t0, t1, t2): a constant unknown stays exactly constant (Lagrange's
  // weights sum to 1 only to rounding, which moved a resting state by a few ulps).
  const double t0 = p[0].t, t1 = p[1].t, t2 = p[2].t;
  const double r01 = 1 / (t0 - t1), r12 = 1 / (t1 - t2), c = (at - t1) / (t0 - t2);
  for (std::size_t i = 0; i < n; ++i) {
    const double d01 = (p[0].x[i] - p[1].x[i]) * r01, d12 = (p[1].x[i] - p[2].x[i]) * r12;
    x[i] = p[0].x[i] + (at - t0) * (d01 + c * (d01 - d12));
  }
}

bool crossed(double before, double after) { return (before < 0 && after >= 0) || (before > 0 && after <= 0); }

}  // namespace

TransientResult runTrapezoidal(MnaSystem& sys, KluSolver& solver, const TransientSetup& s) {
  TransientResult result;
  const std::size_t n = sys.size();
  EvalContext ctx = s.ctx;
  ctx.transient = true;
  ctx.time = 0;
  std::vector<double> x;
  if (!transientStart(sys, solver, s, ctx, x, result)) return result;
  sys.accept(x);
  EvalContext integrating = ctx;
  integrating.integrating = true;

  // Per unknown and its equation: the update's atol; the residual's floor and its atol term (as
  // DC Newton: none on branch rows); the truncation error's floor as a current and as a charge.
  const Tolerances& tol = s.op.newton.tol;
  std::vector<double> atol(n), ftol(n), residualAtol(n), rateFloor(n), chargeFloor(n);
  for (std::size_t i = 0; i < n; ++i) {
    const Nature nature = sys.unknowns()[i].nature;
    atol[i] = updateAtol(nature, tol);
    ftol[i] = residualFloor(nature, tol);
    residualAtol[i] = nature == Nature::Current ? 0.0 : atol[i];
    rateFloor[i] = nature == Nature::Current ? tol.vntol : tol.abstol;
    chargeFloor[i] = nature == Nature::State ? tol.abstol : kChargeFloor;
  }

  const double tiny = 1e-12 * s.tstop;
  const double hmax = maxStep(s);
  const double hmin = 1e-11 * hmax;  // ngspice's delmin
  const int maxOrder = std::min(2, s.maxOrder);
  const std::vector<double> corners = sourceCorners(sys, s.tstop, tiny);
  TransientRecorder recorder(s, result, tiny);
  EventHandler events(s, tiny);

  std::array<Point, 3> hist;  // newest first; `depth` of them belong to the current segment
  for (Point& p : hist) {
    p.x.assign(n, 0.0);
    p.xdot.assign(n, 0.0);  // the start point is a DC solution (or given): at rest
    p.q.assign(n, 0.0);
  }
  int depth = 0;
  std::vector<double> qdot(n, 0.0), anchor(n), xNew(n), qNew(n), qdotNew(n), dx(n), xOut(n), xdotOut(n);
  std::vector<double> matrix(static_cast<std::size_t>(sys.pattern().nnz()));
  const std::size_t roots = sys.rootCount();
  std::vector<double> gOld(roots), gNew(roots), gMid(roots), gLo(roots), gHi(roots);
  std::vector<int> found(roots);

  // A segment starts at (t, x): its charges and root values there.
  auto startSegment = [&](double t, std::span<const double> at) {
    std::copy(at.begin(), at.end(), hist[0].x.begin());
    hist[0].t = t;
    EvalContext c = integrating;
    c.time = t;
    c.jacobian = false;
    sys.evaluate(hist[0].x, c);
    ++result.residuals;
    std::copy(sys.q().begin(), sys.q().end(), hist[0].q.begin());
    if (roots > 0) sys.roots(hist[0].x, c, gOld);
    depth = 1;
  };
  startSegment(0.0, x);

  // Newton from xNew for the step to tn with the charges' derivative a (q - anchor). An
  // iteration reuses the factors it has if they are of the same a and the last updates shrank
  // by kChordContraction or more (chord steps: from the predictor, the updates are small
  // corrections); else it refactors. A linear circuit refactors only when a changes: G + a C
  // is the same. (The corrector converges when an update is within tolerance: at a
  // contraction of 0.3, the error left is at most 0.43 of it.)
  double factoredA = 0;  // a of the solver's factors; 0: none usable
  const bool linear = sys.linear();
  auto correct = [&](double tn, double a) {
    EvalContext c = integrating;
    c.time = tn;
    c.limit = true;
    const auto& diagonal = sys.diagonals();
    double lastNorm = 0, contraction = 0;
    for (int it = 0; it < kCorrectorIterations; ++it) {
      const bool limited = sys.evaluate(xNew, c);
      ++result.residuals;
      auto f = sys.f();
      auto q = sys.q();
      auto scale = sys.fScale();
      auto G = sys.G();
      auto C = sys.C();
      bool residualOk = true;
      for (std::size_t i = 0; i < n; ++i) {
        const double rate = a * (q[i] - anchor[i]);
        qdotNew[i] = rate;
        dx[i] = -(f[i] + rate);
        const auto d = static_cast<std::size_t>(diagonal[i]);
        if (residualOk && std::fabs(dx[i]) > residualTolerance(tol.reltol, scale[i] + std::fabs(rate), ftol[i],
                                                               G[d] + a * C[d], residualAtol[i]))
          residualOk = false;
      }
      if (a != factoredA || (!linear && contraction > kChordContraction)) {
        for (std::size_t k = 0; k < matrix.size(); ++k) matrix[k] = G[k] + a * C[k];
        ++result.jacobians;
        factoredA = 0;
        if (!solver.factor(matrix)) return false;
        factoredA = a;
      }
      solver.solve(dx);
      bool updateOk = true;
      double norm = 0;
      for (std::size_t i = 0; i < n; ++i) {
        const double next = xNew[i] + dx[i];
        if (!std::isfinite(next)) return false;
        const double w = std::fabs(dx[i]) / (tol.reltol * std::max(std::fabs(xNew[i]), std::fabs(next)) + atol[i]);
        if (w > 1) updateOk = false;
        norm = std::max(norm, w);
        xNew[i] = next;
      }
      contraction = lastNorm > 0 ? norm / lastNorm : 0.0;
      lastNorm = norm;
      if (updateOk && residualOk && !limited) {
        // The charges at the accepted point, to first order: q + C dx. Those of the point
        // before the update would be off by up to the update's tolerance, which is noise in
        // the divided differences that no step size removes.
        std::copy(q.begin(), q.end(), qNew.begin());
        addProduct(sys.pattern(), C, dx.data(), qNew.data());
        for (std::size_t i = 0; i < n; ++i) qdotNew[i] = a * (qNew[i] - anchor[i]);
        return true;
      }
    }
    return false;
  };

  // The charges' rate at the segment's start is known (qdot) after a held step (settle, below),
  // which solved the new equations there, and at a DC start (at rest). The first backward-Euler
  // step of such a segment then has an error estimate too: a device that switched at the event
  // may move fast, and the step that follows it must not go unchecked.
  bool startRateKnown = s.start.empty() && !s.uic;

  // The largest truncation error of a step of length h, in units of its tolerance, from the
  // divided differences of each charge over the new point and the last order + 1 points (or,
  // for the first step of a segment, the start's rate: q'' / 2 = (d01 - q'(t1)) / h).
  // (Per unknown in every step: divisions by the time differences are hoisted out, and the
  // ratio is divided out only where it may be the largest.)
  auto errorRatio = [&](int order, double h, double tn) {
    const double t0 = tn, t1 = hist[0].t, t2 = hist[1].t, t3 = hist[2].t;
    const double r01 = 1 / (t0 - t1), r12 = depth >= 2 ? 1 / (t1 - t2) : 0, r02 = depth >= 2 ? 1 / (t0 - t2) : 0;
    const double r23 = order == 2 ? 1 / (t2 - t3) : 0, r13 = order == 2 ? 1 / (t1 - t3) : 0;
    // The error in charge: backward Euler h^2/2 q'' = h^2 |dd012|, trapezoidal
    // h^3/12 q''' = h^3/2 |dd0123|.
    const double factor = order == 1 ? h * h : 0.5 * h * h * h / (t0 - t3);
    const double perRate = s.trtol * h, perCharge = s.trtol * tol.reltol;
    double worst = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const double q0 = qNew[i], q1 = hist[0].q[i], q2 = hist[1].q[i];
      const double d01 = (q0 - q1) * r01, d12 = (q1 - q2) * r12;
      const double dd012 = depth >= 2 ? (d01 - d12) * r02 : (d01 - qdot[i]) * r01;
      const double error =
          factor * std::fabs(order == 1 ? dd012 : dd012 - (d12 - (q2 - hist[2].q[i]) * r23) * r13);
      if (error == 0) continue;
      // As a current, within reltol of the charges' current plus the floor, or of the charge over h.
      const double rate = std::max(std::fabs(qdotNew[i]), std::fabs(qdot[i]));
      const double allowed = std::max(perRate * (rateFloor[i] + tol.reltol * rate),
                                      perCharge * std::max(std::max(std::fabs(q0), std::fabs(q1)), chargeFloor[i]));
      if (error > worst * allowed) worst = error / allowed;
    }
    return worst;
  };

  // A segment that starts at (t, point) where the unknowns that carry no charge may be off their
  // equations (new device equations after an event; a given or uic start): solve for them with
  // the charges held, by a backward-Euler step of a billionth of the step h, as IDA's consistent
  // initial conditions do. point becomes the consistent point, and the held step's rates the
  // segment's starting rates. Should the held step fail, the segment starts at point as it is.
  auto settle = [&](double t, std::vector<double>& point, double h) {
    const double held = 1e-9 * h;
    startSegment(t, point);
    std::copy(hist[0].q.begin(), hist[0].q.end(), anchor.begin());
    std::copy(point.begin(), point.end(), xNew.begin());
    startRateKnown = false;
    if (!correct(t + held, 1 / held)) return;
    startRateKnown = true;
    std::copy(qdotNew.begin(), qdotNew.end(), qdot.begin());
    // An unknown that carries charge moves in the held step by its rate times the held step, a
    // rounding-size move unless the new equations force a jump (a source across a capacitor).
    // Such moves are undone, and their rate kept: an event was located to that size, and they
    // could carry an unknown back across the threshold that was just crossed (a relay sliding
    // along its threshold would never settle). Unknowns that jumped start at rest.
    std::vector<double>& rate = hist[0].xdot;
    for (Index col = 0; col < sys.pattern().n; ++col) {
      const auto i = static_cast<std::size_t>(col);
      rate[i] = 0;
      if (carriesCharge(sys.pattern(), sys.C(), col) &&
          std::fabs(xNew[i] - point[i]) <= tol.reltol * std::fabs(point[i]) + atol[i]) {
        rate[i] = (xNew[i] - point[i]) / held;
        xNew[i] = point[i];
      }
    }
    std::copy(xNew.begin(), xNew.end(), point.begin());
    startSegment(t, point);  // keeps the rates
  };

  std::size_t nextOut = 0, nextCorner = 0;
  while (nextCorner < corners.size() && corners[nextCorner] <= tiny) ++nextCorner;
  double t = 0;
  // ngspice's first step: a tenth of the output step (or of tstop / 100), and of the way to the
  // first corner, as after every corner.
  double h = std::min(hmax, 0.1 * std::min(s.tstop / 100, s.tstep > 0 ? s.tstep : s.tstop / 100));
  h = std::min(h, 0.1 * (nextCorner < corners.size() ? corners[nextCorner] : s.tstop));
  // A given or uic start need not satisfy the circuit's algebraic equations (sources at their
  // t = 0 values across uncharged nodes), nor is its rate known: both come from a held step.
  if (!s.start.empty() || s.uic) settle(0.0, x, h);
  if (s.tstart <= 0) {
    recorder.record(0.0, x, hist[0].xdot);
    nextOut = 1;
  }
  if (!s.internalPoints) recorder.reserve(corners.size(), x, hist[0].xdot);
  // Grid points up to tEnd, from the polynomial through the segment's newest points. Into
  // buffers of their own: xOut may hold the point an event restarts from.
  std::vector<double> xGrid(n), xdotGrid(n);
  auto recordGrid = [&](double tEnd) {
    if (s.internalPoints) return;
    for (; nextOut < recorder.gridPoints() && recorder.gridTime(nextOut) <= tEnd + tiny; ++nextOut) {
      interpolate(hist, depth, recorder.gridTime(nextOut), xGrid, xdotGrid);
      recorder.record(recorder.gridTime(nextOut), xGrid, xdotGrid);
    }
  };
  // The order of the next step: backward Euler after the start, a corner, an event or a failed
  // corrector; then the trapezoidal rule once its error estimate allows a step at least 5 %
  // longer (ngspice's rule), so that stiff stretches, where the trapezoidal rule rings, stay
  // with backward Euler.
  int order = 1;
  // Where the trapezoidal rule cannot go on (a device that moves faster than its smallest step
  // can follow: a gap collapsing in finite time), IDA's BDF bridges the stretch from the last
  // point: it hands back at the first output point at which its step has grown to the one trap
  // had when its steps began to fail, and trap goes on from there with IDA's rates. False: the
  // run is over (IDA failed, or went on to tstop). The run's stats count the bridges. IDA hands
  // back no earlier than at a step of 1e-8 of the largest: not while it still crawls.
  double troubled = 0;  // the step planned when the current run of rejected steps began
  auto bridge = [&] {
    ++result.bridges;
    TransientSetup rest = s;
    rest.start = hist[0].x;
    rest.startRate = hist[0].xdot;
    rest.resumeAt = t;
    rest.uic = false;
    rest.handBackStep = std::max(troubled, 1e3 * hmin);
    result.append(runIda(sys, solver, rest));
    if (!result.ok || !result.handBack) return false;
    TransientResult::HandBack back = std::move(*result.handBack);
    result.handBack.reset();
    result.ok = false;
    t = back.t;
    startSegment(t, back.x);
    hist[0].xdot = back.xdot;
    std::fill(qdot.begin(), qdot.end(), 0.0);
    addProduct(sys.pattern(), sys.C(), back.xdot.data(), qdot.data());  // q' = C x'
    startRateKnown = true;
    order = 1;
    h = back.step;
    troubled = 0;
    while (nextOut < recorder.gridPoints() && recorder.gridTime(nextOut) <= t + tiny) ++nextOut;
    while (nextCorner < corners.size() && corners[nextCorner] <= t + tiny) ++nextCorner;
    return true;
  };

  while (t < s.tstop - tiny) {
    const double limit = nextCorner < corners.size() ? corners[nextCorner] : s.tstop;
    h = std::min(h, hmax);
    const double planned = h;
    bool atCorner = false;
    if (t + h >= limit - tiny) {
      h = limit - t;
      atCorner = true;
    } else if (t + 1.5 * h > limit) {
      h = 0.5 * (limit - t);  // two even steps to the corner, not a sliver at the end
    }
    const double tn = t + h, a = order == 1 ? 1 / h : 2 / h;
    for (std::size_t i = 0; i < n; ++i) anchor[i] = order == 1 ? hist[0].q[i] : hist[0].q[i] + 0.5 * h * qdot[i];
    interpolate(hist, depth, tn, xNew, xOut);  // the predictor: the segment's polynomial, extended
    if (!correct(tn, a)) {
      ++result.correctorFails;
      if (troubled == 0) troubled = planned;
      h /= 8;
      order = 1;
      if (h < hmin && !bridge()) return result;
      continue;
    }
    // The step the error estimate of a given order allows next (twice this one without one).
    auto allowed = [&](int k) {
      const double ratio = depth >= k + 1 || (k == 1 && startRateKnown) ? errorRatio(k, h, tn) : 0.0;
      return ratio > 0 ? h * std::pow(ratio, -1.0 / k) : 2 * h;
    };
    double hNext = allowed(order);
    if (hNext < 0.9 * h) {
      ++result.errorFails;
      if (troubled == 0) troubled = planned;
      h = hNext;
      if (h < hmin && !bridge()) return result;
      continue;
    }
    // The step after a failed one does not grow (as IDA's): the estimates that made it fail
    // are noisy where devices switch, and growing back at once fails again.
    const bool hold = troubled != 0;
    troubled = 0;
    const int taken = order;
    if (order < maxOrder && depth >= 3) {
      const double hTrap = allowed(2);
      if (hTrap > 1.05 * h) {
        order = 2;
        hNext = hTrap;
      }
    }
    // Accept: the new point becomes the newest of the segment.
    for (std::size_t i = 0; i < n; ++i)
      xdotOut[i] = taken == 1 ? (xNew[i] - hist[0].x[i]) / h : a * (xNew[i] - hist[0].x[i]) - hist[0].xdot[i];
    ++result.steps;
    std::rotate(hist.begin(), hist.begin() + 2, hist.end());
    hist[0].t = tn;
    hist[0].x.swap(xNew);
    hist[0].xdot.swap(xdotOut);
    hist[0].q.swap(qNew);
    qdot.swap(qdotNew);
    depth = std::min(depth + 1, 3);
    h = std::min(hold ? h : 2 * h, hNext);

    if (roots > 0) {
      EvalContext c = integrating;
      c.time = tn;
      sys.roots(hist[0].x, c, gNew);
      // The crossings along the step, earliest first, each located on the segment's polynomial:
      // the same curve the output points come from, so that a crossing in the output is where
      // the event is. A crossing that changes no device's equations (a latch already on that
      // side) is passed, and the search goes on from it: it must not hide a later crossing in
      // the same step.
      auto crossedBy = [&](double at) {
        interpolate(hist, depth, at, xOut, xdotOut);
        c.time = at;
        sys.roots(xOut, c, gMid);
        bool hit = false;
        for (std::size_t k = 0; k < roots; ++k) hit = hit || crossed(gOld[k], gMid[k]);
        return hit;
      };
      bool restarted = false;
      for (double from = t; !restarted;) {
        bool any = false;
        for (std::size_t k = 0; k < roots && !any; ++k) any = crossed(gOld[k], gNew[k]);
        if (!any) break;
        // The earliest crossing in [lo, hi] to within `tiny`, by the Illinois method (as IDA's
        // root finding): the earliest of the crossing roots' secant estimates, with the values
        // at an end that is kept twice in a row halved, so that both ends close in. A probe
        // stays tiny / 2 inside the interval: a root at an end then closes it at once. The
        // event is at lo + tiny, as bisection's would be about: a point that hugs the threshold
        // lets the settled solution fall back across it, and the latch flip back.
        double lo = from, hi = tn;
        std::copy(gOld.begin(), gOld.end(), gLo.begin());
        std::copy(gNew.begin(), gNew.end(), gHi.begin());
        int kept = 0;  // the end kept by the last probe: -1 lo, +1 hi
        for (int it = 0; it < 100 && hi - lo > tiny; ++it) {
          double frac = 1;
          for (std::size_t k = 0; k < roots; ++k)
            if (crossed(gLo[k], gHi[k])) frac = std::min(frac, gLo[k] / (gLo[k] - gHi[k]));
          const double mid = std::clamp(lo + frac * (hi - lo), lo + 0.5 * tiny, hi - 0.5 * tiny);
          const bool early = crossedBy(mid);
          (early ? hi : lo) = mid;
          (early ? gHi : gLo).swap(gMid);
          std::vector<double>& keep = early ? gLo : gHi;
          if (kept == (early ? -1 : 1))
            for (double& g : keep) g *= 0.5;
          kept = early ? -1 : 1;
        }
        hi = std::min(tn, std::max(hi, lo + tiny));
        crossedBy(hi);
        for (std::size_t k = 0; k < roots; ++k) found[k] = crossed(gOld[k], gMid[k]) ? (gOld[k] < 0 ? 1 : -1) : 0;
        recordGrid(hi);
        // A restart starts the segment at hi, on the devices' new equations, and the devices
        // settle at that point, not before it.
        auto restart = [&] {
          ++result.restarts;
          settle(hi, xOut, h);
        };
        if (!events.handle(sys, found, xOut, hi, integrating, restart, result, restarted)) return result;
        if (!restarted) {
          from = hi;
          gOld.swap(gMid);
          continue;
        }
        t = hi;
        if (s.internalPoints && t >= s.tstart - tiny) recorder.record(t, hist[0].x, hist[0].xdot);
        // Backward Euler from here, with a tenth of the step (as after a source corner): the
        // device that switched may move fast, and the first step's error estimate rests on one
        // rate only.
        order = 1;
        h *= 0.1;
      }
      if (restarted) continue;
      gOld.swap(gNew);
    }

    if (s.internalPoints) {
      if (tn >= s.tstart - tiny) recorder.record(tn, hist[0].x, hist[0].xdot);
    } else {
      recordGrid(tn);
      recorder.fine(tn, hist[0].x, hist[0].xdot);
    }
    t = tn;
    if (atCorner && t < s.tstop - tiny) {
      // A source corner: recorded (as ngspice does, so waveforms and .measure crossings keep it),
      // and the history restarts there, with a step of a tenth of the way to the next one.
      const bool onGrid = nextOut > 0 && std::fabs(recorder.gridTime(nextOut - 1) - t) <= tiny;
      if (!s.internalPoints && !onGrid && t >= s.tstart - tiny) recorder.record(t, hist[0].x, hist[0].xdot);
      while (nextCorner < corners.size() && corners[nextCorner] <= t + tiny) ++nextCorner;
      const double next = nextCorner < corners.size() ? corners[nextCorner] : s.tstop;
      ++result.restarts;
      depth = 1;
      startRateKnown = false;
      order = 1;
      h = std::min(h, 0.1 * std::min(planned, next - t));
    }
  }
  result.ok = true;
  return result;
}

}  // namespace memspice::engine
