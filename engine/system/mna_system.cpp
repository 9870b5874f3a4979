#include "system/mna_system.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace memspice::engine {

MnaSystem::MnaSystem(std::vector<std::unique_ptr<Device>> devices,
                     const std::vector<std::vector<Connection>>& terminals, const std::vector<std::string>& nodeNames) {
  for (std::size_t i = 1; i < nodeNames.size(); ++i) unknowns_.push_back({nodeNames[i], Nature::Voltage});
  // Internal unknowns first, so terminals can refer to other devices' branch currents.
  // A device with a fixed stamp (Device::fixedStamp) is stamped once, unless it has roots or
  // KCL rows of its own (internal node voltages, whose scale MnaSystem works out per evaluation).
  std::vector<Index> firstInternal;
  std::vector<std::size_t> internalCount;
  std::vector<char> fixed;
  for (auto& device : devices) {
    firstInternal.push_back(static_cast<Index>(unknowns_.size()));
    auto internals = device->internals();
    internalCount.push_back(internals.size());
    bool internalNodes = false;
    for (const InternalUnknown& u : internals) {
      unknowns_.push_back({device->name() + u.suffix, u.nature});
      internalNodes = internalNodes || u.nature == Nature::Voltage;
    }
    fixed.push_back(device->fixedStamp() && device->rootCount() == 0 && !internalNodes);
  }
  // Every device's local-to-global map and stamp go into flat arrays (slots view them): the
  // evaluation loop then streams through contiguous memory, which matters at 10^5+ devices.
  // The evaluated devices come first, so that one fill per array clears all their outputs.
  std::vector<std::size_t> order;
  for (int pass = 0; pass < 2; ++pass)
    for (std::size_t d = 0; d < devices.size(); ++d)
      if (fixed[d] == pass) order.push_back(d);
  std::vector<std::size_t> localCount(devices.size()), stampCount(devices.size());
  slots_.resize(devices.size());
  for (std::size_t d : order) {
    Slot s;
    s.device = std::move(devices[d]);
    s.fixed = fixed[d];
    s.chargeFree = s.device->chargeFree();
    if (terminals[d].size() != s.device->terminalCount())
      throw ConnectionError(d, fmt::format("'{}' has {} terminals, but {} are connected", s.device->name(),
                                           s.device->terminalCount(), terminals[d].size()));
    s.localStart = mapAll_.size();
    for (const Connection& c : terminals[d]) {
      if (c.device < 0) {
        mapAll_.push_back(c.node == 0 ? -1 : c.node - 1);
        continue;
      }
      auto other = static_cast<std::size_t>(c.device);
      if (static_cast<std::size_t>(c.internal) >= internalCount.at(other))
        throw ConnectionError(d, fmt::format("'{}' reads the branch current of '{}', which has none; put a 0 V source "
                                             "in series with it and read that source's current",
                                      s.device->name(), slots_[other].device ? slots_[other].device->name()
                                                                            : devices[other]->name()));
      mapAll_.push_back(firstInternal[other] + c.internal);
    }
    for (std::size_t k = 0; k < internalCount[d]; ++k) {
      mapAll_.push_back(firstInternal[d] + static_cast<Index>(k));
      if (unknowns_[static_cast<std::size_t>(mapAll_.back())].nature == Nature::Voltage) s.internalNodes = true;
    }
    localCount[d] = mapAll_.size() - s.localStart;
    s.stampStart = stampAll_.size();
    for (const StampEntry& e : s.device->stamp()) {
      if (e.row >= localCount[d] || e.col >= localCount[d])
        throw ConnectionError(d, fmt::format("'{}' stamps outside its {} unknowns", s.device->name(), localCount[d]));
      stampAll_.push_back(e);
    }
    stampCount[d] = stampAll_.size() - s.stampStart;
    linear_ = linear_ && s.device->linear();
    s.roots = s.device->rootCount();
    if (!s.fixed) {
      evaluatedLocals_ = mapAll_.size();
      evaluatedStamps_ = stampAll_.size();
    }
    slots_[d] = std::move(s);
  }
  for (Slot& s : slots_) {
    s.rootStart = rootTotal_;
    rootTotal_ += s.roots;
  }
  const std::size_t localTotal = mapAll_.size(), stampTotal = stampAll_.size();
  offsetsAll_.assign(stampTotal, 0);
  for (std::size_t d = 0; d < slots_.size(); ++d) {
    Slot& s = slots_[d];
    s.map = {mapAll_.data() + s.localStart, localCount[d]};
    s.stamp = {stampAll_.data() + s.stampStart, stampCount[d]};
    s.offsets = {offsetsAll_.data() + s.stampStart, stampCount[d]};
  }
  const Index n = static_cast<Index>(unknowns_.size());
  for (Index& m : mapAll_)
    if (m < 0) m = n;  // ground -> trash

  // Pattern: every stamp entry that touches no ground, plus every diagonal.
  std::vector<std::pair<Index, Index>> entries;  // (col, row)
  for (Index i = 0; i < n; ++i) entries.emplace_back(i, i);
  for (const Slot& s : slots_)
    for (const StampEntry& e : s.stamp) {
      Index r = s.map[e.row], c = s.map[e.col];
      if (r < n && c < n) entries.emplace_back(c, r);
    }
  std::sort(entries.begin(), entries.end());
  entries.erase(std::unique(entries.begin(), entries.end()), entries.end());
  pattern_.n = n;
  pattern_.colPtr.assign(static_cast<std::size_t>(n) + 1, 0);
  for (auto& [c, r] : entries) {
    ++pattern_.colPtr[static_cast<std::size_t>(c) + 1];
    pattern_.rowIdx.push_back(r);
  }
  for (Index c = 0; c < n; ++c) pattern_.colPtr[static_cast<std::size_t>(c) + 1] += pattern_.colPtr[static_cast<std::size_t>(c)];
  const Index nnz = pattern_.nnz();
  auto offsetOf = [&](Index r, Index c) -> Index {
    if (r >= n || c >= n) return nnz;
    auto begin = pattern_.rowIdx.begin() + pattern_.colPtr[static_cast<std::size_t>(c)];
    auto end = pattern_.rowIdx.begin() + pattern_.colPtr[static_cast<std::size_t>(c) + 1];
    return static_cast<Index>(std::lower_bound(begin, end, r) - pattern_.rowIdx.begin());
  };
  for (Slot& s : slots_)
    for (std::size_t k = 0; k < s.stamp.size(); ++k) s.offsets[k] = offsetOf(s.map[s.stamp[k].row], s.map[s.stamp[k].col]);
  for (Index i = 0; i < n; ++i) {
    diagonals_.push_back(offsetOf(i, i));
    if (unknowns_[static_cast<std::size_t>(i)].nature == Nature::Voltage) voltageDiagonals_.push_back(diagonals_.back());
  }

  f_.assign(static_cast<std::size_t>(n) + 1, 0);
  q_ = fAbs_ = f_;
  G_.assign(static_cast<std::size_t>(nnz) + 1, 0);
  C_ = G_;
  xl_.assign(localTotal, 0);
  fl_ = ql_ = xl_;
  Gl_.assign(stampTotal, 0);
  Cl_ = Gl_;
  for (std::size_t d = 0; d < slots_.size(); ++d) (slots_[d].fixed ? fixed_ : evaluated_).push_back(d);
  if (!fixed_.empty()) {
    Gfix_ = G_;
    Cfix_ = G_;
  }
}

