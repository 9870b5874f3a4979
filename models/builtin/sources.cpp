// Independent V and I sources: a DC value, an AC spec (for AC analysis), a time function.
// The DC value is the `dc` value, or the time function at t = 0 when there is none.
// With icomp= (V) or vcomp= (I) they are source-measure units: a voltage source whose current
// is limited to +-icomp, or a current source whose voltage is limited to +-vcomp, with a
// smooth (tanh) hand-over so Newton and the integrator see continuous derivatives.
#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "builtin/builtin_devices.hpp"
#include "builtin/param_reader.hpp"
#include "builtin/stamps.hpp"
#include "sources/waveform.hpp"

namespace memspice::models {

using engine::EvalContext;
using engine::EvalOutput;
using engine::StampEntry;

namespace {

// softplus((y - limit) / width) - softplus((-y - limit) / width): zero inside +-limit, slope
// 1 / width beyond, smooth at the corners; slope is d value / d y.
struct Knee {
  double value, slope;
};
Knee knee(double y, double limit, double width) {
  auto softplus = [](double z) { return z > 0 ? z + std::log1p(std::exp(-z)) : std::log1p(std::exp(z)); };
  auto sigmoid = [](double z) { return z > 0 ? 1 / (1 + std::exp(-z)) : std::exp(z) / (1 + std::exp(z)); };
  double a = (y - limit) / width, b = (-y - limit) / width;
  return {softplus(a) - softplus(b), (sigmoid(a) + sigmoid(b)) / width};
}

class SourceValue {
 public:
  SourceValue(const elab::FlatInstance& inst, const ParamReader& p) {
    if (!inst.source) p.fail(fmt::format("'{}' has no value", inst.name));
    dc_ = inst.source->dc;
    if (inst.source->waveform) waveform_.emplace(*inst.source->waveform);
  }
  double at(const EvalContext& ctx) const {
    double v = ctx.transient && waveform_ ? waveform_->value(ctx.time)
               : dc_                      ? *dc_
               : waveform_                ? waveform_->value(0)
                                          : 0.0;
    return v * ctx.sourceFactor;
  }
  // Largest |value| over DC and the time function.
  double peak() const { return std::max(dc_ ? std::fabs(*dc_) : 0.0, waveform_ ? waveform_->peak() : 0.0); }
  void sweep(double v) {
    dc_ = v;
    waveform_.reset();
  }
  void breakpoints(double from, double to, std::vector<double>& out) const {
    if (waveform_) waveform_->breakpoints(from, to, out);
  }
  void timeScale(double tstep, double tstop) {
    if (waveform_) waveform_->setTimeScale(tstep, tstop);
  }

 private:
  std::optional<double> dc_;
  std::optional<Waveform> waveform_;
};

// What V and I sources share: their value, sweeps, breakpoints and transient defaults.
class IndependentSource : public engine::Device {
 public:
  IndependentSource(const elab::FlatInstance& inst, const ParamReader& p) : Device(inst.name, inst.loc), value_(inst, p) {}
  bool setSweepValue(double v) override {
    value_.sweep(v);
    return true;
  }
  void breakpoints(double from, double to, std::vector<double>& out) const override {
    value_.breakpoints(from, to, out);
  }
  void beginTransient(double tstep, double tstop) override { value_.timeScale(tstep, tstop); }
  bool chargeFree() const override { return true; }

 protected:
  SourceValue value_;
};

// Local unknowns p, n, branch current i (flowing from p through the source to n).
class VoltageSource final : public IndependentSource {
 public:
  VoltageSource(const elab::FlatInstance& inst, const elab::FlatCircuit& c)
      : VoltageSource(inst, ParamReader(inst, c, "voltage source")) {}
  std::size_t terminalCount() const override { return 2; }
  bool linear() const override { return true; }
  std::vector<engine::InternalUnknown> internals() const override {
    return {{engine::Nature::Current, "#branch"}};
  }
  std::vector<StampEntry> stamp() const override {
    std::vector<StampEntry> s;
    addBranch(s, 0, 1, 2);
    return s;
  }
  void eval(std::span<const double> x, const EvalContext& ctx, EvalOutput& out) override {
    out.f[0] = x[2];
    out.f[1] = -x[2];
    out.f[2] = x[0] - x[1] - value_.at(ctx);
    out.G[0] = 1;
    out.G[1] = -1;
    out.G[2] = 1;
    out.G[3] = -1;
  }
  std::optional<std::size_t> branchUnknown() const override { return 2; }

