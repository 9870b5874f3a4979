// SPICE numbers: scale suffixes, trailing units, strictness.
#include <gtest/gtest.h>

#include "expr/expr_parser.hpp"

using memspice::expr::parseNumber;

TEST(Number, PlainForms) {
  EXPECT_DOUBLE_EQ(*parseNumber("1"), 1.0);
  EXPECT_DOUBLE_EQ(*parseNumber("1.5"), 1.5);
  EXPECT_DOUBLE_EQ(*parseNumber(".5"), 0.5);
  EXPECT_DOUBLE_EQ(*parseNumber("2."), 2.0);
  EXPECT_DOUBLE_EQ(*parseNumber("1e3"), 1e3);
  EXPECT_DOUBLE_EQ(*parseNumber("1.5E-3"), 1.5e-3);
}

TEST(Number, ScaleSuffixes) {
  EXPECT_DOUBLE_EQ(*parseNumber("1f"), 1e-15);
  EXPECT_DOUBLE_EQ(*parseNumber("1p"), 1e-12);
  EXPECT_DOUBLE_EQ(*parseNumber("1n"), 1e-9);
  EXPECT_DOUBLE_EQ(*parseNumber("1u"), 1e-6);
  EXPECT_DOUBLE_EQ(*parseNumber("1m"), 1e-3);
  EXPECT_DOUBLE_EQ(*parseNumber("1k"), 1e3);
  EXPECT_DOUBLE_EQ(*parseNumber("1meg"), 1e6);
  EXPECT_DOUBLE_EQ(*parseNumber("1g"), 1e9);
  EXPECT_DOUBLE_EQ(*parseNumber("1t"), 1e12);
  EXPECT_DOUBLE_EQ(*parseNumber("1mil"), 25.4e-6);
}

TEST(Number, SuffixesAreCaseInsensitiveAndMIsMilli) {
  EXPECT_DOUBLE_EQ(*parseNumber("3M"), 3e-3);
  EXPECT_DOUBLE_EQ(*parseNumber("2MEG"), 2e6);
  EXPECT_DOUBLE_EQ(*parseNumber("2Meg"), 2e6);
  EXPECT_DOUBLE_EQ(*parseNumber("4K"), 4e3);
}

TEST(Number, TrailingUnitsAreIgnored) {
  EXPECT_DOUBLE_EQ(*parseNumber("10uF"), 10e-6);
  EXPECT_DOUBLE_EQ(*parseNumber("1F"), 1e-15);  // SPICE: F is femto, not farad
  EXPECT_DOUBLE_EQ(*parseNumber("2.5kohm"), 2500.0);
  EXPECT_DOUBLE_EQ(*parseNumber("1megohm"), 1e6);
  EXPECT_DOUBLE_EQ(*parseNumber("5V"), 5.0);
  EXPECT_DOUBLE_EQ(*parseNumber("3ns"), 3e-9);
  EXPECT_DOUBLE_EQ(*parseNumber("1x"), 1.0);  // as ngspice: unknown letters are units
  EXPECT_DOUBLE_EQ(*parseNumber("1e3k"), 1e6);
}

TEST(Number, RejectsWhatIsNotOneNumber) {
  EXPECT_FALSE(parseNumber(""));
  EXPECT_FALSE(parseNumber("k"));
  EXPECT_FALSE(parseNumber("1.2.3"));
  EXPECT_FALSE(parseNumber("1k2"));
  EXPECT_FALSE(parseNumber("nan"));
  EXPECT_FALSE(parseNumber("inf"));
  EXPECT_FALSE(parseNumber("1e999"));
  EXPECT_FALSE(parseNumber("-1"));  // the sign is an operator, handled by callers
  EXPECT_FALSE(parseNumber("1 2"));
}
