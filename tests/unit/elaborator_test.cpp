// Elaboration: subcircuit expansion, hierarchical names, parameter scoping, model binding.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "elab/listing.hpp"
#include "support/deck_helpers.hpp"

namespace {

using namespace memspice;

std::string devices(const std::string& deck) {
  auto r = test::load("t\n" + deck);
  if (!r.circuit) return "ERROR " + test::firstError(r);
  std::string text = elab::listing(*r.circuit);
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    std::string line = text.substr(pos, end - pos);
    if (line[0] != '*' && line[0] != '.') out += line + "\n";
    pos = end + 1;
  }
  return out;
}

TEST(Elaborator, HierarchicalNamesAsNgspice) {
  EXPECT_EQ(devices(".subckt inner a b\nR1 a mid 1\nV1 mid b 0\n.ends\n"
                    ".subckt outer p q\nX2 p q inner\nRx p q 2\n.ends\nX1 in 0 outer\n"),
            "r.x1.x2.r1 in x1.x2.mid 1\nv.x1.x2.v1 x1.x2.mid 0 dc 0\nr.x1.rx in 0 2\n");
}

TEST(Elaborator, GroundAliases) {
  EXPECT_EQ(devices("R1 a gnd 1\nR2 a GND 1\nR3 a 0 1\n"), "r1 a 0 1\nr2 a 0 1\nr3 a 0 1\n");
}

TEST(Elaborator, ParameterDefaultsAndOverrides) {
  std::string def = ".param k=10\n.subckt s a params: r=1 w={2*r}\nR1 a 0 {w}\nR2 a 0 {k}\n.ends\n";
  EXPECT_EQ(devices(def + "X1 n s\n"), "r.x1.r1 n 0 2\nr.x1.r2 n 0 10\n");
  EXPECT_EQ(devices(def + "X1 n s r=5\n"), "r.x1.r1 n 0 10\nr.x1.r2 n 0 10\n");
  EXPECT_EQ(devices(def + "X1 n s params: w={k*3}\n"), "r.x1.r1 n 0 30\nr.x1.r2 n 0 10\n");
}

TEST(Elaborator, OverridesAreEvaluatedInTheCallersScope) {
  EXPECT_EQ(devices(".subckt leaf a params: r=1\nR1 a 0 {r}\n.ends\n"
                    ".subckt mid a params: r=7\nX1 a leaf r={r*2}\n.ends\nX9 n mid\n"),
            "r.x9.x1.r1 n 0 14\n");
}

TEST(Elaborator, LocalParamsAndNestedDefinitionsAreLexical) {
  EXPECT_EQ(devices(".subckt outer a params: g=3\n.param h={g+1}\n"
                    ".subckt inner b\nR1 b 0 {h*g}\n.ends inner\nXi a inner\n.ends outer\nXo n outer g=4\n"),
            "r.xo.xi.r1 n 0 20\n");
  EXPECT_EQ(devices(".subckt outer a\n.subckt inner b\nR1 b 0 1\n.ends\n.ends\nX1 n inner\n"),
            "ERROR 7:6: error: unknown subcircuit 'inner'");
}

TEST(Elaborator, ModelsInsideSubcircuitsArePerInstance) {
  auto r = test::load("t\n.subckt s a params: n=1\n.model dm d n={n}\nD1 a 0 dm\n.ends\nX1 p s n=1.5\nX2 q s n=2\n");
  ASSERT_TRUE(r.circuit) << r.report();
  ASSERT_EQ(r.circuit->models.size(), 2u);
  EXPECT_EQ(r.circuit->models[0].name, "x1.dm");
  EXPECT_DOUBLE_EQ(r.circuit->models[0].params[0].value, 1.5);
  EXPECT_EQ(r.circuit->models[1].name, "x2.dm");
  EXPECT_EQ(r.circuit->instances[1].model, 1);
}

TEST(Elaborator, TopLevelModelsAreSharedAndVisibleInside) {
  auto r = test::load("t\n.model dm d\n.subckt s a\nD1 a 0 dm\n.ends\nX1 p s\nX2 q s\n");
  ASSERT_TRUE(r.circuit) << r.report();
  ASSERT_EQ(r.circuit->models.size(), 1u);
  EXPECT_EQ(r.circuit->instances[0].model, 0);
  EXPECT_EQ(r.circuit->instances[1].model, 0);
}

TEST(Elaborator, ReferencesInsideSubcircuits) {
  EXPECT_EQ(devices(".subckt s a\nVs a m 0\nF1 m 0 vs 2\nB1 m 0 I=v(a)+i(vs)\nL1 a 0 1\nL2 m 0 1\nK1 L1 L2 0.5\n"
                    ".ends\nX1 n s\n"),
            "v.x1.vs n x1.m dc 0\nf.x1.f1 x1.m 0 v.x1.vs 2\nb.x1.b1 x1.m 0 i=(v(n)+i(v.x1.vs))\n"
            "l.x1.l1 n 0 1\nl.x1.l2 x1.m 0 1\nk.x1.k1 l.x1.l1 l.x1.l2 0.5\n");
}

TEST(Elaborator, ForwardReferencesResolve) {
  EXPECT_EQ(devices("F1 o 0 vs 2\nR1 o 0 1\nVs a 0 1\n"), "f1 o 0 vs 2\nr1 o 0 1\nvs a 0 dc 1\n");
}

