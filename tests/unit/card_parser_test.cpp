// The X3 card grammar: field kinds, offsets, and syntax errors.
#include <gtest/gtest.h>

#include "spice/card.hpp"

namespace {

using namespace memspice;

struct Split {
  Card card;
  LogicalLine line;
  Diagnostics diags;
  bool ok = false;
};

std::unique_ptr<Split> split(const std::string& text) {
  auto s = std::make_unique<Split>();
  s->line.append(text, {0, 1, 1});
  s->ok = parseCard(s->line, s->card, s->diags);
  return s;
}

std::string kinds(const std::vector<Field>& fields) {
  std::string out;
  for (const Field& f : fields) {
    static const char* const names[] = {"W", "S", "E", "C", "A"};
    out += names[static_cast<int>(f.kind)];
    if (f.is(Field::Kind::Call)) out += "(" + kinds(f.args) + ")";
    if (f.is(Field::Kind::Assign)) out += "[" + kinds(f.args) + "]";
  }
  return out;
}

std::string error(const std::string& text) {
  auto s = split(text);
  if (s->ok) return "ok";
  const Diagnostic& d = s->diags.all().at(0);
  return std::to_string(d.loc.col) + ": " + d.message;
}

TEST(CardParser, WordsAndOffsets) {
  auto s = split("R1  in out\t1k");
  ASSERT_TRUE(s->ok);
  EXPECT_EQ(kinds(s->card.fields), "WWWW");
  EXPECT_EQ(s->card.fields[1].text, "in");
  EXPECT_EQ(s->card.fields[3].offset, 11u);
}

TEST(CardParser, CallsAssignmentsAndExpressions) {
  EXPECT_EQ(kinds(split("V1 a 0 PULSE(0 1 1n {tr} 1n)")->card.fields), "WWWC(WWWEW)");
  EXPECT_EQ(kinds(split("V1 a 0 sin (0, 1, 1k)")->card.fields), "WWWC(WWW)");
  EXPECT_EQ(kinds(split(".ic v(1)=0 v(x1.a)=2")->card.fields), "WA[C(W)E]A[C(W)E]");
  EXPECT_EQ(kinds(split(".model d1 d (is=1e-14 n=1.5)")->card.fields), "WWC(A[WE]A[WE])");
  EXPECT_EQ(kinds(split(".include \"my file.lib\"")->card.fields), "WS");
  EXPECT_EQ(kinds(split("R1 a b 'r*2'")->card.fields), "WWWE");
  EXPECT_EQ(kinds(split(".print tran v(a,b) i(v1) {v(a)*2}")->card.fields), "WWC(WW)C(W)E");
}

TEST(CardParser, BareValuesTakeTheLongestExpression) {
  auto s = split(".param a = 2 * b  c=3 d={a}");
  ASSERT_TRUE(s->ok);
  ASSERT_EQ(kinds(s->card.fields), "WA[WE]A[WE]A[WE]");
  EXPECT_EQ(s->card.fields[1].value().text, "2 * b");
  EXPECT_EQ(expr::toString(*s->card.fields[1].value().expr), "(2*b)");
  auto b = split("B1 o 0 V = v(in)*2 + 1 tc1=0");
  ASSERT_TRUE(b->ok);
  EXPECT_EQ(expr::toString(*b->card.fields[3].value().expr), "((v(in)*2)+1)");
}

TEST(CardParser, SyntaxErrors) {
  EXPECT_EQ(error("V1 a 0 PULSE(0 1"), "17: expected ')', found end of line");
  EXPECT_EQ(error("R1 a b {r*2"), "12: expected '}' to close '{', found end of line");
  EXPECT_EQ(error("R1 a b 'r*2"), "12: expected a closing quote, found end of line");
  EXPECT_EQ(error(".include \"x.lib"), "16: expected a closing '\"', found end of line");
  EXPECT_EQ(error("R1 a b )"), "8: unexpected ')'");
  EXPECT_EQ(error("R1 a b 1k ="), "12: expected a value after '=', found end of line");
  EXPECT_EQ(error(".param a="), "10: expected a value after '=', found end of line");
  EXPECT_EQ(error(".param a=(1+"), "13: expected an operand, found end of expression");
  EXPECT_EQ(error("R1 a b {1+}"), "11: expected an operand, found end of expression");
  EXPECT_EQ(error("R1 a b }"), "8: unexpected '}'");
}

}  // namespace
