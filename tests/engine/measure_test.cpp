// .measure against hand-computed values, and .step against separate runs of the same deck.
// The measure decks drive piecewise-linear waveforms whose corners fall on output points, so
// linear interpolation between output points is exact and every expected value is arithmetic.
#include <gtest/gtest.h>

#include <cmath>
#include <fmt/format.h>

#include "elab/elaborator.hpp"
#include "frontend.hpp"
#include "register_builtin.hpp"
#include "step_runner.hpp"
#include "support/sim_helpers.hpp"

namespace {

using namespace memspice;

using test::DeckRun;
using test::measures;
using test::run;

// Checks measurement `name` of the first step against `value` (to 1e-9).
auto expectMeasures(const DeckRun& r) {
  return [m = measures(r)](const char* name, double value) mutable {
    ASSERT_TRUE(m[name].value) << name << ": " << m[name].failure;
    EXPECT_NEAR(*m[name].value, value, 1e-9) << name;
  };
}

// A triangle 0 -> 1 -> 0 -> 1 -> 0 over 4 s into 1 ohm; b = 2 in; c = 1.
const std::string kTriangle =
    "V1 in 0 pwl(0 0 1 1 2 0 3 1 4 0)\nR1 in 0 1\nE1 b 0 in 0 2\nV2 c 0 1\n.tran 0.1 4\n";

TEST(Measure, CrossingsAndPoints) {
  DeckRun r = run(kTriangle +
              ".meas tran r1 when v(in)=0.5 rise=1\n"
              ".meas tran r2 when v(in)=0.5 rise=2\n"
              ".meas tran f1 when v(in)=0.5 fall=1\n"
              ".meas tran c3 when v(in)=0.5 cross=3\n"
              ".meas tran clast when v(in)=0.5 cross=last\n"
              ".meas tran rtd when v(in)=0.5 rise=1 td=1.6\n"
              ".meas tran vv when v(b)=v(c)\n"
              ".meas tran tt trig v(in) val=0.25 rise=1 targ v(in) val=0.25 fall=1\n"
              ".meas tran tat trig at=1 targ at=3.5\n"
              ".meas tran fat find v(in) at=1.25\n"
              ".meas tran fwhen find v(b) when v(in)=0.5 fall=2\n"
              ".meas tran d1 deriv v(in) at=0.5\n"
              ".meas tran d2 deriv v(b) at=1.5\n"
              ".meas tran dwhen deriv v(in) when v(in)=0.5 fall=1\n");
  ASSERT_TRUE(r.errors.empty()) << r.errors[0];
  auto expect = expectMeasures(r);
  expect("r1", 0.5);
  expect("r2", 2.5);
  expect("f1", 1.5);
  expect("c3", 2.5);
  expect("clast", 3.5);
  expect("rtd", 2.5);
  expect("vv", 0.5);
  expect("tt", 1.75 - 0.25);
  expect("tat", 2.5);
  expect("fat", 0.75);
  expect("fwhen", 1.0);
  expect("d1", 1.0);
  expect("d2", -2.0);
  expect("dwhen", -1.0);
}

TEST(Measure, Windows) {
  DeckRun r = run(kTriangle +
              ".meas tran avgall avg v(in)\n"
              ".meas tran avgpart avg v(in) from=0.5 to=1\n"
              ".meas tran integall integ v(in)\n"
              ".meas tran rms01 rms v(in) from=0 to=1\n"
              ".meas tran mn min v(in) from=0.5 to=1.5\n"
              ".meas tran mx max v(b)\n"
              ".meas tran pp1 pp v(in) from=0.25 to=0.75\n"
              ".meas tran energy integ p(r1)\n"
              ".meas tran twice param='avgall*2+mx'\n");
  ASSERT_TRUE(r.errors.empty()) << r.errors[0];
  auto expect = expectMeasures(r);
  expect("avgall", 0.5);
  expect("avgpart", 0.75);
  expect("integall", 2.0);
  // Measurements use every integrator step, not just the 0.1 s output grid: the trapezoids of
  // v^2 come close to the exact integral of t^2 over a ramp, 1/3 (the grid alone gives 0.335).
  auto m = measures(r);
  ASSERT_TRUE(m["rms01"].value && m["energy"].value);
  EXPECT_NEAR(*m["rms01"].value, std::sqrt(1.0 / 3), 1e-3);
  EXPECT_LT(*m["rms01"].value, std::sqrt(0.335));
  EXPECT_NEAR(*m["energy"].value, 4.0 / 3, 5e-3);  // p = v^2 / 1 ohm, four ramps
  expect("mn", 0.5);
  expect("mx", 2.0);
  expect("pp1", 0.5);
  expect("twice", 3.0);
}

TEST(Measure, SettingsMayUseEarlierMeasurements) {
  DeckRun r = run(kTriangle +
                  ".meas tran mx max v(in)\n"
                  ".meas tran half when v(in)='mx/2' rise=2\n"
                  ".meas tran late avg v(in) from='half' to=4\n"
                  ".meas tran span trig at='half' targ v(in) val='mx/4' fall=2\n");
  ASSERT_TRUE(r.errors.empty()) << r.errors[0];
  auto expect = expectMeasures(r);
  expect("half", 2.5);
  expect("late", (0.75 * 0.5 + 0.5 * 1.0) / 1.5);  // 2.5 .. 3 rising to 1, 3 .. 4 falling to 0
  expect("span", 3.75 - 2.5);
  DeckRun bad = run(kTriangle + ".meas tran x trig v(in) val='v(in)*2' targ at=1\n");
  ASSERT_FALSE(bad.errors.empty());
  EXPECT_NE(bad.errors[0].find("'val=' is a number, or an expression of parameters and earlier measurements"),
            std::string::npos) << bad.errors[0];
}

TEST(Measure, DcAndOp) {
  DeckRun r = run("V1 in 0 0.3\nR1 in 0 1\nE1 b 0 in 0 2\n.dc V1 0 1 0.1\n.op\n"
              ".meas dc x when v(b)=0.7\n"
              ".meas dc y find v(b) at=0.25\n"
              ".meas dc s deriv v(b) at=0.5\n"
              ".meas dc a avg v(b)\n"
              ".meas op vb find v(b)\n");
  ASSERT_TRUE(r.errors.empty()) << r.errors[0];
  auto m = measures(r);
  for (auto [name, v] : {std::pair{"x", 0.35}, {"y", 0.5}, {"s", 2.0}, {"a", 1.0}, {"vb", 0.6}}) {
    ASSERT_TRUE(m[name].value) << name << ": " << m[name].failure;
    EXPECT_NEAR(*m[name].value, v, 1e-9) << name;
  }
}

TEST(Measure, FailuresSayWhy) {
  DeckRun r = run(kTriangle +
              ".meas tran never when v(in)=2\n"
              ".meas tran late find v(in) at=9\n"
              ".meas tran uses param='never+1'\n"
              ".meas dc nodc max v(in)\n");
  ASSERT_TRUE(r.errors.empty()) << r.errors[0];
  auto m = measures(r);
  EXPECT_EQ(m["never"].failure, "when: v(in) has no crossing of 2");
  EXPECT_EQ(m["late"].failure, "at at=9 is outside the time range [0, 4]");
  EXPECT_EQ(m["uses"].failure, "it uses 'never', which failed");
  EXPECT_EQ(m["nodc"].failure, "there is no dc result (no '.dc' analysis, or it failed)");
}

TEST(Measure, StatementErrors) {
  auto error = [](const std::string& card) {
    DeckRun r = run(kTriangle + card + "\n");
    return r.errors.empty() ? std::string() : r.errors[0];
  };
  EXPECT_NE(error(".meas tran x trig v(in) val=1").find("'trig' needs a following 'targ'"), std::string::npos);
  EXPECT_NE(error(".meas tran x find v(in)").find("'find' needs 'at=' or 'when'"), std::string::npos);
  EXPECT_NE(error(".meas tran x when v(in)=1 rise=1 fall=2").find("only one of rise=, fall= and cross="),
            std::string::npos);
  EXPECT_NE(error(".meas tran x avg v(in) val=1").find("unexpected 'val=' in 'avg'; expected from=, to=, td="),
            std::string::npos);
  EXPECT_NE(error(".meas tran x when v(in)=1 rise=0").find("crossing number"), std::string::npos);
  EXPECT_NE(error(".meas tran x param='y+1'").find("undefined parameter 'y'"), std::string::npos);
  EXPECT_NE(error(".meas tran x max v(in)\n.meas tran x min v(in)").find("defined twice"), std::string::npos);
  EXPECT_NE(error(".meas tran x trig v(in) targ v(in) val=1").find("'trig' needs val="), std::string::npos);
}

// Every plot value of two runs, exactly.
void expectSamePlots(const std::vector<engine::Plot>& a, const std::vector<engine::Plot>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t k = 0; k < a.size(); ++k) {
    ASSERT_EQ(a[k].vars.size(), b[k].vars.size());
    ASSERT_EQ(a[k].data.size(), b[k].data.size());
    for (std::size_t i = 0; i < a[k].data.size(); ++i) ASSERT_EQ(a[k].data[i], b[k].data[i]) << a[k].name << " " << i;
  }
}

