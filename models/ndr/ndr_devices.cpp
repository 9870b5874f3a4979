// Negative-differential-resistance (N-type) element and ECRAM, for the dendrite-like NDR neuron
// whose activation is trained by an ECRAM (Yang et al., Adv. Funct. Mater. 34, 2405618, 2024;
// docs/models/ndr-ecram.md).
//   ndr        (a k):    I = gpeak xs e^(1 - xs/vp) + iv e^((V - vv)/ve) + gleak V,
//                        xs = vs ln(1 + e^(V/vs)) (the N shape only for V > 0): peak
//                        current gpeak vp at V = vp, valley near vv, then the rising branch
//   ecram      (d g s):  channel G(n) V_DS, gate current moving the ion content n (ecram.hpp)
//   ndr_ecram  (a k g):  the ndr with gpeak = G(n) of its own ECRAM, gated from g to k: the
//                        peak current follows the ECRAM conductance and is trained by gate pulses
// Every device has a small capacitance cp across its main terminals (an NDR is unstable
// against a pure current drive without one).
#include <cmath>
#include <fmt/format.h>

#include "builtin/param_reader.hpp"
#include "memristor/limited_math.hpp"
#include "ndr/ecram.hpp"
#include "ndr/ndr_models.hpp"

namespace memspice::models {

namespace {

using engine::EvalContext;
using engine::EvalOutput;
using engine::StampEntry;

// Every (row, col) of an n x n block, row-major: G[r * n + c].
std::vector<StampEntry> fullStamp(std::uint16_t n) {
  std::vector<StampEntry> s;
  for (std::uint16_t r = 0; r < n; ++r)
    for (std::uint16_t c = 0; c < n; ++c) s.push_back({r, c});
  return s;
}

// The N-shaped current for a given peak conductance.
struct NdrCurve {
  double vp = 0.3, iv = 3e-7, vv = 1.2, ve = 0.1, vs = 0.01, gleak = 1e-9, cp = 1e-15;

  void read(ParamReader& p, const std::string& name) {
    vp = p.either("vp", vp);
    iv = p.either("iv", iv);
    vv = p.either("vv", vv);
    ve = p.either("ve", ve);
    vs = p.either("vs", vs);
    gleak = p.either("gleak", gleak);
    cp = p.either("cp", cp);
    if (!(vp > 0) || !(ve > 0) || !(vs > 0)) p.fail(fmt::format("'{}': vp=, ve= and vs= must be positive", name));
    if (!(vv > vp)) p.fail(fmt::format("'{}': the valley voltage vv= must be above the peak voltage vp=", name));
    if (iv < 0 || gleak < 0 || cp < 0) p.fail(fmt::format("'{}': iv=, gleak= and cp= must not be negative", name));
  }
  // Current, dI/dV and dI/dgpeak at v.
  struct Value {
    double i, didv, didg;
  };
  Value at(double v, double gpeak) const {
    const double z = v / vs;
    const double xs = z > 0 ? v + vs * std::log1p(std::exp(-z)) : vs * std::log1p(std::exp(z));
    const double dxs = z > 0 ? 1 / (1 + std::exp(-z)) : std::exp(z) / (1 + std::exp(z));
    const double e = std::exp(1 - xs / vp);
    const double peak = xs * e, dpeak = dxs * e * (1 - xs / vp);
    const double zv = (v - vv) / ve;
    return {gpeak * peak + iv * limited::exp(zv) + gleak * v,
            gpeak * dpeak + iv * limited::expDeriv(zv) / ve + gleak, peak};
  }
};

void loadPair(EvalOutput& out, std::size_t n, std::size_t a, std::size_t b, double i, double g) {
  out.f[a] += i;
  out.f[b] -= i;
  out.G[a * n + a] += g;
  out.G[a * n + b] -= g;
  out.G[b * n + a] -= g;
  out.G[b * n + b] += g;
}

void loadCap(EvalOutput& out, std::size_t n, std::size_t a, std::size_t b, double v, double c) {
  out.q[a] += c * v;
  out.q[b] -= c * v;
  out.C[a * n + a] += c;
  out.C[a * n + b] -= c;
  out.C[b * n + a] -= c;
  out.C[b * n + b] += c;
}

class Ndr final : public engine::Device {
 public:
  Ndr(const elab::FlatInstance& inst, const elab::FlatCircuit& c) : Device(inst.name, inst.loc) {
    ParamReader p(inst, c, "ndr");
    gpeak_ = p.either("gpeak", 1e-5);
    curve_.read(p, inst.name);
    p.finish();
    if (!(gpeak_ >= 0)) p.fail(fmt::format("'{}': gpeak= must not be negative", inst.name));
  }
  std::size_t terminalCount() const override { return 2; }
  std::vector<StampEntry> stamp() const override { return fullStamp(2); }
  std::vector<std::string> quantityNames() const override { return {"ipeak"}; }
  double quantity(std::size_t, std::span<const double>) const override { return gpeak_ * curve_.vp; }
  void eval(std::span<const double> x, const EvalContext&, EvalOutput& out) override {
    const double v = x[0] - x[1];
    auto c = curve_.at(v, gpeak_);
    loadPair(out, 2, 0, 1, c.i, c.didv);
    loadCap(out, 2, 0, 1, v, curve_.cp);
  }

