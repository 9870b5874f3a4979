// Level-1 MOSFET (Shichman-Hodges, as ngspice's MOS1): square law with body effect and
// channel-length modulation, source/drain symmetric (the terminal at the lower potential acts as
// source), bulk-drain and bulk-source junction diodes, overlap capacitances and depletion
// junction capacitances. Meyer gate capacitance (given by tox=) is not modelled yet and is
// rejected, so a deck never runs with it silently missing.
// Local unknowns: d, g, s, b. Everything is computed in the n-channel frame with
// type = +1 (nmos) or -1 (pmos) multiplying all terminal voltages and currents.
#include <cmath>
#include <fmt/format.h>

#include "builtin/builtin_devices.hpp"
#include "builtin/param_reader.hpp"
#include "builtin/stamps.hpp"

namespace memspice::models {

using engine::EvalContext;
using engine::EvalOutput;
using engine::StampEntry;

namespace {

enum : std::uint16_t { D = 0, G = 1, S = 2, B = 3 };

struct Junction {
  double is, cj0, pb, mj, fc;
  // Current, conductance, charge and capacitance at junction voltage v (anode - cathode).
  void eval(double v, double vt, double gmin, double& i, double& g, double& q, double& c) const {
    if (v > -3 * vt) {
      double e = std::exp(std::min(v / vt, 700.0));
      i = is * (e - 1);
      g = is * e / vt;
    } else {
      double a = 3 * vt / (v * std::exp(1.0));
      a = a * a * a;
      i = -is * (1 + a);
      g = is * 3 * a / v;
    }
    i += gmin * v;
    g += gmin;
    q = c = 0;
    if (cj0 > 0) {
      if (v < fc * pb) {
        double arg = 1 - v / pb;
        q = cj0 * pb * (1 - std::pow(arg, 1 - mj)) / (1 - mj);
        c = cj0 * std::pow(arg, -mj);
      } else {
        double f1 = pb * (1 - std::pow(1 - fc, 1 - mj)) / (1 - mj), f2 = std::pow(1 - fc, 1 + mj);
        double f3 = 1 - fc * (1 + mj);
        q = cj0 * (f1 + (f3 * (v - fc * pb) + mj / (2 * pb) * (v * v - fc * fc * pb * pb)) / f2);
        c = cj0 / f2 * (f3 + mj * v / pb);
      }
    }
  }
};

class Mosfet1 final : public engine::Device {
 public:
  Mosfet1(const elab::FlatInstance& inst, const elab::FlatCircuit& c) : Device(inst.name, inst.loc) {
    ParamReader p(inst, c, "MOSFET");
    const std::string& t = c.models[static_cast<std::size_t>(inst.model)].type;
    type_ = t == "pmos" ? -1 : 1;
    double level = p.model("level", 1);
    if (level != 1) p.fail(fmt::format("MOSFET model level {} is not available; memspice has level 1", level));
    double mult = p.instance("m", 1);
    double l = p.instance("l", p.model("l", 100e-6)), w = p.instance("w", p.model("w", 100e-6));
    double ld = p.model("ld", 0);
    double leff = l - 2 * ld;
    if (leff <= 0) p.fail(fmt::format("MOSFET '{}': effective length l - 2 ld must be positive", inst.name));
    if (w <= 0) p.fail(fmt::format("MOSFET '{}': w must be positive", inst.name));
    if (auto tox = p.model("tox"))
      p.fail(fmt::format("MOSFET model '{}': Meyer gate capacitance (tox={:g}) is not modelled yet",
                         c.models[static_cast<std::size_t>(inst.model)].name, *tox));
    p.model("u0");
    p.model("uo");
    vto_ = p.model("vto", p.model("vt0", 0));
    double kp = p.model("kp", 2e-5);
    beta_ = kp * w / leff * mult;
    gamma_ = p.model("gamma", 0);
    phi_ = p.model("phi", 0.6);
    lambda_ = p.model("lambda", 0);
    double is = p.model("is", 1e-14);
    double js = p.model("js", 0);
    double ad = p.instance("ad", 0), as = p.instance("as", 0), pd = p.instance("pd", 0), ps = p.instance("ps", 0);
    double pb = p.model("pb", 0.8), mj = p.model("mj", 0.5), mjsw = p.model("mjsw", 0.5), fc = p.model("fc", 0.5);
    double cj = p.model("cj", 0), cjsw = p.model("cjsw", 0);
    auto cbd = p.model("cbd"), cbs = p.model("cbs");
    double isd = js > 0 && ad > 0 ? js * ad : is, iss = js > 0 && as > 0 ? js * as : is;
    // Zero-bias junction capacitance: cbd/cbs if given, else cj * area (sidewall folded in with mj).
    bd_ = {isd * mult, (cbd ? *cbd : cj * ad + cjsw * pd) * mult, pb, cjsw > 0 && !cbd ? mjsw : mj, fc};
    bs_ = {iss * mult, (cbs ? *cbs : cj * as + cjsw * ps) * mult, pb, cjsw > 0 && !cbs ? mjsw : mj, fc};
    cgso_ = p.model("cgso", 0) * w * mult;
    cgdo_ = p.model("cgdo", 0) * w * mult;
    cgbo_ = p.model("cgbo", 0) * leff * mult;
    if (p.model("rd", 0) != 0 || p.model("rs", 0) != 0 || p.model("rsh", 0) != 0)
      p.fail(fmt::format("MOSFET model '{}': series resistances rd/rs/rsh are not modelled yet",
                         c.models[static_cast<std::size_t>(inst.model)].name));
    for (const std::string& f : inst.flags) off_ = off_ || f == "off";
    p.finish();
    if (phi_ <= 0) p.fail(fmt::format("MOSFET model: phi must be positive"));
  }

