// The SPICE junction diode (ngspice level 1 without noise): exponential forward current,
// reverse saturation, optional breakdown, series resistance (an internal node), depletion and
// diffusion charge. Junction voltages are limited between Newton iterations as SPICE does
// (pnjlim), with the residual linearised at the limited voltage so Newton stays consistent.
#include <cmath>
#include <fmt/format.h>
#include <limits>

#include "builtin/builtin_devices.hpp"
#include "builtin/param_reader.hpp"
#include "builtin/stamps.hpp"

namespace memspice::models {

using engine::EvalContext;
using engine::EvalOutput;
using engine::StampEntry;

namespace {

// ngspice DEVpnjlim: limit the new junction voltage to a logarithmic step above vcrit.
double pnjlim(double vnew, double vold, double vt, double vcrit, bool& limited) {
  if (vnew > vcrit && std::fabs(vnew - vold) > 2 * vt) {
    limited = true;
    if (vold > 0) {
      double arg = 1 + (vnew - vold) / vt;
      return arg > 0 ? vold + vt * std::log(arg) : vcrit;
    }
    return vt * std::log(vnew / vt);
  }
  return vnew;
}

class Diode final : public engine::Device {
 public:
  Diode(const elab::FlatInstance& inst, const elab::FlatCircuit& c) : Device(inst.name, inst.loc) {
    ParamReader p(inst, c, "diode");
    double area = inst.values.empty() ? p.instance("area", 1) : inst.values[0];
    area *= p.instance("m", 1);
    is_ = p.model("is", 1e-14) * area;
    n_ = p.model("n", 1);
    rs_ = p.model("rs", 0) / area;
    bv_ = p.model("bv", std::numeric_limits<double>::infinity());
    p.model("ibv");
    cjo_ = p.model("cjo", p.model("cj0", 0)) * area;
    vj_ = p.model("vj", p.model("pb", 1));
    mj_ = p.model("m", p.model("mj", 0.5));
    tt_ = p.model("tt", 0);
    fc_ = p.model("fc", 0.5);
    eg_ = p.model("eg", 1.11);
    xti_ = p.model("xti", 3);
    tnom_ = p.model("tnom", 27) + 273.15;
    if (auto t = p.instance("temp")) fixedTemp_ = *t + 273.15;
    p.instance("ic");
    off_ = false;
    for (const std::string& f : inst.flags) off_ = off_ || f == "off";
    p.finish();
    if (is_ <= 0) p.fail(fmt::format("diode '{}': is must be positive", inst.name));
    if (n_ <= 0) p.fail(fmt::format("diode '{}': n must be positive", inst.name));
    if (rs_ < 0) p.fail(fmt::format("diode '{}': rs must not be negative", inst.name));
    // The depletion charge's linear extension above fc*vj: constants of the model.
    f1_ = vj_ * (1 - std::pow(1 - fc_, 1 - mj_)) / (1 - mj_);
    f2_ = std::pow(1 - fc_, 1 + mj_);
    f3_ = 1 - fc_ * (1 + mj_);
  }

  std::size_t terminalCount() const override { return 2; }
  std::vector<engine::InternalUnknown> internals() const override {
    if (rs_ > 0) return {{engine::Nature::Voltage, "#internal"}};
    return {};
  }
  // Junction between j (the internal node, or the anode without rs) and the cathode 1.
  std::vector<StampEntry> stamp() const override {
    std::vector<StampEntry> s;
    addPair(s, junction(), 1);
    if (rs_ > 0) addPair(s, 0, 2);
    return s;
  }