TEST(Step, EqualsSeparateRuns) {
  const std::string deck =
      ".param rr=1k cc=1n\nV1 in 0 pulse(0 1 1u 1n 1n 5u 10u)\nR1 in out {rr}\nC1 out 0 {cc}\n.tran 50n 8u\n"
      ".meas tran tdel trig v(in) val=0.5 rise=1 targ v(out) val=0.5 rise=1\n";
  DeckRun stepped = run(deck + ".step param rr list 1k 3k\n.step param cc 1n 2n 1n\n");
  ASSERT_TRUE(stepped.errors.empty()) << stepped.errors[0];
  ASSERT_EQ(stepped.steps.size(), 4u);
  // The first card varies fastest.
  const double rr[] = {1e3, 3e3, 1e3, 3e3}, cc[] = {1e-9, 1e-9, 2e-9, 2e-9};
  for (std::size_t k = 0; k < 4; ++k) {
    const auto& point = stepped.steps[k].point;
    ASSERT_EQ(point.size(), 2u);
    EXPECT_EQ(point[0].first, "rr");
    EXPECT_DOUBLE_EQ(point[0].second, rr[k]);
    EXPECT_DOUBLE_EQ(point[1].second, cc[k]);
    DeckRun single = run(deck, {{"rr", rr[k]}, {"cc", cc[k]}});
    ASSERT_TRUE(single.errors.empty()) << single.errors[0];
    expectSamePlots(stepped.steps[k].plots, single.steps[0].plots);
    EXPECT_EQ(*stepped.steps[k].measures[0].value, *single.steps[0].measures[0].value);
    EXPECT_NEAR(*single.steps[0].measures[0].value, std::log(2.0) * rr[k] * cc[k], 0.02 * rr[k] * cc[k]);
  }
}

