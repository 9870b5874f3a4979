// R, C, L and mutual inductance K.
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

double valueOrParam(const elab::FlatInstance& inst, ParamReader& p, std::initializer_list<std::string_view> names,
                    const char* what) {
  std::optional<double> v;
  if (!inst.values.empty()) v = inst.values[0];
  for (auto n : names)
    if (auto x = p.instance(n)) v = x;
  if (!v) p.fail(fmt::format("'{}' has no {}", inst.name, what));
  return *v;
}

class Resistor final : public engine::Device {
 public:
  Resistor(const elab::FlatInstance& inst, const elab::FlatCircuit& c) : Device(inst.name, inst.loc) {
    ParamReader p(inst, c, "resistor");
    r_ = valueOrParam(inst, p, {"r", "resistance"}, "resistance") * p.instance("scale", 1) / p.instance("m", 1);
    tc1_ = p.either("tc1", 0);
    tc2_ = p.either("tc2", 0);
    if (auto t = p.instance("temp")) fixedTemp_ = *t + 273.15;
    dtemp_ = p.instance("dtemp", 0);
    p.instance("ac");     // AC resistance: used by AC analysis only
    p.instance("noisy");  // noise analysis only
    p.model("tnom");
    p.finish();
    if (r_ == 0) p.fail(fmt::format("resistor '{}' has zero resistance; use a 0 V source for a short", inst.name));
  }
  std::size_t terminalCount() const override { return 2; }
  bool linear() const override { return true; }
  bool fixedStamp() const override { return true; }
  std::vector<StampEntry> stamp() const override {
    std::vector<StampEntry> s;
    addPair(s, 0, 1);
    return s;
  }
  void eval(std::span<const double> x, const EvalContext& ctx, EvalOutput& out) override {
    double t = (fixedTemp_ ? *fixedTemp_ : ctx.temperature) + dtemp_;
    double dt = t - kNominalTemperature;
    double g = 1.0 / (r_ * (1 + tc1_ * dt + tc2_ * dt * dt));
    loadConductance(out, 0, 0, 1, g * (x[0] - x[1]), g);
  }
  bool setSweepValue(double value) override {
    if (value == 0) return false;
    r_ = value;
    return true;
  }

 private:
  double r_, tc1_, tc2_, dtemp_;
  std::optional<double> fixedTemp_;
};

class Capacitor final : public engine::Device {
 public:
  Capacitor(const elab::FlatInstance& inst, const elab::FlatCircuit& c) : Device(inst.name, inst.loc) {
    ParamReader p(inst, c, "capacitor");
    c_ = valueOrParam(inst, p, {"c", "capacitance"}, "capacitance") * p.instance("m", 1) * p.instance("scale", 1);
    ic_ = p.instance("ic");
    p.finish();
  }
  std::size_t terminalCount() const override { return 2; }
  bool linear() const override { return true; }
  bool fixedStamp() const override { return true; }
  std::vector<StampEntry> stamp() const override {
    std::vector<StampEntry> s;
    addPair(s, 0, 1);
    return s;
  }
  void eval(std::span<const double> x, const EvalContext&, EvalOutput& out) override {
    loadCapacitance(out, 0, 0, 1, c_ * (x[0] - x[1]), c_);
  }

 private:
  double c_;
  std::optional<double> ic_;
};

// Local unknowns: p, n, branch current i.   f_b = v(p) - v(n),  q_b = -L i.
class Inductor final : public engine::Device {
 public:
  Inductor(const elab::FlatInstance& inst, const elab::FlatCircuit& c) : Device(inst.name, inst.loc) {
    ParamReader p(inst, c, "inductor");
    l_ = valueOrParam(inst, p, {"l", "inductance"}, "inductance") * p.instance("scale", 1) / p.instance("m", 1);
    ic_ = p.instance("ic");
    p.finish();
  }
  double inductance() const { return l_; }
  std::size_t terminalCount() const override { return 2; }
  bool linear() const override { return true; }
  bool fixedStamp() const override { return true; }
  std::vector<engine::InternalUnknown> internals() const override {
    return {{engine::Nature::Current, "#branch"}};
  }
  std::vector<StampEntry> stamp() const override {
    std::vector<StampEntry> s;
    addBranch(s, 0, 1, 2);
    s.push_back({2, 2});
    return s;
  }
  void eval(std::span<const double> x, const EvalContext&, EvalOutput& out) override {
    out.f[0] = x[2];
    out.f[1] = -x[2];
    out.f[2] = x[0] - x[1];
    out.q[2] = -l_ * x[2];
    out.G[0] = 1;
    out.G[1] = -1;
    out.G[2] = 1;
    out.G[3] = -1;
    out.C[4] = -l_;
  }
  std::optional<std::size_t> branchUnknown() const override { return 2; }

 private:
  double l_;
  std::optional<double> ic_;
};

// Local unknowns: the two inductors' branch currents.  q_1 += -M i_2,  q_2 += -M i_1.
class Coupling final : public engine::Device {
 public:
  Coupling(const elab::FlatInstance& inst, const elab::FlatCircuit& c) : Device(inst.name, inst.loc) {
    ParamReader p(inst, c, "coupling");
    double k = inst.values.empty() ? 0 : inst.values[0];
    p.finish();
    if (!(k > -1 && k <= 1) || k == 0)
      p.fail(fmt::format("coupling '{}' must have 0 < |k| <= 1, got {:g}", inst.name, k));
    auto inductance = [&](int ref) {
      const elab::FlatInstance& l = c.instances[static_cast<std::size_t>(ref)];
      return l.values.empty() ? (l.param("l") ? l.param("l")->value : 0.0) : l.values[0];
    };
    m_ = k * std::sqrt(std::fabs(inductance(inst.refs[0]) * inductance(inst.refs[1])));
  }
  std::size_t terminalCount() const override { return 2; }
  bool linear() const override { return true; }
  bool fixedStamp() const override { return true; }
  std::vector<StampEntry> stamp() const override { return {{0, 1}, {1, 0}}; }
  void eval(std::span<const double> x, const EvalContext&, EvalOutput& out) override {
    out.q[0] = -m_ * x[1];
    out.q[1] = -m_ * x[0];
    out.C[0] = -m_;
    out.C[1] = -m_;
  }

 private:
  double m_;
};

}  // namespace

std::unique_ptr<engine::Device> makeResistor(const elab::FlatInstance& i, const elab::FlatCircuit& c) {
  return std::make_unique<Resistor>(i, c);
}
std::unique_ptr<engine::Device> makeCapacitor(const elab::FlatInstance& i, const elab::FlatCircuit& c) {
  return std::make_unique<Capacitor>(i, c);
}
std::unique_ptr<engine::Device> makeInductor(const elab::FlatInstance& i, const elab::FlatCircuit& c) {
  return std::make_unique<Inductor>(i, c);
}
std::unique_ptr<engine::Device> makeCoupling(const elab::FlatInstance& i, const elab::FlatCircuit& c) {
  return std::make_unique<Coupling>(i, c);
}

}  // namespace memspice::models