  void eval(std::span<const double> x, const EvalContext& ctx, EvalOutput& out) override {
    std::uint16_t j = junction();
    double kelvin = fixedTemp_ ? *fixedTemp_ : ctx.temperature;
    if (kelvin != kelvin_) atTemperature(kelvin);
    const double vte = vte_, is = isT_;
    double vd = x[j] - x[1];
    double vdEval = vd;
    if (ctx.limit) {
      const double vcrit = vcrit_;
      if (ctx.firstIteration) {
        vdEval = off_ ? 0.0 : vcrit;
        out.limited = vdEval != vd;
      } else {
        bool limited = false;
        vdEval = pnjlim(vd, vdOld_, vte, vcrit, limited);
        out.limited = limited;
      }
      vdOld_ = vdEval;
    }
    double id, gd;
    if (vdEval >= -3 * vte) {
      double e = std::exp(std::min(vdEval / vte, 700.0));
      id = is * (e - 1);
      gd = is * e / vte;
    } else if (!(vdEval < -bv_)) {
      double a = 3 * vte / (vdEval * std::exp(1.0));
      a = a * a * a;
      id = -is * (1 + a);
      gd = is * 3 * a / vdEval;
    } else {
      double e = std::exp(-(bv_ + vdEval) / vte);
      id = -is * e;
      gd = is * e / vte;
    }
    id += ctx.gmin * vdEval;
    gd += ctx.gmin;
    // Residual linearised at the limited voltage: id(vl) + gd (vd - vl).
    loadConductance(out, 0, j, 1, id + gd * (vd - vdEval), gd);
    if (rs_ > 0) loadConductance(out, 4, 0, 2, (x[0] - x[2]) / rs_, 1 / rs_);
    if (ctx.transient) {
      auto [q, cap] = charge(vd, id, gd);
      loadCapacitance(out, 0, j, 1, q, cap);
    }
  }

  void accept(std::span<const double> x) override { vdOld_ = x[junction()] - x[1]; }

 private:
  std::uint16_t junction() const { return rs_ > 0 ? 2 : 0; }

  // Thermal voltage, saturation current and critical voltage at a temperature, kept until the
  // temperature changes (they cost a pow, two exps and a log: most of an evaluation).
  void atTemperature(double kelvin) {
    kelvin_ = kelvin;
    vte_ = n_ * thermalVoltage(kelvin);
    double ratio = kelvin / tnom_;
    isT_ = is_ * std::pow(ratio, xti_ / n_) * std::exp((ratio - 1) * eg_ / vte_);
    vcrit_ = vte_ * std::log(vte_ / (std::sqrt(2.0) * isT_));
  }

  // Depletion charge (with SPICE's linear extension above fc*vj) plus diffusion charge tt*id.
  std::pair<double, double> charge(double vd, double id, double gd) const {
    double q = tt_ * id, c = tt_ * gd;
    if (cjo_ > 0) {
      if (vd < fc_ * vj_) {
        double arg = 1 - vd / vj_;
        double s = mj_ == 0.5 ? 1 / std::sqrt(arg) : std::pow(arg, -mj_);  // arg^-mj; 0.5 is the default
        q += cjo_ * vj_ * (1 - arg * s) / (1 - mj_);
        c += cjo_ * s;
      } else {
        q += cjo_ * (f1_ + (f3_ * (vd - fc_ * vj_) + mj_ / (2 * vj_) * (vd * vd - fc_ * fc_ * vj_ * vj_)) / f2_);
        c += cjo_ / f2_ * (f3_ + mj_ * vd / vj_);
      }
    }
    return {q, c};
  }

  double is_, n_, rs_, bv_, cjo_, vj_, mj_, tt_, fc_, eg_, xti_, tnom_;
  double f1_ = 0, f2_ = 1, f3_ = 1;
  double kelvin_ = -1, vte_ = 0, isT_ = 0, vcrit_ = 0;  // atTemperature(kelvin_)
  std::optional<double> fixedTemp_;
  bool off_;
  double vdOld_ = 0;
};

}  // namespace

std::unique_ptr<engine::Device> makeDiode(const elab::FlatInstance& i, const elab::FlatCircuit& c) {
  return std::make_unique<Diode>(i, c);
}

}  // namespace memspice::models
