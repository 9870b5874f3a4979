#pragma once
// The processes of an MPI run (mpirun -np N memspice-xbar infer ...): each rank takes an equal
// slice of the batch and rank 0 gathers the results. Without MPI (or run plainly) there is
// one rank and gathering is a no-op.
#include <cstddef>
#include <utility>
#include <vector>

#include "inference.hpp"

namespace memspice::xbar {

class Ranks {
 public:
  Ranks(int& argc, char**& argv);
  ~Ranks();
  int rank() const { return rank_; }
  int size() const { return size_; }
  // This rank's slice of [begin, end).
  std::pair<std::size_t, std::size_t> slice(std::size_t begin, std::size_t end) const;
  // On rank 0: every rank's results, in rank order (so in item order); elsewhere: empty.
  std::vector<ItemResult> gather(const std::vector<ItemResult>& mine) const;
  // Ends every rank after an error on one (a plain exit would leave the others waiting).
  [[noreturn]] void abort(int code) const;

 private:
  int rank_ = 0, size_ = 1;
};

}  // namespace memspice::xbar
