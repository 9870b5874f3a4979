#pragma once
// MnaSystem: the global view of f(x) + d/dt q(x) = 0.
// Unknowns are the non-ground node voltages (in flat-circuit node order), then each device's
// internal unknowns. One CSC pattern (the union of every device's stamp and all diagonals)
// is built at construction; G and C share it. Each device gets, once, the global index of each
// local unknown and the value offset of each stamp entry. Ground maps to a trash slot at the
// end of every array, so the scatter needs no tests:  F[map[i]] += f[i],  G[off[k]] += G[k].
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "device/device.hpp"

namespace memspice::engine {

using Index = std::int64_t;  // SUNDIALS sunindextype and KLU's klu_l_* use 64-bit indices

struct CscPattern {
  Index n = 0;
  std::vector<Index> colPtr;  // n + 1
  std::vector<Index> rowIdx;  // nnz
  Index nnz() const { return static_cast<Index>(rowIdx.size()); }
};

// Whether column col of C (values on the pattern) has a nonzero entry: unknown col carries
// charge (a differential unknown, in IDA's terms).
inline bool carriesCharge(const CscPattern& p, std::span<const double> C, Index col) {
  for (Index k = p.colPtr[static_cast<std::size_t>(col)]; k < p.colPtr[static_cast<std::size_t>(col) + 1]; ++k)
    if (C[static_cast<std::size_t>(k)] != 0) return true;
  return false;
}

// out += A v, for A given by its values on the pattern (G or C of an MnaSystem).
inline void addProduct(const CscPattern& p, std::span<const double> values, const double* v, double* out) {
  for (Index col = 0; col < p.n; ++col)
    for (Index k = p.colPtr[static_cast<std::size_t>(col)]; k < p.colPtr[static_cast<std::size_t>(col) + 1]; ++k)
      out[p.rowIdx[static_cast<std::size_t>(k)]] += values[static_cast<std::size_t>(k)] * v[col];
}

struct Unknown {
  std::string name;  // node name, or "<device>#branch"
  Nature nature;
};

class MnaSystem {
 public:
  MnaSystem(std::vector<std::unique_ptr<Device>> devices, const std::vector<std::vector<Connection>>& terminals,
            const std::vector<std::string>& nodeNames);

  std::size_t size() const { return unknowns_.size(); }
  const std::vector<Unknown>& unknowns() const { return unknowns_; }
  const CscPattern& pattern() const { return pattern_; }
  std::size_t deviceCount() const { return slots_.size(); }
  Device& device(std::size_t d) { return *slots_[d].device; }
  const Device& device(std::size_t d) const { return *slots_[d].device; }
  // Global index of a node's voltage unknown, or -1 for ground.
  Index nodeUnknown(int node) const { return node == 0 ? -1 : node - 1; }
  // Global index of device d's first internal unknown (its branch current, if any).
  Index internalUnknown(std::size_t d, std::size_t k) const {
    return slots_[d].map[slots_[d].device->terminalCount() + k];
  }
  // Value offset of every unknown's diagonal entry (the pattern holds them all).
  const std::vector<Index>& diagonals() const { return diagonals_; }
  // Value offsets of the diagonal entries of node-voltage unknowns (gmin stepping adds there).
  const std::vector<Index>& voltageDiagonals() const { return voltageDiagonals_; }

  // True if every device is linear (Device::linear).
  bool linear() const { return linear_; }
  // Evaluates every device at x (G only if ctx.jacobian, fScale only if ctx.scale). Returns true
  // if any device limited a junction voltage. Devices with a fixed stamp (Device::fixedStamp)
  // are not called: their G and C are stamped once per temperature, and f = G x, q = C x.
  bool evaluate(std::span<const double> x, const EvalContext& ctx);
  // Sets device d's swept value (Device::setSweepValue); false if it has none. A fixed stamp is
  // stamped again at the next evaluation.
  bool setSweepValue(std::size_t d, double value);
  std::span<const double> f() const { return {f_.data(), unknowns_.size()}; }
  std::span<const double> q() const { return {q_.data(), unknowns_.size()}; }
  // Sum of |contributions| per equation: the scale for residual tolerances. A device's own
  // internal node (a diode's, behind its series resistance) sees only that device, whose
  // currents there cancel inside it; its scale is the largest current at the device's terminals.
  std::span<const double> fScale() const { return {fAbs_.data(), unknowns_.size()}; }
  std::span<const double> G() const { return {G_.data(), static_cast<std::size_t>(pattern_.nnz())}; }
  std::span<const double> C() const { return {C_.data(), static_cast<std::size_t>(pattern_.nnz())}; }

  // Writes the devices' initial internal values (Device::initialValue) into x: the start of
  // every Newton solve from scratch and of a uic transient.
  void initialValues(std::span<double> x) const;
  // Tells every device that x is a converged point.
  void accept(std::span<const double> x);

