// Xyce regression decks with YMEMRISTOR devices, run unchanged (tests/xyce/*.cir, copied from
// Xyce_Regression Netlists/MEMRISTOR), checked as Xyce checks them:
//  - TEAM: against Xyce's gold output (a selection of its rows in tests/xyce/gold), with
//    xyce_verify.pl's integrated error norm sqrt(mean over time of ((g - t)/(reltol |g| + abstol))^2)
//    and reltol = 2 %;
//  - Yakopcic: the built-in level-3 device against the deck's own behavioural subcircuit, with
//    the tolerances of the deck's .sh check (abs 5e-4 + rel 5e-4, point by point).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "support/sim_helpers.hpp"

namespace memspice {
namespace {

// The deck (unchanged) with every integrator step in the output, so the comparison
// interpolates between close points.
std::string deckBody(const std::string& name) { return ".options internalpoints\n" + test::deckBody("tests/xyce/" + name); }

// A table of Xyce's .prn rows, in windows separated by blank lines.
struct Gold {
  std::vector<std::string> columns;                       // TIME, V(N1), ...
  std::vector<std::vector<std::vector<double>>> windows;  // window -> row -> column
};

Gold readGold(const std::string& path) {
  Gold g;
  std::ifstream in(path);
  std::string line;
  g.windows.emplace_back();
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '*') {
      if (line.empty() && !g.windows.back().empty()) g.windows.emplace_back();
      continue;
    }
    std::istringstream fields(line);
    if (line.rfind("Index", 0) == 0) {
      std::string c;
      fields >> c;
      while (fields >> c) g.columns.push_back(c);
      continue;
    }
    double index;
    fields >> index;
    std::vector<double> row;
    for (double v; fields >> v;) row.push_back(v);
    g.windows.back().push_back(row);
  }
  if (g.windows.back().empty()) g.windows.pop_back();
  return g;
}

double interpolate(const std::vector<double>& t, const std::vector<double>& y, double at) {
  auto hi = std::lower_bound(t.begin(), t.end(), at);
  if (hi == t.begin()) return y.front();
  if (hi == t.end()) return y.back();
  auto k = static_cast<std::size_t>(hi - t.begin());
  double w = (at - t[k - 1]) / (t[k] - t[k - 1]);
  return y[k - 1] + w * (y[k] - y[k - 1]);
}

// xyce_verify.pl's transient norm over the gold windows: the trapezoid-rule integral of the
// squared scaled error divided by the time covered.
double errorNorm(const Gold& gold, std::size_t col, const std::vector<double>& t, const std::vector<double>& y,
                 double reltol, double abstol) {
  double integral = 0, span = 0;
  for (const auto& rows : gold.windows) {
    auto e2 = [&](const std::vector<double>& r) {
      double g = r[col], e = (g - interpolate(t, y, r[0])) / (reltol * std::fabs(g) + abstol);
      return e * e;
    };
    for (std::size_t k = 1; k < rows.size(); ++k) {
      double dt = rows[k][0] - rows[k - 1][0];
      integral += 0.5 * dt * (e2(rows[k]) + e2(rows[k - 1]));
      span += dt;
    }
  }
  return std::sqrt(integral / span);
}

TEST(XyceDecks, TeamMatchesXyceGoldWithinTwoPercent) {
  auto r = test::run(deckBody("memristorTEAM_test.cir"));
  ASSERT_TRUE(r.errors.empty()) << r.errors.front();
  Gold gold = readGold(std::string(MEMSPICE_SOURCE_DIR) + "/tests/xyce/gold/memristorTEAM_test.cir.prn");
  ASSERT_EQ(gold.windows.size(), 4u);
  std::vector<double> t = test::column(r, "time");
  // Gold column -> memspice vector, and the abstol of the deck's *COMP line (the state's is
  // in nm, the current's in A); the resistance has none.
  struct Check {
    const char* gold;
    const char* ours;
    double abstol;
  };
  for (const Check& c : {Check{"V(N2)", "v(n2)", 1e-5}, Check{"I(RPTG)", "i(rptg)", 1e-6},
                         Check{"N(YMEMRISTOR!MR1_X)", "ymemristor!mr1#x", 0.01},
                         Check{"N(YMEMRISTOR!MR1:R)", "ymemristor!mr1:r", 1e-3}}) {
    auto col = std::find(gold.columns.begin(), gold.columns.end(), c.gold);
    ASSERT_NE(col, gold.columns.end()) << c.gold;
    std::vector<double> y = test::column(r, c.ours);
    ASSERT_EQ(y.size(), t.size()) << c.ours;
    double e = errorNorm(gold, static_cast<std::size_t>(col - gold.columns.begin()), t, y, 0.02, c.abstol);
    EXPECT_LE(e, 1.0) << c.gold << ": xyce_verify norm " << e;
    // Printed so the note can quote the margin (ctest -V -R XyceDecks).
    std::printf("%-22s xyce_verify norm at reltol 2%%: %.3g\n", c.gold, e);
  }
  // The first reset (x falling through 0.2 nm): Xyce places it at 538.1026 us.
  std::vector<double> x = test::column(r, "ymemristor!mr1#x");
  double reset = -1;
  for (std::size_t k = 1; k < x.size(); ++k)
    if (x[k - 1] > 0.2 && x[k] <= 0.2) {
      reset = t[k - 1] + (0.2 - x[k - 1]) / (x[k] - x[k - 1]) * (t[k] - t[k - 1]);
      break;
    }
  EXPECT_NEAR(reset, 538.1026e-6, 0.5e-6);
}

TEST(XyceDecks, YakopcicDeviceMatchesItsBehaviouralSubcircuit) {
  auto r = test::run(deckBody("memristorYakopcic.cir"));
  ASSERT_TRUE(r.errors.empty()) << r.errors.front();
  auto compare = [&](const char* a, const char* b) {
    std::vector<double> ya = test::column(r, a), yb = test::column(r, b);
    ASSERT_FALSE(ya.empty()) << a;
    ASSERT_EQ(ya.size(), yb.size());
    double worst = 0;
    for (std::size_t k = 0; k < ya.size(); ++k)
      worst = std::max(worst, std::fabs(ya[k] - yb[k]) / (5e-4 + 5e-4 * std::fabs(yb[k])));
    EXPECT_LE(worst, 1.0) << a << " vs " << b;
  };
  compare("v(n1,n2)", "v(n1,n3)");
  compare("i(ymemristor!mr1)", "i(rptg2)");
  compare("ymemristor!mr1#x", "v(n4)");
  // The state must actually move (0.11 at the start) for the comparison to mean something.
  std::vector<double> x = test::column(r, "ymemristor!mr1#x");
  auto [lo, hi] = std::minmax_element(x.begin(), x.end());
  EXPECT_GT(*hi - *lo, 0.05);
}

}  // namespace
}  // namespace memspice
