#include "analysis/ida_corrector.hpp"

namespace memspice::engine {

namespace {

struct Corrector {
  SUNNonlinSolSysFn sys = nullptr;        // IDA: F(ypredict + ycor, yppredict + cj ycor)
  SUNNonlinSolLSetupFn lsetup = nullptr;  // IDA: Jacobian and factors at the last residual's point
  SUNNonlinSolLSolveFn lsolve = nullptr;
  SUNNonlinSolConvTestFn ctest = nullptr;  // IDA's test on the weighted update, with its rate estimate
  void* ctestData = nullptr;
  int maxIters = 4;
  int curIter = 0;
  long iters = 0;
  long convFails = 0;
  N_Vector delta = nullptr;
  ResidualCheck* check = nullptr;
};

Corrector& content(SUNNonlinearSolver s) { return *static_cast<Corrector*>(s->content); }

// Newton iterations from ycor, whose residual is in c.delta; `fresh`: the factors are from
// ycor. Returns SUN_NLS_SUCCESS, a positive (recoverable) or a negative (fatal) code.
int iterate(SUNNonlinearSolver nls, Corrector& c, N_Vector ycor, N_Vector w, realtype tol, booleantype& jcur,
            bool fresh, void* mem) {
  double lastNorm = -1;
  for (;;) {
    ++c.iters;
    N_VScale(-1.0, c.delta, c.delta);
    if (int r = c.lsolve(c.delta, mem); r != 0) return r;
    N_VLinearSum(1.0, ycor, 1.0, c.delta, ycor);
    int r = c.ctest(nls, ycor, c.delta, tol, w, c.ctestData);
    if (r < 0) return r;
    if (!c.check->enabled) {  // linear: SUNDIALS' own Newton
      if (r != SUN_NLS_CONTINUE) return r;
      if (++c.curIter >= c.maxIters) return SUN_NLS_CONV_RECVR;
      if (int rr = c.sys(ycor, c.delta, mem); rr != 0) return rr;
      continue;
    }
    double norm = N_VWrmsNorm(c.delta, w);
    bool slow = lastNorm >= 0 && norm > 0.25 * lastNorm;
    lastNorm = norm;
    // Diverging: an iterate going the wrong way is no place for a Jacobian (a junction pushed
    // to e^300 makes the matrix numerically singular). Back to the predictor with fresh factors
    // (solve() does that), or, if the factors were fresh, let IDA cut the step.
    if (r == SUN_NLS_CONV_RECVR) return r;
    if (int rr = c.sys(ycor, c.delta, mem); rr != 0) return rr;
    if (r == SUN_NLS_SUCCESS && c.check->residualOk) return SUN_NLS_SUCCESS;
    if (++c.curIter >= c.maxIters) return SUN_NLS_CONV_RECVR;
    // A small update whose currents do not balance, or slow progress: the factors are too far
    // from this point. Full Newton: refresh them here.
    fresh = r == SUN_NLS_SUCCESS || slow;
    if (fresh)
      if (int rr = c.lsetup(SUNTRUE, &jcur, mem); rr != 0) return rr;
  }
}

// ycor comes in as the initial correction (zero); IDA's y0 (the predictor) is not used, as in
// SUNDIALS' own Newton.
int solve(SUNNonlinearSolver nls, N_Vector /*y0*/, N_Vector ycor, N_Vector w, realtype tol, booleantype callLSetup,
          void* mem) {
  Corrector& c = content(nls);
  booleantype jbad = SUNFALSE, jcur = SUNFALSE;
  c.iters = 0;  // per solve: IDA adds them up
  c.convFails = 0;
  for (;;) {
    c.curIter = 0;
    int r = c.sys(ycor, c.delta, mem);
    if (r == 0 && callLSetup) r = c.lsetup(jbad, &jcur, mem);
    if (r == 0) r = iterate(nls, c, ycor, w, tol, jcur, callLSetup, mem);
    if (r == SUN_NLS_SUCCESS) return SUN_NLS_SUCCESS;
    ++c.convFails;
    // A recoverable failure with factors from an earlier step: once more from the start with a
    // fresh Jacobian, as SUNDIALS' Newton does, before IDA cuts the step.
    if (r < 0 || jcur) return r;
    callLSetup = SUNTRUE;
    jbad = SUNTRUE;
    N_VConst(0.0, ycor);
  }
}

int freeCorrector(SUNNonlinearSolver nls) {
  if (!nls) return SUN_NLS_SUCCESS;
  if (nls->content) {
    Corrector* c = &content(nls);
    if (c->delta) N_VDestroy(c->delta);
    delete c;
    nls->content = nullptr;
  }
  SUNNonlinSolFreeEmpty(nls);
  return SUN_NLS_SUCCESS;
}

}  // namespace

SUNNonlinearSolver makeIdaCorrector(N_Vector templateVector, ResidualCheck* check, SUNContext ctx) {
  SUNNonlinearSolver nls = SUNNonlinSolNewEmpty(ctx);
  if (!nls) return nullptr;
  auto* c = new Corrector;
  c->check = check;
  c->delta = N_VClone(templateVector);
  nls->content = c;
  if (!c->delta) {
    freeCorrector(nls);
    return nullptr;
  }
  auto* ops = nls->ops;
  ops->gettype = [](SUNNonlinearSolver) { return SUNNONLINEARSOLVER_ROOTFIND; };
  ops->initialize = [](SUNNonlinearSolver s) {
    Corrector& k = content(s);
    return k.sys && k.lsolve && k.lsetup && k.ctest ? SUN_NLS_SUCCESS : SUN_NLS_MEM_NULL;
  };
  ops->solve = solve;
  ops->free = freeCorrector;
  ops->setsysfn = [](SUNNonlinearSolver s, SUNNonlinSolSysFn f) { return content(s).sys = f, SUN_NLS_SUCCESS; };
  ops->setlsetupfn = [](SUNNonlinearSolver s, SUNNonlinSolLSetupFn f) { return content(s).lsetup = f, SUN_NLS_SUCCESS; };
  ops->setlsolvefn = [](SUNNonlinearSolver s, SUNNonlinSolLSolveFn f) { return content(s).lsolve = f, SUN_NLS_SUCCESS; };
  ops->setctestfn = [](SUNNonlinearSolver s, SUNNonlinSolConvTestFn f, void* data) {
    content(s).ctest = f;
    content(s).ctestData = data;
    return SUN_NLS_SUCCESS;
  };
  ops->setmaxiters = [](SUNNonlinearSolver s, int n) {
    if (n < 1) return SUN_NLS_ILL_INPUT;
    content(s).maxIters = n;
    return SUN_NLS_SUCCESS;
  };
  ops->getnumiters = [](SUNNonlinearSolver s, long* n) { return *n = content(s).iters, SUN_NLS_SUCCESS; };
  ops->getcuriter = [](SUNNonlinearSolver s, int* n) { return *n = content(s).curIter, SUN_NLS_SUCCESS; };
  ops->getnumconvfails = [](SUNNonlinearSolver s, long* n) { return *n = content(s).convFails, SUN_NLS_SUCCESS; };
  return nls;
}

}  // namespace memspice::engine
