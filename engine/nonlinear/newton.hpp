#pragma once
// Newton's method on f(x) = 0 (DC), with device junction limiting and an optional shunt
// conductance from every node to ground (gmin stepping) or to an anchor point (pseudo-transient
// continuation: a backward-Euler step on a capacitor at every node). Converged when, after an iteration
// in which no device limited, every update and every residual is within tolerance:
//   |dx_i| <= reltol * max(|x_i|, |x_i + dx_i|) + atol_i   (atol: vntol for voltages, abstol for currents)
//   |f_i|  <= residualTolerance: reltol * sum|contributions_i| + ftol_i + atol_i * |df_i/dx_i|
//             (ftol: abstol for KCL rows, vntol for branch and state rows; the atol term is
//             left out for branch rows)
// Damping: when an update makes the residual (measured against those tolerances) larger than
// before it, and no device limited, the update is halved, up to `maxHalvings` times.
// Reusing factors: with `factorsValid` set, the solver's factors from an earlier call are used
// while they still halve the residual each iteration (chord steps), and refactored when they
// do not. A circuit whose Jacobian does not depend on x (a resistive crossbar) then needs one
// factorisation for any number of solves with new source values.
#include <cmath>
#include <span>
#include <string>
#include <vector>

#include "linalg/klu_solver.hpp"
#include "system/mna_system.hpp"

namespace memspice::engine {

struct Tolerances {
  double reltol = 1e-3;
  double vntol = 1e-6;
  double abstol = 1e-12;
};

// The residual tolerance of one equation, for DC Newton and the transient corrector alike:
// reltol of the currents through it (scale: the sum of their magnitudes), ftol, and what an
// error of atol in its own unknown moves it by (|diagonal| * atol), so a steep row (a state
// equation written as a B source, a stiff junction) is not held to what it cannot resolve.
inline double residualTolerance(double reltol, double scale, double ftol, double diagonal, double atol) {
  return reltol * scale + ftol + std::fabs(diagonal) * atol;
}

// An unknown's absolute tolerance in the update test (vntol for node voltages, abstol for
// currents and device states), and its equation's floor in the residual test (abstol for KCL
// rows, vntol for the others).
inline double updateAtol(Nature nature, const Tolerances& tol) {
  return nature == Nature::Voltage ? tol.vntol : tol.abstol;
}
inline double residualFloor(Nature nature, const Tolerances& tol) {
  return nature == Nature::Voltage ? tol.abstol : tol.vntol;
}

struct NewtonOptions {
  Tolerances tol;
  int maxIterations = 100;
  int maxHalvings = 6;
  double gshunt = 0;  // extra conductance from every node to ground ...
  const std::vector<double>* anchor = nullptr;  // ... or to this point's node voltages, if set
  // Pseudo-transient: adds the circuit's own capacitances as a backward-Euler step of length
  // 1/inverseStep from the anchor, whose charges are anchorCharge: (q(x) - anchorCharge) * inverseStep.
  double inverseStep = 0;
  const std::vector<double>* anchorCharge = nullptr;
  // In: whether the solver holds usable factors of this system. Out: whether it still does.
  // nullptr: factor every iteration.
  bool* factorsValid = nullptr;
};

struct NewtonReport {
  bool converged = false;
  int iterations = 0;
  int factorisations = 0;
  bool singular = false;
  Index singularUnknown = -1;
  bool nonFinite = false;    // a residual, derivative or update became nan or infinite
  std::vector<Index> worst;  // unknowns furthest from convergence at the last iteration, worst first
};

NewtonReport newton(MnaSystem& system, KluSolver& solver, std::vector<double>& x, EvalContext ctx,
                    const NewtonOptions& options);

}  // namespace memspice::engine
