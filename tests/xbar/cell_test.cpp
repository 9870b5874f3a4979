// Device cells (--cell-device): a cell's state is programmed so that its chord conductance at
// vread is the mapped G, and the circuit then follows the device's own read I-V.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <memory>

#include "cell.hpp"
#include "crossbar.hpp"
#include "inference.hpp"
#include "mapping.hpp"
#include "xbar_support.hpp"

namespace xb = memspice::xbar;
namespace fs = std::filesystem;
using namespace memspice::xbar::test;

namespace {

const fs::path kCells = fs::path(MEMSPICE_SOURCE_DIR) / "netlists/xbar_cells.lib";
const fs::path kTestCells = fs::path(MEMSPICE_SOURCE_DIR) / "tests/xbar/data/test_cells.lib";

std::shared_ptr<const xb::CellDevice> cell(const fs::path& lib, const std::string& name, double vread = 0.2,
                                           const std::string& params = {}) {
  xb::CellDeviceOptions o;
  o.library = lib;
  o.subckt = name;
  o.params = params;
  return std::make_shared<const xb::CellDevice>(o, vread, builtinRegistry());
}

// stanford_rram's read current, v1.0.0 defaults: i0 exp(-gap/g0) sinh(V/v0).
constexpr double kI0 = 1e-3, kG0 = 0.25e-9, kV0 = 0.25;
double rramCurrent(double gap, double v) { return kI0 * std::exp(-gap / kG0) * std::sinh(v / kV0); }

// A 13-row layer on rram cells (gmin 5 uS, which rram reaches), as one tile.
struct RramTile {
  xb::MappedLayer m = [] {
    xb::DeviceOptions dev;
    dev.gmin = 5e-6;
    return xb::mapLayer(randomNetwork({12, 5, 10}, 3).layers[0], dev, 0);
  }();
  xb::ArrayOptions o = [] {
    xb::ArrayOptions a;
    a.cellDevice = cell(kCells, "rram");
    return a;
  }();
  xb::Tile t{0, 0, m.rows, 0, m.cols};
};

}  // namespace

// The programmed state is the gap whose chord conductance at vread is G, as the model's closed
// form gives it; the range is the gaps' 0.2 to 1.7 nm.
TEST(XbarCells, RramStateGivesTheProgrammedChordConductance) {
  auto d = cell(kCells, "rram");
  const double vread = 0.2;
  auto [glo, ghi] = d->conductanceRange();
  EXPECT_NEAR(glo, rramCurrent(1.7e-9, vread) / vread, 1e-9 * glo);
  EXPECT_NEAR(ghi, rramCurrent(0.2e-9, vread) / vread, 1e-9 * ghi);
  EXPECT_DOUBLE_EQ(d->stateRange().first, 0.2e-9);
  EXPECT_DOUBLE_EQ(d->stateRange().second, 1.7e-9);
  for (double g : {5e-6, 1e-5, 3.3e-5, 1e-4, 1e-3}) {
    const double gap = -kG0 * std::log(g * vread / (kI0 * std::sinh(vread / kV0)));
    EXPECT_NEAR(d->stateFor(g), gap, 1e-9 * gap) << g;
  }
  EXPECT_LT(d->maxError(), 1e-6);
  // vtg_rram: the mReLU paper's memristor, non-volatile; its gap (nm) shrinks as G grows.
  auto v = cell(kCells, "vtg_rram");
  EXPECT_GT(v->stateFor(1e-6), v->stateFor(1e-5));
  EXPECT_NEAR(v->conductanceRange().second, 2.8e-4 * std::exp(-0.2 / 0.1) * std::sinh(0.2 / 0.5) / 0.2, 1e-6 * 8e-5);
}