 private:
  VoltageSource(const elab::FlatInstance& inst, ParamReader&& p) : IndependentSource(inst, p) { p.finish(); }
};

// A voltage source with current compliance: an ideal source V in series with an element whose
// voltage drop is zero while the delivered current j = -i stays within +-icomp and rises with
// slope rcomp beyond, through softplus corners of width itrans. Voltage and current stay
// monotone and convex in each other, which Newton handles like a diode; there is no plateau
// to bounce between. Defaults: itrans = icomp / 50 and rcomp = 50 V / icomp (rcomp * itrans
// = 1 V), so a drop of 0.1 V to 2 V holds the current within -4.5 % .. +3.7 % of icomp.
// Sharper corners make IDA's modified Newton overshoot from the flat side of the knee and
// fail at the onset of compliance; itrans= and rcomp= tighten it for DC work.
class CompliantVoltageSource final : public IndependentSource {
 public:
  CompliantVoltageSource(const elab::FlatInstance& inst, const elab::FlatCircuit& c)
      : CompliantVoltageSource(inst, ParamReader(inst, c, "voltage source")) {}
  std::size_t terminalCount() const override { return 2; }
  // The drop u is an unknown of its own, with a voltage tolerance: in compliance a relative
  // tolerance on the current alone would leave u, and so the terminal voltage, loose by
  // rcomp * reltol * icomp (0.1 V with the defaults).
  std::vector<engine::InternalUnknown> internals() const override {
    return {{engine::Nature::Voltage, "#drop"}, {engine::Nature::Current, "#branch"}};
  }
  std::vector<StampEntry> stamp() const override {
    std::vector<StampEntry> s;
    addBranch(s, 0, 1, 3);   // (0,3) (1,3) (3,0) (3,1)
    s.push_back({3, 2});
    s.push_back({2, 2});
    s.push_back({2, 3});
    return s;
  }
  // Rows: p, n carry the branch current i (p -> n through the source); u = drop(i);
  // v(p) - v(n) = V + u (the delivered current is -i, so the source gives way by drop(-i) = -u).
  void eval(std::span<const double> x, const EvalContext& ctx, EvalOutput& out) override {
    Knee k = knee(x[3], icomp_, itrans_);
    out.f[0] = x[3];
    out.f[1] = -x[3];
    out.f[2] = x[2] - rcomp_ * itrans_ * k.value;
    out.f[3] = x[0] - x[1] - value_.at(ctx) - x[2];
    out.G[0] = 1;
    out.G[1] = -1;
    out.G[2] = 1;
    out.G[3] = -1;
    out.G[4] = -1;
    out.G[5] = 1;
    out.G[6] = -rcomp_ * itrans_ * k.slope;
  }
  std::optional<std::size_t> branchUnknown() const override { return 3; }

 private:
  CompliantVoltageSource(const elab::FlatInstance& inst, ParamReader&& p) : IndependentSource(inst, p) {
    icomp_ = *p.instance("icomp");
    if (!(icomp_ > 0)) p.fail(fmt::format("'{}': icomp= must be a positive current", inst.name));
    rcomp_ = p.instance("rcomp", 50 / icomp_);
    itrans_ = p.instance("itrans", 2e-2 * icomp_);
    p.finish();
    if (!(rcomp_ > 0)) p.fail(fmt::format("'{}': rcomp= must be a positive resistance", inst.name));
    if (!(itrans_ > 0)) p.fail(fmt::format("'{}': itrans= must be a positive current", inst.name));
  }
  double icomp_ = 0, rcomp_ = 0, itrans_ = 0;
};

// The current flows from p through the source to n, i.e. out of node p.
class CurrentSource final : public IndependentSource {
 public:
  CurrentSource(const elab::FlatInstance& inst, const elab::FlatCircuit& c)
      : CurrentSource(inst, ParamReader(inst, c, "current source")) {}
  std::size_t terminalCount() const override { return 2; }
  bool linear() const override { return true; }
  std::vector<StampEntry> stamp() const override { return {}; }
  void eval(std::span<const double>, const EvalContext& ctx, EvalOutput& out) override {
    double i = value_.at(ctx);
    out.f[0] = i;
    out.f[1] = -i;
  }

