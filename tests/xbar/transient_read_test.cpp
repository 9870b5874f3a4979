// Transient reads: lines with capacitance start discharged, the rows step to their voltages, and
// the bit-line currents are sampled at the read time; the settling time and the energy delivered
// come from the integration.
#include <gtest/gtest.h>

#include <cmath>

#include "crossbar.hpp"
#include "inference.hpp"
#include "mapping.hpp"
#include "xbar_support.hpp"

namespace xb = memspice::xbar;
using namespace memspice::xbar::test;

namespace {

struct Fixture {
  xb::Network net = randomNetwork({12, 5, 10}, 3);
  xb::MappedLayer m = xb::mapLayer(net.layers[0], xb::DeviceOptions{}, 0);
  xb::Tile tile{0, 0, m.rows, 0, m.cols};
  std::vector<double> vin;
  Fixture() {
    for (std::size_t i = 0; i < m.rows; ++i) vin.push_back(0.02 * static_cast<double>(i + 1));
  }
  static xb::ArrayOptions wires(double readTime) {
    xb::ArrayOptions o;
    o.rwire = 2;
    o.cwire = 1e-13;  // the line time constants are some 10 ps
    o.transient = true;
    o.readTime = readTime;
    return o;
  }
  // currents, power and settling of one read
  struct Read {
    std::vector<double> currents;
    double power = 0;
    xb::Settling settling;
  };
  Read read(const xb::ArrayOptions& o) const {
    xb::TileSolver solver(m, tile, o, builtinRegistry());
    Read r;
    r.currents.resize(tile.bitLines());
    solver.solve(vin, r.currents, r.power);
    r.settling = solver.settling();
    return r;
  }
};

double largest(const std::vector<double>& v) {
  double m = 0;
  for (double x : v) m = std::max(m, std::fabs(x));
  return m;
}

}  // namespace

// A read cut short samples the rising currents; the same read run from the exported deck by the
// memspice front end (.tran ... uic) ends at the same currents.
TEST(XbarTransientRead, ShortReadSamplesTheRisingCurrentsAsTheExportedDeckDoes) {
  Fixture f;
  xb::ArrayOptions dc = Fixture::wires(1e-9);
  dc.transient = false;
  const auto settled = f.read(dc).currents;
  const xb::ArrayOptions shortRead = Fixture::wires(1e-11);
  const auto r = f.read(shortRead);
  EXPECT_FALSE(r.settling.settled);
  EXPECT_EQ(r.settling.time, 1e-11);
  const double scale = largest(settled);
  double shortfall = 0;
  for (std::size_t p = 0; p < settled.size(); ++p) {
    EXPECT_LE(std::fabs(r.currents[p]), std::fabs(settled[p]) + 1e-6 * scale) << p;
    shortfall = std::max(shortfall, std::fabs(settled[p] - r.currents[p]) / scale);
  }
  EXPECT_GT(shortfall, 0.05);
  const std::string deck = xb::tileDeck(f.m, f.tile, shortRead, f.vin, true);
  EXPECT_NE(deck.find(".tran 5e-14 1e-11 uic"), std::string::npos);
  EXPECT_NE(deck.find("cb0_0 b0_0 0 1e-13"), std::string::npos);
  auto fromDeck = deckSenseCurrents(deck, r.currents.size());
  ASSERT_EQ(fromDeck.size(), r.currents.size());
  for (std::size_t p = 0; p < fromDeck.size(); ++p) EXPECT_NEAR(fromDeck[p], r.currents[p], 2e-3 * scale) << p;
}

