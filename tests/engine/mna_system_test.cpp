// MnaSystem's fixed stamps: devices with Device::fixedStamp are stamped once and enter f and q
// by sparse products. The same circuit with those devices evaluated one by one (wrapped so that
// they do not claim a fixed stamp) must give the same f, q, G, C and residual scale, also after
// a swept value or the temperature changes.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "frontend.hpp"
#include "register_builtin.hpp"
#include "system/build_system.hpp"

namespace {

using namespace memspice;

// A device evaluated as any other: all but fixedStamp forwarded.
class Evaluated final : public engine::Device {
 public:
  explicit Evaluated(std::unique_ptr<engine::Device> inner)
      : Device(inner->name(), inner->loc()), inner_(std::move(inner)) {}
  std::size_t terminalCount() const override { return inner_->terminalCount(); }
  std::vector<engine::InternalUnknown> internals() const override { return inner_->internals(); }
  std::vector<engine::StampEntry> stamp() const override { return inner_->stamp(); }
  void eval(std::span<const double> x, const engine::EvalContext& ctx, engine::EvalOutput& out) override {
    inner_->eval(x, ctx, out);
  }
  bool linear() const override { return inner_->linear(); }
  std::optional<std::size_t> branchUnknown() const override { return inner_->branchUnknown(); }

 private:
  std::unique_ptr<engine::Device> inner_;
};

const char* kDeck = R"(t
V1 a 0 1
R1 a b 1k tc1=0.01
C1 b 0 1n
L1 b c 1u
L2 c 0 2u
K1 L1 L2 0.5
E1 d 0 b 0 2
R2 d e 100
G1 e 0 b c 1m
F1 f 0 V1 3
R3 f 0 10
H1 g 0 V1 5
R4 g 0 10
D1 e 0 dm
.model dm d is=1e-14
)";

struct Pair {
  std::optional<elab::FlatCircuit> circuit;
  std::unique_ptr<engine::MnaSystem> fixed, evaluated;
};

Pair build() {
  auto fe = loadDeckText("deck.cir", kDeck, MemoryFileProvider{});
  EXPECT_TRUE(fe.circuit) << fe.report();
  engine::ModelRegistry builtin;
  models::registerBuiltinModels(builtin);
  engine::ModelRegistry wrapped;
  models::registerBuiltinModels(wrapped);
  for (char letter : {'r', 'c', 'l', 'k', 'e', 'f', 'g', 'h'})
    wrapped.addElement(letter, [&builtin](const elab::FlatInstance& i, const elab::FlatCircuit& c) {
      return std::make_unique<Evaluated>(builtin.create(i, c));
    });
  Pair p;
  p.circuit = std::move(fe.circuit);
  if (!p.circuit) return p;
  Diagnostics diags;
  p.fixed = engine::buildMnaSystem(*p.circuit, builtin, diags);
  p.evaluated = engine::buildMnaSystem(*p.circuit, wrapped, diags);
  return p;
}

void expectSame(engine::MnaSystem& a, engine::MnaSystem& b, const std::vector<double>& x,
                const engine::EvalContext& ctx) {
  a.evaluate(x, ctx);
  b.evaluate(x, ctx);
  auto near = [](std::span<const double> u, std::span<const double> v, const char* what) {
    ASSERT_EQ(u.size(), v.size());
    for (std::size_t i = 0; i < u.size(); ++i)
      EXPECT_NEAR(u[i], v[i], 1e-12 * (1 + std::fabs(v[i]))) << what << "[" << i << "]";
  };
  near(a.f(), b.f(), "f");
  near(a.q(), b.q(), "q");
  near(a.C(), b.C(), "C");
  if (ctx.jacobian) near(a.G(), b.G(), "G");
  if (ctx.scale) near(a.fScale(), b.fScale(), "fScale");
}

}  // namespace

TEST(MnaSystem, FixedStampsMatchDeviceEvaluation) {
  Pair p = build();
  ASSERT_TRUE(p.fixed && p.evaluated);
  ASSERT_EQ(p.fixed->size(), p.evaluated->size());
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> u(-2, 2);
  std::vector<double> x(p.fixed->size());
  for (double& v : x) v = u(rng);
  engine::EvalContext ctx;
  ctx.transient = true;
  ctx.temperature = 320;
  expectSame(*p.fixed, *p.evaluated, x, ctx);
  ctx.jacobian = false;
  ctx.scale = false;
  expectSame(*p.fixed, *p.evaluated, x, ctx);
  // A new temperature changes R1's conductance (tc1): stamped again.
  ctx = {};
  ctx.temperature = 400;
  expectSame(*p.fixed, *p.evaluated, x, ctx);
}

TEST(MnaSystem, SweptResistanceIsStampedAgain) {
  Pair p = build();
  ASSERT_TRUE(p.fixed);
  auto r1 = static_cast<std::size_t>(p.circuit->findInstance("r1"));
  std::vector<double> x(p.fixed->size(), 0.0);
  x[static_cast<std::size_t>(p.fixed->nodeUnknown(*p.circuit->findNode("a")))] = 1;
  engine::EvalContext ctx;
  ctx.temperature = 300.15;  // R1 then has tc1 = 0.01 per kelvin over 27 C: nominal, 1 mS
  auto a = static_cast<std::size_t>(p.fixed->nodeUnknown(*p.circuit->findNode("a")));
  p.fixed->evaluate(x, ctx);
  const double before = p.fixed->f()[a];
  ASSERT_TRUE(p.fixed->setSweepValue(r1, 500));
  p.fixed->evaluate(x, ctx);
  // Node a: R1's current (V1's branch is 0 here), now 1 V / 500 ohm.
  EXPECT_NEAR(before, 1e-3, 1e-12);
  EXPECT_NEAR(p.fixed->f()[a], 2e-3, 1e-12);
}
