// The perovskite stochastic LIF neuron: thresholds drawn per spike from (seed, instance,
// spike number) and located by IDA root finding, so spikes do not depend on the step size;
// the fraction of a population that fires follows the threshold distribution; energy per
// spike of the default card (netlists/perovskite_lif.lib) in the paper's 20-60 pJ.
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "support/sim_helpers.hpp"

namespace memspice {
namespace {

// The neuron library, inlined (test::run reads no files).
const std::string kLib = test::sourceFile("netlists/perovskite_lif.lib");

std::vector<engine::Event> fires(const test::DeckRun& r, std::size_t step = 0) {
  std::vector<engine::Event> out;
  for (const engine::Event& e : r.steps.at(step).plots.at(0).events)
    if (e.what == "fire") out.push_back(e);
  return out;
}

TEST(PerovskiteLif, SameSeedSameSpikesWhateverTheStepSize) {
  const std::string deck = kLib + "Iin 0 m pulse(0 3u 1u 10n)\nX1 m out plif\n";
  auto coarse = test::run(deck + ".tran 1u 300u\n");
  auto fine = test::run(deck + ".tran 1u 300u 0 20n\n");
  auto tight = test::run(deck + ".options reltol=1e-5\n.tran 1u 300u\n");
  for (auto* r : {&coarse, &fine, &tight}) ASSERT_TRUE(r->errors.empty()) << r->errors.front();
  auto a = fires(coarse), b = fires(fine), c = fires(tight);
  ASSERT_GE(a.size(), 5u);
  ASSERT_EQ(a.size(), b.size());
  ASSERT_EQ(a.size(), c.size());
  for (std::size_t k = 0; k < a.size(); ++k) {
    // Same thresholds, so the same spikes; times differ only by the integration error.
    EXPECT_NEAR(a[k].time, b[k].time, 2e-3 * a[k].time) << "spike " << k;
    EXPECT_NEAR(a[k].time, c[k].time, 2e-3 * a[k].time) << "spike " << k;
  }
}

// Once firing, the membrane peaks within rounding of the threshold it just crossed. The
// crossing that armed the spike must not stay a root function there: IDA stops at a function
// that is zero at and very near t. This input, with a sense resistor of 1 ohm, hit that at the
// first spike (40.16 us) before the disarmed crossing was held away from zero.
TEST(PerovskiteLif, MembranePeakAtTheThresholdDoesNotStopTheRun) {
  auto r = test::run(kLib + "Iin 0 m pulse(0 1.8u 0 1n)\nX1 m out plif rsense=1\n.tran 20u 1m\n"
                            ".measure tran spikes find n(n.x1.n1:spikes) at=1m\n");
  ASSERT_TRUE(r.errors.empty()) << r.errors.front();
  EXPECT_GE(test::measured(r, "spikes"), 15);
}

TEST(PerovskiteLif, TheSeedChangesTheThresholds) {
  const std::string deck = kLib + "Iin 0 m pulse(0 3u 1u 10n)\nX1 m out plif\n.tran 1u 300u\n";
  auto one = test::run(deck), again = test::run(deck), other = test::run(".options seed=7\n" + deck);
  auto a = fires(one), b = fires(again), c = fires(other);
  ASSERT_FALSE(a.empty());
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t k = 0; k < a.size(); ++k) EXPECT_EQ(a[k].time, b[k].time);
  bool differs = a.size() != c.size();
  for (std::size_t k = 0; !differs && k < a.size(); ++k) differs = std::fabs(a[k].time - c[k].time) > 1e-3 * a[k].time;
  EXPECT_TRUE(differs);
}

// n neurons, each driven by its own `iin` from 1 us; the count that fire at least once.
std::size_t firedCount(std::size_t n, double iin, const std::string& lib = kLib) {
  std::string deck = lib + fmt::format(".subckt cell\nIin 0 m pulse(0 {} 1u 10n)\nX1 m out plif\n.ends\n", iin);
  for (std::size_t k = 0; k < n; ++k) deck += "X" + std::to_string(k) + " cell\n";
  deck += ".tran 1u 150u\n";
  auto r = test::run(deck);
  EXPECT_TRUE(r.errors.empty()) << (r.errors.empty() ? "" : r.errors.front());
  if (!r.errors.empty()) return 0;
  std::set<std::string> devices;
  for (const engine::Event& e : fires(r)) devices.insert(e.device);
  return devices.size();
}

TEST(PerovskiteLif, PopulationFiringFollowsTheThresholdDistribution) {
  // 300 neurons at 1.15 uA, below the rheobase of the mean threshold (1.21 uA). The membrane
  // reaches v = iin R (1 - exp(-149 us / (R C))), R = 1 Meg || 100 Meg, C = 30 pF, and a neuron
  // fires if its first threshold, N(1.2, 0.1), is below v.
  const double r = 1e6 / 1.01, v = 1.15e-6 * r * (1 - std::exp(-149e-6 / (r * 30e-12)));
  const double p = 0.5 * std::erfc(-(v - 1.2) / 0.1 / std::sqrt(2.0));
  const double n = 300, fired = static_cast<double>(firedCount(300, 1.15e-6));
  // Within the binomial band at 3.3 sigma (one failure in a thousand).
  EXPECT_NEAR(fired / n, p, 3.3 * std::sqrt(p * (1 - p) / n)) << "fired " << fired << " of " << n;
  EXPECT_GT(fired, 0);  // a sub-threshold input is detected
}

TEST(PerovskiteLif, WithoutSpreadTheThresholdIsSharp) {
  std::string sharp = kLib;
  ASSERT_NE(sharp.find("dvth=0.1"), std::string::npos);
  sharp.replace(sharp.find("dvth=0.1"), 8, "dvth=0");
  EXPECT_EQ(firedCount(20, 1.15e-6, sharp), 0u);
  EXPECT_EQ(firedCount(20, 1.30e-6, sharp), 20u);
}

TEST(PerovskiteLif, EnergyPerSpikeIsTwentyToSixtyPicojoules) {
  for (const char* iin : {"1.5u", "3u", "10u"}) {
    auto r = test::run(kLib + "Iin 0 m pulse(0 " + iin + " 1u 10n)\nX1 m out plif\n.tran 1u 400u\n"
                       ".meas tran t2 when n(n.x1.n1_x)=0.5 rise=2\n.meas tran t4 when n(n.x1.n1_x)=0.5 rise=4\n"
                       ".meas tran e integ p(n.x1.n1) from=t2 to=t4\n");
    ASSERT_TRUE(r.errors.empty()) << r.errors.front();
    auto m = test::measures(r);
    ASSERT_TRUE(m["e"].value) << m["e"].failure;
    double perSpike = *m["e"].value / 2;
    EXPECT_GT(perSpike, 20e-12) << iin;
    EXPECT_LT(perSpike, 60e-12) << iin;
  }
}

}  // namespace
// The filament switches on at the fire event and its state runs from 0 to 0.8 within some
// 0.1 us. Under method=trap the first step after an event restart had no error estimate: it
// was a tenth of the step before (4 ns), and the state jumped to 0.44 in it: the energy of two
// spikes came out at 28, 65 and 127 pJ where IDA gives 51, 54 and 89. That step is now tested
// against the rate the held step found at the event; both integrators agree within 2 %.
TEST(PerovskiteLif, EnergyPerSpikeAlikeWithTrapAndGear) {
  for (const char* iin : {"1.5u", "3u", "10u"}) {
    const std::string deck = kLib + "Iin 0 m pulse(0 " + iin + " 1u 10n)\nX1 m out plif\n.tran 1u 400u\n" +
                             ".meas tran t2 when n(n.x1.n1_x)=0.5 rise=2\n" +
                             ".meas tran t4 when n(n.x1.n1_x)=0.5 rise=4\n" +
                             ".meas tran e integ p(n.x1.n1) from=t2 to=t4\n";
    auto gear = test::run(deck + ".options method=gear\n"), trap = test::run(deck + ".options method=trap\n");
    ASSERT_TRUE(gear.errors.empty()) << gear.errors.front();
    ASSERT_TRUE(trap.errors.empty()) << trap.errors.front();
    auto g = test::measures(gear), t = test::measures(trap);
    ASSERT_TRUE(g["e"].value && t["e"].value) << iin;
    EXPECT_NEAR(*t["e"].value, *g["e"].value, 0.02 * *g["e"].value) << iin;
  }
}

}  // namespace memspice