  // Root functions of all devices, back to back (rootCount() of them).
  std::size_t rootCount() const { return rootTotal_; }
  void roots(std::span<const double> x, const EvalContext& ctx, std::span<double> g);
  // Hands the crossings IDA found (per root: +1 rising, -1 falling, 0 none) to their devices.
  // Returns true if any device changed its equations; each change a device names
  // (Device::eventName) is appended to `events` as (device index, name).
  bool onRoots(std::span<const int> directions, std::span<const double> x, double time,
               std::vector<std::pair<std::size_t, std::string>>* events = nullptr);
  // Device::settle for every device with roots; true if any changed its equations.
  bool settle(std::span<const double> x, const EvalContext& ctx);
  // Current through device d (into terminal 0): its branch unknown, or f[0] + dq[0]/dt from its
  // own equations, with dx/dt = xdot (empty in DC).
  double deviceCurrent(std::size_t d, std::span<const double> x, std::span<const double> xdot, const EvalContext& ctx);
  // Device d's derived quantity k (Device::quantityNames) at x.
  double deviceQuantity(std::size_t d, std::size_t k, std::span<const double> x);
  // Power absorbed by device d: the sum over its first `nodeTerminals` terminals of the node
  // voltage times the current flowing into the device there.
  double devicePower(std::size_t d, std::size_t nodeTerminals, std::span<const double> x,
                     std::span<const double> xdot, const EvalContext& ctx);

 private:
  struct Slot {
    std::unique_ptr<Device> device;
    std::span<Index> map;             // local unknown -> global (size() = trash); in mapAll_
    std::span<const StampEntry> stamp;  // the device's stamp, asked for once; in stampAll_
    std::span<Index> offsets;         // stamp entry -> value offset (nnz = trash); in offsetsAll_
    std::size_t localStart = 0;  // into the local scratch arrays
    std::size_t stampStart = 0;
    std::size_t rootStart = 0;
    std::size_t roots = 0;
    bool internalNodes = false;  // has internal unknowns of voltage nature (KCL rows of its own)
    bool fixed = false;          // Device::fixedStamp: stamped once, never evaluated
    bool chargeFree = false;     // Device::chargeFree: its q and C are not added
  };
  // The evaluated devices' share of the local scratch arrays (they come first).
  std::size_t evaluatedLocals_ = 0, evaluatedStamps_ = 0;
  void gather(const Slot& s, std::span<const double> x);
  // Zeroes the slot's local f, q, G and C: a device's eval adds into them.
  void clearOutputs(const Slot& s);
  void evalSlot(Slot& s, const EvalContext& ctx, EvalOutput& out);
  // Gfix_, Cfix_ and the rows' terms from the fixed-stamp devices, if stale for
  // ctx.temperature.
  void stampFixed(const EvalContext& ctx);
  // f_ += and q_ += each fixed-stamp device's f = G x and q = C x per equation (and, if
  // scale, fAbs_ += its |f|): one pass over their own terms, not the whole pattern.
  void addFixed(std::span<const double> x, bool scale);
  // Evaluates device d at x and writes the current into each of its first out.size() local
  // equations (f + C xdot); x is then in the slot's local scratch.
  void terminalCurrents(std::size_t d, std::span<const double> x, std::span<const double> xdot, const EvalContext& ctx,
                        std::span<double> out);

  std::vector<Slot> slots_;
  std::vector<Index> mapAll_, offsetsAll_;  // all slots' maps and offsets, back to back
  std::vector<StampEntry> stampAll_;
  std::vector<Unknown> unknowns_;
  CscPattern pattern_;
  std::vector<Index> diagonals_, voltageDiagonals_;
  std::size_t rootTotal_ = 0;
  bool linear_ = true;
  std::vector<double> f_, q_, fAbs_, G_, C_;          // global, with trash slot
  std::vector<double> xl_, fl_, ql_, Gl_, Cl_;        // local scratch, all devices back to back
  std::vector<std::size_t> evaluated_, fixed_;        // slot indices: called each time / stamped once
  std::vector<double> Gfix_, Cfix_;                   // the fixed stamps, on the pattern
  // A fixed-stamp device's f and q in one equation: the sums of fixedTerms_[begin, end)
  // g x[col] and c x[col].
  struct FixedRow {
    Index row;
    std::size_t begin, end;
  };
  struct FixedTerm {
    Index col;
    double g, c;
  };
  std::vector<FixedRow> fixedRows_;
  std::vector<FixedTerm> fixedTerms_;
  bool fixedStale_ = true;
  double fixedTemperature_ = 0;                       // the ctx.temperature they were stamped at
};

}  // namespace memspice::engine
