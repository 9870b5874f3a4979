// Amorphous-oxide (a-IGZO) thin-film transistor, model type `igzo`: one smooth expression
// from subthreshold to saturation, symmetric in source and drain (equations in
// docs/models/igzo-tft.md):
//   phi_x = vss ln(1 + exp((Vgx - vth) / vss)),   vss = (gamma + 2) ss / ln 10,  x = s, d
//   Ich   = (w/l) mu0 cox / ((gamma + 2) vaa^gamma) (phi_s^(gamma+2) - phi_d^(gamma+2)) (1 + lambda |Vds|)
//   Ileak = ioff tanh(Vds / 2Vt) + goff Vds
// with constant gate-source and gate-drain capacitances (half the channel plus the overlap).
// Terminals: drain, gate, source.
#include <cmath>
#include <fmt/format.h>

#include "builtin/param_reader.hpp"
#include "tft/tft_models.hpp"

namespace memspice::models {

namespace {

using engine::EvalContext;
using engine::EvalOutput;
using engine::StampEntry;

constexpr double kThermalVoltage = 0.025852;  // kT/q at 300 K
constexpr double kAbsSmooth = 1e-3;           // |Vds| is smoothed over 1 mV for lambda

class IgzoTft final : public engine::Device {
 public:
  IgzoTft(const elab::FlatInstance& inst, const elab::FlatCircuit& c) : Device(inst.name, inst.loc) {
    ParamReader p(inst, c, "igzo tft");
    double w = p.either("w", 100e-6), l = p.either("l", 10e-6);
    double cox = p.either("cox", 2.36e-3);  // F/m^2: 30 nm Al2O3, eps_r 8
    double mu0 = p.either("mu0", 10e-4);    // m^2/Vs (10 cm^2/Vs at vaa overdrive)
    gamma_ = p.either("gamma", 0.3);
    double vaa = p.either("vaa", 1.0);
    vth_ = p.either("vth", 0.5);
    double ss = p.either("ss", 0.15);
    lambda_ = p.either("lambda", 0.01);
    ioff_ = p.either("ioff", 1e-13);
    goff_ = p.either("goff", 0);
    double lov = p.either("lov", 2e-6);
    double m = p.instance("m", 1);
    p.finish();
    auto positive = [&](double v, const char* name) {
      if (!(v > 0)) p.fail(fmt::format("'{}': {}= must be positive", inst.name, name));
    };
    positive(w, "w");
    positive(l, "l");
    positive(cox, "cox");
    positive(mu0, "mu0");
    positive(vaa, "vaa");
    positive(ss, "ss");
    positive(m, "m");
    if (gamma_ < 0) p.fail(fmt::format("'{}': gamma= must not be negative", inst.name));
    if (lambda_ < 0 || ioff_ < 0 || goff_ < 0 || lov < 0)
      p.fail(fmt::format("'{}': lambda=, ioff=, goff= and lov= must not be negative", inst.name));
    vss_ = (gamma_ + 2) * ss / std::log(10.0);
    k_ = m * (w / l) * mu0 * cox / ((gamma_ + 2) * std::pow(vaa, gamma_));
    ioff_ *= m;
    goff_ *= m;
    cg_ = m * (cox * w * l / 2 + cox * w * lov);
  }

  std::size_t terminalCount() const override { return 3; }
  std::vector<StampEntry> stamp() const override {
    std::vector<StampEntry> s;
    for (std::uint16_t r = 0; r < 3; ++r)
      for (std::uint16_t col = 0; col < 3; ++col) s.push_back({r, col});
    return s;  // full 3 x 3, row-major: entry 3 r + c
  }

  void eval(std::span<const double> x, const EvalContext& ctx, EvalOutput& out) override {
    const double vgs = x[1] - x[2], vds = x[0] - x[2], vgd = vgs - vds;
    auto [phiS, sigS] = overdrive(vgs);
    auto [phiD, sigD] = overdrive(vgd);
    const double n = gamma_ + 2;
    const double ps = std::pow(phiS, n), pd = std::pow(phiD, n);
    const double a = std::sqrt(vds * vds + kAbsSmooth * kAbsSmooth), da = vds / a;
    const double clm = 1 + lambda_ * a;
    const double ich = k_ * (ps - pd) * clm;
    // d/dVgs moves both phis; d/dVds only phi_d (Vgd = Vgs - Vds) and the lambda term.
    const double dPs = phiS > 0 ? n * ps / phiS * sigS : 0, dPd = phiD > 0 ? n * pd / phiD * sigD : 0;
    double dIdVgs = k_ * (dPs - dPd) * clm;
    double dIdVds = k_ * dPd * clm + k_ * (ps - pd) * lambda_ * da;
    const double t = std::tanh(vds / (2 * kThermalVoltage));
    const double gleak = goff_ + ctx.gmin;
    const double i = ich + ioff_ * t + gleak * vds;
    dIdVds += ioff_ * (1 - t * t) / (2 * kThermalVoltage) + gleak;
    // Current i flows drain -> source through the device.
    const double dI[3] = {dIdVds, dIdVgs, -(dIdVds + dIdVgs)};
    out.f[0] = i;
    out.f[2] = -i;
    for (std::size_t col = 0; col < 3; ++col) {
      out.G[col] = dI[col];
      out.G[6 + col] = -dI[col];
    }
    if (cg_ > 0) {
      // q_g = cg Vgs + cg Vgd, q_s = -cg Vgs, q_d = -cg Vgd.
      out.q[1] = cg_ * (vgs + vgd);
      out.q[2] = -cg_ * vgs;
      out.q[0] = -cg_ * vgd;
      out.C[3 * 1 + 1] = 2 * cg_;
      out.C[3 * 1 + 0] = -cg_;
      out.C[3 * 1 + 2] = -cg_;
      out.C[3 * 2 + 1] = -cg_;
      out.C[3 * 2 + 2] = cg_;
      out.C[3 * 0 + 1] = -cg_;
      out.C[3 * 0 + 0] = cg_;
    }
  }

 private:
  // phi = vss softplus((vgx - vth) / vss) and d phi / d vgx.
  std::pair<double, double> overdrive(double vgx) const {
    double z = (vgx - vth_) / vss_;
    if (z > 0) return {vgx - vth_ + vss_ * std::log1p(std::exp(-z)), 1 / (1 + std::exp(-z))};
    double e = std::exp(z);
    return {vss_ * std::log1p(e), e / (1 + e)};
  }

  double gamma_ = 0.3, vth_ = 0.5, lambda_ = 0, ioff_ = 0, goff_ = 0, vss_ = 0, k_ = 0, cg_ = 0;
};

}  // namespace

std::unique_ptr<engine::Device> makeIgzoTft(const elab::FlatInstance& i, const elab::FlatCircuit& c) {
  return std::make_unique<IgzoTft>(i, c);
}

}  // namespace memspice::models