TEST(Step, SourcesModelsAndTemperature) {
  const std::string circuit = "V1 a 0 1\nR1 a k 1k\nD1 k 0 dmod\n.model dmod d is=1e-14\n.op\n";
  DeckRun stepped = run(circuit + ".step V1 list 1 2\n.step dmod(is) list 1e-14 1e-12\n.step temp list 27 75\n");
  ASSERT_TRUE(stepped.errors.empty()) << stepped.errors[0];
  ASSERT_EQ(stepped.steps.size(), 8u);
  for (const auto& s : stepped.steps) {
    double v = s.point[0].second, is = s.point[1].second, temp = s.point[2].second;
    DeckRun single = run(fmt::format("V1 a 0 {}\nR1 a k 1k\nD1 k 0 dmod\n.model dmod d is={}\n.op\n.temp {}\n", v, is, temp));
    ASSERT_TRUE(single.errors.empty()) << single.errors[0];
    expectSamePlots(s.plots, single.steps[0].plots);
  }
}

TEST(Step, FailedPointIsReportedAndTheRestRun) {
  // At rr = 0 the resistor is invalid; the other two points still run.
  DeckRun r = run(".param rr=1k\nV1 a 0 1\nR1 a 0 {rr}\n.op\n.step param rr list 1k 0 2k\n");
  ASSERT_EQ(r.steps.size(), 3u);
  EXPECT_TRUE(r.steps[0].ok);
  EXPECT_FALSE(r.steps[1].ok);
  EXPECT_TRUE(r.steps[2].ok);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].find("step 2 (rr = 0): "), std::string::npos) << r.errors[0];
  EXPECT_EQ(r.steps[2].plots.size(), 1u);
}

TEST(Step, SourceWithTimeFunctionIsRefused) {
  DeckRun r = run("V1 a 0 sin(0 1 1k)\nR1 a 0 1k\n.tran 10u 1m\n.step V1 list 1 2\n");
  ASSERT_FALSE(r.errors.empty());
  EXPECT_NE(r.errors[0].find("has a sin time function"), std::string::npos) << r.errors[0];
}

}  // namespace

namespace {

TEST(Step, DcSweepsTheCompliance) {
  // A 1 V SMU into 10 k draws 100 uA; a compliance swept below that limits the current to it.
  DeckRun r = run(".param icc=1m\nVs a 0 1 icomp={icc}\nR1 a 0 10k\n.dc param icc list 10u 50u 1m\n"
                  ".meas dc i10 find i(vs) at=10u\n.meas dc i1m find i(vs) at=1m\n");
  ASSERT_TRUE(r.errors.empty()) << r.errors[0];
  auto m = measures(r);
  ASSERT_TRUE(m["i10"].value && m["i1m"].value);
  EXPECT_NEAR(-*m["i10"].value, 10e-6, 0.05 * 10e-6);  // in compliance
  EXPECT_NEAR(-*m["i1m"].value, 100e-6, 1e-12);        // voltage mode
}

}  // namespace
