// Edge detection through a crossbar and neuron circuits (the mReLU paper's Fig. 5), and the PGM
// images it reads and writes.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "edges.hpp"
#include "pgm.hpp"
#include "xbar_error.hpp"

namespace xb = memspice::xbar;
namespace fs = std::filesystem;

namespace {

xb::EdgeOptions options(double rwire) {
  xb::EdgeOptions o;
  o.array.rwire = rwire;
  o.neuron = xb::parseNeuronSpec((fs::path(MEMSPICE_SOURCE_DIR) / "netlists/xbar_neurons.lib:relu_mirror").string());
  o.neuron.zmax = 4;
  return o;
}

// A dark left half and a bright right half, with a bright bar along the bottom.
xb::GrayImage steps() {
  xb::GrayImage image{12, 10, std::vector<float>(120)};
  for (std::size_t y = 0; y < 10; ++y)
    for (std::size_t x = 0; x < 12; ++x) image.pixels[y * 12 + x] = x >= 6 || y >= 8 ? 0.8f : 0.1f;
  return image;
}

}  // namespace

// With ideal wires, the neuron's input is the software convolution times iunit, and the output
// is the neuron's own transfer of it: zero where the kernel's response is negative.
TEST(XbarEdges, IdealCrossbarGivesTheConvolution) {
  xb::EdgeRun run = xb::detectEdges(steps(), xb::standardEdgeKernels(), options(0));
  ASSERT_EQ(run.maps.size(), 2u);
  for (const auto& m : run.maps)
    for (std::size_t k = 0; k < m.current.size(); ++k) {
      EXPECT_NEAR(m.current[k], m.preActivation[k] * 1e-6, 1e-12) << m.kernel << " " << k;
      EXPECT_NEAR(m.vout[k], run.table(m.current[k]), 1e-12);
    }
  const auto& vertical = run.maps[1];
  // Inside the rising vertical edge (x = 5, 6; row 3) the vertical kernel fires: 3 x 0.7.
  EXPECT_NEAR(vertical.preActivation[3 * 12 + 5], 2.1, 1e-6);
  EXPECT_GT(vertical.vout[3 * 12 + 5], 0.3);
  // In the flat dark area nothing fires; the zero padding at the right border gives a falling
  // edge, which the ReLU neuron rectifies.
  EXPECT_NEAR(vertical.preActivation[3 * 12 + 2], 0, 1e-6);
  EXPECT_LT(vertical.vout[3 * 12 + 2], 1e-4);
  EXPECT_LT(vertical.preActivation[3 * 12 + 11], -2);
  EXPECT_LT(vertical.vout[3 * 12 + 11], 1e-4);
  // The lateral kernel sees the bottom bar's upper edge (rows 7 and 8), the vertical one does not there.
  EXPECT_GT(run.maps[0].preActivation[7 * 12 + 2], 1.5);
  EXPECT_NEAR(vertical.preActivation[7 * 12 + 2], 0, 1e-6);
}

// Wire resistance (100 ohm per segment against 10 kohm cells) lowers the column currents by some
// 10 %; the edges stay.
TEST(XbarEdges, WireResistanceShrinksTheResponse) {
  xb::EdgeRun ideal = xb::detectEdges(steps(), xb::standardEdgeKernels(), options(0));
  xb::EdgeRun wired = xb::detectEdges(steps(), xb::standardEdgeKernels(), options(100));
  const std::size_t at = 3 * 12 + 5;
  EXPECT_LT(wired.maps[1].current[at], ideal.maps[1].current[at]);
  EXPECT_GT(wired.maps[1].current[at], 0.8 * ideal.maps[1].current[at]);
}

TEST(XbarPgm, ReadsWritesAndResamples) {
  xb::GrayImage image = steps();
  const fs::path file = fs::temp_directory_path() / "memspice_edges_test.pgm";
  xb::writePgm(file, image);
  xb::GrayImage back = xb::readPgm(file);
  ASSERT_EQ(back.width, 12u);
  ASSERT_EQ(back.height, 10u);
  for (std::size_t k = 0; k < image.pixels.size(); ++k) EXPECT_NEAR(back.pixels[k], image.pixels[k], 0.5 / 255);
  // Halving averages 2 x 2 blocks; the mean brightness is kept by any resampling.
  xb::GrayImage half = xb::resample(image, 6, 5);
  EXPECT_NEAR(half.at(0, 0), 0.1, 1e-6);
  EXPECT_NEAR(half.at(4, 0), 0.8, 1e-6);
  xb::GrayImage odd = xb::resample(image, 7, 3);
  double a = 0, b = 0;
  for (float p : image.pixels) a += p / 120.0;
  for (float p : odd.pixels) b += p / 21.0;
  EXPECT_NEAR(a, b, 1e-6);
  fs::remove(file);
}

TEST(XbarPgm, BadFilesSayWhereAndWhat) {
  auto message = [](std::string_view bytes) {
    try {
      xb::parsePgm(bytes, "x.pgm");
    } catch (const xb::XbarError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message("P6\n2 2\n255\n...."), "x.pgm: byte 0: expected a binary PGM image (starting 'P5')");
  EXPECT_EQ(message("P5\n2 x\n255\n"), "x.pgm: byte 5: expected the height (a positive whole number) in the PGM header");
  EXPECT_EQ(message("P5\n2 2\n65535\n"), "x.pgm: maximum grey value 65535: only 8-bit PGM (at most 255) is read");
  EXPECT_EQ(message("P5 # c\n2 2 255\nab"), "x.pgm: byte 15: expected 2 x 2 = 4 pixel bytes, the file holds 2");
  EXPECT_THROW(xb::readPgm("/nonexistent/x.pgm"), xb::XbarError);
}