void MnaSystem::gather(const Slot& s, std::span<const double> x) {
  for (std::size_t i = 0; i < s.map.size(); ++i) {
    Index g = s.map[i];
    xl_[s.localStart + i] = g < static_cast<Index>(x.size()) ? x[static_cast<std::size_t>(g)] : 0.0;
  }
}

void MnaSystem::clearOutputs(const Slot& s) {
  std::fill_n(fl_.begin() + static_cast<std::ptrdiff_t>(s.localStart), s.map.size(), 0.0);
  std::fill_n(ql_.begin() + static_cast<std::ptrdiff_t>(s.localStart), s.map.size(), 0.0);
  std::fill_n(Gl_.begin() + static_cast<std::ptrdiff_t>(s.stampStart), s.offsets.size(), 0.0);
  std::fill_n(Cl_.begin() + static_cast<std::ptrdiff_t>(s.stampStart), s.offsets.size(), 0.0);
}

void MnaSystem::evalSlot(Slot& s, const EvalContext& ctx, EvalOutput& out) {
  std::size_t nl = s.map.size(), ns = s.offsets.size();
  out.f = {fl_.data() + s.localStart, nl};
  out.q = {ql_.data() + s.localStart, nl};
  out.G = {Gl_.data() + s.stampStart, ns};
  out.C = {Cl_.data() + s.stampStart, ns};
  s.device->eval({xl_.data() + s.localStart, nl}, ctx, out);
}

