#pragma once
// IDA's corrector: a Newton solver (a SUNNonlinearSolver) that, unlike SUNDIALS' own, does not
// accept a step on a small update alone. SUNDIALS' Newton stops when the weighted update is
// below the error tolerance; with a Jacobian from an earlier point (modified Newton) and
// junctions carrying amperes, a node-voltage tolerance of reltol * |v| leaves a diode's current
// wrong by a factor of two (30 mV on 15 V nodes), the error grows from step to step, and the
// corrector finally fails (VACASK's voltage multiplier). SPICE also checks every device's
// current; here, when the circuit has a nonlinear device, the residual at the accepted point
// must pass a residual test as well:
//   |F_i| <= reltol * (sum of |contributions| to equation i) + ftol_i + |J_ii| * atol_i
// (ftol: abstol for KCL rows, vntol for the others; the last term is the residual of an
// error of atol in unknown i, so stiff rows are not held to amperes they cannot resolve).
// When the test fails, or the iteration converges slowly (an update more than a quarter of
// the one before), the Jacobian is refreshed at the current iterate (full Newton) and the
// iteration goes on. When it diverges, it starts again from the predictor with a Jacobian
// there, and then IDA cuts the step: a diverged iterate (a junction driven to e^280) makes a
// numerically singular matrix. This costs one residual evaluation per step beyond SUNDIALS';
// circuits of linear devices only skip the test and keep SUNDIALS' Newton as it is.
#include <sundials/sundials_context.h>
#include <sundials/sundials_nonlinearsolver.h>
#include <sundials/sundials_nvector.h>

namespace memspice::engine {

// Shared between the residual function (which sets residualOk at every evaluation) and the
// corrector (which reads it after a converged update).
struct ResidualCheck {
  bool enabled = false;     // the circuit has a nonlinear device
  bool residualOk = false;  // the last residual evaluation passed the test above (set by the
                            // residual function, which computes it only when enabled)
};

// A corrector for IDASetNonlinearSolver; `check` must outlive it. Free with SUNNonlinSolFree.
SUNNonlinearSolver makeIdaCorrector(N_Vector templateVector, ResidualCheck* check, SUNContext ctx);

}  // namespace memspice::engine
