// The Stanford/PKU RRAM gap model v1.0.0 (Jiang et al., IEEE TED 63(5) 1884, 2016; Guan,
// Yu, Wong, IEEE EDL 33(10) 1405, 2012), deterministic part, with the Verilog-A parameter
// names (docs/models/stanford-rram.md). One state, the tunnelling gap g (unknown in nm):
//   I      = i0 exp(-g/g0) sinh(V/v0)
//   T      = t_ini + V I rth                                    (quasi-static self-heating)
//   gamma  = gamma0 - beta (g / 1 nm)^alpha, switched off below the field f_min
//   dg/dt  = -vel0 exp(-q ea / kT) sinh(gamma a0 q V / (tox k T)) W(g)
// The published code clamps g to [gap_min, gap_max] after integrating; here the rate is
// multiplied by a smooth window W that vanishes at the bounds (width gap_smooth) and the field
// threshold is a logistic step (relative width f_smooth), so Newton sees no kinks.
#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "builtin/param_reader.hpp"
#include "memristor/dual.hpp"
#include "memristor/limited_math.hpp"
#include "memristor/memristor_models.hpp"
#include "memristor/state_device.hpp"

namespace memspice::models {

namespace {

using engine::EvalContext;
using engine::EvalOutput;
using engine::StampEntry;
using D = Dual<2>;  // d/dV, d/dg

constexpr double kQ = 1.602176634e-19, kKb = 1.380649e-23;

D sinhLim(const D& a) { return a.chain(limited::sinh(a.v), limited::cosh(a.v)); }
D expLim(const D& a) { return a.chain(limited::exp(a.v), limited::expDeriv(a.v)); }
D logistic(const D& z) {
  double s = z.v >= 0 ? 1 / (1 + std::exp(-z.v)) : std::exp(z.v) / (1 + std::exp(z.v));
  return z.chain(s, s * (1 - s));
}

class StanfordRram final : public engine::Device {
 public:
  StanfordRram(const elab::FlatInstance& inst, const elab::FlatCircuit& c) : Device(inst.name, inst.loc) {
    ParamReader p(inst, c, "stanford_rram");
    i0_ = p.either("i0", 1e-3);
    g0_ = p.either("g0", 0.25e-9) * 1e9;
    v0_ = p.either("v0", 0.25);
    vel0_ = p.either("vel0", 10) * 1e9;
    ea_ = p.either("ea", 0.6);
    a0_ = p.either("a0", 0.25e-9);
    tox_ = p.either("tox", 12e-9);
    gamma0_ = p.either("gamma0", 16);
    beta_ = p.either("beta", 0.8);
    alpha_ = p.either("alpha", 3);
    fmin_ = p.either("f_min", 1.4e9);
    gmin_ = p.either("gap_min", 0.2e-9) * 1e9;
    gmax_ = p.either("gap_max", 1.7e-9) * 1e9;
    gini_ = p.either("gap_ini", 0.2e-9) * 1e9;
    rth_ = p.either("rth", 2.1e3);
    tini_ = p.either("t_ini", 298);
    smooth_ = p.either("gap_smooth", 0.01e-9) * 1e9;
    fsmooth_ = p.either("f_smooth", 0.01);
    // The published variability (model_switch=1) draws a new gap offset at every time step,
    // which no variable-step integrator can reproduce; refuse it rather than ignore it.
    if (p.either("model_switch", 0) != 0)
      p.fail(fmt::format("'{}': model_switch=1 (per-step gap noise) is not supported; use agauss() on gap_ini or "
                         "g0 for device-to-device variation",
                         inst.name));
    for (const char* n : {"deltagap0", "t_crit", "t_smth"}) p.either(n, 0);
    p.finish();
    p.requirePositive(i0_, "i0");
    p.requirePositive(g0_, "g0");
    p.requirePositive(v0_, "v0");
    p.requirePositive(tox_, "tox");
    p.requirePositive(a0_, "a0");
    p.requirePositive(gmin_, "gap_min");
    p.requirePositive(tini_, "t_ini");
    p.requirePositive(smooth_, "gap_smooth");
    p.requirePositive(fsmooth_, "f_smooth");
    if (vel0_ < 0 || rth_ < 0 || fmin_ < 0) p.fail(fmt::format("'{}': vel0=, rth= and f_min= must not be negative", inst.name));
    if (!(gmax_ > gmin_)) p.fail(fmt::format("'{}': gap_max= must be above gap_min=", inst.name));
    if (!(gini_ > 0)) p.fail(fmt::format("'{}': gap_ini= must be positive", inst.name));
  }

  std::size_t terminalCount() const override { return 2; }
  std::vector<engine::InternalUnknown> internals() const override { return {{engine::Nature::State, "#gap"}}; }
  std::vector<StampEntry> stamp() const override { return state_device::stamp(); }
  std::optional<double> initialValue(std::size_t k) const override {
    return k == 0 ? std::optional<double>(gini_) : std::nullopt;
  }
  // r: the chord resistance V/I (its small-signal limit at V = 0); t: the filament temperature (K).
  std::vector<std::string> quantityNames() const override { return {"r", "t"}; }
  double quantity(std::size_t k, std::span<const double> x) const override {
    const double v = x[0] - x[1], e = i0_ * std::exp(-x[2] / g0_);
    if (k == 1) return tini_ + v * e * limited::sinh(v / v0_) * rth_;
    return std::fabs(v / v0_) < 1e-8 ? v0_ / e : v / (e * limited::sinh(v / v0_));
  }

  void eval(std::span<const double> x, const EvalContext& ctx, EvalOutput& out) override {
    const D v = D::variable(x[0] - x[1], 0), g = D::variable(x[2], 1);
    const D i = i0_ * exp(-g / g0_) * sinhLim(v / v0_);
    state_device::loadCurrent(out, i.v, i.d[0], i.d[1]);
    if (!ctx.integrating) return state_device::holdState(out, x[2], gini_);
    const D temp = tini_ + v * i * rth_;
    const double gp = std::max(x[2], 0.0);
    const D gpow = g.chain(std::pow(gp, alpha_), gp > 0 ? alpha_ * std::pow(gp, alpha_ - 1) : 0);
    const D gamma = gamma0_ - beta_ * gpow;
    const D absV = v.chain(std::fabs(v.v), v.v >= 0 ? 1 : -1);
    const D field = gamma * absV / tox_;
    const D gammaOn = fmin_ > 0 ? gamma * logistic((field - fmin_) / (fsmooth_ * fmin_)) : gamma;
    const D kT = kKb * temp;
    const D rate = -vel0_ * exp(-kQ * ea_ / kT) * sinhLim(gammaOn * a0_ * kQ * v / (tox_ * kT));
    // Closing stops at gap_min, opening at gap_max.
    const D w = rate.v < 0 ? 1 - expLim((gmin_ - g) / smooth_) : 1 - expLim((g - gmax_) / smooth_);
    const D dgdt = rate * w;
    state_device::loadRate(out, x[2], dgdt.v, dgdt.d[0], dgdt.d[1]);
  }

 private:
  double i0_, g0_, v0_, vel0_, ea_, a0_, tox_, gamma0_, beta_, alpha_, fmin_, gmin_, gmax_, gini_, rth_, tini_;
  double smooth_, fsmooth_;
};

}  // namespace

std::unique_ptr<engine::Device> makeStanfordRram(const elab::FlatInstance& i, const elab::FlatCircuit& c) {
  return std::make_unique<StanfordRram>(i, c);
}

}  // namespace memspice::models
