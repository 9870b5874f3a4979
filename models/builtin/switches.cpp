// Voltage- and current-controlled switches (ngspice sw / csw models): a resistance of ron or
// roff, with hysteresis: the switch turns on when the control exceeds vt + vh and off when it
// falls below vt - vh, and otherwise keeps its state.
//   DC: the state follows the control at every Newton iteration from the last accepted state
//       (so a .dc sweep up and down traces the hysteresis loop).
//   Transient: the state changes only at the located crossings of the two thresholds (IDA
//       root functions), where the integrator restarts.
// Local unknowns: p, n, then nc+, nc- (S) or the controlling source's current (W).
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

class Switch final : public engine::Device {
 public:
  Switch(const elab::FlatInstance& inst, const elab::FlatCircuit& c) : Device(inst.name, inst.loc) {
    ParamReader p(inst, c, "switch");
    current_ = inst.type == 'w';
    const std::string& type = c.models[static_cast<std::size_t>(inst.model)].type;
    if (type == "vswitch" || type == "iswitch")
      p.fail(fmt::format("Xyce '{}' models are not supported yet; use an ngspice '{}' model (vt, vh, ron, roff)",
                         type, current_ ? "csw" : "sw"));
    vt_ = current_ ? p.model("it", 0) : p.model("vt", 0);
    vh_ = std::fabs(current_ ? p.model("ih", 0) : p.model("vh", 0));
    ron_ = p.model("ron", 1);
    roff_ = p.model("roff", 1e12);
    p.finish();
    if (ron_ <= 0 || roff_ <= 0) p.fail(fmt::format("switch '{}': ron and roff must be positive", inst.name));
    for (const std::string& f : inst.flags) on_ = f == "on" ? true : f == "off" ? false : on_;
    committed_ = on_;
  }

  std::size_t terminalCount() const override { return current_ ? 3 : 4; }
  bool chargeFree() const override { return true; }
  std::vector<StampEntry> stamp() const override {
    std::vector<StampEntry> s;
    addPair(s, 0, 1);
    return s;
  }
  void eval(std::span<const double> x, const EvalContext& ctx, EvalOutput& out) override {
    if (!ctx.integrating) {
      double c = control(x);
      bool before = on_;
      on_ = c > vt_ + vh_ ? true : c < vt_ - vh_ ? false : committed_;
      // A flip changes the equations like junction limiting does: Newton must not call this
      // iteration converged, nor damp the jump it causes.
      out.limited = on_ != before;
    }
    double g = 1 / (on_ ? ron_ : roff_);
    loadConductance(out, 0, 0, 1, g * (x[0] - x[1]), g);
  }
  void accept(std::span<const double> x) override {
    double c = control(x);
    on_ = c > vt_ + vh_ ? true : c < vt_ - vh_ ? false : committed_;
    committed_ = on_;
  }
  std::size_t rootCount() const override { return 2; }
  void roots(std::span<const double> x, const EvalContext&, std::span<double> g) const override {
    g[0] = control(x) - (vt_ + vh_);
    g[1] = control(x) - (vt_ - vh_);
  }
  std::string eventName(std::size_t k, int) const override { return k == 0 ? "on" : "off"; }
  bool onRoot(std::size_t k, int direction, std::span<const double>, double) override {
    bool next = on_;
    if (k == 0 && direction > 0) next = true;
    if (k == 1 && direction < 0) next = false;
    if (next == on_) return false;
    on_ = committed_ = next;
    return true;
  }

 private:
  double control(std::span<const double> x) const { return current_ ? x[2] : x[2] - x[3]; }

  bool current_ = false;
  double vt_, vh_, ron_, roff_;
  bool on_ = false, committed_ = false;
};

}  // namespace

std::unique_ptr<engine::Device> makeSwitch(const elab::FlatInstance& i, const elab::FlatCircuit& c) {
  return std::make_unique<Switch>(i, c);
}

}  // namespace memspice::models
