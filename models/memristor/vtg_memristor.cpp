// The volatile tunnelling-gap (VTG) memristor of the mReLU neuron (Oh et al., Adv. Mater. 35,
// e2300023, 2023; equations in docs/models/vtg-memristor.md). One internal state, the
// tunnelling gap g in nm:
//   I     = I0 exp(-g/g0) sinh(V/V0) + gleak V          (I0n, V0n for V < 0)
//   dg/dt = -vclose sinh(alpha Vp(V) / g) W(g) + (grest - g) / taur
//   Vp    = vs ln(1 + exp(V/vs))       closing only under positive bias
//   W     = 1 - exp(-(g - gmin)/delta) smooth stop at gmin
// plus the device capacitance cp across the terminals. volatile=0 drops the relaxation
// (a non-volatile RRAM-like gap): its DC state is then held at the initial gap gi. A volatile
// gap's DC row is the steady state dg/dt = 0 in a logarithmic form (eval).
#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "builtin/param_reader.hpp"
#include "memristor/limited_math.hpp"
#include "memristor/memristor_models.hpp"
#include "memristor/state_device.hpp"

namespace memspice::models {

namespace {

using engine::EvalContext;
using engine::EvalOutput;
using engine::StampEntry;

class VtgMemristor final : public engine::Device {
 public:
  VtgMemristor(const elab::FlatInstance& inst, const elab::FlatCircuit& c) : Device(inst.name, inst.loc) {
    ParamReader p(inst, c, "vtg memristor");
    i0_ = p.either("i0", 2.8e-4);
    g0_ = p.either("g0", 0.1);
    v0_ = p.either("v0", 0.5);
    i0n_ = p.either("i0n", i0_);
    v0n_ = p.either("v0n", v0_);
    gleak_ = p.either("gleak", 0);
    vclose_ = p.either("vclose", 1e-3);
    alpha_ = p.either("alpha", 36.6);
    taur_ = p.either("taur", 1e-3);
    grest_ = p.either("grest", 1.5);
    gmin_ = p.either("gmin", 0.2);
    delta_ = p.either("delta", 0.02);
    vs_ = p.either("vs", 0.01);
    cp_ = p.either("cp", 3.5e-12);
    volatile_ = p.either("volatile", 1) != 0;
    gi_ = p.either("gi", grest_);
    p.finish();
    p.requirePositive(i0_, "i0");
    p.requirePositive(g0_, "g0");
    p.requirePositive(v0_, "v0");
    p.requirePositive(i0n_, "i0n");
    p.requirePositive(v0n_, "v0n");
    p.requirePositive(alpha_, "alpha");
    p.requirePositive(taur_, "taur");
    p.requirePositive(delta_, "delta");
    p.requirePositive(vs_, "vs");
    p.requirePositive(gmin_, "gmin");
    if (vclose_ < 0) p.fail(fmt::format("'{}': vclose= must not be negative", inst.name));
    if (gleak_ < 0 || cp_ < 0) p.fail(fmt::format("'{}': gleak= and cp= must not be negative", inst.name));
    if (!(grest_ > gmin_)) p.fail(fmt::format("'{}': grest= must be above gmin=", inst.name));
    if (!(gi_ > 0)) p.fail(fmt::format("'{}': the initial gap gi= must be positive", inst.name));
    gOld_ = gi_;
  }

  std::size_t terminalCount() const override { return 2; }
  std::vector<engine::InternalUnknown> internals() const override { return {{engine::Nature::State, "#gap"}}; }
  std::vector<StampEntry> stamp() const override { return state_device::stamp(); }
  std::optional<double> initialValue(std::size_t internal) const override {
    return internal == 0 ? std::optional<double>(gi_) : std::nullopt;
  }