// A long read settles: its currents are the DC ones, its settling time lies inside the read and
// grows with the capacitance, and its energy is the DC energy plus the charge put on the word
// lines (held near the row voltage) times that voltage: sum_i vin_i^2 cwire (bit lines per row).
TEST(XbarTransientRead, LongReadSettlesToTheDcCurrentsAndPaysForTheLineCharge) {
  Fixture f;
  const double T = 2e-9;
  xb::ArrayOptions dc = Fixture::wires(T);
  dc.transient = false;
  const auto ref = f.read(dc);
  const auto r = f.read(Fixture::wires(T));
  ASSERT_TRUE(r.settling.settled);
  EXPECT_GT(r.settling.time, 1e-12);
  EXPECT_LT(r.settling.time, 2e-10);
  const double scale = largest(ref.currents);
  for (std::size_t p = 0; p < ref.currents.size(); ++p) EXPECT_NEAR(r.currents[p], ref.currents[p], 1e-4 * scale) << p;
  double lineCharge = 0;
  for (double v : f.vin) lineCharge += v * v * 1e-13 * static_cast<double>(f.tile.bitLines());
  const double excess = (r.power - ref.power) * T;
  EXPECT_NEAR(excess, lineCharge, 0.01 * lineCharge);

  xb::ArrayOptions doubled = Fixture::wires(T);
  doubled.cwire = 2e-13;
  const auto slower = f.read(doubled);
  EXPECT_NEAR(slower.settling.time / r.settling.time, 2.0, 0.3);
}

// Inference with transient reads: long reads give the DC network's outputs and report their
// settling; reads cut short are flagged as unsettled.
TEST(XbarTransientRead, InferenceReportsSettlingAndFlagsShortReads) {
  xb::Network net = randomNetwork({20, 8, 10}, 9);
  xb::Dataset data = randomImages(3, 20);
  xb::InferenceOptions o;
  o.array = Fixture::wires(1e-9);
  o.array.tileRows = 8;
  o.array.transient = false;
  auto dc = xb::CircuitNetwork(net, o).run(data, 0, data.count);
  o.array.transient = true;
  auto tr = xb::CircuitNetwork(net, o).run(data, 0, data.count);
  o.array.readTime = 5e-12;
  auto cut = xb::CircuitNetwork(net, o).run(data, 0, data.count);
  for (std::size_t i = 0; i < data.count; ++i) {
    ASSERT_TRUE(tr[i].error.empty()) << tr[i].error;
    ASSERT_TRUE(cut[i].error.empty()) << cut[i].error;
    for (std::size_t j = 0; j < dc[i].outputs.size(); ++j)
      EXPECT_NEAR(tr[i].outputs[j], dc[i].outputs[j], 1e-3 * (1 + std::fabs(dc[i].outputs[j])));
    EXPECT_EQ(dc[i].settle, 0);
    EXPECT_GT(tr[i].settle, 0);
    EXPECT_LT(tr[i].settle, 2 * 1e-9);
    EXPECT_EQ(tr[i].unsettled, 0u);
    EXPECT_GT(tr[i].energy, dc[i].energy);
    EXPECT_EQ(cut[i].unsettled, 2u);  // both layers
  }
  auto s = xb::summarise(cut, o, 2, 1.0);
  EXPECT_EQ(s.unsettled, 6u);
  EXPECT_NEAR(s.settleMax, 2 * 5e-12, 1e-20);
}

TEST(XbarTransientRead, BadLineOptionsAreRefused) {
  xb::ArrayOptions o;
  o.cwire = 1e-15;
  EXPECT_NE(errorOf([&] { xb::validate(o); }).find("needs rwire > 0"), std::string::npos);
  o.rwire = 1;
  o.cwire = -1;
  EXPECT_NE(errorOf([&] { xb::validate(o); }).find("cwire: expected 0 or a positive capacitance, got -1"),
            std::string::npos);
  o.cwire = 0;
  o.transient = true;
  EXPECT_NE(errorOf([&] { xb::validate(o); }).find("transient reads need line capacitance"), std::string::npos);
  o.cwire = 1e-15;
  o.readTime = 0;
  EXPECT_NE(errorOf([&] { xb::validate(o); }).find("read time: expected a positive time, got 0"), std::string::npos);
  o.readTime = 1e-9;
  o.settleTolerance = 1;
  EXPECT_NE(errorOf([&] { xb::validate(o); }).find("settle tolerance: expected a fraction in (0, 1), got 1"),
            std::string::npos);
  o.settleTolerance = 0.01;
  EXPECT_EQ(errorOf([&] { xb::validate(o); }), "(no error)");
}
