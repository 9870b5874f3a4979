// Rendering of diagnostics: headline, quoted line, caret under the column.
#include <gtest/gtest.h>

#include "support/deck_helpers.hpp"

namespace {

using namespace memspice;

TEST(Diagnostics, CaretUnderTheColumn) {
  auto r = test::load("t\nR1 out 0 {rload}\n");
  EXPECT_EQ(r.report(),
            "deck.cir:2:11: error: undefined parameter 'rload'\n"
            " 2 | R1 out 0 {rload}\n"
            "   |           ^\n");
}

TEST(Diagnostics, TabsAreKeptSoTheCaretLinesUp) {
  auto r = test::load("t\nR1\tout\t0\t{rload}\n");
  EXPECT_EQ(r.report(),
            "deck.cir:2:11: error: undefined parameter 'rload'\n"
            " 2 | R1\tout\t0\t{rload}\n"
            "   |   \t   \t \t ^\n");
}

TEST(Diagnostics, ContinuationLinesPointAtTheirOwnLine) {
  auto r = test::load("t\nR1 out 0\n+ {rload}\n");
  EXPECT_EQ(test::firstError(r), "3:4: error: undefined parameter 'rload'");
}

TEST(Diagnostics, SameProblemIsKeptOnce) {
  Diagnostics d;
  d.error({0, 1, 1}, "x");
  d.error({0, 1, 1}, "x");
  d.error({0, 1, 2}, "x");
  EXPECT_EQ(d.errorCount(), 2u);
}

TEST(Diagnostics, MissingTopLevelFile) {
  DiskFileProvider disk;
  auto r = loadDeck("/nonexistent/deck.cir", disk);
  EXPECT_FALSE(r.circuit);
  EXPECT_EQ(r.report(), "memspice: error: cannot open netlist '/nonexistent/deck.cir'\n");
}

}  // namespace
