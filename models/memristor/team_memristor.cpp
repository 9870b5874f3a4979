// TEAM and VTEAM threshold memristors (Kvatinsky et al., IEEE TCAS-I 60(1) 211, 2013 and
// TCAS-II 62(8) 786, 2015), with Xyce's parameter names and defaults (level 2 of Xyce's
// `memristor` model; docs/models/team.md). One state x, the unknown in units of xscaling
// (xscaling=1e9: nm):
//   R(x)  = ron + (roff-ron)(x-xon)/(xoff-xon)               ivrelation=0
//         = ron exp(ln(roff/ron)(x-xon)/(xoff-xon))            ivrelation=1
//   i     = v / R(x)
//   dx/dt = koff (c/coff - 1)^alphaoff W(x,i)   c >= coff > 0
//         = kon  (c/con  - 1)^alphaon  W(x,i)   c <= con < 0     (0 in between)
// with the control c = i (TEAM: ioff, ion) or c = v (VTEAM: voff, von), and the window W of
// type wt (0 none, 1 Joglekar, 2 Biolek, 3 Prodromakis, 4 Kvatinsky).
#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "builtin/param_reader.hpp"
#include "memristor/memristor_models.hpp"
#include "memristor/state_device.hpp"

namespace memspice::models {

namespace {

using engine::EvalContext;
using engine::EvalOutput;
using engine::StampEntry;

class TeamMemristor final : public engine::Device {
 public:
  TeamMemristor(const elab::FlatInstance& inst, const elab::FlatCircuit& c, bool voltageControlled)
      : Device(inst.name, inst.loc), voltage_(voltageControlled) {
    const char* kind = voltage_ ? "vteam memristor" : "team memristor";
    ParamReader p(inst, c, kind);
    const double s = p.model("xscaling", 1);
    kon_ = p.model("kon", voltage_ ? -10 : -8e-13) * s;
    koff_ = p.model("koff", voltage_ ? 5e-4 : 8e-13) * s;
    alphaOn_ = p.model("alphaon", 3);
    alphaOff_ = p.model("alphaoff", voltage_ ? 1 : 3);
    xon_ = p.model("xon", 0) * s;
    xoff_ = p.model("xoff", 3e-9) * s;
    ron_ = p.model("ron", 50);
    roff_ = p.model("roff", 1e3);
    if (voltage_) {
      cOn_ = p.model("von", -0.2);
      cOff_ = p.model("voff", 0.02);
    } else {
      // Xyce's default ion is +8.9e-6, which makes (i/ion - 1)^alphaon drive the state at zero
      // current; the TEAM paper's i_on is negative, and so is memspice's default.
      cOn_ = p.model("ion", -8.9e-6);
      cOff_ = p.model("ioff", 1.15e-4);
    }
    d_ = p.model("d", 1.15e-4);
    pw_ = p.model("p", 1.15e-4);
    j_ = p.model("j", 1.15e-4);
    aon_ = p.model("aon", 0) * s;
    aoff_ = p.model("aoff", 3e-9) * s;
    wc_ = p.model("wc", 1.07e-12) * s;
    window_ = static_cast<int>(p.model("wt", 0));
    ivRelation_ = static_cast<int>(p.either("ivrelation", 0));
    x0_ = p.instance("xo", xon_);
    // Xyce's random telegraph noise: accepted when off, refused when on (never ignored).
    if (p.model("resnoise", 0) != 0)
      p.fail(fmt::format("'{}': resistance noise (resnoise=1) is not supported by memspice", inst.name));
    for (const char* n : {"resseed", "reslambda", "restd", "reseptd", "resdelta", "resdeltagrad"}) p.model(n);
    p.finish();

    if (!(ron_ > 0) || !(roff_ > 0)) p.fail(fmt::format("'{}': ron= and roff= must be positive", inst.name));
    if (xoff_ == xon_) p.fail(fmt::format("'{}': xoff= must differ from xon=", inst.name));
    if (!(s > 0)) p.fail(fmt::format("'{}': xscaling= must be positive", inst.name));
    const char* on = voltage_ ? "von" : "ion";
    const char* off = voltage_ ? "voff" : "ioff";
    if (!(cOff_ > 0)) p.fail(fmt::format("'{}': {}= must be positive", inst.name, off));
    if (!(cOn_ < 0)) p.fail(fmt::format("'{}': {}= must be negative", inst.name, on));
    if (window_ < 0 || window_ > 4)
      p.fail(fmt::format("'{}': wt={} is not a window (0 none, 1 Joglekar, 2 Biolek, 3 Prodromakis, 4 Kvatinsky)",
                         inst.name, window_));
    if (window_ >= 1 && window_ <= 3 && !(pw_ >= 1 && pw_ == std::floor(pw_)))
      p.fail(fmt::format("'{}': window wt={} needs p= a whole number >= 1", inst.name, window_));
    if ((window_ == 1 || window_ == 2) && d_ == 0) p.fail(fmt::format("'{}': window wt={} needs d= nonzero", inst.name, window_));
    if (window_ == 4 && !(wc_ > 0)) p.fail(fmt::format("'{}': window wt=4 needs wc= positive", inst.name));
    if (ivRelation_ != 0 && ivRelation_ != 1)
      p.fail(fmt::format("'{}': ivrelation= is 0 (linear) or 1 (exponential)", inst.name));
  }

