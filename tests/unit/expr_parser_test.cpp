// The X3 expression grammar: precedence, associativity, probes, calls and error positions.
#include <gtest/gtest.h>

#include "expr/expr_parser.hpp"

namespace {

using namespace memspice;

struct Parsed {
  std::string tree;   // canonical form, or the error as "col: message"
};

std::string parse(const std::string& text) {
  LogicalLine line;
  line.append(text, {0, 1, 1});
  auto r = expr::parseExpression(line, 0, text.size());
  if (!r.ok()) return std::to_string(line.loc(r.errorOffset).col) + ": " + r.error;
  return expr::toString(*r.node);
}

TEST(ExprParser, Precedence) {
  EXPECT_EQ(parse("1+2*3"), "(1+(2*3))");
  EXPECT_EQ(parse("(1+2)*3"), "((1+2)*3)");
  EXPECT_EQ(parse("a-b-c"), "((a-b)-c)");
  EXPECT_EQ(parse("a/b*c"), "((a/b)*c)");
  EXPECT_EQ(parse("a%b"), "(a%b)");
  EXPECT_EQ(parse("1 < 2 == 3 >= 4"), "((1<2)==(3>=4))");
  EXPECT_EQ(parse("a || b && c"), "(a||(b&&c))");
  EXPECT_EQ(parse("a != b"), "(a!=b)");
  EXPECT_EQ(parse("a <= b"), "(a<=b)");
}

TEST(ExprParser, PowerIsLeftAssociativeAndBindsTighterThanUnaryMinus) {
  EXPECT_EQ(parse("2**3**2"), "((2^3)^2)");  // ngspice: 64
  EXPECT_EQ(parse("2^3^2"), "((2^3)^2)");
  EXPECT_EQ(parse("-2^2"), "(-(2^2))");      // ngspice: -4
  EXPECT_EQ(parse("2^-1"), "(2^(-1))");
  EXPECT_EQ(parse("a*b**2"), "(a*(b^2))");
}

TEST(ExprParser, UnaryOperators) {
  EXPECT_EQ(parse("-a"), "(-a)");
  EXPECT_EQ(parse("+a"), "(+a)");
  EXPECT_EQ(parse("!a"), "(!a)");
  EXPECT_EQ(parse("--a"), "(-(-a))");
}

TEST(ExprParser, Ternary) {
  EXPECT_EQ(parse("a > 1 ? b : c"), "((a>1)?b:c)");
  EXPECT_EQ(parse("a ? b : c ? d : e"), "(a?b:(c?d:e))");
}

TEST(ExprParser, NumbersWithSuffixes) {
  EXPECT_EQ(parse("2k*3"), "(2000*3)");
  EXPECT_EQ(parse("1meg"), "1e+06");
  EXPECT_EQ(parse("10uF"), "1e-05");
}

TEST(ExprParser, NamesAndCallsAreLowerCased) {
  EXPECT_EQ(parse("Rload"), "rload");
  EXPECT_EQ(parse("SQRT(x)"), "sqrt(x)");
  EXPECT_EQ(parse("max(a, b, 3)"), "max(a,b,3)");
  EXPECT_EQ(parse("f()"), "f()");
  EXPECT_EQ(parse("_x1"), "_x1");
}

TEST(ExprParser, Probes) {
  EXPECT_EQ(parse("v(out)"), "v(out)");
  EXPECT_EQ(parse("V(Out, 0)"), "v(out,0)");
  EXPECT_EQ(parse("v(x1.n3)"), "v(x1.n3)");
  EXPECT_EQ(parse("i(Vsense)"), "i(vsense)");
  EXPECT_EQ(parse("2*v(a)-i(v1)"), "((2*v(a))-i(v1))");
  EXPECT_EQ(parse("vdd"), "vdd");  // a name that starts with v is not a probe
}

TEST(ExprParser, ErrorsPointAtTheProblem) {
  EXPECT_EQ(parse("1 +"), "4: expected an operand, found end of expression");
  EXPECT_EQ(parse("(1+2"), "5: expected ')', found end of expression");
  EXPECT_EQ(parse("1 2"), "3: unexpected '2' in expression");
  EXPECT_EQ(parse("a ? b"), "6: expected ':', found end of expression");
  EXPECT_EQ(parse("*3"), "1: expected an expression, found '*'");
  EXPECT_EQ(parse(""), "1: expected an expression, found end of expression");
  EXPECT_EQ(parse("f(1,"), "4: expected ')', found ','");
  EXPECT_EQ(parse("v(a"), "4: expected ')', found end of expression");
}

TEST(ExprParser, PrefixStopsAtTheEndOfTheExpression) {
  LogicalLine line;
  std::string text = "2 * b c=3";
  line.append(text, {0, 1, 1});
  auto r = expr::parsePrefix(line, 0, text.size());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(expr::toString(*r.node), "(2*b)");
  EXPECT_EQ(text.substr(r.end), " c=3");
}

}  // namespace
