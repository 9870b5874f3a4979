// Behavioural sources: B (v= or i=), and E/G with value=. The expression is compiled to a Tape
// whose probes (v(node), i(device)) become extra local unknowns, so the device's Jacobian has
// exact entries for every quantity it reads.
//   i-kind: current expr from p through the source to n.
//   v-kind: branch current b, f_b = v(p) - v(n) - expr.
// Comparisons in the expression are events while integrating (Tape: latched comparisons):
// their results hold between located crossings, as a switch's state does. Outside the
// integrator (DC, the transient's start point) they are evaluated directly and latched.
#include <fmt/format.h>

#include "builtin/builtin_devices.hpp"
#include "builtin/param_reader.hpp"
#include "builtin/stamps.hpp"
#include "expression/tape.hpp"

namespace memspice::models {

using engine::EvalContext;
using engine::EvalOutput;
using engine::StampEntry;

namespace {

engine::Tape compile(const elab::FlatInstance& inst) {
  try {
    return engine::Tape(*inst.behaviour);
  } catch (const std::runtime_error& e) {
    throw engine::DeviceError(fmt::format("'{}': {}", inst.name, e.what()));
  }
}

class Behavioural final : public engine::Device {
 public:
  Behavioural(const elab::FlatInstance& inst, const elab::FlatCircuit& c)
      : Device(inst.name, inst.loc), voltage_(inst.behaviourKind == 'v'), tape_(compile(inst)) {
    ParamReader p(inst, c, "behavioural source");
    p.finish();
    for (const engine::ProbeRef& probe : tape_.probes()) {
      if (probe.kind == engine::ProbeRef::Kind::Node) {
        auto node = c.findNode(probe.name);
        if (!node) throw engine::DeviceError(fmt::format("'{}' reads unknown node '{}'", inst.name, probe.name));
        probes_.push_back({*node, -1, 0});
      } else {
        int d = c.findInstance(probe.name);
        if (d < 0) throw engine::DeviceError(fmt::format("'{}' reads unknown device '{}'", inst.name, probe.name));
        probes_.push_back({0, d, 0});
      }
    }
    values_.resize(probes_.size());
    grad_.resize(probes_.size());
  }

  std::size_t terminalCount() const override { return 2 + probes_.size(); }
  bool chargeFree() const override { return true; }
  std::vector<engine::Connection> probeConnections() const override { return probes_; }
  std::vector<engine::InternalUnknown> internals() const override {
    if (voltage_) return {{engine::Nature::Current, "#branch"}};
    return {};
  }
  std::vector<StampEntry> stamp() const override {
    std::vector<StampEntry> s;
    auto P = static_cast<std::uint16_t>(probes_.size());
    if (voltage_) {
      std::uint16_t b = 2 + P;
      addBranch(s, 0, 1, b);
      for (std::uint16_t k = 0; k < P; ++k) s.push_back({b, static_cast<std::uint16_t>(2 + k)});
    } else {
      for (std::uint16_t k = 0; k < P; ++k) {
        s.push_back({0, static_cast<std::uint16_t>(2 + k)});
        s.push_back({1, static_cast<std::uint16_t>(2 + k)});
      }
    }
    return s;
  }
  void eval(std::span<const double> x, const EvalContext& ctx, EvalOutput& out) override {
    const std::size_t P = probes_.size();
    double value = evaluate(x, ctx);
    if (!ctx.integrating) {
      tape_.latch();
      memo_.valid = false;
    }
    if (voltage_) {
      std::size_t b = 2 + P;
      out.f[0] += x[b];
      out.f[1] -= x[b];
      out.f[b] = x[0] - x[1] - value;
      out.G[0] = 1;
      out.G[1] = -1;
      out.G[2] = 1;
      out.G[3] = -1;
      for (std::size_t k = 0; k < P; ++k) out.G[4 + k] = -grad_[k];
    } else {
      out.f[0] += value;
      out.f[1] -= value;
      for (std::size_t k = 0; k < P; ++k) {
        out.G[2 * k] = grad_[k];
        out.G[2 * k + 1] = -grad_[k];
      }
    }
  }
  std::optional<std::size_t> branchUnknown() const override {
    if (voltage_) return 2 + probes_.size();
    return std::nullopt;
  }
  std::size_t rootCount() const override { return tape_.comparisonCount(); }
  void roots(std::span<const double> x, const EvalContext& ctx, std::span<double> g) const override {
    evaluate(x, ctx);
    tape_.roots(g);
  }
  void beginTransient(double tstep, double tstop) override { resolution_ = tstep > 0 ? tstep : tstop / 50; }
  bool onRoot(std::size_t k, int direction, std::span<const double>, double time) override {
    memo_.valid = false;
    return tape_.cross(k, direction, time, resolution_);
  }
  bool settle(std::span<const double> x, const EvalContext& ctx) override {
    evaluate(x, ctx);
    memo_.valid = false;
    return tape_.settle();
  }

 private:
  // The expression at the probes' values (its gradient in grad_, its margins in the tape);
  // latched comparisons while integrating. IDA asks for the roots at the point the corrector
  // has just evaluated: that evaluation is reused.
  double evaluate(std::span<const double> x, const EvalContext& ctx) const {
    bool same = memo_.valid && memo_.time == ctx.time && memo_.temperature == ctx.temperature &&
                memo_.latched == ctx.integrating;
    for (std::size_t k = 0; k < probes_.size(); ++k) {
      same = same && values_[k] == x[2 + k];
      values_[k] = x[2 + k];
    }
    if (same) return memo_.value;
    memo_ = {true, ctx.integrating, ctx.time, ctx.temperature,
             tape_.evaluate(values_, ctx.time, ctx.temperature - 273.15, grad_, ctx.integrating)};
    return memo_.value;
  }

  bool voltage_;
  engine::Tape tape_;
  std::vector<engine::Connection> probes_;
  mutable std::vector<double> values_, grad_;  // the last evaluation's probe values and gradient
  struct Memo {
    bool valid = false, latched = false;
    double time = 0, temperature = 0, value = 0;
  };
  mutable Memo memo_;  // what the last evaluation was, for evaluate to reuse
  double resolution_ = 0;  // the transient's output step: latched comparisons' chatter scale
};

}  // namespace

std::unique_ptr<engine::Device> makeBehavioural(const elab::FlatInstance& i, const elab::FlatCircuit& c) {
  return std::make_unique<Behavioural>(i, c);
}

}  // namespace memspice::models
