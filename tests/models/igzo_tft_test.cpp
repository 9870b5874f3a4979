// The a-IGZO TFT (models/tft/igzo_tft.cpp) against its closed forms: the square law for
// gamma = 0, the power-law saturation current, the subthreshold swing, source/drain symmetry
// and the off-current floor.
#include <gtest/gtest.h>

#include <cmath>

#include "support/sim_helpers.hpp"

namespace {

using namespace memspice;
using test::column;
using test::run;

// Drain current (into the drain) at one bias. gmin is off: its 1e-12 S would swamp the
// subthreshold and off currents being checked.
double drainCurrent(const std::string& model, double vgs, double vds) {
  auto r = run(fmt::format("Vd d 0 {}\nVg g 0 {}\nN1 d g 0 tft\n.model tft igzo {}\n.options gmin=0\n.op\n", vds,
                           vgs, model));
  EXPECT_TRUE(r.errors.empty()) << (r.errors.empty() ? "" : r.errors[0]);
  if (r.errors.empty()) return -column(r, "i(vd)").at(0);
  return NAN;
}

TEST(IgzoTft, SquareLawWhenGammaIsZero) {
  // beta = (w/l) mu0 cox = 10 * 1e-3 * 2.36e-3 = 2.36e-5 A/V^2; deep above threshold (ss tiny).
  const std::string m = "gamma=0 lambda=0 ss=0.01 ioff=0 vth=0.5";
  const double beta = 2.36e-5;
  EXPECT_NEAR(drainCurrent(m, 1.5, 2.0), beta / 2 * 1.0, 1e-3 * beta);             // saturation
  EXPECT_NEAR(drainCurrent(m, 1.5, 0.2), beta * (1.0 * 0.2 - 0.02), 1e-3 * beta);  // triode
}

TEST(IgzoTft, PowerLawSaturationCurrent) {
  // gamma = 0.3, vaa = 1 V, Vov = 1 V: Id,sat = beta / 2.3 = 10.3 uA, times (1 + lambda Vds).
  double id = drainCurrent("lambda=0.01 ioff=0", 1.5, 2.0);
  EXPECT_NEAR(id, 2.36e-5 / 2.3 * (1 + 0.01 * 2.0), 0.002 * id);
}

TEST(IgzoTft, SubthresholdSwingIsTheParameter) {
  // Deep below threshold (5 and 6 vss below it) the current rises one decade per ss.
  const std::string m = "ss=0.15 ioff=0";
  double i1 = drainCurrent(m, 0.5 - 0.9, 2.0), i2 = drainCurrent(m, 0.5 - 0.75, 2.0);
  EXPECT_NEAR(std::log10(i2 / i1), 1.0, 0.01);
}

TEST(IgzoTft, SourceAndDrainAreSymmetric) {
  // The same bias with drain and source terminals swapped gives the same current.
  auto a = run("Vd d 0 1\nVg g 0 1.5\nN1 d g 0 tft\n.model tft igzo\n.op\n");
  auto b = run("Vd d 0 1\nVg g d 0.5\nN1 0 g d tft\n.model tft igzo\n.op\n");
  ASSERT_TRUE(a.errors.empty() && b.errors.empty());
  EXPECT_NEAR(column(a, "i(vd)").at(0), column(b, "i(vd)").at(0), 1e-15);
  EXPECT_LT(column(a, "i(vd)").at(0), -1e-6);
}

TEST(IgzoTft, OffCurrentFloor) {
  double id = drainCurrent("ioff=1e-13", -1.0, 2.0);
  EXPECT_GT(id, 0.9e-13);
  EXPECT_LT(id, 1.2e-13);
}

}  // namespace
