// The volatile tunnelling-gap memristor (models/memristor/vtg_memristor.cpp) against the
// behaviour the mReLU paper reports and the reference points of its model proposal
// (research notes, models.md section 1.9: a backward-Euler sanity simulation of the same
// equations with the same default parameters).
#include <gtest/gtest.h>

#include <algorithm>

#include "support/sim_helpers.hpp"

namespace {

using namespace memspice;
using test::column;
using test::measures;
using test::run;

TEST(VtgMemristor, CurrentDrivenSteadyStateFollowsTheReferenceSCurve) {
  // (I, V, g) of the reference S-curve; under current drive the steady state is unique and
  // R falls gradually, roughly as 1 / I, over 0 .. 5 uA.
  struct Point {
    double i, v, g;
  };
  const Point ref[] = {{0.41e-9, 0.465, 1.35}, {16e-9, 0.361, 0.95}, {0.22e-6, 0.255, 0.65},
                       {1.1e-6, 0.179, 0.45}, {4.7e-6, 0.101, 0.25}};
  auto r = run("I1 0 a 1u\nN1 a 0 mr\n.model mr vtg\n.dc I1 list 0.41n 16n 0.22u 1.1u 4.7u\n");
  ASSERT_TRUE(r.errors.empty()) << r.errors[0];
  auto v = column(r, "v(a)"), g = column(r, "n1#gap");
  ASSERT_EQ(v.size(), 5u);
  ASSERT_EQ(g.size(), 5u);
  for (std::size_t k = 0; k < 5; ++k) {
    EXPECT_NEAR(v[k], ref[k].v, 0.01 * ref[k].v + 2e-3) << ref[k].i;
    EXPECT_NEAR(g[k], ref[k].g, 0.01) << ref[k].i;
  }
}

TEST(VtgMemristor, SnapsOnAndRelaxesOffUnderAVoltageSweepThroughOneMegohm) {
  // Reference: on at a source voltage of about 0.48 V, off again at about 0.37 V on the way down.
  auto r = run("V1 in 0 pwl(0 0 100m 0.7 200m 0)\nR1 in a 1meg\nN1 a 0 mr\n.model mr vtg\n.tran 100u 200m\n"
               ".meas tran vset find v(in) when i(r1)=100n rise=1\n"
               ".meas tran vreset find v(in) when i(r1)=100n fall=1\n"
               ".meas tran gmax max n1#gap from=150m\n");
  ASSERT_TRUE(r.errors.empty()) << r.errors[0];
  auto m = measures(r);
  ASSERT_TRUE(m["vset"].value && m["vreset"].value) << m["vset"].failure << m["vreset"].failure;
  EXPECT_NEAR(*m["vset"].value, 0.48, 0.02);
  EXPECT_NEAR(*m["vreset"].value, 0.38, 0.02);
  EXPECT_GT(*m["vset"].value - *m["vreset"].value, 0.05);  // hysteresis
}

TEST(VtgMemristor, VolatileGapRelaxesAndNegativeBiasDoesNotSet) {
  // 1 V through 1 Meg for 5 ms sets it; 5 ms later (5 taur) it has relaxed. -1 V never sets.
  for (double amp : {1.0, -1.0}) {
    auto r = run(fmt::format("V1 in 0 pwl(0 0 10u {0} 5m {0} 5.01m 0 10m 0)\nR1 in a 1meg\nN1 a 0 mr\n"
                             ".model mr vtg\n.tran 10u 10m\n"
                             ".meas tran gset min n1#gap from=4m to=5m\n"
                             ".meas tran gend find n1#gap at=10m\n", amp));
    ASSERT_TRUE(r.errors.empty()) << r.errors[0];
    auto m = measures(r);
    ASSERT_TRUE(m["gset"].value && m["gend"].value);
    if (amp > 0) EXPECT_LT(*m["gset"].value, 0.8) << "set under +1 V";
    else EXPECT_GT(*m["gset"].value, 1.45) << "no set under -1 V";
    EXPECT_GT(*m["gend"].value, 1.45) << "relaxed back to the insulating gap";
  }
}

TEST(VtgMemristor, NonVolatileVariantKeepsItsState) {
  auto r = run("V1 in 0 pwl(0 0 10u 1 5m 1 5.01m 0 10m 0)\nR1 in a 1meg\nN1 a 0 mr\n"
               ".model mr vtg volatile=0\n.tran 10u 10m\n"
               ".meas tran gset find n1#gap at=5m\n.meas tran gend find n1#gap at=10m\n");
  ASSERT_TRUE(r.errors.empty()) << r.errors[0];
  auto m = measures(r);
  ASSERT_TRUE(m["gset"].value && m["gend"].value);
  EXPECT_LT(*m["gset"].value, 0.8);
  EXPECT_NEAR(*m["gend"].value, *m["gset"].value, 0.02);
}

TEST(VtgMemristor, BadParametersAreErrorsAtTheDevice) {
  auto r = run("V1 a 0 1\nN1 a 0 mr\n.model mr vtg grest=0.1\n.op\n");
  ASSERT_FALSE(r.errors.empty());
  EXPECT_NE(r.errors[0].find("grest= must be above gmin="), std::string::npos) << r.errors[0];
  auto u = run("V1 a 0 1\nN1 a 0 mr\n.model mr vtg tau=1\n.op\n");
  ASSERT_FALSE(u.errors.empty());
  EXPECT_NE(u.errors[0].find("tau"), std::string::npos) << u.errors[0];
}

}  // namespace

namespace {

TEST(VtgMemristor, MirrorDrivenDcSweepConverges) {
  // The mReLU neuron's devices: an a-IGZO TFT mirror copies the input into the memristor from
  // VDD = 2 V. Swept in DC from zero input to 5 uA, every point converges from the previous
  // one (the gap's DC row is logarithmic, so Newton crosses the memristor's set), and the
  // output rises as the mirrored current shrinks the gap.
  auto r = test::run(".model tft igzo\n.model mr vtg\n.model dclamp d is=1e-14\niin 0 in dc 0\ndclamp 0 in dclamp\n"
                     "n1 in in 0 tft\nn2 out in 0 tft\nnm vdd out mr\nvdd vdd 0 2\n.dc iin 0 5u 0.1u\n");
  ASSERT_TRUE(r.errors.empty()) << r.errors[0];
  auto v = test::column(r, "v(out)"), g = test::column(r, "nm#gap");
  ASSERT_EQ(v.size(), 51u);
  EXPECT_NEAR(g[0], 1.5, 0.01);  // zero input: the gap is at rest
  for (std::size_t k = 1; k < v.size(); ++k) {
    EXPECT_GT(v[k], v[k - 1]) << k;
    EXPECT_LT(g[k], g[k - 1]) << k;
  }
}

}  // namespace
