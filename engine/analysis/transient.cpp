#include "analysis/transient.hpp"

#include "analysis/ida_corrector.hpp"
#include "analysis/transient_support.hpp"
#include "analysis/trapezoidal.hpp"
#include "analysis/vector_ops.hpp"

#include <ida/ida.h>
#include <nvector/nvector_serial.h>
#include <sundials/sundials_context.h>
#include <sunlinsol/sunlinsol_klu.h>
#include <sunmatrix/sunmatrix_sparse.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fmt/format.h>

namespace memspice::engine {

static_assert(sizeof(sunindextype) == sizeof(Index), "SUNDIALS must use 64-bit indices (Debian's does)");

namespace {

struct IdaData {
  MnaSystem* system;
  EvalContext ctx;
  ResidualCheck check;
  void* mem = nullptr;
  double reltol = 0;
  std::vector<double> ftol;   // per equation: abstol for KCL rows, vntol for the others
  const double* atol = nullptr;       // per unknown: IDA's absolute tolerances
  std::vector<double> gDiag, cDiag;   // the diagonal of G and C at the last Jacobian
  std::vector<double> scale;  // per equation: sum of |contributions|, charges' currents included
};

int residual(realtype t, N_Vector y, N_Vector yp, N_Vector r, void* user) {
  auto* d = static_cast<IdaData*>(user);
  MnaSystem& sys = *d->system;
  const std::size_t n = sys.size();
  EvalContext ctx = d->ctx;
  ctx.time = t;
  ctx.jacobian = false;  // the residual needs f and C only
  sys.evaluate({N_VGetArrayPointer(y), n}, ctx);
  const double* ypd = N_VGetArrayPointer(yp);
  double* out = N_VGetArrayPointer(r);
  auto f = sys.f();
  std::copy(f.begin(), f.end(), out);
  const CscPattern& p = sys.pattern();
  auto C = sys.C();
  if (!d->check.enabled) {
    addProduct(p, C, ypd, out);
  } else {
    auto fScale = sys.fScale();
    std::copy(fScale.begin(), fScale.end(), d->scale.begin());
    for (Index col = 0; col < p.n; ++col)
      for (Index k = p.colPtr[static_cast<std::size_t>(col)]; k < p.colPtr[static_cast<std::size_t>(col) + 1]; ++k) {
        double i = C[static_cast<std::size_t>(k)] * ypd[col];
        auto row = static_cast<std::size_t>(p.rowIdx[static_cast<std::size_t>(k)]);
        out[row] += i;
        d->scale[row] += std::fabs(i);
      }
    bool ok = true;
    double cj = 0;
    IDAGetCurrentCj(d->mem, &cj);
    for (std::size_t i = 0; i < n && ok; ++i)
      ok = std::fabs(out[i]) <= residualTolerance(d->reltol, d->scale[i], d->ftol[i], d->gDiag[i] + cj * d->cDiag[i],
                                                 d->atol[i]);
    d->check.residualOk = ok;
  }
  for (std::size_t i = 0; i < n; ++i)
    if (!std::isfinite(out[i])) return 1;  // recoverable: IDA retries with a smaller step
  return 0;
}

int rootFunctions(realtype t, N_Vector y, N_Vector, realtype* g, void* user) {
  auto* d = static_cast<IdaData*>(user);
  EvalContext ctx = d->ctx;
  ctx.time = t;
  d->system->roots({N_VGetArrayPointer(y), d->system->size()}, ctx, {g, d->system->rootCount()});
  return 0;
}

int jacobian(realtype t, realtype cj, N_Vector y, N_Vector, N_Vector, SUNMatrix J, void* user, N_Vector, N_Vector,
             N_Vector) {
  auto* d = static_cast<IdaData*>(user);
  MnaSystem& sys = *d->system;
  EvalContext ctx = d->ctx;
  ctx.time = t;
  sys.evaluate({N_VGetArrayPointer(y), sys.size()}, ctx);
  const CscPattern& p = sys.pattern();
  // IDA zeroes the whole sparse matrix, index arrays included, before calling us.
  std::memcpy(SUNSparseMatrix_IndexPointers(J), p.colPtr.data(), p.colPtr.size() * sizeof(Index));
  std::memcpy(SUNSparseMatrix_IndexValues(J), p.rowIdx.data(), p.rowIdx.size() * sizeof(Index));
  double* a = SUNSparseMatrix_Data(J);
  auto G = sys.G();
  auto C = sys.C();
  for (std::size_t k = 0; k < G.size(); ++k) a[k] = G[k] + cj * C[k];
  if (d->check.enabled) {
    const std::vector<Index>& diagonals = sys.diagonals();
    for (std::size_t i = 0; i < diagonals.size(); ++i) {
      d->gDiag[i] = G[static_cast<std::size_t>(diagonals[i])];
      d->cDiag[i] = C[static_cast<std::size_t>(diagonals[i])];
    }
  }
  return 0;
}

// Owns the SUNDIALS objects of one run.
class Ida {
 public:
  Ida(MnaSystem& sys, const TransientSetup& s) : n_(static_cast<sunindextype>(sys.size())) {
    SUNContext_Create(nullptr, &ctx_);
    y_ = N_VNew_Serial(n_, ctx_);
    yp_ = N_VNew_Serial(n_, ctx_);
    atol_ = N_VNew_Serial(n_, ctx_);
    id_ = N_VNew_Serial(n_, ctx_);
    for (N_Vector v : {y_, yp_, atol_, id_}) useFastVectorOps(v);  // IDA's clones inherit them
    mem_ = IDACreate(ctx_);
    matrix_ = SUNSparseMatrix(n_, n_, std::max<sunindextype>(1, sys.pattern().nnz()), CSC_MAT, ctx_);
    const auto& u = sys.unknowns();
    double* atol = N_VGetArrayPointer(atol_);
    for (std::size_t i = 0; i < u.size(); ++i)
      atol[i] = updateAtol(u[i].nature, s.op.newton.tol);
  }
  ~Ida() {
    if (mem_) IDAFree(&mem_);
    if (corrector_) SUNNonlinSolFree(corrector_);
    if (solver_) SUNLinSolFree(solver_);
    if (matrix_) SUNMatDestroy(matrix_);
    for (N_Vector v : {y_, yp_, atol_, id_})
      if (v) N_VDestroy(v);
    SUNContext_Free(&ctx_);
  }
  Ida(const Ida&) = delete;
  Ida& operator=(const Ida&) = delete;