  std::size_t terminalCount() const override { return 2; }
  std::vector<engine::InternalUnknown> internals() const override { return {{engine::Nature::State, "#x"}}; }
  std::vector<StampEntry> stamp() const override { return state_device::stamp(); }
  std::optional<double> initialValue(std::size_t k) const override {
    return k == 0 ? std::optional<double>(x0_) : std::nullopt;
  }
  std::vector<std::string> quantityNames() const override { return {"r"}; }
  double quantity(std::size_t, std::span<const double> x) const override { return resistance(x[2]).first; }

  void eval(std::span<const double> x, const EvalContext& ctx, EvalOutput& out) override {
    const double v = x[0] - x[1], s = x[2];
    auto [r, drdx] = resistance(s);
    const double i = v / r, didv = 1 / r, didx = -v * drdx / (r * r);
    state_device::loadCurrent(out, i, didv, didx);
    if (!ctx.integrating) return state_device::holdState(out, s, x0_);
    const double c = voltage_ ? v : i;
    const double dcdv = voltage_ ? 1 : didv, dcdx = voltage_ ? 0 : didx;
    auto [k, dkdc] = rate(c);
    auto [w, dwdx] = windowAt(s, i);
    state_device::loadRate(out, s, k * w, dkdc * dcdv * w, dkdc * dcdx * w + k * dwdx);
  }

 private:
  // R(x) and dR/dx. R is kept above ron*1e-6 so a state outside [xon, xoff] (no window)
  // cannot short the circuit with a zero or negative resistance.
  std::pair<double, double> resistance(double s) const {
    const double u = (s - xon_) / (xoff_ - xon_), du = 1 / (xoff_ - xon_);
    double r, drdx;
    if (ivRelation_ == 0) {
      r = ron_ + (roff_ - ron_) * u;
      drdx = (roff_ - ron_) * du;
    } else {
      const double lambda = std::log(roff_ / ron_);
      r = ron_ * std::exp(lambda * u);
      drdx = r * lambda * du;
    }
    const double floor = ron_ * 1e-6;
    if (r < floor) return {floor, 0};
    return {r, drdx};
  }

  // The state's rate and its derivative in the control variable.
  std::pair<double, double> rate(double c) const {
    if (c >= cOff_) {
      const double b = c / cOff_ - 1;
      return {koff_ * std::pow(b, alphaOff_), koff_ * alphaOff_ * std::pow(b, alphaOff_ - 1) / cOff_};
    }
    if (c <= cOn_) {
      const double b = c / cOn_ - 1;
      return {kon_ * std::pow(b, alphaOn_), kon_ * alphaOn_ * std::pow(b, alphaOn_ - 1) / cOn_};
    }
    return {0, 0};
  }

  // The window and its derivative in x; which side applies follows the current's sign.
  std::pair<double, double> windowAt(double s, double i) const {
    switch (window_) {
      case 1: {  // Joglekar
        const double b = 2 * s / d_ - 1;
        return {1 - std::pow(b, 2 * pw_), -2 * pw_ * std::pow(b, 2 * pw_ - 1) * 2 / d_};
      }
      case 2: {  // Biolek
        const double b = s / d_ - (i < 0 ? 0 : 1);
        return {1 - std::pow(b, 2 * pw_), -2 * pw_ * std::pow(b, 2 * pw_ - 1) / d_};
      }
      case 3: {  // Prodromakis
        const double b = (s - 0.5) * (s - 0.5) - 0.75;
        return {j_ * (1 - std::pow(b, pw_)), -j_ * pw_ * std::pow(b, pw_ - 1) * 2 * (s - 0.5)};
      }
      case 4: {  // Kvatinsky: exp(-exp(+-(x - a)/wc))
        const double u = i >= 0 ? (s - aoff_) / wc_ : -(s - aon_) / wc_;
        const double e = std::exp(std::min(u, 700.0));
        const double w = std::exp(-e);
        const double dw = w == 0 ? 0 : -w * e * (i >= 0 ? 1 : -1) / wc_;
        return {w, dw};
      }
      default: return {1, 0};
    }
  }

  bool voltage_;
  double kon_, koff_, alphaOn_, alphaOff_, xon_, xoff_, ron_, roff_, cOn_, cOff_;
  double d_, pw_, j_, aon_, aoff_, wc_, x0_;
  int window_ = 0, ivRelation_ = 0;
};

}  // namespace

std::unique_ptr<engine::Device> makeTeamMemristor(const elab::FlatInstance& i, const elab::FlatCircuit& c) {
  return std::make_unique<TeamMemristor>(i, c, false);
}

std::unique_ptr<engine::Device> makeVteamMemristor(const elab::FlatInstance& i, const elab::FlatCircuit& c) {
  return std::make_unique<TeamMemristor>(i, c, true);
}

}  // namespace memspice::models
