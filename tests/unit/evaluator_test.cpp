// Evaluating .param expressions: builtins, user functions, scoping and every error kind.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "support/deck_helpers.hpp"

namespace {

using namespace memspice;

// Value of top-level parameter `name` after loading `params` (a block of .param/.func cards).
double valueOf(const std::string& params, const std::string& expression) {
  auto r = test::load("t\n" + params + "\nR1 a 0 {" + expression + "}\n");
  EXPECT_TRUE(r.circuit) << r.report();
  if (!r.circuit) return NAN;
  return r.circuit->instances.at(0).values.at(0);
}

std::string errorOf(const std::string& params, const std::string& expression) {
  return test::firstError(test::load("t\n" + params + "\nR1 a 0 {" + expression + "}\n"));
}

TEST(Evaluator, Arithmetic) {
  EXPECT_DOUBLE_EQ(valueOf("", "1+2*3"), 7);
  EXPECT_DOUBLE_EQ(valueOf("", "7%3"), 1);
  EXPECT_DOUBLE_EQ(valueOf("", "2**3**2"), 64);
  EXPECT_DOUBLE_EQ(valueOf("", "-2^2"), -4);
  EXPECT_DOUBLE_EQ(valueOf("", "2^-1"), 0.5);
  EXPECT_DOUBLE_EQ(valueOf("", "10/4"), 2.5);
}

TEST(Evaluator, PowerOfANegativeBaseIsTheRealPower) {
  EXPECT_DOUBLE_EQ(valueOf("", "(-2)^3"), -8);   // ngspice .param: 8
  EXPECT_DOUBLE_EQ(valueOf("", "(-2)**3"), -8);
  EXPECT_DOUBLE_EQ(valueOf("", "pow(-2, 3)"), -8);
  EXPECT_DOUBLE_EQ(valueOf("", "pwr(-2, 3)"), 8);  // |x|^y
  EXPECT_EQ(errorOf("", "(-2)^0.5"), "3:13: error: '^' gives an undefined result (nan)");
}

TEST(Evaluator, ComparisonsLogicAndTernary) {
  EXPECT_DOUBLE_EQ(valueOf("", "(2 > 1) + (2 < 1) + (3 >= 3) + (3 <= 2) + (1 == 1) + (1 != 1)"), 3);
  EXPECT_DOUBLE_EQ(valueOf("", "1 + (0 || 2) + (1 && 0) + !0"), 3);
  EXPECT_DOUBLE_EQ(valueOf(".param a=5", "a > 3 ? 10 : 20"), 10);
  EXPECT_DOUBLE_EQ(valueOf(".param a=1", "a > 3 ? 10 : 20"), 20);
  // Only the chosen branch is evaluated: no division by zero here.
  EXPECT_DOUBLE_EQ(valueOf(".param a=0", "a == 0 ? 1 : 1/a"), 1);
  // Xyce's and HSPICE's if(c, a, b) is the same conditional: only the branch taken counts.
  EXPECT_DOUBLE_EQ(valueOf(".param a=0", "IF(a == 0, 1, 1/a)"), 1);
  EXPECT_DOUBLE_EQ(valueOf(".param a=4", "if(a <= 3, if(a >= -3, 0, -1), 2)"), 2);
  EXPECT_EQ(errorOf("", "if(1, 2)"),
            "3:9: error: 'if' takes 3 arguments (condition, value if true, value if false), got 2");
  EXPECT_DOUBLE_EQ(valueOf(".param a=0", "a != 0 && 1/a > 1 ? 5 : 6"), 6);
}

TEST(Evaluator, Builtins) {
  EXPECT_DOUBLE_EQ(valueOf("", "sqrt(16)"), 4);
  EXPECT_DOUBLE_EQ(valueOf("", "exp(0)"), 1);
  EXPECT_DOUBLE_EQ(valueOf("", "log(100)"), std::log(100.0));  // natural log, as ngspice
  EXPECT_DOUBLE_EQ(valueOf("", "ln(100)"), std::log(100.0));
  EXPECT_DOUBLE_EQ(valueOf("", "log10(100)"), 2);
  EXPECT_DOUBLE_EQ(valueOf("", "abs(-3)"), 3);
  EXPECT_DOUBLE_EQ(valueOf("", "min(3, 1, 2)"), 1);
  EXPECT_DOUBLE_EQ(valueOf("", "max(3, 1, 2)"), 3);
  EXPECT_DOUBLE_EQ(valueOf("", "pow(2, 10)"), 1024);
  EXPECT_DOUBLE_EQ(valueOf("", "pwr(-2, 2)"), 4);  // |x|^y, as ngspice
  EXPECT_DOUBLE_EQ(valueOf("", "sgn(-3) + sgn(0) + sgn(5)"), 0);
  EXPECT_DOUBLE_EQ(valueOf("", "floor(2.7) + ceil(2.2)"), 5);
  EXPECT_DOUBLE_EQ(valueOf("", "sin(0) + cos(0)"), 1);
  EXPECT_DOUBLE_EQ(valueOf("", "tanh(0)"), 0);
  EXPECT_DOUBLE_EQ(valueOf("", "limit(5, 0, 2)"), 2);
  EXPECT_DOUBLE_EQ(valueOf("", "limit(-5, 2, 0)"), 0);
  EXPECT_DOUBLE_EQ(valueOf("", "pi"), std::numbers::pi);
  EXPECT_DOUBLE_EQ(valueOf("", "int(-2.7) + nint(2.5)"), 1);
}

TEST(Evaluator, ParametersInAnyOrderAndBracedOrQuoted) {
  EXPECT_DOUBLE_EQ(valueOf(".param a={b*2}\n.param b=3", "a"), 6);
  EXPECT_DOUBLE_EQ(valueOf(".param a='b+1' b = 2 * 3", "a"), 7);
  EXPECT_DOUBLE_EQ(valueOf(".param e=10", "e"), 10);  // user parameters hide constants
}

TEST(Evaluator, UserFunctions) {
  EXPECT_DOUBLE_EQ(valueOf(".func sq(x) = x*x", "sq(3)"), 9);
  EXPECT_DOUBLE_EQ(valueOf(".func f(x, y) {x + 2*y}", "f(1, 2)"), 5);
  EXPECT_DOUBLE_EQ(valueOf(".param k=10\n.func g(x) = k*x", "g(2)"), 20);
  EXPECT_DOUBLE_EQ(valueOf(".func sq(x) = x*x\n.func q(x) = sq(x)+1", "q(2)"), 5);
  EXPECT_DOUBLE_EQ(valueOf(".param x=100\n.func f(x) = x+1", "f(1)"), 2);  // arguments hide params
}

TEST(Evaluator, Errors) {
  EXPECT_EQ(errorOf("", "rload"), "3:9: error: undefined parameter 'rload'");
  EXPECT_EQ(errorOf("", "foo(1)"), "3:9: error: unknown function 'foo'");
  EXPECT_EQ(errorOf("", "sqrt(1, 2)"), "3:9: error: function 'sqrt' takes 1 argument, got 2");
  EXPECT_EQ(errorOf("", "max(1)"), "3:9: error: function 'max' takes at least 2 arguments, got 1");
  EXPECT_EQ(errorOf("", "1/0"), "3:10: error: division by zero");
  EXPECT_EQ(errorOf("", "sqrt(-1)"), "3:9: error: 'sqrt' gives an undefined result (nan)");
  EXPECT_EQ(errorOf("", "exp(1000)"), "3:9: error: 'exp' gives infinity");
  EXPECT_EQ(errorOf(".param a={b}\n.param b={a}", "a"), "3:11: error: parameter 'a' depends on itself");
  EXPECT_EQ(errorOf(".func f(x) = f(x)", "f(1)"), "2:14: error: function 'f' calls itself without end");
  EXPECT_EQ(errorOf(".func f(x) = x", "f(1, 2)"), "3:9: error: function 'f' takes 1 argument, got 2");
  EXPECT_EQ(errorOf("", "v(a)"),
            "3:9: error: 'v(a)' is a circuit quantity; it is allowed only in B sources, value= sources and "
            "output expressions");
  EXPECT_EQ(errorOf("", "time"), "3:9: error: 'time' is only defined while simulating (use it in a B source)");
}

TEST(Evaluator, OverridesWinOverDefinitions) {
  elab::ElabOptions o;
  o.overrides["r"] = 5;
  auto r = test::load("t\n.param r=1 s={2*r}\nR1 a 0 {s}\n", {}, o);
  ASSERT_TRUE(r.circuit) << r.report();
  EXPECT_DOUBLE_EQ(r.circuit->instances[0].values[0], 10);
}

}  // namespace