void MnaSystem::stampFixed(const EvalContext& ctx) {
  if (fixed_.empty() || (!fixedStale_ && ctx.temperature == fixedTemperature_)) return;
  std::fill(Gfix_.begin(), Gfix_.end(), 0.0);
  std::fill(Cfix_.begin(), Cfix_.end(), 0.0);
  fixedRows_.clear();
  fixedTerms_.clear();
  const auto n = static_cast<Index>(unknowns_.size());
  EvalContext at = ctx;
  at.jacobian = true;
  for (std::size_t d : fixed_) {
    Slot& s = slots_[d];
    std::fill_n(xl_.begin() + static_cast<std::ptrdiff_t>(s.localStart), s.map.size(), 0.0);
    clearOutputs(s);
    EvalOutput out;
    evalSlot(s, at, out);
    for (std::size_t k = 0; k < s.offsets.size(); ++k) {
      auto o = static_cast<std::size_t>(s.offsets[k]);
      Gfix_[o] += out.G[k];
      Cfix_[o] += out.C[k];
    }
    // The device's f and q, row by row, as terms (G[k], C[k]) x[col]: what addFixed sums.
    for (std::size_t i = 0; i < s.map.size(); ++i) {
      if (s.map[i] >= n) continue;  // ground
      FixedRow r{s.map[i], fixedTerms_.size(), 0};
      for (std::size_t k = 0; k < s.stamp.size(); ++k)
        if (s.stamp[k].row == i && (out.G[k] != 0 || out.C[k] != 0) && s.map[s.stamp[k].col] < n)
          fixedTerms_.push_back({s.map[s.stamp[k].col], out.G[k], out.C[k]});
      r.end = fixedTerms_.size();
      if (r.end > r.begin) fixedRows_.push_back(r);
    }
  }
  fixedStale_ = false;
  fixedTemperature_ = ctx.temperature;
}

void MnaSystem::addFixed(std::span<const double> x, bool scale) {
  for (const FixedRow& r : fixedRows_) {
    double f = 0, q = 0;
    for (std::size_t t = r.begin; t < r.end; ++t) {
      const double v = x[static_cast<std::size_t>(fixedTerms_[t].col)];
      f += fixedTerms_[t].g * v;
      q += fixedTerms_[t].c * v;
    }
    const auto row = static_cast<std::size_t>(r.row);
    f_[row] += f;
    q_[row] += q;
    if (scale) fAbs_[row] += std::fabs(f);
  }
}

bool MnaSystem::evaluate(std::span<const double> x, const EvalContext& ctx) {
  stampFixed(ctx);
  std::fill(f_.begin(), f_.end(), 0.0);
  std::fill(q_.begin(), q_.end(), 0.0);
  std::fill(fAbs_.begin(), fAbs_.end(), 0.0);
  if (fixed_.empty()) {
    if (ctx.jacobian) std::fill(G_.begin(), G_.end(), 0.0);
    std::fill(C_.begin(), C_.end(), 0.0);
  } else {
    if (ctx.jacobian) std::copy(Gfix_.begin(), Gfix_.end(), G_.begin());
    std::copy(Cfix_.begin(), Cfix_.end(), C_.begin());
    addFixed(x, ctx.scale);
  }
  std::fill_n(fl_.begin(), evaluatedLocals_, 0.0);
  std::fill_n(ql_.begin(), evaluatedLocals_, 0.0);
  std::fill_n(Gl_.begin(), evaluatedStamps_, 0.0);
  std::fill_n(Cl_.begin(), evaluatedStamps_, 0.0);
  bool limited = false;
  for (std::size_t d : evaluated_) {
    Slot& s = slots_[d];
    gather(s, x);
    EvalOutput out;
    evalSlot(s, ctx, out);
    limited = limited || out.limited;
    for (std::size_t i = 0; i < s.map.size(); ++i) {
      auto g = static_cast<std::size_t>(s.map[i]);
      f_[g] += out.f[i];
      if (ctx.scale) fAbs_[g] += std::fabs(out.f[i]);
    }
    if (!s.chargeFree)
      for (std::size_t i = 0; i < s.map.size(); ++i) q_[static_cast<std::size_t>(s.map[i])] += out.q[i];
    if (ctx.scale && s.internalNodes) {
      std::size_t terminals = s.device->terminalCount();
      double through = 0;
      for (std::size_t i = 0; i < terminals; ++i) through = std::max(through, std::fabs(out.f[i]));
      for (std::size_t i = terminals; i < s.map.size(); ++i) {
        auto g = static_cast<std::size_t>(s.map[i]);
        if (unknowns_[g].nature == Nature::Voltage) fAbs_[g] += through;
      }
    }
    if (ctx.jacobian)
      for (std::size_t k = 0; k < s.offsets.size(); ++k) G_[static_cast<std::size_t>(s.offsets[k])] += out.G[k];
    if (!s.chargeFree)
      for (std::size_t k = 0; k < s.offsets.size(); ++k) C_[static_cast<std::size_t>(s.offsets[k])] += out.C[k];
  }
  return limited;
}

