#include "linalg/klu_solver.hpp"

#include <klu.h>

#include <stdexcept>
#include <vector>

namespace memspice::engine {

static_assert(sizeof(SuiteSparse_long) == sizeof(Index), "KLU's long indices must match Index");

struct KluSolver::State {
  klu_l_common common;
  klu_l_symbolic* symbolic = nullptr;
  klu_l_numeric* numeric = nullptr;
};

namespace {
SuiteSparse_long* indices(const std::vector<Index>& v) {
  return reinterpret_cast<SuiteSparse_long*>(const_cast<Index*>(v.data()));
}
}  // namespace

KluSolver::KluSolver(const CscPattern& pattern) : pattern_(pattern), state_(std::make_unique<State>()) {
  klu_l_defaults(&state_->common);
  if (pattern_.n > 0) {
    state_->symbolic = klu_l_analyze(pattern_.n, indices(pattern_.colPtr), indices(pattern_.rowIdx), &state_->common);
    if (!state_->symbolic) throw std::runtime_error("KLU symbolic analysis failed");
  }
}

KluSolver::~KluSolver() {
  if (state_->numeric) klu_l_free_numeric(&state_->numeric, &state_->common);
  if (state_->symbolic) klu_l_free_symbolic(&state_->symbolic, &state_->common);
}

bool KluSolver::factor(std::span<const double> values) {
  singular_.reset();
  if (pattern_.n == 0) return true;
  State& s = *state_;
  double* a = const_cast<double*>(values.data());
  if (s.numeric) {
    // Refactoring keeps the pivot order; if the new values make it poor, factor afresh.
    bool ok = klu_l_refactor(indices(pattern_.colPtr), indices(pattern_.rowIdx), a, s.symbolic, s.numeric, &s.common);
    if (ok && klu_l_rcond(s.symbolic, s.numeric, &s.common) && s.common.rcond > 1e-14) return true;
    klu_l_free_numeric(&s.numeric, &s.common);
  }
  s.numeric = klu_l_factor(indices(pattern_.colPtr), indices(pattern_.rowIdx), a, s.symbolic, &s.common);
  if (!s.numeric || s.common.status == KLU_SINGULAR) {
    singular_ = (s.common.singular_col >= 0 && s.common.singular_col < pattern_.n) ? s.common.singular_col : 0;
    if (s.numeric) klu_l_free_numeric(&s.numeric, &s.common);
    return false;
  }
  return true;
}

void KluSolver::solve(std::span<double> rhs) {
  if (pattern_.n == 0) return;
  klu_l_solve(state_->symbolic, state_->numeric, pattern_.n, 1, rhs.data(), &state_->common);
}

}  // namespace memspice::engine
