#include "nonlinear/newton.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace memspice::engine {

NewtonReport newton(MnaSystem& system, KluSolver& solver, std::vector<double>& x, EvalContext ctx,
                    const NewtonOptions& options) {
  NewtonReport report;
  const std::size_t n = system.size();
  const auto& unknowns = system.unknowns();
  std::vector<double> matrix(static_cast<std::size_t>(system.pattern().nnz()));
  std::vector<double> dx(n), ratio(n), previous(n), step(n);
  const bool firstRequested = ctx.firstIteration;
  double lastResidual = -1;  // weighted residual before the last update; < 0: none yet
  bool lastLimited = true;
  bool lastChord = false;  // the last update came from factors of an earlier point
  int halvings = 0;
  const bool shunted = options.gshunt > 0 || options.inverseStep > 0;
  bool* valid = shunted ? nullptr : options.factorsValid;  // shunted factors are not reusable
  if (shunted && options.factorsValid) *options.factorsValid = false;
  for (int it = 0; it < options.maxIterations; ++it) {
    report.iterations = it + 1;
    ctx.limit = true;
    ctx.firstIteration = firstRequested && it == 0;
    bool limited = system.evaluate(x, ctx);
    auto f = system.f();
    for (std::size_t i = 0; i < n; ++i) dx[i] = -f[i];
    if (options.gshunt > 0) {
      for (std::size_t i = 0; i < n; ++i)
        if (unknowns[i].nature == Nature::Voltage)
          dx[i] -= options.gshunt * (x[i] - (options.anchor ? (*options.anchor)[i] : 0.0));
    }
    if (options.inverseStep > 0) {
      auto q = system.q();
      for (std::size_t i = 0; i < n; ++i) dx[i] -= options.inverseStep * (q[i] - (*options.anchorCharge)[i]);
    }
    // Residual test at the current point (before the update), and its size in tolerances.
    bool residualOk = true;
    double residual = 0;
    auto scale = system.fScale();
    auto G = system.G();
    const auto& diagonal = system.diagonals();
    for (std::size_t i = 0; i < n; ++i) {
      // A KCL row may miss by what a vntol change of its own voltage moves it, a device state's
      // row by what an abstol change of that state moves it: no update the convergence test
      // accepts can do better (a memristor gap pressed against its stop makes that row steep
      // beyond double precision). Branch rows are held to vntol alone.
      const Nature nature = unknowns[i].nature;
      const double atol = updateAtol(nature, options.tol);  // the update test's, below
      double r = std::fabs(dx[i]) / residualTolerance(options.tol.reltol, scale[i], residualFloor(nature, options.tol),
                                                      G[static_cast<std::size_t>(diagonal[i])],
                                                      nature == Nature::Current ? 0.0 : atol);
      residual = std::max(residual, r);
      if (r > 1) residualOk = false;
    }
    // A chord step that did not halve the residual: the old factors no longer serve. Otherwise,
    // damping: the last update made things worse, so go back and take half of it.
    if (lastChord && !residualOk && residual > 0.5 * lastResidual) {
      *valid = false;
    } else if (!limited && !lastLimited && lastResidual >= 0 && residual > lastResidual && !residualOk &&
        halvings < options.maxHalvings) {
      ++halvings;
      for (std::size_t i = 0; i < n; ++i) {
        step[i] *= 0.5;
        x[i] = previous[i] + step[i];
      }
      continue;
    }
    halvings = 0;
    lastResidual = residual;
    lastLimited = limited;
    lastChord = valid && *valid;
    if (!lastChord) {
      std::copy(G.begin(), G.end(), matrix.begin());
      if (options.gshunt > 0)
        for (Index off : system.voltageDiagonals()) matrix[static_cast<std::size_t>(off)] += options.gshunt;
      if (options.inverseStep > 0) {
        auto C = system.C();
        for (std::size_t k = 0; k < matrix.size(); ++k) matrix[k] += options.inverseStep * C[k];
      }
      ++report.factorisations;
      if (valid) *valid = false;
      if (!solver.factor(matrix)) {
        report.singular = true;
        report.singularUnknown = solver.singularColumn().value_or(-1);
        return report;
      }
      if (valid) *valid = true;
    }
    solver.solve(dx);
    previous = x;
    step = dx;
    bool updateOk = true;
    for (std::size_t i = 0; i < n; ++i) {
      double next = x[i] + dx[i];
      if (!std::isfinite(next)) {
        report.nonFinite = true;
        return report;
      }
      double atol = updateAtol(unknowns[i].nature, options.tol);
      double tol = options.tol.reltol * std::max(std::fabs(x[i]), std::fabs(next)) + atol;
      ratio[i] = std::fabs(dx[i]) / tol;
      if (ratio[i] > 1) updateOk = false;
      x[i] = next;
    }
    if (updateOk && residualOk && !limited) {
      report.converged = true;
      return report;
    }
  }
  std::vector<Index> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](Index a, Index b) { return ratio[static_cast<std::size_t>(a)] > ratio[static_cast<std::size_t>(b)]; });
  for (std::size_t i = 0; i < std::min<std::size_t>(5, n); ++i)
    if (ratio[static_cast<std::size_t>(order[i])] > 1) report.worst.push_back(order[i]);
  return report;
}

}  // namespace memspice::engine