 private:
  CurrentSource(const elab::FlatInstance& inst, ParamReader&& p) : IndependentSource(inst, p) { p.finish(); }
};

// A current source with voltage compliance: the set current I in parallel with a clamp that
// conducts once the voltage the source develops, w = v(n) - v(p), passes +-vcomp (slope
// gcomp, softplus corners of width vtrans). The current delivered is I - clamp(w). Defaults
// mirror the voltage source's: vtrans = vcomp / 50 and gcomp = 50 Ipeak / vcomp, with Ipeak
// the source's largest |value|, so the clamp takes 10 % to 100 % of Ipeak with w within
// -4.5 % .. +1.1 % of vcomp.
class CompliantCurrentSource final : public IndependentSource {
 public:
  CompliantCurrentSource(const elab::FlatInstance& inst, const elab::FlatCircuit& c)
      : CompliantCurrentSource(inst, ParamReader(inst, c, "current source")) {}
  std::size_t terminalCount() const override { return 2; }
  // The clamp current is an unknown of its own, with a current tolerance (the dual of the
  // voltage source's drop): through gcomp, a voltage tolerance on w alone would leave the
  // delivered current loose by gcomp * reltol * vcomp.
  std::vector<engine::InternalUnknown> internals() const override { return {{engine::Nature::Current, "#clamp"}}; }
  std::vector<StampEntry> stamp() const override { return {{0, 2}, {1, 2}, {2, 2}, {2, 0}, {2, 1}}; }
  // Rows: p gives I - ic to the source (i.e. I - ic flows p -> n through it); ic = clamp(w).
  void eval(std::span<const double> x, const EvalContext& ctx, EvalOutput& out) override {
    Knee k = knee(x[1] - x[0], vcomp_, vtrans_);
    double i = value_.at(ctx);
    out.f[0] = i - x[2];
    out.f[1] = -(i - x[2]);
    out.f[2] = x[2] - gcomp_ * vtrans_ * k.value;
    double g = gcomp_ * vtrans_ * k.slope;
    out.G[0] = -1;
    out.G[1] = 1;
    out.G[2] = 1;
    out.G[3] = g;
    out.G[4] = -g;
  }

 private:
  CompliantCurrentSource(const elab::FlatInstance& inst, ParamReader&& p) : IndependentSource(inst, p) {
    vcomp_ = *p.instance("vcomp");
    if (!(vcomp_ > 0)) p.fail(fmt::format("'{}': vcomp= must be a positive voltage", inst.name));
    gcomp_ = p.instance("gcomp", 50 * std::max(value_.peak(), 1e-12) / vcomp_);
    vtrans_ = p.instance("vtrans", 2e-2 * vcomp_);
    p.finish();
    if (!(gcomp_ > 0)) p.fail(fmt::format("'{}': gcomp= must be a positive conductance", inst.name));
    if (!(vtrans_ > 0)) p.fail(fmt::format("'{}': vtrans= must be a positive voltage", inst.name));
  }
  double vcomp_ = 0, gcomp_ = 0, vtrans_ = 0;
};

}  // namespace

std::unique_ptr<engine::Device> makeVoltageSource(const elab::FlatInstance& i, const elab::FlatCircuit& c) {
  if (i.param("icomp")) return std::make_unique<CompliantVoltageSource>(i, c);
  return std::make_unique<VoltageSource>(i, c);
}
std::unique_ptr<engine::Device> makeCurrentSource(const elab::FlatInstance& i, const elab::FlatCircuit& c) {
  if (i.param("vcomp")) return std::make_unique<CompliantCurrentSource>(i, c);
  return std::make_unique<CurrentSource>(i, c);
}

}  // namespace memspice::models