bool MnaSystem::setSweepValue(std::size_t d, double value) {
  if (!slots_[d].device->setSweepValue(value)) return false;
  if (slots_[d].fixed) fixedStale_ = true;
  return true;
}

void MnaSystem::accept(std::span<const double> x) {
  for (Slot& s : slots_) {
    gather(s, x);
    s.device->accept({xl_.data() + s.localStart, s.map.size()});
  }
}

void MnaSystem::roots(std::span<const double> x, const EvalContext& ctx, std::span<double> g) {
  for (Slot& s : slots_) {
    if (s.roots == 0) continue;
    gather(s, x);
    s.device->roots({xl_.data() + s.localStart, s.map.size()}, ctx, g.subspan(s.rootStart, s.roots));
  }
}

bool MnaSystem::onRoots(std::span<const int> directions, std::span<const double> x, double time,
                        std::vector<std::pair<std::size_t, std::string>>* events) {
  bool changed = false;
  for (std::size_t d = 0; d < slots_.size(); ++d) {
    Slot& s = slots_[d];
    for (std::size_t k = 0; k < s.roots; ++k) {
      int dir = directions[s.rootStart + k];
      if (dir == 0) continue;
      gather(s, x);
      if (!s.device->onRoot(k, dir, {xl_.data() + s.localStart, s.map.size()}, time)) continue;
      changed = true;
      if (events)
        if (std::string what = s.device->eventName(k, dir); !what.empty()) events->emplace_back(d, std::move(what));
    }
  }
  return changed;
}

bool MnaSystem::settle(std::span<const double> x, const EvalContext& ctx) {
  bool changed = false;
  for (Slot& s : slots_) {
    if (s.roots == 0) continue;
    gather(s, x);
    changed = s.device->settle({xl_.data() + s.localStart, s.map.size()}, ctx) || changed;
  }
  return changed;
}

void MnaSystem::initialValues(std::span<double> x) const {
  for (std::size_t d = 0; d < slots_.size(); ++d) {
    std::size_t internals = slots_[d].device->internals().size();
    for (std::size_t k = 0; k < internals; ++k)
      if (auto v = slots_[d].device->initialValue(k)) {
        Index u = internalUnknown(d, k);
        if (u >= 0 && static_cast<std::size_t>(u) < x.size()) x[static_cast<std::size_t>(u)] = *v;
      }
  }
}

void MnaSystem::terminalCurrents(std::size_t d, std::span<const double> x, std::span<const double> xdot,
                                 const EvalContext& ctx, std::span<double> out) {
  Slot& s = slots_[d];
  gather(s, x);
  clearOutputs(s);
  EvalOutput eo;
  EvalContext quiet = ctx;
  quiet.limit = false;
  evalSlot(s, quiet, eo);
  std::fill(out.begin(), out.end(), 0.0);
  for (std::size_t k = 0; k < out.size() && k < eo.f.size(); ++k) out[k] = eo.f[k];
  if (xdot.empty()) return;
  for (std::size_t k = 0; k < s.stamp.size(); ++k) {
    std::size_t row = s.stamp[k].row;
    if (row >= out.size()) continue;
    auto g = static_cast<std::size_t>(s.map[s.stamp[k].col]);
    if (g < xdot.size()) out[row] += eo.C[k] * xdot[g];
  }
}

double MnaSystem::deviceCurrent(std::size_t d, std::span<const double> x, std::span<const double> xdot,
                                const EvalContext& ctx) {
  Slot& s = slots_[d];
  if (auto b = s.device->branchUnknown()) return x[static_cast<std::size_t>(s.map[*b])];
  double i = 0;
  terminalCurrents(d, x, xdot, ctx, {&i, s.map.empty() ? 0u : 1u});
  return i;
}

double MnaSystem::deviceQuantity(std::size_t d, std::size_t k, std::span<const double> x) {
  Slot& s = slots_[d];
  gather(s, x);
  return s.device->quantity(k, {xl_.data() + s.localStart, s.map.size()});
}

double MnaSystem::devicePower(std::size_t d, std::size_t nodeTerminals, std::span<const double> x,
                              std::span<const double> xdot, const EvalContext& ctx) {
  Slot& s = slots_[d];
  std::size_t n = std::min(nodeTerminals, s.map.size());
  double current[16];
  std::vector<double> many;
  std::span<double> out{current, n};
  if (n > 16) {
    many.resize(n);
    out = many;
  }
  terminalCurrents(d, x, xdot, ctx, out);
  double p = 0;
  for (std::size_t k = 0; k < n; ++k) p += xl_[s.localStart + k] * out[k];
  return p;
}

}  // namespace memspice::engine
