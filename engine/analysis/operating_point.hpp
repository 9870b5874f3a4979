#pragma once
// Finds a DC operating point: Newton from the initial guess; if that fails, gmin stepping
// (a shunt from every node to ground, 1e-2 S down to nothing, each step warm-starting the
// next); if that fails, source stepping (every independent source ramped from 0 to full);
// if that fails, pseudo-transient continuation (each node tied by a conductance g to the last
// accepted point, and the circuit's capacitances taking a backward-Euler step of 1e-9 s / g
// from it; g lowered as steps succeed and raised when they fail, until g is negligible and
// plain Newton confirms). A failure says what was tried and which unknowns did not settle.
#include <functional>
#include <string>
#include <vector>

#include "nonlinear/newton.hpp"

namespace memspice::engine {

struct OpOptions {
  NewtonOptions newton;
  bool gminStepping = true;
  bool sourceStepping = true;
  bool pseudoTransient = true;
};

struct OpResult {
  bool converged = false;
  std::string method;  // "newton", "gmin stepping", "source stepping", "pseudo-transient"
  std::string failure; // what went wrong, with unknown names; empty on success
};

OpResult solveOperatingPoint(MnaSystem& system, KluSolver& solver, std::vector<double>& x, const EvalContext& ctx,
                             const OpOptions& options);

// Moves a solution x, converged with one source at `from`, to the source at `to` (a DC sweep's
// next point): Newton from x; if that fails, the source walks from `from` to `to` in warm-started
// steps that shrink on failure and grow on success, so a solution that changes steeply in
// between (a memristor switching) is followed rather than jumped; if that fails too,
// solveOperatingPoint from x. Devices are told x is accepted (they limit from it). `set` applies
// a value to the source; it is left at `to`.
OpResult continueSource(MnaSystem& system, KluSolver& solver, std::vector<double>& x, const EvalContext& ctx,
                        const OpOptions& options, const std::function<void(double)>& set, double from, double to);

}  // namespace memspice::engine
