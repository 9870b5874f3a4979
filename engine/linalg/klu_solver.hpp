#pragma once
// KluSolver: sparse LU on one fixed CSC pattern. The symbolic analysis is done once in the
// constructor; factor() does a full numeric factorisation the first time and a cheaper
// refactorisation after, falling back to a full one when the pivots degrade.
#include <memory>
#include <optional>
#include <span>

#include "system/mna_system.hpp"

namespace memspice::engine {

class KluSolver {
 public:
  explicit KluSolver(const CscPattern& pattern);
  ~KluSolver();
  KluSolver(const KluSolver&) = delete;
  KluSolver& operator=(const KluSolver&) = delete;

  // Factors the matrix with these values (in pattern order). On a singular matrix returns false
  // and singularColumn() names the unknown KLU could not pivot on.
  bool factor(std::span<const double> values);
  // Solves A x = b in place (after a successful factor()).
  void solve(std::span<double> rhs);
  std::optional<Index> singularColumn() const { return singular_; }

 private:
  struct State;  // KLU's common, symbolic and numeric objects
  const CscPattern& pattern_;
  std::unique_ptr<State> state_;
  std::optional<Index> singular_;
};

}  // namespace memspice::engine
