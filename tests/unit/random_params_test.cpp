// agauss, gauss, aunif, unif: seeded, per-instance, reproducible draws at elaboration.
#include <gtest/gtest.h>

#include <cmath>
#include <fmt/format.h>

#include "support/deck_helpers.hpp"

namespace {

using namespace memspice;

// Resistances of every R in the elaborated deck, in order.
std::vector<double> resistances(const std::string& deck, std::optional<std::uint64_t> seed = std::nullopt) {
  elab::ElabOptions options;
  options.seed = seed;
  auto r = test::load("t\n" + deck, {}, options);
  EXPECT_TRUE(r.circuit) << r.report();
  std::vector<double> out;
  if (r.circuit)
    for (const auto& inst : r.circuit->instances)
      if (inst.type == 'r') out.push_back(inst.values.at(0));
  return out;
}

const std::string kCells =
    ".subckt cell a params: rn=1k\n.param r={agauss(rn, 100, 1)}\nR1 a 0 {r}\n.ends\nV1 a 0 1\n"
    "X1 a cell\nX2 a cell\nX3 a cell rn=2k\n";

TEST(RandomParams, EveryInstanceDrawsItsOwnValue) {
  auto r = resistances(kCells);
  ASSERT_EQ(r.size(), 3u);
  EXPECT_NE(r[0], r[1]);
  EXPECT_NE(r[0], 1000.0);
  EXPECT_NEAR(r[2], 2000, 600);  // rn=2k moves the nominal
}

TEST(RandomParams, SameSeedSameValuesOtherSeedOtherValues) {
  EXPECT_EQ(resistances(kCells), resistances(kCells));
  EXPECT_EQ(resistances(kCells), resistances(kCells, 1));  // 1 is the default seed
  EXPECT_NE(resistances(kCells), resistances(kCells, 2));
  EXPECT_EQ(resistances(kCells + ".options seed=2\n"), resistances(kCells, 2));
  EXPECT_EQ(resistances(kCells + ".options seed=2\n", 5), resistances(kCells, 5));  // --seed wins
  // Adding an unrelated element does not move the others' draws (no shared stream).
  auto more = resistances(kCells + "R9 a 0 1k\n");
  EXPECT_EQ(std::vector<double>(more.begin(), more.begin() + 3), resistances(kCells));
}

TEST(RandomParams, DistributionsHaveTheirMoments) {
  // 2000 resistors: agauss(1k, 100, 1) has sigma 100; gauss(1k, 0.1, 2) sigma 50; aunif and
  // unif are flat on [900, 1100] (sigma 200 / sqrt(12)).
  for (auto [call, sigma] : {std::pair{"agauss(1k, 100, 1)", 100.0}, std::pair{"gauss(1k, 0.1, 2)", 50.0},
                             std::pair{"aunif(1k, 100)", 200 / std::sqrt(12.0)},
                             std::pair{"unif(1k, 0.1)", 200 / std::sqrt(12.0)}}) {
    std::string deck = "V1 a 0 1\n";
    for (int k = 0; k < 2000; ++k) deck += fmt::format("R{} a 0 {{{}}}\n", k, call);
    auto r = resistances(deck);
    ASSERT_EQ(r.size(), 2000u);
    double mean = 0, var = 0;
    for (double x : r) mean += x / 2000;
    for (double x : r) var += (x - mean) * (x - mean) / 1999;
    EXPECT_NEAR(mean, 1000, 4 * sigma / std::sqrt(2000.0)) << call;
    EXPECT_NEAR(std::sqrt(var), sigma, 0.1 * sigma) << call;
    if (call[0] == 'a' && call[1] == 'u') {
      for (double x : r) EXPECT_TRUE(x >= 900 && x <= 1100) << x;
    }
  }
}

TEST(RandomParams, SeedMayFollowAStepParameter) {
  // .options seed={trial}: each value of trial (a .step variable) gives another population.
  std::string deck = ".param trial=1\n.options seed={trial}\nV1 a 0 1\nR1 a 0 {agauss(1k, 100, 1)}\n";
  elab::ElabOptions two;
  two.overrides["trial"] = 2;
  auto a = test::load("t\n" + deck), b = test::load("t\n" + deck, {}, two);
  ASSERT_TRUE(a.circuit && b.circuit);
  EXPECT_NE(a.circuit->instances[1].values[0], b.circuit->instances[1].values[0]);
}

TEST(RandomParams, Errors) {
  auto r = test::load("t\nV1 a 0 1\nR1 a 0 {agauss(1k, 100, 0)}\n");
  EXPECT_EQ(test::firstError(r), "3:9: error: 'agauss': the sigma count (third argument) must be positive");
  auto u = test::load("t\nV1 a 0 1\nR1 a 0 {aunif(1k)}\n");
  EXPECT_NE(test::firstError(u).find("aunif"), std::string::npos) << test::firstError(u);
}

}  // namespace
