// The mReLU neuron library (netlists/mrelu_neuron.lib) and its paper-figure examples
// (examples/mrelu/): the fitted memristor's pulse latency and energy against Fig. 3f, the 2T-1M
// neuron's transfer (Fig. 3i; a slow ramp and its DC steady state) and its Monte Carlo variation.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "support/sim_helpers.hpp"

namespace {

using namespace memspice;
using test::deckBody;
using test::measured;
using test::run;

TEST(MreluNeuron, PulseLatencyAndEnergyWithinTwiceThePaper) {
  auto r = run(deckBody("examples/mrelu/latency_energy.cir"));
  ASSERT_TRUE(r.errors.empty()) << r.errors[0];
  // Paper Fig. 3f: 650 ns and 0.5 pJ.
  double latency = measured(r, "latency"), energy = measured(r, "energy");
  EXPECT_GT(latency, 650e-9 / 2);
  EXPECT_LT(latency, 650e-9 * 2);
  EXPECT_GT(energy, 0.5e-12 / 2);
  EXPECT_LT(energy, 0.5e-12 * 2);
  // The current saturates because the gap has closed: about 1 V / 1 MOhm less the device's drop.
  EXPECT_NEAR(measured(r, "isat"), 1e-6, 0.1e-6);
}

TEST(MreluNeuron, TransferRisesWithTheMirrorCurrentBelowVdd) {
  auto r = run(deckBody("examples/mrelu/neuron_transfer.cir"));
  ASSERT_TRUE(r.errors.empty()) << r.errors[0];
  const char* rising[] = {"ratio_100n", "ratio_500n", "ratio_1u", "ratio_2u", "ratio_3u", "ratio_4u", "ratio_5u"};
  double last = 0;
  for (const char* name : rising) {
    double v = measured(r, name);
    EXPECT_GT(v, last) << name;
    EXPECT_LT(v, 1.0) << name;
    last = v;
  }
  // With the mirror off, the memristor carries only leakage and out sits at VDD.
  EXPECT_NEAR(measured(r, "ratio_neg"), 1.0, 0.01);
}

// The DC deck with its sweep line replaced by `analysis`.
std::string transferDc(const std::string& analysis) {
  std::string deck = deckBody("examples/mrelu/neuron_transfer_dc.cir");
  const std::string sweep = ".dc iin -1u 5u 10n";
  auto at = deck.find(sweep);
  if (at != std::string::npos) deck.replace(at, sweep.size(), analysis);
  return deck;
}

TEST(MreluNeuron, DcTransferIsTheSlowRampsSteadyState) {
  // The DC sweep solves each point's steady state (the gap where closing and relaxation
  // balance) directly; the 600 ms ramp approaches it. They must agree from 0.1 uA up.
  auto dc = run(deckBody("examples/mrelu/neuron_transfer_dc.cir"));
  auto ramp = run(deckBody("examples/mrelu/neuron_transfer.cir"));
  ASSERT_TRUE(dc.errors.empty()) << dc.errors[0];
  ASSERT_TRUE(ramp.errors.empty()) << ramp.errors[0];
  for (const char* name : {"ratio_100n", "ratio_500n", "ratio_1u", "ratio_2u", "ratio_3u", "ratio_4u", "ratio_5u"})
    EXPECT_NEAR(measured(dc, name), measured(ramp, name), 1e-3) << name;
  // The mirror off: out near VDD, less what the memristor's leakage drops.
  EXPECT_NEAR(measured(dc, "ratio_neg"), 1.0, 0.01);
}

TEST(MreluNeuron, DcSolvesFromAnyStartAgree) {
  // A cold operating point at a nonzero input, and a sweep down from 5 uA, must land on the
  // upward sweep's points: under current drive the steady state is unique.
  auto up = run(transferDc(".dc iin 0 5u 0.25u"));
  auto down = run(transferDc(".dc iin 5u 0 -0.25u"));
  ASSERT_TRUE(up.errors.empty()) << up.errors[0];
  ASSERT_TRUE(down.errors.empty()) << down.errors[0];
  auto vu = test::column(up, "v(out)"), vd = test::column(down, "v(out)");
  ASSERT_EQ(vu.size(), 21u);
  ASSERT_EQ(vd.size(), 21u);
  for (std::size_t k = 0; k < vu.size(); ++k) EXPECT_NEAR(vu[k], vd[vd.size() - 1 - k], 1e-5) << k;
  for (std::size_t k : {1, 4, 12, 20}) {
    std::string deck = transferDc(".op");
    deck.replace(deck.find("iin 0 in dc 0"), 13, "iin 0 in dc " + std::to_string(0.25 * static_cast<double>(k)) + "u");
    auto op = run(deck);
    ASSERT_TRUE(op.errors.empty()) << k << ": " << op.errors[0];
    EXPECT_NEAR(test::column(op, "v(out)").at(0), vu[k], 1e-5) << k;
  }
  // Jumps back and forth at memspice-xbar's table tolerances, where plain Newton from the last
  // point fails and the sweep walks the source there (continueSource).
  auto jumps = run(transferDc(".options reltol=1e-7 vntol=1e-9 abstol=1e-15\n.dc iin list 0 5u 0.25u 3u 0 4.75u 1u"));
  ASSERT_TRUE(jumps.errors.empty()) << jumps.errors[0];
  auto vj = test::column(jumps, "v(out)");
  const std::size_t at[] = {0, 20, 1, 12, 0, 19, 4};
  ASSERT_EQ(vj.size(), std::size(at));
  for (std::size_t k = 0; k < vj.size(); ++k) EXPECT_NEAR(vj[k], vu[at[k]], 1e-5) << k;
}

TEST(MreluNeuron, MonteCarloTrialsDifferAndRepeat) {
  const std::string deck = deckBody("examples/mrelu/neuron_monte_carlo.cir");
  auto r = run(deck), again = run(deck);
  ASSERT_TRUE(r.errors.empty()) << r.errors[0];
  ASSERT_EQ(r.steps.size(), 50u);
  double sum = 0, squares = 0;
  for (std::size_t k = 0; k < r.steps.size(); ++k) {
    double i = measured(r, "iout_5u", k);
    EXPECT_EQ(i, measured(again, "iout_5u", k)) << "trial " << k + 1 << " is not reproducible";
    sum += i;
    squares += i * i;
  }
  // The mirror's output spreads with the two thresholds' difference (sigma 0.038 * sqrt 2 V):
  // some 10 to 20 % at 5 uA, with the mean still near the input.
  double mean = sum / 50, sd = std::sqrt(squares / 50 - mean * mean);
  EXPECT_NEAR(-mean, 5e-6, 0.5e-6);
  EXPECT_GT(sd / -mean, 0.05);
  EXPECT_LT(sd / -mean, 0.3);
}

TEST(MreluNeuron, NoSpreadGivesIdenticalTrials) {
  std::string deck = deckBody("examples/mrelu/neuron_monte_carlo.cir");
  const std::string from = "sigvth=0.038 sigi0=0.1";
  ASSERT_NE(deck.find(from), std::string::npos);
  deck.replace(deck.find(from), from.size(), "sigvth=0 sigi0=0");
  deck.replace(deck.find("trial 1 50 1"), 12, "trial 1 3 1");
  auto r = run(deck);
  ASSERT_TRUE(r.errors.empty()) << r.errors[0];
  ASSERT_EQ(r.steps.size(), 3u);
  EXPECT_EQ(measured(r, "iout_5u", 0), measured(r, "iout_5u", 2));
}

}  // namespace