  void eval(std::span<const double> x, const EvalContext& ctx, EvalOutput& out) override {
    const double v = x[0] - x[1], g = x[2];
    // DC Newton: limit each iteration's step (0.1 V, 0.05 nm) and keep the gap positive; the
    // residual is then linearised at the limited point, so Newton stays consistent. A volatile
    // gap's steady state lies strictly between gmin and grest, so an iterate beyond either goes
    // only halfway there from the last point: near the stop the closing term is ~ (g - gmin),
    // and Newton on its logarithm would otherwise jump across and bounce for dozens of steps.
    double vl = v, gl = std::max(g, kMinGap);
    if (ctx.limit) {
      if (!ctx.firstIteration) {
        vl = vOld_ + std::clamp(v - vOld_, -kMaxDv, kMaxDv);
        gl = gOld_ + std::clamp(g - gOld_, -kMaxDg, kMaxDg);
        if (volatile_ && !ctx.integrating && gOld_ > gmin_ && gOld_ < grest_) {
          if (gl <= gmin_) gl = 0.5 * (gOld_ + gmin_);
          if (gl >= grest_) gl = 0.5 * (gOld_ + grest_);
        }
      }
      gl = std::max(gl, kMinGap);
      out.limited = vl != v || gl != g;
      vOld_ = vl;
      gOld_ = gl;
    }
    // Tunnelling current and its derivatives.
    const bool neg = vl < 0;
    const double i0 = neg ? i0n_ : i0_, v0 = neg ? v0n_ : v0_;
    const double e = i0 * std::exp(-gl / g0_);
    const double it = e * limited::sinh(vl / v0);
    const double gleak = gleak_ + ctx.gmin;
    const double didv = e * limited::cosh(vl / v0) / v0 + gleak;
    const double didg = -it / g0_;
    const double i = it + gleak * vl + didv * (v - vl) + didg * (g - gl);
    // Gap rate: closing speed c (>= 0) against relaxation (grest - g) / taur.
    const double z = vl / vs_;
    const double vp = z > 0 ? vl + vs_ * std::log1p(std::exp(-z)) : vs_ * std::log1p(std::exp(z));
    const double dvp = z > 0 ? 1 / (1 + std::exp(-z)) : std::exp(z) / (1 + std::exp(z));
    const double u = alpha_ * vp / gl;
    const double s = limited::sinh(u), ds = limited::cosh(u);
    const double wz = (gmin_ - gl) / delta_;
    const double w = 1 - limited::exp(wz), dw = limited::expDeriv(wz) / delta_;
    const double c = vclose_ * s * w;
    const double dcdv = vclose_ * ds * (alpha_ * dvp / gl) * w;
    const double dcdg = vclose_ * (ds * (-alpha_ * vp / (gl * gl)) * w + s * dw);
    state_device::loadCurrent(out, i, didv, didg);
    if (!volatile_ && !ctx.integrating) {
      // A non-volatile gap has no DC steady state of its own: hold it at gi outside integration.
      out.f[2] = g - gi_;
      out.G[8] = 1;
    } else if (!ctx.integrating) {
      // DC steady state c * taur = grest - g, both sides through asinh(. / kDcScale): the same
      // root, but logarithmic in the closing term, which is exponential in 1/g, so Newton is not
      // thrown across the set by sinh's e^70 swings (without it the mReLU neuron had no DC
      // solution at a nonzero input).
      const double lhs = c * taur_, rhs = grest_ - gl;
      const double dl = 1 / std::hypot(kDcScale, lhs), dr = 1 / std::hypot(kDcScale, rhs);
      const double fv = dl * dcdv * taur_, fg = dl * dcdg * taur_ + dr;
      out.f[2] = std::asinh(lhs / kDcScale) - std::asinh(rhs / kDcScale) + fv * (v - vl) + fg * (g - gl);
      out.G[6] = fv;
      out.G[7] = -fv;
      out.G[8] = fg;
    } else {
      double rate = -c, drdv = -dcdv, drdg = -dcdg;
      if (volatile_) {
        rate += (grest_ - gl) / taur_;
        drdg -= 1 / taur_;
      }
      out.f[2] = -(rate + drdv * (v - vl) + drdg * (g - gl));
      out.G[6] = -drdv;
      out.G[7] = drdv;
      out.G[8] = -drdg;
    }
    out.q[2] = g;
    out.C[8] = 1;
    if (cp_ > 0) {
      out.q[0] = cp_ * v;
      out.q[1] = -cp_ * v;
      out.C[0] = cp_;
      out.C[1] = -cp_;
      out.C[2] = -cp_;
      out.C[3] = cp_;
    }
  }

  void accept(std::span<const double> x) override {
    vOld_ = x[0] - x[1];
    gOld_ = std::max(x[2], kMinGap);
  }

 private:
  double i0_, g0_, v0_, i0n_, v0n_, gleak_, vclose_, alpha_, taur_, grest_, gmin_, delta_, vs_, cp_, gi_;
  bool volatile_ = true;
  double vOld_ = 0, gOld_ = 1;  // the last limited Newton point
  static constexpr double kMaxDv = 0.1, kMaxDg = 0.05, kMinGap = 1e-3;
  static constexpr double kDcScale = 1e-3;  // nm: below it asinh is linear, above logarithmic
};

}  // namespace

std::unique_ptr<engine::Device> makeVtgMemristor(const elab::FlatInstance& i, const elab::FlatCircuit& c) {
  return std::make_unique<VtgMemristor>(i, c);
}

}  // namespace memspice::models