// A device cell that is a linear resistor is a resistor cell: the same outputs, and the tile
// still passes the response check (its states sit in the circuit as parameters). Its state is
// ln G, so the table's interpolation in ln G is exact.
TEST(XbarCells, LinearDeviceCellsEqualResistorCells) {
  xb::Network net = randomNetwork({30, 12, 10}, 5);
  xb::Dataset data = randomImages(4, 30);
  xb::InferenceOptions o;
  o.array.rwire = 2;
  o.array.tileRows = 16;
  o.array.tileCols = 5;
  xb::CircuitNetwork resistors(net, o);
  o.array.cellDevice = cell(kTestCells, "linear");
  xb::CircuitNetwork devices(net, o);
  auto a = resistors.run(data, 0, data.count), b = devices.run(data, 0, data.count);
  for (std::size_t i = 0; i < a.size(); ++i) {
    ASSERT_TRUE(b[i].error.empty()) << b[i].error;
    for (std::size_t j = 0; j < a[i].outputs.size(); ++j)
      EXPECT_NEAR(b[i].outputs[j], a[i].outputs[j], 1e-8 * (1 + std::fabs(a[i].outputs[j])));
    EXPECT_NEAR(b[i].energy, a[i].energy, 1e-8 * a[i].energy);
    // The largest row voltage: the bias row's vread, a pixel's, or a hidden ReLU output's (the
    // software network's, less the 2 ohm wires' drop).
    const float* x = data.image(b[i].index);
    double top = 0.2 * *std::max_element(x, x + 30);
    auto acts = net.forward(x);
    for (std::size_t k = 0; k + 1 < acts.size(); ++k)
      for (float v : acts[k]) top = std::max(top, 0.2 * v);
    EXPECT_NEAR(b[i].maxRowVoltage, a[i].maxRowVoltage, 1e-8);
    EXPECT_NEAR(b[i].maxRowVoltage, std::max(top, 0.2), 0.02 * top);
  }
  xb::Tile t{0, 0, 16, 0, 5};
  EXPECT_TRUE(xb::TileSolver(devices.layers()[0], t, o.array, builtinRegistry()).usesResponse());
}

// RRAM cells with ideal wires: every cell sees its row's voltage, so a bit line carries
// sum_i G_i vread sinh(v_i / v0) / sinh(vread / v0), less than the linear sum G_i v_i below
// vread. The tile is nonlinear (Newton, not response matrices), and its exported deck, run by
// the front end, gives the same currents.
TEST(XbarCells, RramCellsFollowTheDevicesReadIV) {
  RramTile f;
  const xb::MappedLayer& m = f.m;
  const xb::Tile& t = f.t;
  xb::ArrayOptions o = f.o;
  std::vector<double> vin;
  for (std::size_t i = 0; i < m.rows; ++i) vin.push_back(0.2 * static_cast<double>(i + 1) / static_cast<double>(m.rows));
  xb::TileSolver s(m, t, o, builtinRegistry());
  EXPECT_FALSE(s.usesResponse());
  std::vector<double> currents(t.bitLines());
  double power = 0;
  s.solve(vin, currents, power);
  double expectedPower = 0;
  for (std::size_t p = 0; p < t.bitLines(); ++p) {
    double expected = 0, linear = 0;
    for (std::size_t i = 0; i < m.rows; ++i) {
      const std::size_t k = i * m.cols + p / 2;
      const double g = p % 2 == 0 ? m.gpos[k] : m.gneg[k];
      const double current = g * 0.2 * std::sinh(vin[i] / kV0) / std::sinh(0.2 / kV0);
      expected += current;
      linear += g * vin[i];
      expectedPower += vin[i] * current;
    }
    EXPECT_NEAR(currents[p], expected, 1e-9 * expected) << p;
    EXPECT_LT(currents[p], linear);
  }
  EXPECT_NEAR(power, expectedPower, 1e-9 * expectedPower);
  const std::string deck = xb::tileDeck(m, t, o, vin, true);
  EXPECT_NE(deck.find("xc0_0 in0 s0 rram state="), std::string::npos);
  auto fromDeck = deckSenseCurrents(deck, currents.size());
  ASSERT_EQ(fromDeck.size(), currents.size());
  for (std::size_t p = 0; p < currents.size(); ++p) EXPECT_NEAR(fromDeck[p], currents[p], 1e-9 * currents[p]);

  // 1T1R: the device then the access transistor; less current through the series pair.
  xb::ArrayOptions t1 = o;
  t1.oneT1R = true;
  t1.rwire = 1;
  const std::string deck1 = xb::tileDeck(m, t, t1, vin, false);
  EXPECT_NE(deck1.find("xc0_0 w0_0 m0_0 rram state="), std::string::npos);
  EXPECT_NE(deck1.find("mc0_0 m0_0 sel b0_0 0 xbar_acc"), std::string::npos);
  xb::TileSolver s1(m, t, t1, builtinRegistry());
  std::vector<double> through(t.bitLines());
  double p1 = 0;
  s1.solve(vin, through, p1);
  for (std::size_t p = 0; p < currents.size(); ++p) {
    EXPECT_LT(through[p], currents[p]);
    EXPECT_GT(through[p], 0.5 * currents[p]);
  }
}

