// Every element letter, through the whole front end, checked on the elaborated listing.
#include <gtest/gtest.h>

#include "elab/listing.hpp"
#include "support/deck_helpers.hpp"

namespace {

using namespace memspice;

// The listing line of the first device of a one-element deck (plus any support cards).
std::string device(const std::string& cards) {
  auto r = test::load("t\n" + cards + "\n");
  if (!r.circuit) return "ERROR " + test::firstError(r);
  std::string text = elab::listing(*r.circuit);
  std::size_t start = text.find('\n', text.find('\n') + 1) + 1;
  for (std::size_t i = 0; i < r.circuit->models.size(); ++i) start = text.find('\n', start) + 1;
  return text.substr(start, text.find('\n', start) - start);
}

TEST(ElementCards, Passives) {
  EXPECT_EQ(device("R1 a b 1k"), "r1 a b 1000");
  EXPECT_EQ(device("r1 A B 1k tc1=1m m=2"), "r1 a b 1000 tc1=0.001 m=2");
  EXPECT_EQ(device("R1 a b r=2k"), "r1 a b r=2000");
  EXPECT_EQ(device("R1 a b rmod 5k\n.model rmod r rsh=10"), "r1 a b rmod 5000");
  EXPECT_EQ(device("C1 a 0 10uF ic=1.5"), "c1 a 0 1e-05 ic=1.5");
  EXPECT_EQ(device("L1 a 0 1uH"), "l1 a 0 1e-06");
  EXPECT_EQ(device("R1 a b {2*3}k"), "ERROR 2:13: error: unknown model 'k'");  // {..} ends the value
}

TEST(ElementCards, Coupling) {
  EXPECT_EQ(device("K1 L1 L2 0.99\nL1 a 0 1u\nL2 b 0 1u"), "k1 l1 l2 0.99");
}

TEST(ElementCards, IndependentSources) {
  EXPECT_EQ(device("V1 a 0 5"), "v1 a 0 dc 5");
  EXPECT_EQ(device("V1 a 0 DC 5 AC 1 90"), "v1 a 0 dc 5 ac 1 90");
  EXPECT_EQ(device("V1 a 0 dc=2 sin 0 50 100k"), device("V1 a 0 dc 2 sin 0 50 100k"));  // ngspice's dc=2
  EXPECT_EQ(device("V1 a 0 AC"), "v1 a 0 ac 1 0");
  EXPECT_EQ(device("V1 a 0 PULSE(0 1 1n 2n 3n 4n 10n)"), "v1 a 0 pulse(0 1 1e-09 2e-09 3e-09 4e-09 1e-08)");
  EXPECT_EQ(device("V1 a 0 sin 0 1 1k"), "v1 a 0 sin(0 1 1000)");
  EXPECT_EQ(device("V1 a 0 SIN(0, 1, 1k, -1m)"), "v1 a 0 sin(0 1 1000 -0.001)");
  EXPECT_EQ(device("I1 a 0 EXP(0 1 1n 1n 5n 1n)"), "i1 a 0 exp(0 1 1e-09 1e-09 5e-09 1e-09)");
  EXPECT_EQ(device("V1 a 0 PWL(0 0 1n 1 2n 0) r=0 td=1n"), "v1 a 0 pwl(0 0 1e-09 1 2e-09 0) r=0 td=1e-09");
  EXPECT_EQ(device("V1 a 0 SFFM(0 1 1k 5 100)"), "v1 a 0 sffm(0 1 1000 5 100)");
  EXPECT_EQ(device("V1 a 0 DC 1 PULSE(0 1 0 1n 1n 5n 10n)"),
            "v1 a 0 dc 1 pulse(0 1 0 1e-09 1e-09 5e-09 1e-08)");
  EXPECT_EQ(device(".param vdd=1.8\nV1 a 0 vdd"), "v1 a 0 dc 1.8");
  EXPECT_EQ(device("V1 a 0 ramp(0 1)"),
            "ERROR 2:8: error: unknown source function 'ramp'; expected pulse, sin, exp, pwl or sffm");
}

TEST(ElementCards, ControlledSources) {
  EXPECT_EQ(device("E1 o 0 a b 10\nR1 a b 1"), "e1 o 0 a b 10");
  EXPECT_EQ(device("G1 o 0 a 0 1m\nR1 a 0 1"), "g1 o 0 a 0 0.001");
  EXPECT_EQ(device("E1 o 0 value={2*v(a)}\nR1 a 0 1"), "e1 o 0 v=(2*v(a))");
  EXPECT_EQ(device("G1 o 0 VALUE {v(a)/1k}\nR1 a 0 1"), "g1 o 0 i=(v(a)/1000)");
  EXPECT_EQ(device("E1 o 0 vol='v(a)+1'\nR1 a 0 1"), "e1 o 0 v=(v(a)+1)");
  EXPECT_EQ(device("F1 o 0 vs 2\nVs a 0 0"), "f1 o 0 vs 2");
  EXPECT_EQ(device("H1 o 0 vs 1k\nVs a 0 0"), "h1 o 0 vs 1000");
  EXPECT_EQ(device("E1 o 0 poly(1) a 0 0 1"),
            "ERROR 2:8: error: 'poly' controlled sources are not supported; use value={expression} or a B source");
}

TEST(ElementCards, BehaviouralSource) {
  EXPECT_EQ(device("B1 o 0 V = v(a)*2 + i(v1) + time\nV1 a 0 1"), "b1 o 0 v=(((v(a)*2)+i(v1))+time)");
  EXPECT_EQ(device("B1 o 0 I={tanh(v(a))}\nR1 a 0 1"), "b1 o 0 i=tanh(v(a))");
  EXPECT_EQ(device(".param g=2\nB1 o 0 I=g*v(a)\nR1 a 0 1"), "b1 o 0 i=(2*v(a))");
  EXPECT_EQ(device("B1 o 0 V=v(nowhere)"), "ERROR 2:10: error: unknown node 'nowhere'");
  EXPECT_EQ(device("B1 o 0 tc1=1"), "ERROR 2:13: error: expected v=expression or i=expression at end of line");
}

TEST(ElementCards, SemiconductorsAndSwitches) {
  EXPECT_EQ(device("D1 a 0 dmod 2 off\n.model dmod d is=1e-14"), "d1 a 0 dmod 2 off");
  EXPECT_EQ(device("M1 d g s b nch w=1u l=0.1u\n.model nch nmos level=1 vto=0.7"),
            "m1 d g s b nch w=1e-06 l=1e-07");
  EXPECT_EQ(device("S1 a 0 c 0 sw1 off\n.model sw1 sw vt=1 vh=0.1"), "s1 a 0 c 0 sw1 off");
  EXPECT_EQ(device("W1 a 0 vc csw1 on\nVc c 0 0\n.model csw1 csw it=1m"), "w1 a 0 vc csw1 on");
  EXPECT_EQ(device("M1 d g s nch\n.model nch nmos"),
            "ERROR 2:10: error: MOSFET 'm1' needs 4 nodes (drain gate source bulk) and a model, found 3 node(s)");
}

TEST(ElementCards, PluginDevices) {
  EXPECT_EQ(device("YMEMRISTOR mr1 p n mrm1\n.model mrm1 memristor level=2 ron=50"), "ymemristor!mr1 p n mrm1");
  EXPECT_EQ(device("N1 a b c tgap gap0=1n\n.model tgap tgap"), "n1 a b c tgap gap0=1e-09");
}

TEST(ElementCards, UnknownAndUnsupportedElements) {
  EXPECT_EQ(device("Q1 c b e qmod"), "ERROR 2:1: error: unsupported element 'q1': memspice has no bipolar transistor device");
  EXPECT_EQ(device("%1 a b 1"), "ERROR 2:1: error: unknown element type '%' in '%1'");
}

TEST(ElementCards, ModelTypeMustFitTheElement) {
  EXPECT_EQ(device("D1 a 0 nch\n.model nch nmos"), "ERROR 2:8: error: model 'nch' has type 'nmos', but 'd1' needs a 'd' model");
  EXPECT_EQ(device("D1 a 0 nomodel"), "ERROR 2:8: error: unknown model 'nomodel'");
}

}  // namespace