TEST(Elaborator, Errors) {
  EXPECT_EQ(devices(".subckt a p\nX1 p b\n.ends\n.subckt b p\nX1 p a\n.ends\nX0 n a\n"),
            "ERROR 6:1: error: subcircuit 'a' instantiates itself (x0 -> x0.x1 -> x0.x1.x1)");
  EXPECT_EQ(devices(".subckt s a b\n.ends\nX1 n s\n"), "ERROR 4:1: error: subcircuit 's' has 2 ports, but 'x1' connects 1 node");
  EXPECT_EQ(devices(".subckt s a\n.ends\nX1 n s q=1\n"), "ERROR 4:8: error: subcircuit 's' has no parameter 'q'");
  EXPECT_EQ(devices("R1 a 0 1\nr1 b 0 1\n"), "ERROR 3:1: error: duplicate element name 'r1' (first defined at line 2)");
  EXPECT_EQ(devices(".model m d\n.model m d\n"), "ERROR 3:8: error: duplicate model name 'm' (first defined at line 2)");
  EXPECT_EQ(devices(".subckt s a\n.ends\n.subckt s a\n.ends\n"),
            "ERROR 4:9: error: duplicate subcircuit name 's' (first defined at line 2)");
  EXPECT_EQ(devices(".subckt s a a\n.ends\n"), "ERROR 2:13: error: port 'a' listed twice in subcircuit 's'");
  EXPECT_EQ(devices("F1 o 0 r1 2\nR1 o 0 1\n"),
            "ERROR 2:8: error: 'f1' must name a voltage source; 'r1' is not one in this netlist");
  EXPECT_EQ(devices("K1 L1 R1 0.5\nL1 a 0 1\nR1 a 0 1\n"),
            "ERROR 2:7: error: 'k1' must name an inductor; 'r1' is not one in this netlist");
  EXPECT_EQ(devices(".subckt s a\nR1 a 0 1\n"), "ERROR 2:1: error: subcircuit 's' has no '.ends'");
  EXPECT_EQ(devices(".subckt s a\n.subckt t b\n.ends s\n.ends s\n"),
            "ERROR 4:7: error: '.ends s' closes subcircuit 't': 't' has no '.ends'");
  EXPECT_EQ(devices(".func sqrt(x) = x\n"), "ERROR 2:7: error: '.func sqrt' would hide the built-in function of that name");
}

TEST(Elaborator, RedefinedParameterWarns) {
  auto r = test::load("t\n.param a=1\n.param a=2\nR1 n 0 {a}\n");
  ASSERT_TRUE(r.circuit);
  EXPECT_DOUBLE_EQ(r.circuit->instances[0].values[0], 2);
  EXPECT_EQ(test::messages(r), std::vector<std::string>{"3:8: warning: parameter 'a' redefined; the last value is used"});
}

TEST(Elaborator, EndsWithAnotherNameWarns) {
  // Xyce's own memristorYakopcic.cir closes 'mem_dev' with '.ends meme_dev'.
  auto r = test::load("t\n.subckt mem_dev a\nR1 a 0 1\n.ends meme_dev\nX1 n mem_dev\n");
  ASSERT_TRUE(r.circuit);
  EXPECT_EQ(test::messages(r),
            std::vector<std::string>{"4:7: warning: '.ends meme_dev' closes subcircuit 'mem_dev'; the name is ignored"});
}

TEST(Elaborator, StepParamKeywordPicksTheParameterOverADeviceOfTheSameName) {
  auto r = test::load("t\n.param iin=2u\nIin 0 m pulse(0 {iin} 1u 10n)\nR1 m 0 1k\n.step param iin list 1u 3u\n"
                      ".step iin list 1 2\n.tran 1u 10u\n");
  ASSERT_TRUE(r.circuit) << r.report();
  ASSERT_EQ(r.circuit->steps.size(), 2u);
  EXPECT_EQ(r.circuit->steps[0].target, elab::FlatSweep::Target::Param);
  EXPECT_EQ(r.circuit->steps[1].target, elab::FlatSweep::Target::Source);
}

TEST(Elaborator, ExpansionLimit) {
  elab::ElabOptions o;
  o.maxInstances = 50;
  std::string deck = "t\n.subckt l0 a\nR1 a 0 1\nR2 a 0 1\n.ends\n";
  for (int i = 1; i < 8; ++i)
    deck += fmt::format(".subckt l{} a\nX1 a l{}\nX2 a l{}\n.ends\n", i, i - 1, i - 1);
  deck += "X0 n l7\n";
  auto r = test::load(deck, {}, o);
  EXPECT_FALSE(r.circuit);
  EXPECT_EQ(test::firstError(r), "3:1: error: the circuit expands to more than 50 devices");
}

TEST(Elaborator, ErrorsInSubcircuitsAreReportedOnce) {
  auto r = test::load("t\n.subckt s a\nR1 a 0 {nope}\n.ends\nX1 n s\nX2 m s\nX3 k s\n");
  EXPECT_EQ(test::errors(r), std::vector<std::string>{"3:9: error: undefined parameter 'nope'"});
}

}  // namespace