// A transient read starts from discharged lines but from the programmed states: a long read
// ends at the DC currents.
TEST(XbarCells, TransientReadStartsFromTheProgrammedStates) {
  RramTile f;
  const xb::MappedLayer& m = f.m;
  const xb::Tile& t = f.t;
  xb::ArrayOptions o = f.o;
  o.rwire = 2;
  std::vector<double> vin(m.rows, 0.15), dc(t.bitLines()), read(t.bitLines());
  double p = 0;
  xb::TileSolver(m, t, o, builtinRegistry()).solve(vin, dc, p);
  o.cwire = 1e-13;
  o.transient = true;
  o.readTime = 1e-9;  // some hundred line time constants
  xb::TileSolver tr(m, t, o, builtinRegistry());
  tr.solve(vin, read, p);
  EXPECT_TRUE(tr.settling().settled);
  for (std::size_t k = 0; k < dc.size(); ++k) EXPECT_NEAR(read[k], dc[k], 1e-3 * dc[k]);
}

TEST(XbarCells, BadCellDevicesSayWhat) {
  auto options = [](const fs::path& lib, const std::string& name) {
    xb::CellDeviceOptions o;
    o.library = lib;
    o.subckt = name;
    return o;
  };
  auto error = [&](const fs::path& lib, const std::string& name) {
    return errorOf([&] { xb::CellDevice(options(lib, name), 0.2, builtinRegistry()); });
  };
  EXPECT_NE(error("/nonexistent/cells.lib", "rram").find("/nonexistent/cells.lib: cannot open the cell library"),
            std::string::npos);
  EXPECT_NE(error(kTestCells, "missing").find("the library has no subcircuit 'missing'"), std::string::npos);
  EXPECT_NE(error(kTestCells, "nostate").find("no parameter 'state'"), std::string::npos);
  EXPECT_NE(error(kTestCells, "norange").find("gives no default state_min; give the programmable states with "
                                              "--cell-state"),
            std::string::npos);
  EXPECT_NE(error(kTestCells, "three").find("expected ports (w b), the subcircuit has 3"), std::string::npos);
  EXPECT_NE(error(kTestCells, "bump").find("not strictly monotone in the state"), std::string::npos);
  // An explicit range makes norange usable, and makes bump monotone on one side.
  auto given = options(kTestCells, "bump");
  given.stateRange = {0.0, 1.0};
  EXPECT_NO_THROW(xb::CellDevice(given, 0.2, builtinRegistry()));
  given = options(kTestCells, "norange");
  given.stateRange = xb::parseStateRange("1u:1m");
  EXPECT_DOUBLE_EQ(xb::CellDevice(given, 0.2, builtinRegistry()).stateRange().second, 1e-3);
  EXPECT_NE(errorOf([] { xb::parseStateRange("1.7n:0.2n"); }).find("expected LO:HI with LO < HI"), std::string::npos);
  EXPECT_NE(errorOf([] { xb::parseStateRange("0.2n"); }).find("--cell-state '0.2n'"), std::string::npos);
  EXPECT_NE(errorOf([] { xb::parseCellSpec("rram"); }).find("--cell-device 'rram': expected LIBRARY:SUBCKT"),
            std::string::npos);

  // The mapping must fit the cell: rram reaches 4.9 uS at most, not the default gmin of 1 uS.
  xb::ArrayOptions a;
  a.cellDevice = cell(kCells, "rram");
  xb::DeviceOptions dev;
  EXPECT_NE(errorOf([&] { xb::validateCells(a, dev); }).find("does not cover --gmin 1e-06"), std::string::npos);
  dev.gmin = 5e-6;
  EXPECT_NO_THROW(xb::validateCells(a, dev));
  dev.readNoise = 0.01;
  EXPECT_NE(errorOf([&] { xb::validateCells(a, dev); }).find("--read-noise with --cell-device"), std::string::npos);
  EXPECT_NE(errorOf([&] { a.cellDevice->stateFor(1e-7); }).find("outside what its states reach"), std::string::npos);
  a.vread = 0.3;
  EXPECT_NE(errorOf([&] { xb::validate(a); }).find("tabulated at 0.2 V, but the rows are read at 0.3 V"),
            std::string::npos);
}
