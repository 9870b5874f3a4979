#include "analysis/vector_ops.hpp"

#include <nvector/nvector_serial.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <vector>

namespace memspice::engine {

namespace {

// Every kernel reads and writes element by element, so an output may be one of its inputs
// (IDA does that: N_VLinearSum(1, y, 1, d, y)).
using Len = sunindextype;
inline Len len(N_Vector v) { return NV_LENGTH_S(v); }
inline double* data(N_Vector v) { return NV_DATA_S(v); }

void linearSum(realtype a, N_Vector x, realtype b, N_Vector y, N_Vector z) {
  const double *xd = data(x), *yd = data(y);
  double* zd = data(z);
  const Len n = len(x);
  for (Len i = 0; i < n; ++i) zd[i] = a * xd[i] + b * yd[i];
}

void constant(realtype c, N_Vector z) { std::fill_n(data(z), len(z), c); }

void prod(N_Vector x, N_Vector y, N_Vector z) {
  const double *xd = data(x), *yd = data(y);
  double* zd = data(z);
  const Len n = len(x);
  for (Len i = 0; i < n; ++i) zd[i] = xd[i] * yd[i];
}

void divide(N_Vector x, N_Vector y, N_Vector z) {
  const double *xd = data(x), *yd = data(y);
  double* zd = data(z);
  const Len n = len(x);
  for (Len i = 0; i < n; ++i) zd[i] = xd[i] / yd[i];
}

void scale(realtype c, N_Vector x, N_Vector z) {
  const double* xd = data(x);
  double* zd = data(z);
  const Len n = len(x);
  for (Len i = 0; i < n; ++i) zd[i] = c * xd[i];
}

void absolute(N_Vector x, N_Vector z) {
  const double* xd = data(x);
  double* zd = data(z);
  const Len n = len(x);
  for (Len i = 0; i < n; ++i) zd[i] = std::fabs(xd[i]);
}

void inverse(N_Vector x, N_Vector z) {
  const double* xd = data(x);
  double* zd = data(z);
  const Len n = len(x);
  for (Len i = 0; i < n; ++i) zd[i] = 1.0 / xd[i];
}

void addConst(N_Vector x, realtype b, N_Vector z) {
  const double* xd = data(x);
  double* zd = data(z);
  const Len n = len(x);
  for (Len i = 0; i < n; ++i) zd[i] = xd[i] + b;
}

realtype dotProd(N_Vector x, N_Vector y) {
  const double *xd = data(x), *yd = data(y);
  const Len n = len(x);
  double s = 0;
  for (Len i = 0; i < n; ++i) s += xd[i] * yd[i];
  return s;
}

realtype maxNorm(N_Vector x) {
  const double* xd = data(x);
  const Len n = len(x);
  double m = 0;
  for (Len i = 0; i < n; ++i) m = std::max(m, std::fabs(xd[i]));
  return m;
}

realtype wSqrSum(N_Vector x, N_Vector w) {
  const double *xd = data(x), *wd = data(w);
  const Len n = len(x);
  double s = 0;
  for (Len i = 0; i < n; ++i) {
    double p = xd[i] * wd[i];
    s += p * p;
  }
  return s;
}

realtype wSqrSumMask(N_Vector x, N_Vector w, N_Vector id) {
  const double *xd = data(x), *wd = data(w), *idd = data(id);
  const Len n = len(x);
  double s = 0;
  for (Len i = 0; i < n; ++i) {
    double p = idd[i] > 0.0 ? xd[i] * wd[i] : 0.0;
    s += p * p;
  }
  return s;
}

realtype wrmsNorm(N_Vector x, N_Vector w) { return std::sqrt(wSqrSum(x, w) / static_cast<double>(len(x))); }

realtype wrmsNormMask(N_Vector x, N_Vector w, N_Vector id) {
  return std::sqrt(wSqrSumMask(x, w, id) / static_cast<double>(len(x)));
}

realtype minimum(N_Vector x) {
  const double* xd = data(x);
  const Len n = len(x);
  double m = n > 0 ? xd[0] : DBL_MAX;
  for (Len i = 1; i < n; ++i) m = std::min(m, xd[i]);
  return m;
}

realtype wl2Norm(N_Vector x, N_Vector w) { return std::sqrt(wSqrSum(x, w)); }

realtype l1Norm(N_Vector x) {
  const double* xd = data(x);
  const Len n = len(x);
  double s = 0;
  for (Len i = 0; i < n; ++i) s += std::fabs(xd[i]);
  return s;
}

void compare(realtype c, N_Vector x, N_Vector z) {
  const double* xd = data(x);
  double* zd = data(z);
  const Len n = len(x);
  for (Len i = 0; i < n; ++i) zd[i] = std::fabs(xd[i]) >= c ? 1.0 : 0.0;
}

booleantype invTest(N_Vector x, N_Vector z) {
  const double* xd = data(x);
  double* zd = data(z);
  const Len n = len(x);
  bool allNonzero = true;
  for (Len i = 0; i < n; ++i) {
    if (xd[i] == 0.0) allNonzero = false;
    else zd[i] = 1.0 / xd[i];
  }
  return allNonzero ? SUNTRUE : SUNFALSE;
}

// c[i] = +-2: x[i] strictly of that sign; +-1: of that sign or zero; 0: free. m[i] = 1 where
// x[i] breaks its constraint.
booleantype constrMask(N_Vector c, N_Vector x, N_Vector m) {
  const double *cd = data(c), *xd = data(x);
  double* md = data(m);
  const Len n = len(x);
  bool allMet = true;
  for (Len i = 0; i < n; ++i) {
    double a = std::fabs(cd[i]), p = xd[i] * cd[i];
    bool broken = (a > 1.5 && p <= 0.0) || (a > 0.5 && p < 0.0);
    md[i] = broken ? 1.0 : 0.0;
    allMet = allMet && !broken;
  }
  return allMet ? SUNTRUE : SUNFALSE;
}

realtype minQuotient(N_Vector num, N_Vector denom) {
  const double *nd = data(num), *dd = data(denom);
  const Len n = len(num);
  double m = DBL_MAX;
  for (Len i = 0; i < n; ++i)
    if (dd[i] != 0.0) m = std::min(m, nd[i] / dd[i]);
  return m;
}

// z = sum c[j] X[j]; z may be one of the X[j].
int linearCombination(int nvec, realtype* c, N_Vector* X, N_Vector z) {
  double* zd = data(z);
  const Len n = len(z);
  if (nvec == 1) {
    scale(c[0], X[0], z);
    return 0;
  }
  if (nvec == 2) {
    linearSum(c[0], X[0], c[1], X[1], z);
    return 0;
  }
  // Element by element over all inputs, so z may be any of them. IDA passes at most 6.
  double* stack[8];
  std::vector<double*> heap;
  double** xs = stack;
  if (nvec > 8) {
    heap.resize(static_cast<std::size_t>(nvec));
    xs = heap.data();
  }
  for (int j = 0; j < nvec; ++j) xs[j] = data(X[j]);
  for (Len i = 0; i < n; ++i) {
    double s = 0;
    for (int j = 0; j < nvec; ++j) s += c[j] * xs[j][i];
    zd[i] = s;
  }
  return 0;
}

// Z[j] = a[j] x + Y[j].
int scaleAddMulti(int nvec, realtype* a, N_Vector x, N_Vector* Y, N_Vector* Z) {
  for (int j = 0; j < nvec; ++j) linearSum(a[j], x, 1.0, Y[j], Z[j]);
  return 0;
}

int dotProdMulti(int nvec, N_Vector x, N_Vector* Y, realtype* d) {
  for (int j = 0; j < nvec; ++j) d[j] = dotProd(x, Y[j]);
  return 0;
}

}  // namespace

void useFastVectorOps(N_Vector v) {
  N_Vector_Ops o = v->ops;
  o->nvlinearsum = linearSum;
  o->nvconst = constant;
  o->nvprod = prod;
  o->nvdiv = divide;
  o->nvscale = scale;
  o->nvabs = absolute;
  o->nvinv = inverse;
  o->nvaddconst = addConst;
  o->nvdotprod = dotProd;
  o->nvmaxnorm = maxNorm;
  o->nvwrmsnorm = wrmsNorm;
  o->nvwrmsnormmask = wrmsNormMask;
  o->nvmin = minimum;
  o->nvwl2norm = wl2Norm;
  o->nvl1norm = l1Norm;
  o->nvcompare = compare;
  o->nvinvtest = invTest;
  o->nvconstrmask = constrMask;
  o->nvminquotient = minQuotient;
  o->nvlinearcombination = linearCombination;
  o->nvscaleaddmulti = scaleAddMulti;
  o->nvdotprodmulti = dotProdMulti;
  // The local reductions are the same on one process.
  o->nvdotprodlocal = dotProd;
  o->nvmaxnormlocal = maxNorm;
  o->nvminlocal = minimum;
  o->nvl1normlocal = l1Norm;
  o->nvinvtestlocal = invTest;
  o->nvconstrmasklocal = constrMask;
  o->nvminquotientlocal = minQuotient;
  o->nvwsqrsumlocal = wSqrSum;
  o->nvwsqrsummasklocal = wSqrSumMask;
}

}  // namespace memspice::engine
