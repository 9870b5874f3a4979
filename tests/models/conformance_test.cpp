// Conformance of every built-in device: at random local operating points, the Jacobians a
// device reports must match central finite differences of its own f and q:
//   G[k] = d f[row_k] / d x[col_k],   C[k] = d q[row_k] / d x[col_k]
// and every (row, col) with a non-zero derivative must be in its stamp; a device that is
// charge-free (Device::chargeFree) must have q = 0 and C = 0.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <map>
#include <random>

#include "frontend.hpp"
#include "register_builtin.hpp"

namespace {

using namespace memspice;

struct Case {
  std::string name;
  std::string deck;    // the device under test is the first instance
  double spread;       // local unknowns drawn uniformly from [-spread, spread]
  std::vector<double> centre = {};  // added to the local unknowns in order (e.g. a gap state > 0)
  bool dc = false;                   // the DC form of the equations (outside integration)
};

std::vector<Case> cases() {
  const std::string base = "V9 n9 0 1\nL9 n9 0 1u\n";
  return {
      {"resistor", "R1 a b 1k tc1=1m\n", 5},
      {"capacitor", "C1 a b 1n\n", 5},
      {"inductor", "L1 a b 1u\n", 5},
      {"coupling", "K1 L1 L2 0.9\nL1 a 0 1u\nL2 b 0 4u\n", 1},
      {"vsource", "V1 a b 1\n", 5},
      {"isource", "I1 a b 1m\n", 5},
      // Source-measure units: currents and voltages drawn across both compliance knees.
      {"vsource_icomp", "V1 a b 0.5 icomp=1 rcomp=20\n", 1.5},
      {"isource_vcomp", "I1 a b 1m vcomp=1 gcomp=10\n", 1.5},
      // The gap (third unknown, nm) is drawn around 1 nm, across gmin and up to grest.
      {"vtg", "N1 a b mr\n.model mr vtg gleak=1e-9 i0n=1e-4 v0n=0.3\n", 0.8, {0, 0, 1.0}},
      {"igzo", "N1 d g s tft\n.model tft igzo gamma=0.3 lambda=0.02 ioff=1e-12 goff=1e-12\n", 2.5},
      {"igzo_square_law", "N1 d g s tft\n.model tft igzo gamma=0 vth=-0.2 ss=0.3\n", 2.5},
      {"vtg_dc", "N1 a b mr\n.model mr vtg gleak=1e-9 i0n=1e-4 v0n=0.3\n", 0.8, {0, 0, 1.0}, true},
      {"vtg_nonvolatile", "N1 a b mr\n.model mr vtg volatile=0\n", 0.8, {0, 0, 1.0}},
      // Memristor states (third unknown) drawn inside their ranges: TEAM/VTEAM x in nm
      // (xscaling=1e9) around 1.5 nm, Yakopcic x in [0.05, 0.95].
      {"team_xyce", "Ymemristor m1 a b mt\n.model mt memristor level=2 ron=50 roff=1000 koff=1.46e-18 kon=-4.68e-22 "
                    "alphaoff=10 alphaon=10 wc=1e-12 ioff=115e-6 ion=-8.9e-6 xscaling=1e9 wt=4\n", 1, {0, 0, 1.5}},
      {"team_joglekar_exp", "N1 a b mt\n.model mt team xscaling=1e9 wt=1 d=3 p=2 ivrelation=1\n", 1, {0, 0, 1.5}},
      {"team_biolek", "N1 a b mt\n.model mt team xscaling=1e9 wt=2 d=3 p=1\n", 1, {0, 0, 1.5}},
      {"vteam", "N1 a b mv\n.model mv vteam xscaling=1e9 kon=-10 koff=5e-4 alphaon=3 alphaoff=1 von=-0.2 voff=0.02 "
                "wt=4 aon=0 aoff=3e-9 wc=1e-10\n", 1, {0, 0, 1.5}},
      {"yakopcic", "Ymemristor m1 a b my\n.model my memristor level=3 a1=0.17 a2=0.17 b=0.05 vp=0.16 vn=0.15 "
                   "ap=4000 an=4000 xp=0.3 xn=0.5 alphap=1 alphan=5 eta=1\n", 0.45, {0, 0, 0.5}},
      // Stanford/PKU: voltages up to 1.5 V (over the field threshold), gap around 1 nm.
      {"stanford_rram", "N1 a b mr\n.model mr stanford_rram\n", 1.5, {0, 0, 1.0}},
      {"stanford_rram_near_bounds", "N1 a b mr\n.model mr stanford_rram gap_smooth=0.1n\n", 0.6, {0, 0, 1.1}},
      {"perovskite", "N1 a b pv\n.model pv perovskite\n", 1, {0, 0, 0.5}},
      // NDR across its peak and valley; ECRAM ion content (last unknown) around 0.5.
      {"ndr", "N1 a b nd\n.model nd ndr gpeak=2e-5\n", 1.5},
      {"ecram", "N1 d g s ec\n.model ec ecram\n", 0.4, {0, 0, 0, 0.5}},
      {"ndr_ecram", "N1 a k g ne\n.model ne ndr_ecram\n", 0.4, {0.4, 0, 0, 0.5}},
      {"switch", "S1 a b c d sw\n.model sw sw vt=0.5 vh=0.1 ron=10 roff=1meg\n", 1},
      {"vcvs", "E1 a b c d 3\n", 5},
      {"vccs", "G1 a b c d 2m\n", 5},
      {"cccs", "F1 a b V9 2\n" + base, 1},
      {"ccvs", "H1 a b V9 100\n" + base, 1},
      {"diode", "D1 a b dm\n.model dm d is=1e-14 n=1.2 cjo=1p tt=1n\n", 0.8},
      {"diode_rs", "D1 a b dm\n.model dm d is=1e-12 rs=5 cjo=2p m=0.4 vj=0.8\n", 0.8},
      {"diode_reverse", "D1 a b dm\n.model dm d is=1e-14 bv=5\n", 6},
      // The 1N4007 card of VACASK's rectifier benchmarks, across forward bias (past fc*vj).
      {"diode_1n4007", "D1 a b dm\n.model dm d is=76.9p rs=42.0m bv=1.00k ibv=5.00u cjo=26.5p m=0.333 n=1.45\n",
       0.7, {0.5, 0, 0}},
      {"b_current", "B1 a b I=1m*tanh(v(a,b)*3) + 1e-4*v(c)^2 - 2*i(V9) + max(v(c), v(a))*sin(time*1e9)\n"
                    "R1 c 0 1\n" + base, 1},
      {"b_voltage", "B1 a b V=exp(v(c)/2) * pwr(v(a), 1.5) + limit(v(c), -0.3, 0.3) + sqrt(abs(v(c))+1)\n"
                    "R1 c 0 1\n", 1},
      {"e_value", "E1 a b value={v(c) > 0 ? v(c)*v(c) : -v(c)}\nR1 c 0 1\n", 1},
      {"nmos", "M1 d g s b nch w=10u l=1u\n.model nch nmos vto=0.7 kp=1e-4 gamma=0.4 phi=0.65 lambda=0.05 "
               "cbd=1f cbs=1f cgso=1e-10 cgdo=1e-10 cgbo=1e-11\n", 3},
      {"pmos", "M1 d g s b pch w=20u l=2u ad=1p as=1p pd=4u\n.model pch pmos vto=-0.8 kp=4e-5 gamma=0.5 lambda=0.02 "
               "cj=1e-4 cjsw=1e-10\n", 3},
  };
}

class Conformance : public testing::TestWithParam<Case> {};

TEST_P(Conformance, JacobiansMatchFiniteDifferences) {
  const Case& c = GetParam();
  auto fe = loadDeckText("conformance.cir", "t\n" + c.deck, MemoryFileProvider{});
  ASSERT_TRUE(fe.circuit) << fe.report();
  engine::ModelRegistry registry;
  models::registerBuiltinModels(registry);
  auto device = registry.create(fe.circuit->instances[0], *fe.circuit);
  const std::size_t n = device->terminalCount() + device->internals().size();
  const auto stamp = device->stamp();
  // An entry may be listed more than once (the engine adds them), so sum per (row, col).
  std::map<std::pair<int, int>, std::vector<std::size_t>> where;
  for (std::size_t k = 0; k < stamp.size(); ++k) where[{stamp[k].row, stamp[k].col}].push_back(k);

  std::mt19937 rng(1234);
  std::uniform_real_distribution<double> draw(-c.spread, c.spread);
  engine::EvalContext ctx;
  ctx.transient = !c.dc;
  ctx.integrating = !c.dc;  // the state equations themselves, unless the case is about their DC form
  ctx.time = 1e-9;
  auto eval = [&](const std::vector<double>& x, std::vector<double>& f, std::vector<double>& q,
                  std::vector<double>& G, std::vector<double>& C) {
    f.assign(n, 0);
    q.assign(n, 0);
    G.assign(stamp.size(), 0);
    C.assign(stamp.size(), 0);
    engine::EvalOutput out{f, q, G, C};
    device->eval(x, ctx, out);
  };
  for (int trial = 0; trial < 50; ++trial) {
    std::vector<double> x(n);
    for (std::size_t k = 0; k < n; ++k) x[k] = draw(rng) + (k < c.centre.size() ? c.centre[k] : 0.0);
    std::vector<double> f, q, G, C;
    eval(x, f, q, G, C);
    // A device that says it is charge-free has its q and C dropped by the engine.
    if (device->chargeFree()) {
      for (double v : q) EXPECT_EQ(v, 0.0) << c.name << " says it is charge-free, but has a charge";
      for (double v : C) EXPECT_EQ(v, 0.0) << c.name << " says it is charge-free, but has a capacitance";
    }
    for (std::size_t col = 0; col < n; ++col) {
      double h = 1e-7 * std::max(1.0, std::fabs(x[col]));
      std::vector<double> xp = x, xm = x, fp, qp, fm, qm, scratch1, scratch2;
      xp[col] += h;
      xm[col] -= h;
      eval(xp, fp, qp, scratch1, scratch2);
      eval(xm, fm, qm, scratch1, scratch2);
      for (std::size_t row = 0; row < n; ++row) {
        double dfdx = (fp[row] - fm[row]) / (2 * h), dqdx = (qp[row] - qm[row]) / (2 * h);
        auto it = where.find({static_cast<int>(row), static_cast<int>(col)});
        double g = 0, cap = 0;
        if (it != where.end())
          for (std::size_t k : it->second) {
            g += G[k];
            cap += C[k];
          }
        // Rounding noise of a central difference: a few ulps of the values over 2h.
        const double eps = std::numeric_limits<double>::epsilon();
        double fNoise = 100 * eps * (std::fabs(fp[row]) + std::fabs(fm[row])) / (2 * h);
        double qNoise = 100 * eps * (std::fabs(qp[row]) + std::fabs(qm[row])) / (2 * h);
        EXPECT_NEAR(g, dfdx, 1e-5 * std::fabs(dfdx) + fNoise + 1e-15)
            << c.name << " dF[" << row << "]/dx[" << col << "] at trial " << trial;
        EXPECT_NEAR(cap, dqdx, 1e-5 * std::fabs(dqdx) + qNoise + 1e-24)
            << c.name << " dQ[" << row << "]/dx[" << col << "] at trial " << trial;
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Builtin, Conformance, testing::ValuesIn(cases()),
                         [](const testing::TestParamInfo<Case>& p) { return p.param.name; });

}  // namespace
