// Linear controlled sources E (VCVS), G (VCCS), F (CCCS), H (CCVS). F and H read the branch
// current of their controlling V source as a local unknown.
#include <fmt/format.h>

#include "builtin/builtin_devices.hpp"
#include "builtin/param_reader.hpp"
#include "builtin/stamps.hpp"

namespace memspice::models {

using engine::EvalContext;
using engine::EvalOutput;
using engine::StampEntry;

namespace {

double gainOf(const elab::FlatInstance& inst, const elab::FlatCircuit& c, const char* kind) {
  ParamReader p(inst, c, kind);
  p.finish();
  if (inst.values.empty()) p.fail(fmt::format("'{}' has no gain", inst.name));
  return inst.values[0];
}

// p, n, cp, cn, branch:  f_b = v(p) - v(n) - gain (v(cp) - v(cn))
class Vcvs final : public engine::Device {
 public:
  Vcvs(const elab::FlatInstance& i, const elab::FlatCircuit& c) : Device(i.name, i.loc), gain_(gainOf(i, c, "VCVS")) {}
  std::size_t terminalCount() const override { return 4; }
  bool linear() const override { return true; }
  bool fixedStamp() const override { return true; }
  std::vector<engine::InternalUnknown> internals() const override { return {{engine::Nature::Current, "#branch"}}; }
  std::vector<StampEntry> stamp() const override {
    std::vector<StampEntry> s;
    addBranch(s, 0, 1, 4);
    s.push_back({4, 2});
    s.push_back({4, 3});
    return s;
  }
  void eval(std::span<const double> x, const EvalContext&, EvalOutput& out) override {
    out.f[0] = x[4];
    out.f[1] = -x[4];
    out.f[4] = x[0] - x[1] - gain_ * (x[2] - x[3]);
    out.G[0] = 1;
    out.G[1] = -1;
    out.G[2] = 1;
    out.G[3] = -1;
    out.G[4] = -gain_;
    out.G[5] = gain_;
  }
  std::optional<std::size_t> branchUnknown() const override { return 4; }

 private:
  double gain_;
};

// p, n, cp, cn:  current gm (v(cp) - v(cn)) from p through the source to n
class Vccs final : public engine::Device {
 public:
  Vccs(const elab::FlatInstance& i, const elab::FlatCircuit& c) : Device(i.name, i.loc), gm_(gainOf(i, c, "VCCS")) {}
  std::size_t terminalCount() const override { return 4; }
  bool linear() const override { return true; }
  bool fixedStamp() const override { return true; }
  std::vector<StampEntry> stamp() const override { return {{0, 2}, {0, 3}, {1, 2}, {1, 3}}; }
  void eval(std::span<const double> x, const EvalContext&, EvalOutput& out) override {
    double i = gm_ * (x[2] - x[3]);
    out.f[0] = i;
    out.f[1] = -i;
    out.G[0] = gm_;
    out.G[1] = -gm_;
    out.G[2] = -gm_;
    out.G[3] = gm_;
  }

 private:
  double gm_;
};

// p, n, i(vsense):  current gain * i(vsense) from p through the source to n
class Cccs final : public engine::Device {
 public:
  Cccs(const elab::FlatInstance& i, const elab::FlatCircuit& c) : Device(i.name, i.loc), gain_(gainOf(i, c, "CCCS")) {}
  std::size_t terminalCount() const override { return 3; }
  bool linear() const override { return true; }
  bool fixedStamp() const override { return true; }
  std::vector<StampEntry> stamp() const override { return {{0, 2}, {1, 2}}; }
  void eval(std::span<const double> x, const EvalContext&, EvalOutput& out) override {
    out.f[0] = gain_ * x[2];
    out.f[1] = -gain_ * x[2];
    out.G[0] = gain_;
    out.G[1] = -gain_;
  }

 private:
  double gain_;
};

// p, n, i(vsense), branch:  f_b = v(p) - v(n) - r * i(vsense)
class Ccvs final : public engine::Device {
 public:
  Ccvs(const elab::FlatInstance& i, const elab::FlatCircuit& c) : Device(i.name, i.loc), r_(gainOf(i, c, "CCVS")) {}
  std::size_t terminalCount() const override { return 3; }
  bool linear() const override { return true; }
  bool fixedStamp() const override { return true; }
  std::vector<engine::InternalUnknown> internals() const override { return {{engine::Nature::Current, "#branch"}}; }
  std::vector<StampEntry> stamp() const override {
    std::vector<StampEntry> s;
    addBranch(s, 0, 1, 3);
    s.push_back({3, 2});
    return s;
  }
  void eval(std::span<const double> x, const EvalContext&, EvalOutput& out) override {
    out.f[0] = x[3];
    out.f[1] = -x[3];
    out.f[3] = x[0] - x[1] - r_ * x[2];
    out.G[0] = 1;
    out.G[1] = -1;
    out.G[2] = 1;
    out.G[3] = -1;
    out.G[4] = -r_;
  }
  std::optional<std::size_t> branchUnknown() const override { return 3; }

 private:
  double r_;
};

}  // namespace

std::unique_ptr<engine::Device> makeVcvs(const elab::FlatInstance& i, const elab::FlatCircuit& c) {
  return std::make_unique<Vcvs>(i, c);
}
std::unique_ptr<engine::Device> makeVccs(const elab::FlatInstance& i, const elab::FlatCircuit& c) {
  return std::make_unique<Vccs>(i, c);
}
std::unique_ptr<engine::Device> makeCccs(const elab::FlatInstance& i, const elab::FlatCircuit& c) {
  return std::make_unique<Cccs>(i, c);
}
std::unique_ptr<engine::Device> makeCcvs(const elab::FlatInstance& i, const elab::FlatCircuit& c) {
  return std::make_unique<Ccvs>(i, c);
}

}  // namespace memspice::models
