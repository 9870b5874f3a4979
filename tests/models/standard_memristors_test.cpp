// Behaviour of the standard memristor models (TEAM, VTEAM, Yakopcic, Stanford/PKU): pinched
// hysteresis that narrows with frequency, bounded states, switching thresholds, and the
// Stanford/PKU pulses against the same equations run by ngspice as B-sources.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "support/sim_helpers.hpp"

namespace memspice {
namespace {

// The area of the pinched i-v loop of one sine period: its two lobes (first and second half
// period, traversed in opposite senses) added, each |integral of i dv| by the trapezoid rule.
double loopArea(const test::DeckRun& r, std::size_t step, const char* v, const char* i) {
  std::vector<double> vs = test::column(r, v, step), is = test::column(r, i, step);
  const std::size_t half = vs.size() / 2;
  auto lobe = [&](std::size_t from, std::size_t to) {
    double a = 0;
    for (std::size_t k = from + 1; k <= to; ++k) a += 0.5 * (is[k] + is[k - 1]) * (vs[k] - vs[k - 1]);
    return std::fabs(a);
  };
  return lobe(0, half) + lobe(half, vs.size() - 1);
}

TEST(StandardMemristors, YakopcicHysteresisNarrowsWithFrequency) {
  // Xyce's regression card; one full period of a 0.8 V sine at 1, 2, 4 and 8 kHz (below about
  // 500 Hz the state saturates within the period and the loop stops growing).
  auto r = test::run(
      ".param f=100\n"
      ".model my memristor level=3 a1=0.17 a2=0.17 b=0.05 vp=0.16 vn=0.15 ap=4000 an=4000 xp=0.3 xn=0.5 "
      "alphap=1 alphan=5 eta=1\n"
      "V1 a 0 sin(0 0.8 {f})\nYmemristor m1 a 0 my xo=0.11\n"
      ".step param f list 1k 2k 4k 8k\n"
      ".tran {1/f/400} {1/f}\n");
  ASSERT_TRUE(r.errors.empty()) << r.errors.front();
  ASSERT_EQ(r.steps.size(), 4u);
  double previous = INFINITY;
  for (std::size_t s = 0; s < 4; ++s) {
    double area = loopArea(r, s, "v(a)", "i(v1)");
    EXPECT_GT(area, 0);
    EXPECT_LT(area, previous) << "step " << s;
    previous = area;
    // Pinched: no current at zero voltage (the loop passes through the origin). Half a period
    // in, v is 0 up to the output's interpolation (2e-7 V under method=trap); the current there
    // is what that voltage draws through the conductance of the neighbouring points, where the
    // state rests (|v| is below the thresholds), so it is 0 where v is.
    std::vector<double> v = test::column(r, "v(a)", s), i = test::column(r, "i(v1)", s);
    EXPECT_EQ(i.front(), 0.0);
    const std::size_t half = v.size() / 2;
    const double g = std::max(std::fabs(i[half - 1] / v[half - 1]), std::fabs(i[half + 1] / v[half + 1]));
    EXPECT_LT(std::fabs(v[half]), 1e-6);
    EXPECT_LE(std::fabs(i[half]), 1.001 * g * std::fabs(v[half]) + 1e-15);
  }
}

TEST(StandardMemristors, TeamStateStaysInsideItsWindow) {
  // Xyce's TEAM card driven three times harder than its regression deck, for five periods:
  // the Kvatinsky window must hold x between aon = 0 and aoff = 3 nm.
  auto r = test::run(
      ".model mt memristor level=2 ron=50 roff=1000 koff=1.46e-18 kon=-4.68e-22 alphaoff=10 alphaon=10 "
      "wc=1.0e-12 ioff=115e-6 ion=-8.9e-6 xscaling=1.0e9 wt=4\n"
      "V1 a 0 sin(0 3 1k)\nYmemristor m1 a b mt\nR1 b 0 50\n.tran 1u 5m\n");
  ASSERT_TRUE(r.errors.empty()) << r.errors.front();
  std::vector<double> x = test::column(r, "ymemristor!m1#x");
  auto [lo, hi] = std::minmax_element(x.begin(), x.end());
  EXPECT_GT(*lo, -0.02);
  EXPECT_LT(*hi, 3.03);  // the integrator may step up to 1 % past the window's edge
  EXPECT_GT(*hi, 2.9);  // it does reach the off bound
}

TEST(StandardMemristors, VteamMovesOnlyAboveItsThresholds) {
  // voff = 0.3 V, von = -0.3 V: a 0.25 V sine leaves the state alone, a 0.6 V sine moves it.
  const std::string model =
      ".model mv vteam xscaling=1e9 ron=100 roff=10k kon=-1e-5 koff=1e-5 alphaon=3 alphaoff=3 von=-0.3 voff=0.3 "
      "wt=4 aon=0 aoff=3e-9 wc=1e-11\n";
  for (double amp : {0.25, 0.6}) {
    auto r = test::run(model + fmt::format("V1 a 0 sin(0 {} 1k)\nN1 a 0 mv xo=1.5\n.tran 1u 1m\n", amp));
    ASSERT_TRUE(r.errors.empty()) << r.errors.front();
    std::vector<double> x = test::column(r, "n1#x");
    auto [lo, hi] = std::minmax_element(x.begin(), x.end());
    if (amp < 0.3) {
      EXPECT_EQ(*hi - *lo, 0.0) << "below threshold";
    } else {
      EXPECT_GT(*hi - 1.5, 0.1) << "opens above voff";
      EXPECT_LT(*lo, 1.5 + 1e-9);  // and closes again on the negative half-wave
    }
  }
}

TEST(StandardMemristors, StanfordPulsesMatchNgspiceBSources) {
  // examples/stanford_rram/pulses.cir against pulses_ngspice.cir, the same equations as
  // ngspice B-sources; ngspice 39 printed (ngspice -b pulses_ngspice.cir):
  //   treset = 7.795245e-08, tset = 6.607602e-09, greset = 1.031899, gset = 0.2
  auto r = test::run(test::deckBody("examples/stanford_rram/pulses.cir"));
  ASSERT_TRUE(r.errors.empty()) << r.errors.front();
  auto m = test::measures(r);
  EXPECT_NEAR(test::measured(m, "treset"), 7.795245e-08, 0.01 * 7.795245e-08);
  EXPECT_NEAR(test::measured(m, "tset"), 6.607602e-09, 0.01 * 6.607602e-09);
  EXPECT_NEAR(test::measured(m, "greset"), 1.031899, 0.005);
  EXPECT_NEAR(test::measured(m, "gset"), 0.2, 0.002);
}

TEST(StandardMemristors, StanfordDcLoopSetsAndResets) {
  auto r = test::run(test::deckBody("examples/stanford_rram/dc_loop.cir"));
  ASSERT_TRUE(r.errors.empty()) << r.errors.front();
  auto m = test::measures(r);
  // Set below the ramp's 3 V, reset on the negative branch, a resistance window > 10x.
  EXPECT_GT(test::measured(m, "vset"), 0.8);
  EXPECT_LT(test::measured(m, "vset"), 1.5);
  EXPECT_LT(test::measured(m, "vreset"), -0.8);
  EXPECT_GT(test::measured(m, "vreset"), -1.6);
  EXPECT_GT(test::measured(m, "roff") / test::measured(m, "ron"), 10);
  // The gap stays within its bounds up to the smoothing width.
  std::vector<double> g = test::column(r, "n1#gap");
  auto [lo, hi] = std::minmax_element(g.begin(), g.end());
  EXPECT_GT(*lo, 0.2 - 0.05);
  EXPECT_LT(*hi, 1.7 + 0.05);
}

}  // namespace
}  // namespace memspice
