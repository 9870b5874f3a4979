// The Yakopcic generalized memristor (Yakopcic et al., IEEE TCAD 32(8) 1201, 2013), with
// Xyce's parameter names and defaults (level 3 of Xyce's `memristor` model;
// docs/models/yakopcic.md). One state x in [0, 1]:
//   i     = a1 x sinh(b v)   (v >= 0),   a2 x sinh(b v)   (v < 0)
//   dx/dt = eta g(v) f(x, v)
//   g(v)  = ap (e^v - e^vp)  v > vp;   -an (e^-v - e^vn)  v < -vn;   0 otherwise
//   f     = eta v > 0:  e^(-alphap (x-xp)) wp(x)  for x > xp, else 1;  wp = (xp-x)/(1-xp) + 1
//           otherwise:  e^(alphan (x+xn-1)) wn(x) for x <= 1-xn, else 1;  wn = x/(1-xn)
#include <cmath>
#include <fmt/format.h>
#include <limits>

#include "builtin/param_reader.hpp"
#include "memristor/limited_math.hpp"
#include "memristor/memristor_models.hpp"
#include "memristor/state_device.hpp"

namespace memspice::models {

namespace {

using engine::EvalContext;
using engine::EvalOutput;
using engine::StampEntry;

class YakopcicMemristor final : public engine::Device {
 public:
  YakopcicMemristor(const elab::FlatInstance& inst, const elab::FlatCircuit& c) : Device(inst.name, inst.loc) {
    ParamReader p(inst, c, "yakopcic memristor");
    eta_ = p.model("eta", 1);
    vp_ = p.model("vp", 1e-2);
    vn_ = p.model("vn", -1e-2);
    ap_ = p.model("ap", 1);
    an_ = p.model("an", 1);
    a1_ = p.model("a1", 1);
    a2_ = p.model("a2", 1);
    b_ = p.model("b", 1);
    alphap_ = p.model("alphap", 1);
    alphan_ = p.model("alphan", 1);
    xp_ = p.model("xp", 1);
    xn_ = p.model("xn", 1);
    x0_ = p.instance("xo", 0);
    if (p.model("xscaling", 1) != 1) p.fail(fmt::format("'{}': xscaling= other than 1 is not supported", inst.name));
    // Xyce's random telegraph noise: accepted when off, refused when on (never ignored).
    if (p.model("resnoise", 0) != 0 || p.model("xnoise", 0) != 0)
      p.fail(fmt::format("'{}': random telegraph noise (resnoise=1, xnoise=1) is not supported by memspice", inst.name));
    for (const char* n : {"resseed", "reslambda", "restd", "reseptd", "resdelta", "resdeltagrad", "xseed", "xlambda",
                          "xtd", "xeptd", "xdelta", "xdeltagrad"})
      p.model(n);
    p.finish();
    // wp and wn divide by 1-xp and 1-xn (Xyce's defaults xp=xn=1 divide by zero).
    if (!(xp_ < 1) || !(xn_ < 1))
      p.fail(fmt::format("'{}': xp= and xn= must be below 1 (the windows divide by 1-xp and 1-xn)", inst.name));
    if (!(b_ != 0)) p.fail(fmt::format("'{}': b= must be nonzero", inst.name));
  }

  std::size_t terminalCount() const override { return 2; }
  std::vector<engine::InternalUnknown> internals() const override { return {{engine::Nature::State, "#x"}}; }
  std::vector<StampEntry> stamp() const override { return state_device::stamp(); }
  std::optional<double> initialValue(std::size_t k) const override {
    return k == 0 ? std::optional<double>(x0_) : std::nullopt;
  }
  // The chord resistance v/i (its small-signal limit at v = 0).
  std::vector<std::string> quantityNames() const override { return {"r"}; }
  double quantity(std::size_t, std::span<const double> x) const override {
    const double v = x[0] - x[1], a = v >= 0 ? a1_ : a2_;
    const double conductance = std::fabs(b_ * v) < 1e-8 ? a * x[2] * b_ : a * x[2] * limited::sinh(b_ * v) / v;
    return conductance == 0 ? std::numeric_limits<double>::infinity() : 1 / conductance;
  }

  void eval(std::span<const double> x, const EvalContext& ctx, EvalOutput& out) override {
    const double v = x[0] - x[1], s = x[2];
    const double a = v >= 0 ? a1_ : a2_;
    const double sh = limited::sinh(b_ * v);
    const double i = a * s * sh, didv = a * s * b_ * limited::cosh(b_ * v), didx = a * sh;
    state_device::loadCurrent(out, i, didv, didx);
    if (!ctx.integrating) return state_device::holdState(out, s, x0_);
    // Threshold function g(v).
    double g = 0, dg = 0;
    if (v > vp_) {
      g = ap_ * (limited::exp(v) - std::exp(vp_));
      dg = ap_ * limited::expDeriv(v);
    } else if (v < -vn_) {
      g = -an_ * (limited::exp(-v) - std::exp(vn_));
      dg = an_ * limited::expDeriv(-v);
    }
    // Motion function f(x) and df/dx.
    double f = 1, df = 0;
    if (eta_ * v > 0) {
      if (s > xp_) {
        const double e = std::exp(-alphap_ * (s - xp_)), wp = (xp_ - s) / (1 - xp_) + 1;
        f = e * wp;
        df = e * (-1 / (1 - xp_)) - alphap_ * f;
      }
    } else if (s <= 1 - xn_) {
      const double e = std::exp(alphan_ * (s + xn_ - 1)), wn = s / (1 - xn_);
      f = e * wn;
      df = e / (1 - xn_) + alphan_ * f;
    }
    state_device::loadRate(out, s, eta_ * g * f, eta_ * dg * f, eta_ * g * df);
  }

 private:
  double eta_, vp_, vn_, ap_, an_, a1_, a2_, b_, alphap_, alphan_, xp_, xn_, x0_;
};

}  // namespace

std::unique_ptr<engine::Device> makeYakopcicMemristor(const elab::FlatInstance& i, const elab::FlatCircuit& c) {
  return std::make_unique<YakopcicMemristor>(i, c);
}

}  // namespace memspice::models