 private:
  double gpeak_;
  NdrCurve curve_;
};

// The ECRAM's gate current (from gateNode to channelNode, at gate voltage vg) and its state
// row, the last local unknown n: qtot dn/dt = I_G while integrating, n = n0 otherwise
// (non-volatile).
void loadEcramGate(EvalOutput& out, std::size_t N, const EvalContext& ctx, const Ecram& e, double vg, double n,
                   std::size_t gateNode, std::size_t channelNode) {
  const std::size_t row = N - 1;
  auto gate = e.gate(vg, n, ctx.temperature);
  loadPair(out, N, gateNode, channelNode, gate.i, gate.didv);
  out.G[gateNode * N + row] += gate.didn;
  out.G[channelNode * N + row] -= gate.didn;
  out.q[row] = e.qtot * n;
  out.C[row * N + row] = e.qtot;
  if (!ctx.integrating) {
    out.f[row] = n - e.n0;
    out.G[row * N + row] = 1;
    return;
  }
  out.f[row] = -gate.i;
  out.G[row * N + gateNode] = -gate.didv;
  out.G[row * N + channelNode] = gate.didv;
  out.G[row * N + row] = -gate.didn;
}

// Local unknowns: d, g, s, n.
class EcramDevice final : public engine::Device {
 public:
  EcramDevice(const elab::FlatInstance& inst, const elab::FlatCircuit& c) : Device(inst.name, inst.loc) {
    ParamReader p(inst, c, "ecram");
    ecram_.read(p, inst.name);
    cp_ = p.either("cp", 1e-15);
    p.finish();
  }
  std::size_t terminalCount() const override { return 3; }
  std::vector<engine::InternalUnknown> internals() const override { return {{engine::Nature::State, "#n"}}; }
  std::vector<StampEntry> stamp() const override { return fullStamp(4); }
  std::optional<double> initialValue(std::size_t k) const override {
    return k == 0 ? std::optional<double>(ecram_.n0) : std::nullopt;
  }
  std::vector<std::string> quantityNames() const override { return {"g"}; }
  double quantity(std::size_t, std::span<const double> x) const override { return ecram_.conductance(x[3]); }
  void eval(std::span<const double> x, const EvalContext& ctx, EvalOutput& out) override {
    constexpr std::size_t N = 4;
    const double vds = x[0] - x[2], vgs = x[1] - x[2], n = x[3];
    const double g = ecram_.conductance(n);
    loadPair(out, N, 0, 2, g * vds, g);
    out.G[0 * N + 3] += ecram_.dConductance() * vds;
    out.G[2 * N + 3] -= ecram_.dConductance() * vds;
    loadCap(out, N, 0, 2, vds, cp_);
    loadEcramGate(out, N, ctx, ecram_, vgs, n, 1, 2);
  }

 private:
  Ecram ecram_;
  double cp_;
};

// Local unknowns: a, k, g, n.
class NdrEcram final : public engine::Device {
 public:
  NdrEcram(const elab::FlatInstance& inst, const elab::FlatCircuit& c) : Device(inst.name, inst.loc) {
    ParamReader p(inst, c, "ndr_ecram");
    curve_.read(p, inst.name);
    ecram_.read(p, inst.name);
    p.finish();
  }
  std::size_t terminalCount() const override { return 3; }
  std::vector<engine::InternalUnknown> internals() const override { return {{engine::Nature::State, "#n"}}; }
  std::vector<StampEntry> stamp() const override { return fullStamp(4); }
  std::optional<double> initialValue(std::size_t k) const override {
    return k == 0 ? std::optional<double>(ecram_.n0) : std::nullopt;
  }
  // gpeak: the ECRAM conductance now; ipeak: the peak current it gives (gpeak vp).
  std::vector<std::string> quantityNames() const override { return {"gpeak", "ipeak"}; }
  double quantity(std::size_t k, std::span<const double> x) const override {
    const double g = ecram_.conductance(x[3]);
    return k == 0 ? g : g * curve_.vp;
  }
  void eval(std::span<const double> x, const EvalContext& ctx, EvalOutput& out) override {
    constexpr std::size_t N = 4;
    const double v = x[0] - x[1], vg = x[2] - x[1], n = x[3];
    auto c = curve_.at(v, ecram_.conductance(n));
    loadPair(out, N, 0, 1, c.i, c.didv);
    out.G[0 * N + 3] += c.didg * ecram_.dConductance();
    out.G[1 * N + 3] -= c.didg * ecram_.dConductance();
    loadCap(out, N, 0, 1, v, curve_.cp);
    loadEcramGate(out, N, ctx, ecram_, vg, n, 2, 1);
  }

 private:
  NdrCurve curve_;
  Ecram ecram_;
};

}  // namespace

std::unique_ptr<engine::Device> makeNdr(const elab::FlatInstance& i, const elab::FlatCircuit& c) {
  return std::make_unique<Ndr>(i, c);
}
std::unique_ptr<engine::Device> makeEcram(const elab::FlatInstance& i, const elab::FlatCircuit& c) {
  return std::make_unique<EcramDevice>(i, c);
}
std::unique_ptr<engine::Device> makeNdrEcram(const elab::FlatInstance& i, const elab::FlatCircuit& c) {
  return std::make_unique<NdrEcram>(i, c);
}

}  // namespace memspice::models
