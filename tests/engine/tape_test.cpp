// The expression tape's arithmetic (expression/tape.hpp): values and gradients of operations
// with a constant operand on either side (one fused instruction each), of constants folded at
// compile time, and of expressions over more probes than the unrolled evaluations cover.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <vector>

#include "expression/tape.hpp"

namespace {

using namespace memspice;
using engine::Tape;

const SourceLoc at{};
expr::NodePtr v(const char* node) { return expr::makeVoltage(node, "", at); }
expr::NodePtr k(double value) { return expr::makeNumber(value, at); }
expr::NodePtr bin(expr::Op op, expr::NodePtr a, expr::NodePtr b) { return expr::makeBinary(op, a, b, at); }

struct Expected {
  double value;
  std::vector<double> gradient;
};

void check(const expr::NodePtr& e, const std::vector<double>& x, const Expected& want) {
  Tape t(*e);
  ASSERT_EQ(t.probes().size(), x.size());
  std::vector<double> grad(x.size(), -99.0);
  EXPECT_DOUBLE_EQ(t.evaluate(x, 0, 27, grad), want.value);
  for (std::size_t i = 0; i < x.size(); ++i) EXPECT_DOUBLE_EQ(grad[i], want.gradient[i]) << "d/dx" << i;
}

TEST(Tape, ConstantOperandOnTheRight) {
  using O = expr::Op;
  const double a = 1.7;
  check(bin(O::Add, v("a"), k(2)), {a}, {a + 2, {1}});
  check(bin(O::Sub, v("a"), k(2)), {a}, {a - 2, {1}});
  check(bin(O::Mul, v("a"), k(2)), {a}, {a * 2, {2}});
  check(bin(O::Div, v("a"), k(4)), {a}, {a / 4, {0.25}});
  check(bin(O::Pow, v("a"), k(3)), {a}, {a * a * a, {3 * a * a}});
  check(bin(O::Pow, v("a"), k(1)), {0.0}, {0, {1}});  // x^1 at 0: slope 1, as unfused
}

TEST(Tape, ConstantOperandOnTheLeft) {
  using O = expr::Op;
  const double a = 1.7;
  check(bin(O::Add, k(2), v("a")), {a}, {2 + a, {1}});
  check(bin(O::Sub, k(2), v("a")), {a}, {2 - a, {-1}});
  check(bin(O::Mul, k(2), v("a")), {a}, {2 * a, {2}});
  check(bin(O::Div, k(2), v("a")), {a}, {2 / a, {-2 / (a * a)}});
  check(bin(O::Pow, k(2), v("a")), {a}, {std::pow(2, a), {std::pow(2, a) * std::log(2)}});
  check(bin(O::Pow, k(-2), v("a")), {2.0}, {4, {0}});  // no log of a negative base
}

TEST(Tape, ConstantsFoldAndComparisonsStay) {
  using O = expr::Op;
  // (1 + 2) * (8 / 4) ^ 3 * x = 24 x
  check(bin(O::Mul, bin(O::Mul, bin(O::Add, k(1), k(2)), bin(O::Pow, bin(O::Div, k(8), k(4)), k(3))), v("a")), {0.5},
        {12, {24}});
  // A comparison with a constant is not fused: it keeps its margin for events.
  Tape t(*bin(O::Gt, v("a"), k(1)));
  EXPECT_EQ(t.comparisonCount(), 1u);
  std::vector<double> x{3}, grad(1);
  EXPECT_EQ(t.evaluate(x, 0, 27, grad), 1.0);
  EXPECT_DOUBLE_EQ(t.margins()[0], 2.0);
}

// The same sum of products over 1 to 7 probes: the unrolled (1 to 4) and the general count.
TEST(Tape, EveryProbeCountGivesTheSameGradient) {
  using O = expr::Op;
  static const char* names[] = {"a", "b", "c", "d", "e", "f", "g"};
  for (std::size_t count = 1; count <= 7; ++count) {
    // sum_i (i + 1) * v_i^2 - 3 / v_i
    expr::NodePtr e = k(0);
    std::vector<double> x;
    Expected want{0, {}};
    for (std::size_t i = 0; i < count; ++i) {
      const double xi = 0.5 + 0.25 * static_cast<double>(i), w = static_cast<double>(i + 1);
      const expr::NodePtr square = bin(O::Mul, v(names[i]), v(names[i]));
      e = bin(O::Add, e, bin(O::Sub, bin(O::Mul, k(w), square), bin(O::Div, k(3), v(names[i]))));
      x.push_back(xi);
      want.value += w * xi * xi - 3 / xi;
      want.gradient.push_back(2 * w * xi + 3 / (xi * xi));
    }
    SCOPED_TRACE(count);
    check(e, x, want);
  }
}

}  // namespace
