// NDR element and ECRAM (docs/models/ndr-ecram.md): the peak current follows the ECRAM
// conductance, gate pulses move the ion content in near-equal steps that hold in between,
// a floating gate keeps the state, and the neuron's activation is non-monotonic.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "support/sim_helpers.hpp"

namespace memspice {
namespace {


const std::string kModel = ".model ndre ndr_ecram vp=0.3 vv=1.2 ve=0.1 iv=0.3u gmin=1u gmax=10u ig0=1p qtot=1n\n";

TEST(NdrEcram, PeakCurrentIsTheEcramConductanceTimesVp) {
  auto r = test::run(test::deckBody("examples/ndr/iv_family.cir"));
  ASSERT_TRUE(r.errors.empty()) << r.errors.front();
  ASSERT_EQ(r.steps.size(), 5u);
  for (std::size_t s = 0; s < r.steps.size(); ++s) {
    auto m = test::measures(r, s);
    ASSERT_TRUE(m["ratio"].value) << m["ratio"].failure;
    EXPECT_NEAR(*m["ratio"].value, 0.3, 0.3 * 5e-3) << "step " << s;
  }
}

TEST(NdrEcram, GatePulsesMoveTheStateInNearEqualStepsThatHold) {
  auto r = test::run(kModel + "Vread a 0 0.3\nN1 a 0 g ndre n0=0.3\nVg g 0 pulse(0 0.5 1m 10u 10u 1m 2m)\n"
                              ".tran 10u 20.5m\n");
  ASSERT_TRUE(r.errors.empty()) << r.errors.front();
  std::vector<double> t = test::column(r, "time"), n = test::column(r, "n1#n");
  auto at = [&](double when) {
    auto k = static_cast<std::size_t>(std::lower_bound(t.begin(), t.end(), when) - t.begin());
    return n.at(std::min(k, n.size() - 1));
  };
  std::vector<double> steps;
  for (int p = 0; p < 10; ++p) {
    double before = at(0.5e-3 + 2e-3 * p), after = at(2.5e-3 + 2e-3 * p), later = at(2.9e-3 + 2e-3 * p);
    steps.push_back(after - before);
    EXPECT_NEAR(later, after, 1e-5) << "the state holds between pulses (pulse " << p << ")";
  }
  for (double s : steps) EXPECT_GT(s, 0.005);
  // Soft bounds make later steps a little smaller, not much.
  EXPECT_GT(steps.back() / steps.front(), 0.7);
  EXPECT_LE(steps.back(), steps.front());
}

TEST(NdrEcram, FloatingGateKeepsTheStateGroundedGateRelaxes) {
  const std::string model = ".model ec ecram gmin=1u gmax=10u ig0=1p qtot=1n\n";
  auto floating = test::run(model + "Vd d 0 0.1\nN1 d g 0 ec n0=0.8\nRg g 0 1e15\n.tran 10m 1\n");
  auto grounded = test::run(model + "Vd d 0 0.1\nN1 d g 0 ec n0=0.8\nVg g 0 0\n.tran 10m 1\n");
  ASSERT_TRUE(floating.errors.empty()) << floating.errors.front();
  ASSERT_TRUE(grounded.errors.empty()) << grounded.errors.front();
  std::vector<double> nf = test::column(floating, "n1#n"), ng = test::column(grounded, "n1#n");
  EXPECT_NEAR(nf.back(), 0.8, 1e-5);
  EXPECT_LT(ng.back(), 0.8 - 1e-4);  // slowly towards n = 0.5, where V_oc = 0 (retention loss)
  EXPECT_GT(ng.back(), 0.5);
  // The channel reads gmin + (gmax - gmin) n0 = 8.2 uS at the start.
  std::vector<double> i = test::column(floating, "i(vd)");
  EXPECT_NEAR(-i.front(), 0.1 * 8.2e-6, 1e-9);
}

TEST(NdrEcram, NeuronActivationRisesFallsAndRisesAgain) {
  auto r = test::run(test::deckBody("examples/ndr/activation.cir"));
  ASSERT_TRUE(r.errors.empty()) << r.errors.front();
  double previousPeak = 0;
  for (std::size_t s = 0; s < r.steps.size(); ++s) {
    std::vector<double> vin = test::column(r, "v(in)", s), vout = test::column(r, "v(out)", s);
    auto peak = std::max_element(vout.begin(), vout.begin() + static_cast<long>(vout.size() / 2));
    auto valley = std::min_element(peak, vout.end());
    EXPECT_GT(*peak, 1.5 * *valley) << "NDR region, step " << s;
    EXPECT_GT(vout.back(), *valley) << "rising past the valley, step " << s;
    EXPECT_GT(*peak, previousPeak) << "more ions, higher peak";
    previousPeak = *peak;
  }
}

}  // namespace
}  // namespace memspice