  std::size_t terminalCount() const override { return 4; }
  std::vector<StampEntry> stamp() const override {
    std::vector<StampEntry> s;
    for (std::uint16_t r : {D, S})
      for (std::uint16_t c : {D, G, S, B}) s.push_back({r, c});  // channel: rows d, s
    addPair(s, B, D);                                          // bulk-drain junction
    addPair(s, B, S);                                          // bulk-source junction
    addPair(s, G, S);                                          // gate overlaps
    addPair(s, G, D);
    addPair(s, G, B);
    return s;
  }

  void eval(std::span<const double> x, const EvalContext& ctx, EvalOutput& out) override {
    const double t = type_;
    double vgs = t * (x[G] - x[S]), vds = t * (x[D] - x[S]), vbs = t * (x[B] - x[S]);
    bool reverse = vds < 0;
    double vg = reverse ? vgs - vds : vgs;  // gate to the acting source
    double vd = reverse ? -vds : vds;       // acting drain to acting source, >= 0
    double vb = reverse ? vbs - vds : vbs;  // bulk to the acting source
    double sqphi = std::sqrt(phi_);
    double sarg, dsarg;
    if (vb <= 0) {
      sarg = std::sqrt(phi_ - vb);
      dsarg = -0.5 / sarg;
    } else {
      sarg = std::max(sqphi / (1 + 0.5 * vb / phi_), 0.0);
      dsarg = -sarg * sarg / (2 * phi_ * sqphi);
    }
    double vth = t * vto_ + gamma_ * (sarg - sqphi);
    double vgst = vg - vth;
    double ids = 0, gm = 0, gds = 0, gmbs = 0;
    if (vgst > 0) {
      double clm = 1 + lambda_ * vd;
      if (vgst <= vd) {
        ids = 0.5 * beta_ * vgst * vgst * clm;
        gm = beta_ * vgst * clm;
        gds = 0.5 * beta_ * vgst * vgst * lambda_;
      } else {
        ids = beta_ * vd * (vgst - 0.5 * vd) * clm;
        gm = beta_ * vd * clm;
        gds = beta_ * (vgst - vd) * clm + beta_ * vd * (vgst - 0.5 * vd) * lambda_;
      }
      gmbs = -gm * gamma_ * dsarg;
    }
    // Channel current into the acting drain; map derivatives back to d, g, s, b.
    // Acting drain/source are (d, s) normally and (s, d) in reverse.
    std::uint16_t ad = reverse ? S : D, as = reverse ? D : S;
    double i = t * ids;
    out.f[ad] += i;
    out.f[as] -= i;
    // d ids / d x: gate gm, acting drain gds, bulk gmbs, acting source -(gm + gds + gmbs); the
    // factor t from the frame cancels with the t on the current.
    double dIdx[4] = {0, 0, 0, 0};
    dIdx[G] = gm;
    dIdx[ad] += gds;
    dIdx[B] += gmbs;
    dIdx[as] -= gm + gds + gmbs;
    double signD = reverse ? -1 : 1;  // f[d] = +i normally, -i in reverse
    for (int c = 0; c < 4; ++c) {
      out.G[static_cast<std::size_t>(c)] = signD * dIdx[c];      // row d
      out.G[static_cast<std::size_t>(4 + c)] = -signD * dIdx[c];  // row s
    }
    // Bulk junctions (anode = bulk for nmos), in the n frame.
    double q, cap, ij, gj;
    double vbdj = t * (x[B] - x[D]), vbsj = t * (x[B] - x[S]);
    double vt = thermalVoltage(ctx.temperature);
    bd_.eval(vbdj, vt, ctx.gmin, ij, gj, q, cap);
    loadConductance(out, 8, B, D, t * ij, gj);
    loadCapacitance(out, 8, B, D, t * q, cap);
    bs_.eval(vbsj, vt, ctx.gmin, ij, gj, q, cap);
    loadConductance(out, 12, B, S, t * ij, gj);
    loadCapacitance(out, 12, B, S, t * q, cap);
    if (ctx.transient) {
      loadCapacitance(out, 16, G, S, cgso_ * (x[G] - x[S]), cgso_);
      loadCapacitance(out, 20, G, D, cgdo_ * (x[G] - x[D]), cgdo_);
      loadCapacitance(out, 24, G, B, cgbo_ * (x[G] - x[B]), cgbo_);
    }
  }

 private:
  double type_;
  double vto_, beta_, gamma_, phi_, lambda_;
  Junction bd_, bs_;
  double cgso_, cgdo_, cgbo_;
  bool off_ = false;  // accepted as in SPICE; the DC start does not depend on it here
};

}  // namespace

std::unique_ptr<engine::Device> makeMosfet1(const elab::FlatInstance& i, const elab::FlatCircuit& c) {
  return std::make_unique<Mosfet1>(i, c);
}

}  // namespace memspice::models
