// Deep input is an error with a location, never a stack overflow (the fuzzer found one in the
// expression grammar: tests/parser/fuzz_regressions/).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/deck_helpers.hpp"

namespace {

using namespace memspice;

std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

TEST(Limits, DeeplyNestedParentheses) {
  auto r = test::load("t\nR1 a 0 {" + repeat("(", 100000) + "1" + repeat(")", 100000) + "}\n");
  EXPECT_FALSE(r.circuit);
  std::string e = test::firstError(r);
  EXPECT_NE(e.find("expected an expression nested less deeply (at most 200 levels)"), std::string::npos) << e;
  EXPECT_EQ(e.rfind("2:", 0), 0u) << e;
}

TEST(Limits, LongTernaryChainAndSignChains) {
  auto ternary = test::load("t\n.param a=1\nR1 a 0 {" + repeat("a ? 1 : ", 50000) + "2}\n");
  EXPECT_NE(test::firstError(ternary).find("nested less deeply"), std::string::npos);
  auto signs = test::load("t\nR1 a 0 {" + repeat("-", 100000) + "1}\n");
  EXPECT_NE(test::firstError(signs).find("nested less deeply"), std::string::npos);
  auto exponent = test::load("t\nR1 a 0 {2^" + repeat("-", 100000) + "1}\n");
  EXPECT_NE(test::firstError(exponent).find("nested less deeply"), std::string::npos);
}

TEST(Limits, LongOperatorChains) {
  std::string chain = "1";
  for (int i = 0; i < 200000; ++i) chain += "+1";
  auto r = test::load("t\nR1 a 0 {" + chain + "}\n");
  EXPECT_NE(test::firstError(r).find("an expression with fewer chained operators (at most 1000)"), std::string::npos)
      << test::firstError(r);
  std::string fine = "1";
  for (int i = 0; i < 900; ++i) fine += "+1";
  auto ok = test::load("t\nR1 a 0 {" + fine + "}\n");
  ASSERT_TRUE(ok.circuit) << ok.report();
  EXPECT_DOUBLE_EQ(ok.circuit->instances[0].values[0], 901);
}

TEST(Limits, ExponentialFunctionExpansion) {
  std::string arg = "v(a)";
  for (int i = 0; i < 60; ++i) arg = "f(" + arg + ")";
  auto r = test::load("t\n.func f(x) = x + x\nV1 a 0 1\nB1 b 0 V=" + arg + "\nR1 b 0 1\n");
  EXPECT_NE(test::firstError(r).find("expression too large after expanding its functions"), std::string::npos)
      << test::firstError(r);
}

TEST(Limits, ModerateNestingIsFine) {
  auto r = test::load("t\nR1 a 0 {" + repeat("(", 150) + "1" + repeat(")", 150) + "}\n");
  EXPECT_TRUE(r.circuit) << r.report();
}

TEST(Limits, DeeplyNestedGroupsInACard) {
  auto r = test::load("t\nV1 a 0 " + repeat("pulse(", 100000) + "\n");
  EXPECT_NE(test::firstError(r).find("a group nested less deeply (at most 200 levels)"), std::string::npos)
      << test::firstError(r);
}

TEST(Limits, LongParameterChains) {
  std::string deck = "t\n";
  for (int i = 0; i < 3000; ++i) deck += ".param p" + std::to_string(i) + "={p" + std::to_string(i + 1) + "+1}\n";
  deck += ".param p3000=0\nR1 a 0 {p0}\n";
  auto r = test::load(deck);
  EXPECT_FALSE(r.circuit);
  EXPECT_NE(test::firstError(r).find("is defined through more than 500 other parameters"), std::string::npos)
      << test::firstError(r);
  std::string ok = "t\n";
  for (int i = 0; i < 400; ++i) ok += ".param p" + std::to_string(i) + "={p" + std::to_string(i + 1) + "+1}\n";
  ok += ".param p400=0\nR1 a 0 {p0}\n";
  auto fine = test::load(ok);
  ASSERT_TRUE(fine.circuit) << fine.report();
  EXPECT_DOUBLE_EQ(fine.circuit->instances[0].values[0], 400);
}

TEST(Limits, DeeplyNestedSubcircuits) {
  std::string deck = "t\n.subckt s0 a\nR1 a 0 1\n.ends\n";
  for (int i = 1; i <= 1200; ++i)
    deck += ".subckt s" + std::to_string(i) + " a\nX1 a s" + std::to_string(i - 1) + "\n.ends\n";
  deck += "X0 n s1200\n";
  auto r = test::load(deck);
  EXPECT_FALSE(r.circuit);
  EXPECT_NE(test::firstError(r).find("subcircuits nested more than 1000 levels deep"), std::string::npos)
      << test::firstError(r);
}

TEST(Limits, BytesAbove127AreOrdinaryCharacters) {
  // Node names may be UTF-8; stray high bytes in numbers and expressions are errors, not crashes.
  auto names = test::load("t\nV1 n\xc3\xa9 0 1\nR1 n\xc3\xa9 0 1k\n");
  ASSERT_TRUE(names.circuit) << names.report();
  EXPECT_EQ(names.circuit->nodes[1], "n\xc3\xa9");
  auto number = test::load("t\nR1 a 0 1\xff\n");
  EXPECT_EQ(test::firstError(number), "2:8: error: bad number '1\xff'");
  auto expression = test::load("t\nR1 a 0 {1 \xfe 2}\n");
  EXPECT_EQ(test::firstError(expression), "2:11: error: unexpected '\xfe' in expression");
}

// Inputs the fuzzer once crashed on: they must now end with diagnostics.
TEST(Limits, FuzzRegressions) {
  namespace fs = std::filesystem;
  int count = 0;
  for (const auto& e : fs::directory_iterator(fs::path(MEMSPICE_TEST_DECKS) / "fuzz_regressions")) {
    std::ifstream in(e.path(), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    auto r = test::load(text.str());
    EXPECT_TRUE(r.diags.hasErrors()) << e.path();
    ++count;
  }
  EXPECT_GT(count, 0);
}

}  // namespace
