// A halide-perovskite threshold-switching (volatile) memristor with a stochastic threshold,
// the firing element of the perovskite leaky integrate-and-fire neuron (de Boer and Ehrler,
// Mater. Horiz. 2025, doi:10.1039/D4MH01729C; docs/models/perovskite-lif.md).
//   I     = (1/roff + (1/ron - 1/roff) x) V
//   dx/dt = (1 - x)/ton   while firing;   -x/toff otherwise (relaxation)
// The device starts firing when V rises through its threshold vth_k and stops when V falls
// through vhold; it then re-arms with a new threshold vth_{k+1}. Both crossings are IDA root
// functions, so they are located in time regardless of the step size, and vth_k is drawn
// from N(vth, dvth) by a counter-based generator keyed by (seed, instance, k): the same seed
// gives the same spikes for any step size, tolerance or evaluation order.
#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "builtin/param_reader.hpp"
#include "expr/counter_rng.hpp"
#include "memristor/memristor_models.hpp"

namespace memspice::models {

namespace {

using engine::EvalContext;
using engine::EvalOutput;
using engine::StampEntry;

class PerovskiteMemristor final : public engine::Device {
 public:
  PerovskiteMemristor(const elab::FlatInstance& inst, const elab::FlatCircuit& c) : Device(inst.name, inst.loc) {
    ParamReader p(inst, c, "perovskite memristor");
    ron_ = p.either("ron", 1e3);
    roff_ = p.either("roff", 1e8);
    vth_ = p.either("vth", 1.2);
    dvth_ = p.either("dvth", 0.1);
    vhold_ = p.either("vhold", 0.2);
    ton_ = p.either("ton", 50e-9);
    toff_ = p.either("toff", 2e-6);
    const double seed = p.either("seed", -1);
    p.finish();
    if (!(ron_ > 0) || !(roff_ > ron_)) p.fail(fmt::format("'{}': needs 0 < ron < roff", inst.name));
    if (!(ton_ > 0) || !(toff_ > 0)) p.fail(fmt::format("'{}': ton= and toff= must be positive", inst.name));
    if (dvth_ < 0) p.fail(fmt::format("'{}': dvth= must not be negative", inst.name));
    if (!(vth_ > vhold_)) p.fail(fmt::format("'{}': the mean threshold vth= must be above vhold=", inst.name));
    if (seed >= 0 && seed != std::floor(seed)) p.fail(fmt::format("'{}': seed= is a whole number", inst.name));
    key_ = rng::key(seed >= 0 ? static_cast<std::uint64_t>(seed) : c.seed, inst.name);
    threshold_ = draw(0);
  }

  std::size_t terminalCount() const override { return 2; }
  std::vector<engine::InternalUnknown> internals() const override { return {{engine::Nature::State, "#x"}}; }
  std::vector<StampEntry> stamp() const override {
    return {{0, 0}, {0, 1}, {1, 0}, {1, 1}, {0, 2}, {1, 2}, {2, 2}};
  }
  // vth: the threshold now armed; spikes: firings so far (counted when they start).
  std::vector<std::string> quantityNames() const override { return {"vth", "spikes"}; }
  double quantity(std::size_t k, std::span<const double>) const override {
    return k == 0 ? threshold_ : static_cast<double>(spikes_);
  }

  void eval(std::span<const double> x, const EvalContext&, EvalOutput& out) override {
    const double v = x[0] - x[1], s = x[2];
    const double g = 1 / roff_ + (1 / ron_ - 1 / roff_) * s, dgdx = 1 / ron_ - 1 / roff_;
    out.f[0] = g * v;
    out.f[1] = -g * v;
    out.G[0] = g;
    out.G[1] = -g;
    out.G[2] = -g;
    out.G[3] = g;
    out.G[4] = dgdx * v;
    out.G[5] = -dgdx * v;
    // Volatile: the off state relaxes to x = 0, which is also its DC steady state.
    if (firing_) {
      out.f[2] = -(1 - s) / ton_;
      out.G[6] = 1 / ton_;
    } else {
      out.f[2] = s / toff_;
      out.G[6] = 1 / toff_;
    }
    out.q[2] = s;
    out.C[6] = 1;
  }

  std::size_t rootCount() const override { return 2; }
  // Only the crossing that can change the state is a root; the other is held at 1. A disarmed
  // one would otherwise sit at zero: the membrane peaks just past the threshold once firing
  // starts (and bottoms out at vhold once re-armed), and IDA stops at a root function that
  // stays within rounding of zero ("root found at and very near t"). The functions change only
  // at the device's own events, where the integrator restarts.
  void roots(std::span<const double> x, const EvalContext&, std::span<double> g) const override {
    g[0] = firing_ ? 1.0 : x[0] - x[1] - threshold_;
    g[1] = firing_ ? x[0] - x[1] - vhold_ : 1.0;
  }
  std::string eventName(std::size_t k, int) const override { return k == 0 ? "fire" : "rearm"; }
  bool onRoot(std::size_t k, int direction, std::span<const double>, double) override {
    if (k == 0 && direction > 0 && !firing_) {
      firing_ = true;
      ++spikes_;
      return true;
    }
    if (k == 1 && direction < 0 && firing_) {
      firing_ = false;
      threshold_ = draw(spikes_);
      return true;
    }
    return false;
  }

 private:
  // Threshold k, from N(vth, dvth), kept above vhold so that a re-armed device cannot fire
  // without first recharging.
  double draw(std::uint64_t k) const {
    return std::max(vth_ + dvth_ * rng::normal(rng::keyed(key_, k)), vhold_ + 1e-3);
  }

  double ron_, roff_, vth_, dvth_, vhold_, ton_, toff_;
  std::uint64_t key_ = 0;
  double threshold_ = 0;
  bool firing_ = false;
  std::uint64_t spikes_ = 0;
};

}  // namespace

std::unique_ptr<engine::Device> makePerovskiteMemristor(const elab::FlatInstance& i, const elab::FlatCircuit& c) {
  return std::make_unique<PerovskiteMemristor>(i, c);
}

}  // namespace memspice::models
