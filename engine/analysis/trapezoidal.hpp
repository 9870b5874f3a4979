#pragma once
// Transient analysis with memspice's own integrator (.options method=trap), as SPICE integrates
// by default: the trapezoidal rule on the charges (q-form),
//   f(x_n+1) + (2/h) (q(x_n+1) - q_n) - q'_n = 0,
// with backward Euler after the start, a source corner, an event or a step whose corrector
// failed, until the trapezoidal estimate allows a step 5 % longer (ngspice's rule). Each step is
// a Newton solve from a predictor (the last points' polynomial), with junction limiting, on the
// factors it has while the step is unchanged and its updates shrink 3x or more per iteration
// (chord iterations), converged by the same update and residual tests as DC. The step comes from
// the local truncation error of every equation's charge, estimated by divided differences over
// the last points (SPICE's CKTterr): the error, as a current, must stay within trtol times
// reltol of the charge's current (or of the charge over the step) plus abstol (vntol on branch
// rows). A step whose error would need one under 0.9 of it is redone with that one; otherwise
// the next may grow to twice the step (not at all right after a failure). A failed corrector
// cuts the step 8x. Output points are interpolated through the last three points. Device roots
// are found by the Illinois method on that same polynomial; at a crossing whose device changes
// its equations, the run restarts there with a tenth of the step, as IDA restarts: a held step
// (charges fixed) solves the new equations there, the devices settle at that point, and its rate
// gives the first step an error estimate. A given or uic start gets the same held step (IDA's
// consistent initial conditions). Where the step falls below 1e-11 of the largest (a gap
// collapsing in finite time), IDA bridges the stretch from the last point: it hands back at the
// first output point where its step has grown to the one trap had when its steps began to fail,
// and the trapezoidal rule goes on from there with IDA's rates, as after an event. The run's
// stats count the bridges.
//
// Against IDA (runIda, method=gear): no error test on unknowns that carry no
// charge of their own, and no SUNDIALS code in the step (Debian builds it at -O0).
#include "analysis/transient.hpp"

namespace memspice::engine {

TransientResult runTrapezoidal(MnaSystem& system, KluSolver& solver, const TransientSetup& setup);

}  // namespace memspice::engine