  sunindextype n_;
  SUNContext ctx_ = nullptr;
  N_Vector y_ = nullptr, yp_ = nullptr, atol_ = nullptr, id_ = nullptr;
  void* mem_ = nullptr;
  SUNMatrix matrix_ = nullptr;
  SUNLinearSolver solver_ = nullptr;
  SUNNonlinearSolver corrector_ = nullptr;  // ours, so freed by us
};

std::string idaFailure(int flag, double t) {
  const char* what = flag == IDA_CONV_FAIL   ? "the corrector did not converge"
                     : flag == IDA_ERR_FAIL  ? "the error test failed repeatedly"
                     : flag == IDA_TOO_MUCH_WORK ? "too many steps"
                     : flag == IDA_LSETUP_FAIL || flag == IDA_LSOLVE_FAIL ? "the linear solver failed (singular matrix?)"
                     : flag == IDA_RES_FAIL || flag == IDA_REP_RES_ERR ? "a device gave a non-finite value"
                                                                  : "IDA failed";
  return fmt::format("transient stopped at t = {:.6g} s: {} (IDA flag {}); try a smaller maximum step or "
                     "looser tolerances",
                     t, what, flag);
}

}  // namespace

std::vector<double> TransientResult::column(std::size_t c) const {
  std::vector<double> out;
  if (width == 0) return out;
  out.reserve(data.size() / width);
  for (std::size_t k = c; k < data.size(); k += width) out.push_back(data[k]);
  return out;
}

void TransientResult::append(TransientResult&& later) {
  ok = later.ok;
  failure = std::move(later.failure);
  data.insert(data.end(), later.data.begin(), later.data.end());
  if (width == 0) width = later.width;
  fine.insert(fine.end(), later.fine.begin(), later.fine.end());
  events.insert(events.end(), later.events.begin(), later.events.end());
  steps += later.steps;
  residuals += later.residuals;
  jacobians += later.jacobians;
  restarts += later.restarts;
  errorFails += later.errorFails;
  correctorFails += later.correctorFails;
  bridges += later.bridges;
  handBack = std::move(later.handBack);
}

TransientResult runTransient(MnaSystem& sys, KluSolver& dcSolver, const TransientSetup& s) {
  return s.method == Method::Trap ? runTrapezoidal(sys, dcSolver, s) : runIda(sys, dcSolver, s);
}

TransientResult runIda(MnaSystem& sys, KluSolver& dcSolver, const TransientSetup& s) {
  TransientResult result;
  const std::size_t n = sys.size();
  std::vector<double> x;
  EvalContext ctx = s.ctx;
  ctx.transient = true;
  const bool resumed = !s.start.empty() && s.resumeAt;
  const double t0 = resumed ? *s.resumeAt : 0.0;
  ctx.time = t0;
  const bool given = s.uic || !s.start.empty();
  if (!transientStart(sys, dcSolver, s, ctx, x, result)) return result;
  sys.accept(x);

  EvalContext integrating = ctx;
  integrating.integrating = true;
  IdaData data{&sys, integrating};
  data.check.enabled = !sys.linear();
  data.reltol = s.op.newton.tol.reltol;
  for (const Unknown& u : sys.unknowns())
    data.ftol.push_back(residualFloor(u.nature, s.op.newton.tol));
  data.scale.assign(n, 0.0);
  data.gDiag.assign(n, 0.0);
  data.cDiag.assign(n, 0.0);
  Ida ida(sys, s);
  data.atol = N_VGetArrayPointer(ida.atol_);
  std::copy(x.begin(), x.end(), N_VGetArrayPointer(ida.y_));
  N_VConst(0.0, ida.yp_);
  if (!s.startRate.empty()) std::copy(s.startRate.begin(), s.startRate.end(), N_VGetArrayPointer(ida.yp_));
  // Differential unknowns: columns with a charge entry at the start point. Evaluated as in the
  // run, so that latches set by the start point (or, when trap hands over, by its run) stay.
  sys.evaluate(x, integrating);
  {
    double* id = N_VGetArrayPointer(ida.id_);
    for (Index col = 0; col < sys.pattern().n; ++col) id[col] = carriesCharge(sys.pattern(), sys.C(), col) ? 1.0 : 0.0;
  }
  int flag = IDAInit(ida.mem_, residual, t0, ida.y_, ida.yp_);
  data.mem = ida.mem_;
  if (flag == IDA_SUCCESS) flag = IDASetUserData(ida.mem_, &data);
  // IDA would print its own messages to stderr; the failure is reported once, as a diagnostic.
  if (flag == IDA_SUCCESS) flag = IDASetErrFile(ida.mem_, nullptr);
  if (flag == IDA_SUCCESS) {
    // trtol widens the local error test only: IDA's corrector tests its updates against the
    // same weights, so its coefficients shrink by trtol to keep Newton as tight as before.
    N_Vector errorAtol = N_VClone(ida.atol_);
    if (!errorAtol) {
      flag = IDA_MEM_FAIL;
    } else {
      N_VScale(s.trtol, ida.atol_, errorAtol);
      flag = IDASVtolerances(ida.mem_, s.trtol * s.op.newton.tol.reltol, errorAtol);  // IDA keeps a copy
      N_VDestroy(errorAtol);
    }
  }
  if (flag == IDA_SUCCESS) flag = IDASetNonlinConvCoef(ida.mem_, 0.33 / s.trtol);
  if (flag == IDA_SUCCESS) flag = IDASetNonlinConvCoefIC(ida.mem_, 0.0033 / s.trtol);
  if (flag == IDA_SUCCESS) {
    ida.solver_ = SUNLinSol_KLU(ida.y_, ida.matrix_, ida.ctx_);
    flag = ida.solver_ ? IDASetLinearSolver(ida.mem_, ida.solver_, ida.matrix_) : IDA_MEM_FAIL;
  }
  if (flag == IDA_SUCCESS) flag = IDASetJacFn(ida.mem_, jacobian);
  if (flag == IDA_SUCCESS) flag = IDASetId(ida.mem_, ida.id_);
  // Algebraic unknowns (driven nodes, branch currents) follow from the differential ones; their
  // y' is never used by F, so their error estimate says nothing and would only stall IDA.
  if (flag == IDA_SUCCESS) flag = IDASetSuppressAlg(ida.mem_, SUNTRUE);
  const double hmax = maxStep(s);
  if (flag == IDA_SUCCESS) flag = IDASetMaxStep(ida.mem_, hmax);
  if (flag == IDA_SUCCESS) flag = IDASetMaxNumSteps(ida.mem_, 100000);
  if (flag == IDA_SUCCESS) flag = IDASetMaxOrd(ida.mem_, s.maxOrder);
  if (flag == IDA_SUCCESS) {
    ida.corrector_ = makeIdaCorrector(ida.y_, &data.check, ida.ctx_);
    flag = ida.corrector_ ? IDASetNonlinearSolver(ida.mem_, ida.corrector_) : IDA_MEM_FAIL;
  }
  if (flag == IDA_SUCCESS) flag = IDASetMaxNonlinIters(ida.mem_, 10);
  std::vector<int> rootsFound(sys.rootCount());
  if (flag == IDA_SUCCESS && sys.rootCount() > 0)
    flag = IDARootInit(ida.mem_, static_cast<int>(sys.rootCount()), rootFunctions);
  if (flag != IDA_SUCCESS) {
    result.failure = fmt::format("could not set up IDA (flag {})", flag);
    return result;
  }

  // Breakpoints of all sources, ascending and distinct.
  const double tiny = 1e-12 * s.tstop;
  const std::vector<double> breaks = sourceCorners(sys, s.tstop, tiny);
  TransientRecorder recorder(s, result, tiny);
  const std::size_t outputs = recorder.gridPoints();  // grid points; source corners are recorded as well
  auto y = [&] { return std::span<const double>(N_VGetArrayPointer(ida.y_), n); };
  auto yp = [&] { return std::span<const double>(N_VGetArrayPointer(ida.yp_), n); };
  auto record = [&](double t) { recorder.record(t, y(), yp()); };
  // One IDA step at a time until tout: every step goes to the fine record; grid points are
  // interpolated from the step that passed them (IDA's normal mode, with the steps visible).
  // A root or stop time beyond tout is held back until the grid has caught up with it, then
  // returned at its own time with y, y' there, as IDA's normal mode would.
  struct Held {
    bool active = false;
    int flag = 0;
    double t = 0;
  } held;
  auto interpolate = [&](double at) {
    int f = IDAGetDky(ida.mem_, at, 0, ida.y_);
    return f == IDA_SUCCESS ? IDAGetDky(ida.mem_, at, 1, ida.yp_) : f;
  };
  auto stepTo = [&](double tout, double& tret) -> int {
    if (held.active) {
      if (tout < held.t - tiny) {
        tret = tout;
        return interpolate(tout);
      }
      held.active = false;
      tret = held.t;
      int f = interpolate(held.t);
      return f == IDA_SUCCESS ? held.flag : f;
    }
    double tn = 0;
    IDAGetCurrentTime(ida.mem_, &tn);
    while (tn < tout - tiny) {
      int f = IDASolve(ida.mem_, tout, &tret, ida.y_, ida.yp_, IDA_ONE_STEP);
      if (f < 0) return f;
      IDAGetCurrentTime(ida.mem_, &tn);
      recorder.fine(tret, y(), yp());
      if (f == IDA_ROOT_RETURN || f == IDA_TSTOP_RETURN) {
        if (tret <= tout + tiny) return f;
        held = {true, f, tret};
        tret = tout;
        return interpolate(tout);
      }
    }
    tret = tout;
    return interpolate(tout);
  };
  // IDA's counters restart with every IDAReInit: bank them first.
  auto bankCounters = [&] {
    long steps = 0, residuals = 0, jacobians = 0, errorFails = 0, correctorFails = 0;
    IDAGetNumSteps(ida.mem_, &steps);
    IDAGetNumResEvals(ida.mem_, &residuals);
    IDAGetNumJacEvals(ida.mem_, &jacobians);
    IDAGetNumErrTestFails(ida.mem_, &errorFails);
    IDAGetNumStepSolveFails(ida.mem_, &correctorFails);  // steps rejected, not retries that converged
    result.steps += steps;
    result.residuals += residuals;
    result.jacobians += jacobians;
    result.errorFails += errorFails;
    result.correctorFails += correctorFails;
  };
  auto consistent = [&](double t) {
    // Algebraic unknowns and derivatives from the differential ones (after a corner or uic).
    double tout1 = t + std::min(hmax, recorder.outStep());
    int f = IDACalcIC(ida.mem_, IDA_YA_YDP_INIT, tout1);
    if (f == IDA_SUCCESS) f = IDAGetConsistentIC(ida.mem_, ida.y_, ida.yp_);
    return f;
  };
  if (resumed && consistent(t0) != IDA_SUCCESS) {
    // A resumed run starts from another integrator's accepted point, which is consistent to
    // its tolerances: go on from it (as after a restart) when IDA finds none better.
    IDAReInit(ida.mem_, t0, ida.y_, ida.yp_);
  } else if (!resumed && given && (flag = consistent(t0)) != IDA_SUCCESS) {
    result.failure = fmt::format("could not make the initial conditions consistent (IDA flag {})", flag);
    return result;
  }

  double t = t0;
  EventHandler events(s, tiny);
  std::size_t nextOut = 0, nextBreak = 0;
  while (nextBreak < breaks.size() && breaks[nextBreak] <= t0 + tiny) ++nextBreak;
  if (resumed) {
    // A resumed run: what lies up to t0 is recorded already.
    while (nextOut < outputs && recorder.gridTime(nextOut) <= t0 + tiny) ++nextOut;
  } else if (s.tstart <= 0) {
    record(0.0);
    nextOut = 1;
  }
  // The grid and the corners: reserved once, so a long run neither copies its output while
  // growing nor holds twice its size at the end.
  if (!s.internalPoints && !resumed) recorder.reserve(breaks.size(), y(), yp());
  // The next source corner (or tstop) is where IDA must stop.
  auto stopAtNextBreak = [&] { IDASetStopTime(ida.mem_, nextBreak < breaks.size() ? breaks[nextBreak] : s.tstop); };
  // BDF history is not valid across a corner or an event: start again at `at`. Should no
  // consistent point be found there, go on from the values we have; the corrector settles them.
  auto restart = [&](double at) {
    ++result.restarts;
    bankCounters();
    IDAReInit(ida.mem_, at, ida.y_, ida.yp_);
    if (consistent(at) != IDA_SUCCESS) IDAReInit(ida.mem_, at, ida.y_, ida.yp_);
    stopAtNextBreak();
  };
  stopAtNextBreak();
  // A bridge for trap ends at an output point, once IDA's step has grown back and no root or
  // stop time is held for later.
  auto handBack = [&](double at) {
    double last = 0;
    if (s.handBackStep <= 0 || held.active || IDAGetLastStep(ida.mem_, &last) != IDA_SUCCESS ||
        last < s.handBackStep)
      return false;
    result.handBack = TransientResult::HandBack{at, last, {y().begin(), y().end()}, {yp().begin(), yp().end()}};
    return true;
  };
  while (nextOut < outputs) {
    double tout = recorder.gridTime(nextOut);
    if (s.internalPoints) tout = s.tstop;
    double tret = t;
    flag = s.internalPoints ? IDASolve(ida.mem_, tout, &tret, ida.y_, ida.yp_, IDA_ONE_STEP) : stepTo(tout, tret);
    if (flag < 0) {
      result.failure = idaFailure(flag, tret);
      return result;
    }
    t = tret;
    if (s.internalPoints) {
      if (t >= s.tstart - tiny) record(t);
      if (t >= s.tstop - tiny) break;
      if (flag == IDA_SUCCESS && handBack(t)) break;
    }
    if (flag == IDA_ROOT_RETURN) {
      // A device event: let the devices react, and restart the integrator if equations changed.
      IDAGetRootInfo(ida.mem_, rootsFound.data());
      bool restarted = false;
      if (!events.handle(sys, rootsFound, {N_VGetArrayPointer(ida.y_), n}, t, integrating, [&] { restart(t); },
                         result, restarted))
        return result;
      if (t < tout - tiny) continue;
    }
    if (s.internalPoints && flag != IDA_TSTOP_RETURN && flag != IDA_ROOT_RETURN) continue;
    if (flag == IDA_TSTOP_RETURN && t < tout - tiny) {
      // A corner: record it (as ngspice does, so waveforms and .measure crossings keep the
      // source's corners exactly), then restart the integrator there.
      if (!s.internalPoints && t >= s.tstart - tiny) record(t);
      while (nextBreak < breaks.size() && breaks[nextBreak] <= t + tiny) ++nextBreak;
      restart(t);
      continue;
    }
    record(tout);
    ++nextOut;
    if (flag == IDA_TSTOP_RETURN) {
      while (nextBreak < breaks.size() && breaks[nextBreak] <= t + tiny) ++nextBreak;
      restart(t);
    } else if (nextOut < outputs && handBack(t)) {
      break;
    }
  }
  bankCounters();
  result.ok = true;
  return result;
}

}  // namespace memspice::engine
