// Read noise: every read of a layer sees its devices at freshly drawn conductances, the circuit
// is solved with them, and the draws are reproducible whatever the threads.
#include <gtest/gtest.h>

#include <cmath>

#include "crossbar.hpp"
#include "inference.hpp"
#include "mapping.hpp"
#include "xbar_support.hpp"

namespace xb = memspice::xbar;
using namespace memspice::xbar::test;

// The factors have mean 1 and the requested RMS, and depend on (seed, layer, read, device) only.
TEST(XbarReadNoise, DrawsHaveTheRequestedSpreadAndAreKeyedPerRead) {
  xb::DeviceOptions o;
  o.readNoise = 0.05;
  const xb::ReadDraw a = xb::readDraw(o, 1, 7);
  const std::size_t n = 40000;
  double sum = 0, sq = 0;
  for (std::size_t d = 0; d < n; ++d) {
    double e = a.factor(d) - 1;
    sum += e;
    sq += e * e;
  }
  EXPECT_NEAR(sum / n, 0, 4 * 0.05 / std::sqrt(n));
  EXPECT_NEAR(std::sqrt(sq / n), 0.05, 0.002);
  const xb::ReadDraw again = xb::readDraw(o, 1, 7), nextRead = xb::readDraw(o, 1, 8), otherLayer = xb::readDraw(o, 2, 7);
  std::size_t sameRead = 0, sameNext = 0, sameLayer = 0;
  for (std::size_t d = 0; d < 100; ++d) {
    sameRead += again.factor(d) == a.factor(d);
    sameNext += nextRead.factor(d) == a.factor(d);
    sameLayer += otherLayer.factor(d) == a.factor(d);
  }
  EXPECT_EQ(sameRead, 100u);
  EXPECT_EQ(sameNext, 0u);
  EXPECT_EQ(sameLayer, 0u);
  o.readNoise = 0;
  EXPECT_EQ(xb::readDraw(o, 1, 7).factor(3), 1.0);
  o.readNoise = 1;
  EXPECT_NE(errorOf([&] { xb::validate(o); }).find("read noise: expected a fraction in [0, 1), got 1"), std::string::npos);
}

// With ideal wires a read's column currents are sum_i v_i g_i factor_i exactly; with wires the
// solver gives what the engine gives on the exported deck of that read.
TEST(XbarReadNoise, EachReadSolvesTheCircuitWithItsConductances) {
  xb::Network net = randomNetwork({12, 5, 10}, 3);
  xb::DeviceOptions dev;
  dev.readNoise = 0.1;
  auto m = xb::mapLayer(net.layers[0], dev, 0);
  xb::Tile t{0, 0, m.rows, 0, m.cols};
  std::vector<double> vin(m.rows);
  for (std::size_t i = 0; i < vin.size(); ++i) vin[i] = 0.01 * static_cast<double>(i + 1);
  const memspice::engine::ModelRegistry& registry = builtinRegistry();
  const xb::ReadDraw read = xb::readDraw(dev, 0, 4);

  xb::ArrayOptions ideal;
  xb::TileSolver solver(m, t, ideal, registry, xb::SolveMode::Response, true);
  EXPECT_FALSE(solver.usesResponse());  // the circuit changes from read to read
  std::vector<double> currents(t.bitLines()), quiet(t.bitLines());
  double power = 0;
  solver.solve(vin, currents, power, &read);
  double largest = 0;
  for (std::size_t p = 0; p < currents.size(); ++p) {
    double expected = 0, programmed = 0;
    for (std::size_t i = 0; i < m.rows; ++i) {
      std::size_t k = i * m.cols + p / 2;
      double g = p % 2 == 0 ? m.gpos[k] : m.gneg[k];
      expected += vin[i] * g * read.factor(2 * k + p % 2);
      programmed += vin[i] * g;
    }
    EXPECT_NEAR(currents[p], expected, 1e-9 * expected);
    largest = std::max(largest, std::fabs(expected - programmed) / programmed);
  }
  EXPECT_GT(largest, 0.01);  // the noise is there
  // Another read of the same inputs: other currents; the first read again: the same ones.
  const xb::ReadDraw other = xb::readDraw(dev, 0, 5);
  solver.solve(vin, quiet, power, &other);
  EXPECT_NE(quiet, currents);
  solver.solve(vin, quiet, power, &read);
  for (std::size_t p = 0; p < currents.size(); ++p) EXPECT_NEAR(quiet[p], currents[p], 1e-12 * currents[p]);

  xb::ArrayOptions wired;
  wired.rwire = 3;
  xb::TileSolver wiredSolver(m, t, wired, registry, xb::SolveMode::Response, true);
  wiredSolver.solve(vin, currents, power, &read);
  auto fromDeck = deckSenseCurrents(xb::tileDeck(m, t, wired, vin, true, &read), currents.size());
  ASSERT_EQ(fromDeck.size(), currents.size());
  for (std::size_t p = 0; p < currents.size(); ++p) EXPECT_NEAR(fromDeck[p], currents[p], 1e-15 + 1e-9 * std::fabs(currents[p]));
}

// Inference with read noise: each image has its own reads, so the outputs do not depend on the
// thread count or on which other images run; without noise they are the noiseless network's.
TEST(XbarReadNoise, InferenceIsReproducibleAcrossThreadsAndSlices) {
  xb::Network net = randomNetwork({20, 8, 10}, 9);
  xb::Dataset data = randomImages(6, 20);
  xb::InferenceOptions o;
  o.array.rwire = 2;
  o.array.tileRows = 8;
  xb::CircuitNetwork quiet(net, o);
  o.devices.readNoise = 0.05;
  xb::CircuitNetwork one(net, o);
  o.threads = 3;
  xb::CircuitNetwork three(net, o);
  auto q = quiet.run(data, 0, data.count), a = one.run(data, 0, data.count), b = three.run(data, 0, data.count);
  auto tail = one.run(data, 4, data.count);
  for (std::size_t i = 0; i < a.size(); ++i) {
    ASSERT_TRUE(a[i].error.empty()) << a[i].error;
    ASSERT_TRUE(b[i].error.empty()) << b[i].error;
    double moved = 0;
    for (std::size_t j = 0; j < a[i].outputs.size(); ++j) {
      EXPECT_NEAR(a[i].outputs[j], b[i].outputs[j], 1e-9 * (1 + std::fabs(a[i].outputs[j])));
      moved = std::max(moved, std::fabs(a[i].outputs[j] - q[i].outputs[j]) / (1 + std::fabs(q[i].outputs[j])));
    }
    EXPECT_GT(moved, 1e-3) << "image " << i;  // the noise reaches the logits ...
    EXPECT_LT(moved, 0.5) << "image " << i;   // ... as a perturbation
  }
  for (std::size_t i = 0; i < tail.size(); ++i)
    for (std::size_t j = 0; j < tail[i].outputs.size(); ++j)
      EXPECT_NEAR(tail[i].outputs[j], a[4 + i].outputs[j], 1e-9 * (1 + std::fabs(a[4 + i].outputs[j])));
}
