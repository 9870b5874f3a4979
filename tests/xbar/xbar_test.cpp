// The crossbar tools: readers and their errors, mapping, tiles against the software network,
// batched against one-at-a-time solves, and training on a slice of MNIST.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "crossbar.hpp"
#include "csv_matrix.hpp"
#include "inference.hpp"
#include "mapping.hpp"
#include "mnist.hpp"
#include "network.hpp"
#include "npy.hpp"
#include "register_builtin.hpp"
#include "support/sim_helpers.hpp"
#include "xbar_support.hpp"
#include "xbar_error.hpp"

namespace xb = memspice::xbar;
namespace fs = std::filesystem;
using namespace memspice::xbar::test;

namespace {

const fs::path kData = fs::path(MEMSPICE_SOURCE_DIR) / "tests/xbar/data";

}  // namespace

TEST(XbarReaders, NpzRoundTrip) {
  fs::path p = fs::temp_directory_path() / "xbar_roundtrip.npz";
  std::map<std::string, xb::Array> out{{"w0", {{2, 3}, {1, -2, 3.5, 4, 5e-9, 6}}}, {"b0", {{3}, {0.1, 0.2, 0.3}}}};
  xb::writeNpz(p, out);
  auto in = xb::readNpz(p);
  ASSERT_EQ(in.size(), 2u);
  EXPECT_EQ(in["w0"].shape, (std::vector<std::size_t>{2, 3}));
  EXPECT_EQ(in["w0"].data, out["w0"].data);
  EXPECT_EQ(in["b0"].shape, (std::vector<std::size_t>{3}));
  EXPECT_EQ(in["b0"].data, out["b0"].data);
}

