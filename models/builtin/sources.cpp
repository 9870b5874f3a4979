// Independent V and I sources: a DC value, an AC spec (for AC analysis), a time function.
// The DC value is the `dc` value, or the time function at t = 0 when there is none.
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

class SourceValue {
 public:
  SourceValue(const elab::FlatInstance& inst, const elab::FlatCircuit& c, const char* kind) {
    ParamReader p(inst, c, kind);
    p.finish();
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
  IndependentSource(const elab::FlatInstance& inst, const elab::FlatCircuit& c, const char* kind)
      : Device(inst.name, inst.loc), value_(inst, c, kind) {}
  bool setSweepValue(double v) override {
    value_.sweep(v);
    return true;
  }
  void breakpoints(double from, double to, std::vector<double>& out) const override {
    value_.breakpoints(from, to, out);
  }
  void beginTransient(double tstep, double tstop) override { value_.timeScale(tstep, tstop); }

 protected:
  SourceValue value_;
};

// Local unknowns p, n, branch current i (flowing from p through the source to n).
class VoltageSource final : public IndependentSource {
 public:
  VoltageSource(const elab::FlatInstance& inst, const elab::FlatCircuit& c)
      : IndependentSource(inst, c, "voltage source") {}
  std::size_t terminalCount() const override { return 2; }
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
};

// The current flows from p through the source to n, i.e. out of node p.
class CurrentSource final : public IndependentSource {
 public:
  CurrentSource(const elab::FlatInstance& inst, const elab::FlatCircuit& c)
      : IndependentSource(inst, c, "current source") {}
  std::size_t terminalCount() const override { return 2; }
  std::vector<StampEntry> stamp() const override { return {}; }
  void eval(std::span<const double>, const EvalContext& ctx, EvalOutput& out) override {
    double i = value_.at(ctx);
    out.f[0] = i;
    out.f[1] = -i;
  }
};

}  // namespace

std::unique_ptr<engine::Device> makeVoltageSource(const elab::FlatInstance& i, const elab::FlatCircuit& c) {
  return std::make_unique<VoltageSource>(i, c);
}
std::unique_ptr<engine::Device> makeCurrentSource(const elab::FlatInstance& i, const elab::FlatCircuit& c) {
  return std::make_unique<CurrentSource>(i, c);
}

}  // namespace memspice::models
