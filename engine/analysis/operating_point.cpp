#include "analysis/operating_point.hpp"

#include <fmt/format.h>

namespace memspice::engine {

namespace {

std::string describe(const MnaSystem& system, const NewtonReport& r) {
  const auto& u = system.unknowns();
  if (r.singular) {
    if (r.singularUnknown < 0) return "the circuit matrix is singular";
    const Unknown& bad = u[static_cast<std::size_t>(r.singularUnknown)];
    if (bad.nature == Nature::Voltage)
      return fmt::format("the circuit matrix is singular at node '{}': it may have no DC path to ground, "
                         "or be driven by a loop of voltage sources", bad.name);
    return fmt::format("the circuit matrix is singular at '{}': voltage sources or inductors may form a loop, "
                       "or current sources a cut set", bad.name);
  }
  if (r.nonFinite)
    return fmt::format("a device gave an infinite or undefined value at iteration {} (e.g. a division by zero, or "
                       "the slope of sqrt at 0, in a behavioural expression)",
                       r.iterations);
  std::string names;
  for (Index i : r.worst) {
    const Unknown& w = u[static_cast<std::size_t>(i)];
    names += (names.empty() ? "" : ", ") + (w.nature == Nature::Voltage ? fmt::format("v({})", w.name) : w.name);
  }
  if (names.empty()) return fmt::format("no convergence in {} iterations", r.iterations);
  return fmt::format("no convergence in {} iterations; not settled: {}", r.iterations, names);
}

}  // namespace

OpResult solveOperatingPoint(MnaSystem& system, KluSolver& solver, std::vector<double>& x, const EvalContext& ctx,
                             const OpOptions& options) {
  OpResult result;
  const std::vector<double> start = x;
  EvalContext first = ctx;
  first.firstIteration = true;
  NewtonReport r = newton(system, solver, x, first, options.newton);
  if (r.converged) {
    result.converged = true;
    result.method = "newton";
    return result;
  }
  std::string tried = "Newton (" + describe(system, r) + ")";

  if (options.gminStepping) {
    x = start;
    NewtonOptions o = options.newton;
    bool ok = true;
    bool firstStep = true;
    for (double g = 1e-2; g >= 1e-13 && ok; g /= 10) {
      o.gshunt = g;
      EvalContext c = ctx;
      c.firstIteration = firstStep;
      firstStep = false;
      NewtonReport step = newton(system, solver, x, c, o);
      ok = step.converged;
      if (!ok) tried += fmt::format("; gmin stepping stopped at {:g} S ({})", g, describe(system, step));
    }
    if (ok) {
      o.gshunt = 0;
      NewtonReport last = newton(system, solver, x, ctx, o);
      if (last.converged) {
        result.converged = true;
        result.method = "gmin stepping";
        return result;
      }
      tried += "; gmin stepping (" + describe(system, last) + ")";
    }
  }

  if (options.sourceStepping) {
    std::fill(x.begin(), x.end(), 0.0);
    system.initialValues(x);  // device states (a memristor's gap) start where the device says
    EvalContext c = ctx;
    c.sourceFactor = 0;
    c.firstIteration = true;
    NewtonReport step = newton(system, solver, x, c, options.newton);
    double factor = 0, delta = 0.1;
    std::vector<double> good = x;
    while (step.converged && factor < 1) {
      double next = std::min(1.0, factor + delta);
      c.sourceFactor = next;
      c.firstIteration = false;
      x = good;
      step = newton(system, solver, x, c, options.newton);
      if (step.converged) {
        factor = next;
        good = x;
        delta = std::min(delta * 2, 0.5);
      } else if (delta > 1e-6) {
        delta /= 4;
        step.converged = true;  // retry with the smaller step
      }
    }
    if (factor >= 1) {
      result.converged = true;
      result.method = "source stepping";
      return result;
    }
    tried += fmt::format("; source stepping stopped at {:.3g} % of the sources ({})", factor * 100,
                         describe(system, step));
  }

  if (options.pseudoTransient) {
    x = start;
    std::vector<double> anchor = x, anchorCharge(x.size());
    NewtonOptions o = options.newton;
    o.anchor = &anchor;
    o.anchorCharge = &anchorCharge;
    // The circuit's own capacitors take part as a backward-Euler step of kStepPerShunt / g: where
    // a steep state equation (a memristor's gap) swamps any node shunt, its capacitance still
    // holds it near the last point, so the march follows the circuit's own dynamics.
    constexpr double kStepPerShunt = 1e-9;
    auto chargesAt = [&](const std::vector<double>& point) {
      EvalContext e = ctx;
      e.jacobian = false;
      system.evaluate(point, e);
      auto q = system.q();
      std::copy(q.begin(), q.end(), anchorCharge.begin());
    };
    chargesAt(anchor);
    double g = 1.0;
    int steps = 0;
    bool settled = false;
    NewtonReport step;
    EvalContext c = ctx;
    c.firstIteration = true;
    while (steps++ < 2000) {
      o.gshunt = g;
      o.inverseStep = g / kStepPerShunt;
      std::vector<double> trial = anchor;
      step = newton(system, solver, trial, c, o);
      c.firstIteration = false;
      if (step.converged) {
        anchor = trial;
        chargesAt(anchor);
        if (g < 1e-9) {
          x = anchor;
          NewtonOptions plain = options.newton;
          settled = newton(system, solver, x, ctx, plain).converged;
          if (settled) break;
        }
        g /= 4;
      } else {
        g *= 8;
        if (g > 1e6) break;
      }
    }
    if (settled) {
      result.converged = true;
      result.method = "pseudo-transient";
      return result;
    }
    tried += fmt::format("; pseudo-transient stopped after {} steps ({})", steps, describe(system, step));
  }
  result.failure = "no DC operating point: tried " + tried;
  return result;
}

OpResult continueSource(MnaSystem& system, KluSolver& solver, std::vector<double>& x, const EvalContext& ctx,
                        const OpOptions& options, const std::function<void(double)>& set, double from, double to) {
  const std::vector<double> start = x;
  system.accept(start);  // devices limit their steps from the converged point
  set(to);
  if (newton(system, solver, x, ctx, options.newton).converged) return {true, "newton", ""};
  // The walk: fraction `done` of the way is solved; each attempt goes `delta` further.
  std::vector<double> good = start;
  double done = 0, delta = 0.25;
  constexpr double kSmallest = 1e-6;  // of the way; below it the walk gives up
  constexpr int kAttempts = 400;
  for (int attempt = 0; attempt < kAttempts && done < 1 && delta >= kSmallest; ++attempt) {
    const double next = std::min(1.0, done + delta);
    set(from + (to - from) * next);
    x = good;
    system.accept(good);  // devices limit their steps from here, not from a failed attempt
    if (newton(system, solver, x, ctx, options.newton).converged) {
      good = x;
      done = next;
      delta = std::min(2 * delta, 0.5);
    } else {
      delta /= 4;
    }
  }
  set(to);
  if (done >= 1) {
    x = good;
    return {true, "source continuation", ""};
  }
  x = start;
  OpResult r = solveOperatingPoint(system, solver, x, ctx, options);
  if (!r.converged)
    r.failure = fmt::format("walking the source from {:g} to {:g} stopped {:.3g} % of the way; {}", from, to,
                            100 * done, r.failure);
  return r;
}

}  // namespace memspice::engine