TEST(XbarReaders, CompressedNpzFloat32FortranAndInt) {
  // Written by Python's zipfile with ZIP_DEFLATED, as np.savez_compressed does.
  auto net = xb::loadNetwork({kData / "compressed.npz"}, xb::Activation{});
  ASSERT_EQ(net.layers.size(), 2u);
  EXPECT_EQ(net.layers[0].in, 3u);
  EXPECT_EQ(net.layers[0].out, 2u);
  EXPECT_EQ(net.layers[0].w, (std::vector<float>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(net.layers[0].b, (std::vector<float>{0.5f, -0.5f}));
  EXPECT_EQ(net.layers[1].w, (std::vector<float>{7, 8}));
  EXPECT_EQ(net.layers[1].b, (std::vector<float>{9}));
  auto f = xb::readNpy(kData / "fortran.npy");
  EXPECT_EQ(f.data, (std::vector<double>{1, 2, 3, 4, 5, 6}));  // transposed into C order
}

TEST(XbarReaders, BadFilesSayWhereAndWhat) {
  EXPECT_NE(errorOf([] { xb::readNpy(kData / "bad_dtype.npy"); }).find("dtype '>f8' is not supported"), std::string::npos);
  EXPECT_NE(errorOf([] { xb::readNpy(kData / "short.npy"); }).find("expected 24 bytes of data for shape (3), found 16"),
            std::string::npos);
  EXPECT_NE(errorOf([] { xb::readNpy(kData / "bad_row.csv"); }).find("expected a .npy file"), std::string::npos);
  EXPECT_NE(errorOf([] { xb::readCsvMatrix(kData / "bad_row.csv"); }).find("bad_row.csv:3:4: expected a number, got 'x5'"),
            std::string::npos);
  EXPECT_NE(errorOf([] { xb::readCsvMatrix(kData / "ragged.csv"); }).find("ragged.csv:2:1: expected 3 columns"),
            std::string::npos);
  EXPECT_NE(errorOf([] { xb::readNpz(kData / "ragged.csv"); }).find("not a zip archive"), std::string::npos);
  EXPECT_NE(errorOf([] { xb::readNpy("/nonexistent/w.npy"); }).find("cannot open"), std::string::npos);
  // A header that claims more elements than the file could hold (and would overflow a count).
  std::string header = "{'descr': '<f8', 'fortran_order': False, 'shape': (4611686018427387904, 8), }";
  std::string huge = std::string("\x93NUMPY\x01\x00", 8) + static_cast<char>(header.size()) + '\0' + header + "12345678";
  EXPECT_NE(errorOf([&] { xb::parseNpy(huge, "huge.npy"); }).find("is larger than the file"), std::string::npos);
  EXPECT_NE(errorOf([] {
              xb::loadNetwork({kData / "layer0.csv", kData / "layer1_bad.csv"}, xb::Activation{});
            }).find("layer 1 has 4 inputs but layer 0 has 2 outputs"),
            std::string::npos);
  EXPECT_NE(errorOf([] { xb::parseActivation("tanh"); }).find("expected relu, sigmoid or curve:FILE.csv"), std::string::npos);
}

TEST(XbarReaders, MnistFilesAreCheckedByteByByte) {
  fs::path dir = fs::temp_directory_path() / "xbar_bad_mnist";
  fs::create_directories(dir);
  std::ofstream(dir / "t10k-images-idx3-ubyte", std::ios::binary) << std::string("\x00\x00\x08\x03\x00\x00\x00\x01", 8);
  std::ofstream(dir / "t10k-labels-idx1-ubyte", std::ios::binary) << std::string("\x00\x00\x08\x01\x00\x00\x00\x01\x07", 9);
  EXPECT_NE(errorOf([&] { xb::loadMnist(dir, "t10k"); }).find("byte 0: file too short for an IDX header"), std::string::npos);
  EXPECT_NE(errorOf([&] { xb::loadMnist(dir / "missing", "t10k"); }).find("cannot open the MNIST image file"),
            std::string::npos);
  std::ofstream(dir / "t10k-images-idx3-ubyte", std::ios::binary)
      << std::string("\x00\x00\x08\x03\x00\x00\x00\x01\x00\x00\x00\x02\x00\x00\x00\x02\x01\x02\x03", 19);
  EXPECT_NE(errorOf([&] { xb::loadMnist(dir, "t10k"); }).find("byte 16: expected 4 data bytes after the header, the file has 3"),
            std::string::npos);
}

TEST(XbarMapping, LevelsErrorAndStuckDevices) {
  xb::Network net = randomNetwork({50, 40}, 3);
  xb::DeviceOptions o;
  o.bits = 3;
  auto m = xb::mapLayer(net.layers[0], o, 0);
  const double step = (o.gmax - o.gmin) / 7;
  for (double g : m.gpos) {
    double level = (g - o.gmin) / step;
    EXPECT_NEAR(level, std::round(level), 1e-9);
  }
  // Programming error: the RMS deviation from the analog targets is the requested fraction of
  // the range (clipping at gmin and gmax makes it a little smaller).
  xb::DeviceOptions analog, noisy;
  noisy.progError = 0.02;
  auto a = xb::mapLayer(net.layers[0], analog, 0), b = xb::mapLayer(net.layers[0], noisy, 0);
  double sum = 0;
  std::size_t n = 0;
  for (std::size_t i = 0; i < a.gpos.size(); ++i)
    for (auto [x, y] : {std::pair{a.gpos[i], b.gpos[i]}, std::pair{a.gneg[i], b.gneg[i]}})
      if (x > analog.gmin * 1.5 && x < analog.gmax * 0.9) {
        sum += (x - y) * (x - y);
        ++n;
      }
  double rms = std::sqrt(sum / static_cast<double>(n)) / (analog.gmax - analog.gmin);
  EXPECT_NEAR(rms, 0.02, 0.004);
  EXPECT_EQ(xb::mapLayer(net.layers[0], noisy, 0).gpos, b.gpos);  // seeded: reproducible
  xb::DeviceOptions stuck;
  stuck.stuckOn = 0.1;
  auto s = xb::mapLayer(net.layers[0], stuck, 0);
  std::size_t on = 0;
  for (double g : s.gpos) on += g == stuck.gmax;
  EXPECT_NEAR(static_cast<double>(on) / static_cast<double>(s.gpos.size()), 0.1, 0.03);
  EXPECT_NE(errorOf([] {
              xb::DeviceOptions bad;
              bad.gmax = bad.gmin / 2;
              xb::validate(bad);
            }).find("expected 0 < gmin < gmax"),
            std::string::npos);
}

// Ideal wires and devices: the circuit computes exactly the software network's pre-activations.
TEST(XbarCircuit, IdealTilesEqualTheSoftwareNetwork) {
  xb::Network net = randomNetwork({30, 12, 10}, 5);
  xb::Dataset data = randomImages(6, 30);
  xb::InferenceOptions o;
  o.array.tileRows = 8;  // 31 rows: tiles of 8, 8, 8, 7
  o.array.tileCols = 5;
  xb::CircuitNetwork circuit(net, o);
  auto results = circuit.run(data, 0, data.count);
  for (const auto& r : results) {
    ASSERT_TRUE(r.error.empty()) << r.error;
    auto software = net.forward(data.image(r.index)).back();
    for (std::size_t j = 0; j < software.size(); ++j) EXPECT_NEAR(r.outputs[j], software[j], 1e-5 * (1 + std::fabs(software[j])));
    EXPECT_GT(r.energy, 0);
  }
}

// With wire resistance, the three ways of solving a batch agree: response matrices (with
// 2 threads), warm-started Newton with reused factors, and every image from scratch. The
// IR drop makes the currents smaller than with ideal wires.
TEST(XbarCircuit, BatchedEqualsOneAtATimeAndWiresDropCurrent) {
  xb::Network net = randomNetwork({40, 16, 10}, 7);
  xb::Dataset data = randomImages(8, 40);
  xb::InferenceOptions o;
  o.array.rwire = 5;
  o.array.tileRows = 16;
  o.threads = 2;
  xb::CircuitNetwork response(net, o);
  o.threads = 1;
  o.solve = xb::SolveMode::Newton;
  xb::CircuitNetwork newton(net, o);
  o.solve = xb::SolveMode::Fresh;
  xb::CircuitNetwork fresh(net, o);
  auto a = response.run(data, 0, data.count), b = newton.run(data, 0, data.count), c = fresh.run(data, 0, data.count);
  for (std::size_t i = 0; i < a.size(); ++i) {
    for (std::size_t j = 0; j < a[i].outputs.size(); ++j) {
      EXPECT_NEAR(a[i].outputs[j], c[i].outputs[j], 1e-6 * (1 + std::fabs(c[i].outputs[j])));
      EXPECT_NEAR(b[i].outputs[j], c[i].outputs[j], 1e-6 * (1 + std::fabs(c[i].outputs[j])));
    }
    EXPECT_NEAR(a[i].energy, c[i].energy, 1e-6 * c[i].energy);
  }

  const memspice::engine::ModelRegistry& registry = builtinRegistry();
  xb::DeviceOptions dev;
  auto m = xb::mapLayer(net.layers[0], dev, 0);
  xb::ArrayOptions ideal, wired;
  wired.rwire = 20;
  xb::Tile t{0, 0, m.rows, 0, m.cols};
  xb::TileSolver si(m, t, ideal, registry), sw(m, t, wired, registry);
  EXPECT_TRUE(si.usesResponse());
  EXPECT_TRUE(sw.usesResponse());
  std::vector<double> vin(m.rows, 0.2), ci(t.bitLines()), cw(t.bitLines());
  double pi = 0, pw = 0;
  si.solve(vin, ci, pi);
  sw.solve(vin, cw, pw);
  for (std::size_t p = 0; p < ci.size(); ++p) EXPECT_LT(cw[p], ci[p]);
  EXPECT_LT(pw, pi);
}

// The exported deck is the circuit the tool solves: the engine, fed the deck text, gives the
// same sense currents.
TEST(XbarCircuit, ExportedDeckMatchesTheSolver) {
  xb::Network net = randomNetwork({20, 8, 10}, 11);
  xb::DeviceOptions dev;
  auto m = xb::mapLayer(net.layers[0], dev, 0);
  xb::ArrayOptions o;
  o.rwire = 2;
  o.tileRows = 10;
  o.tileCols = 4;
  auto tiles = xb::tilesOf(m, o, 0);
  ASSERT_EQ(tiles.size(), 6u);  // 21 rows in 10, 10, 1; 8 columns in 4, 4
  const xb::Tile& t = tiles[3];
  std::vector<double> vin(t.rows());
  for (std::size_t i = 0; i < vin.size(); ++i) vin[i] = 0.02 * static_cast<double>(i);
  const memspice::engine::ModelRegistry& registry = builtinRegistry();
  xb::TileSolver solver(m, t, o, registry, xb::SolveMode::Newton);
  std::vector<double> currents(t.bitLines());
  double power = 0;
  solver.solve(vin, currents, power);
  std::string deck = xb::tileDeck(m, t, o, vin, true);
  EXPECT_NE(deck.find(".op"), std::string::npos);
  EXPECT_NE(deck.find(".print dc i(vs0)"), std::string::npos);
  auto fromDeck = deckSenseCurrents(deck, currents.size());
  ASSERT_EQ(fromDeck.size(), currents.size());
  for (std::size_t p = 0; p < currents.size(); ++p) EXPECT_NEAR(fromDeck[p], currents[p], 1e-15 + 1e-9 * std::fabs(currents[p]));
  EXPECT_GT(power, 0);
}

// Training on 3000 MNIST images for two epochs: well above chance on the first 1000 test images,
// and the same seed gives the same network.
TEST(XbarTraining, LearnsMnistAndIsReproducible) {
  if (!fs::exists(kMnist / "t10k-labels-idx1-ubyte")) GTEST_SKIP() << "no MNIST in data/mnist (run scripts/setup.sh)";
  xb::Dataset train = xb::loadMnist(kMnist, "train", 3000), test = xb::loadMnist(kMnist, "t10k", 1000);
  xb::TrainOptions o;
  o.sizes = {784, 64, 10};
  o.epochs = 2;
  auto a = xb::train(train, o);
  EXPECT_GT(xb::accuracy(a, test), 0.80);
  EXPECT_EQ(xb::train(train, o).layers[0].w, a.layers[0].w);
  o.act.kind = xb::Activation::Kind::Sigmoid;
  EXPECT_GT(xb::accuracy(xb::train(train, o), test), 0.70);
}

// 1T1R cells: the access transistor adds series resistance, so every bit-line current falls,
// and the tile is nonlinear, so it is not answered from response matrices but by Newton.
TEST(XbarCircuit, OneTransistorOneResistorCells) {
  xb::Network net = randomNetwork({20, 6, 10}, 13);
  xb::DeviceOptions dev;
  auto m = xb::mapLayer(net.layers[0], dev, 0);
  const memspice::engine::ModelRegistry& registry = builtinRegistry();
  xb::ArrayOptions r1, t1;
  r1.rwire = t1.rwire = 1;
  t1.oneT1R = true;
  t1.accessW = 1e-7;  // W/L = 1: about 1/(kp 1.3 V) = 3.8 kohm in series, against cells of 10k..1M
  xb::Tile t{0, 0, m.rows, 0, m.cols};
  EXPECT_NE(xb::tileDeck(m, t, t1, std::vector<double>(m.rows, 0.0), false).find("mc0_0 m0_0 sel b0_0 0 xbar_acc"),
            std::string::npos);
  xb::TileSolver a(m, t, r1, registry), b(m, t, t1, registry);
  EXPECT_TRUE(a.usesResponse());
  EXPECT_FALSE(b.usesResponse());
  std::vector<double> vin(m.rows, 0.2), ia(t.bitLines()), ib(t.bitLines());
  double pa = 0, pb = 0;
  a.solve(vin, ia, pa);
  b.solve(vin, ib, pb);
  for (std::size_t p = 0; p < ia.size(); ++p) {
    EXPECT_LT(ib[p], ia[p]);
    EXPECT_GT(ib[p], 0.5 * ia[p]);
  }
  EXPECT_LT(pb, pa);
}

// A driver with output resistance R feeds row i through R: with ideal lines (bit lines at the
// virtual ground) the row's node sits at v_i / (1 + R sum_p G_ip), and every cell carries its G
// times that. The tile stays linear, so response matrices answer it, as its exported deck does.
TEST(XbarCircuit, DriverOutputResistanceDividesEachRowsVoltage) {
  xb::Network net = randomNetwork({20, 6, 10}, 17);
  auto m = xb::mapLayer(net.layers[0], xb::DeviceOptions{}, 0);
  xb::ArrayOptions o;
  o.rdriver = 500;
  xb::Tile t{0, 0, m.rows, 0, m.cols};
  xb::TileSolver s(m, t, o, builtinRegistry());
  EXPECT_TRUE(s.usesResponse());
  std::vector<double> vin, currents(t.bitLines());
  for (std::size_t i = 0; i < m.rows; ++i) vin.push_back(0.01 * static_cast<double>(i % 7 + 1));
  double power = 0, expectedPower = 0;
  s.solve(vin, currents, power);
  std::vector<double> expected(t.bitLines(), 0.0);
  for (std::size_t i = 0; i < m.rows; ++i) {
    double sum = 0;
    for (std::size_t k = i * m.cols; k < (i + 1) * m.cols; ++k) sum += m.gpos[k] + m.gneg[k];
    const double node = vin[i] / (1 + o.rdriver * sum);
    for (std::size_t c = 0; c < m.cols; ++c) {
      expected[2 * c] += m.gpos[i * m.cols + c] * node;
      expected[2 * c + 1] += m.gneg[i * m.cols + c] * node;
    }
    expectedPower += vin[i] * sum * node;  // the source delivers to R and the cells alike
  }
  for (std::size_t p = 0; p < currents.size(); ++p) EXPECT_NEAR(currents[p], expected[p], 1e-9 * expected[p]) << p;
  EXPECT_NEAR(power, expectedPower, 1e-9 * expectedPower);
  const std::string deck = xb::tileDeck(m, t, o, vin, true);
  EXPECT_NE(deck.find("rdr0 dac0 in0 500\n"), std::string::npos);
  auto fromDeck = deckSenseCurrents(deck, currents.size());
  ASSERT_EQ(fromDeck.size(), currents.size());
  for (std::size_t p = 0; p < currents.size(); ++p) EXPECT_NEAR(fromDeck[p], currents[p], 1e-9 * currents[p]);
  o.rdriver = -1;
  EXPECT_NE(errorOf([&] { xb::validate(o); }).find("rdriver: expected 0 or a positive resistance"), std::string::npos);
}
