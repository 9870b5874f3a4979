// Raw files: what writeRaw writes, readRaw reads back (binary and ASCII), and the header is
// ngspice's.
#include <gtest/gtest.h>

#include <sstream>

#include "output/raw_reader.hpp"
#include "output/writers.hpp"

namespace {

using namespace memspice::engine;

Plot sample() {
  Plot p{"My Deck", "DC transfer characteristic", {{"v(v-sweep)", "voltage"}, {"v(out)", "voltage"}, {"i(v1)", "current"}}, {}};
  for (int k = 0; k < 3; ++k) p.data.insert(p.data.end(), {k * 0.5, k * 0.375, -k * 1.25e-4});
  return p;
}

TEST(RawFile, AsciiHeaderIsNgspices) {
  std::ostringstream out;
  writeRaw(out, {sample()}, true);
  std::string text = out.str();
  EXPECT_EQ(text.rfind("Title: my deck\nDate: ", 0), 0u);
  EXPECT_NE(text.find("\nPlotname: DC transfer characteristic\nFlags: real\nNo. Variables: 3\nNo. Points: 3       \n"
                      "Variables:\n\t0\tv(v-sweep)\tvoltage\n\t1\tv(out)\tvoltage\n\t2\ti(v1)\tcurrent\nValues:\n"
                      "0\t\t0.000000000000000e+00\n\t0.000000000000000e+00\n"),
            std::string::npos)
      << text;
}

TEST(RawFile, RoundTrip) {
  for (bool ascii : {true, false}) {
    std::stringstream io;
    writeRaw(io, {sample(), sample()}, ascii);
    RawFile back = readRaw(io);
    ASSERT_TRUE(back.error.empty()) << back.error;
    ASSERT_EQ(back.plots.size(), 2u);
    EXPECT_EQ(back.plots[1].vars[2].name, "i(v1)");
    EXPECT_EQ(back.plots[1].data, sample().data);
  }
}

}  // namespace
