// Dot cards: models, options, initial conditions, analyses, sweeps, measures and outputs.
#include <gtest/gtest.h>

#include "elab/listing.hpp"
#include "support/deck_helpers.hpp"

namespace {

using namespace memspice;

const std::string kCircuit = "V1 in 0 1\nR1 in out 1k\nR2 out 0 1k\n";

std::string listingOf(const std::string& cards) {
  auto r = test::load("t\n" + kCircuit + cards + "\n");
  if (!r.circuit) return "ERROR " + test::firstError(r);
  std::string text = elab::listing(*r.circuit);
  return text.substr(text.find("r2 out 0 1000\n") + 14);
}

TEST(DotCards, ModelForms) {
  auto r = test::load("t\n.model d1 D (is=1e-14 n=1.5)\n.model d2 d(is=2e-14)\n.model n1 NMOS level=1 vto=0.7\n"
                      "+ kp=1e-4\n.model d3 d\n");
  ASSERT_TRUE(r.circuit) << r.report();
  EXPECT_EQ(elab::listing(*r.circuit),
            "* t\n* 1 nodes, 0 devices, 4 models\n.model d1 d is=1e-14 n=1.5\n.model d2 d is=2e-14\n"
            ".model n1 nmos level=1 vto=0.7 kp=0.0001\n.model d3 d\n");
}

TEST(DotCards, Analyses) {
  EXPECT_EQ(listingOf(".op"), ".op\n");
  EXPECT_EQ(listingOf(".tran 1n 1u"), ".tran 1e-09 1e-06 0\n");
  EXPECT_EQ(listingOf(".tran 0 1ms"), ".tran 0 0.001 0\n");  // Xyce form
  EXPECT_EQ(listingOf(".tran 1n 1u 100n 5n uic"), ".tran 1e-09 1e-06 1e-07 5e-09 uic\n");
  EXPECT_EQ(listingOf(".ac dec 10 1 1meg"), ".ac dec 10 1 1e+06\n");
  EXPECT_EQ(listingOf(".tf v(out) v1"), ".tf (not run)\n");
}

TEST(DotCards, DcSweeps) {
  EXPECT_EQ(listingOf(".dc v1 0 1 0.1"), ".dc lin v1 0 1 0.1\n");
  EXPECT_EQ(listingOf(".dc lin v1 0 1 0.5 r1 1k 2k 500"), ".dc lin v1 0 1 0.5 lin r1 1000 2000 500\n");
  EXPECT_EQ(listingOf(".dc dec v1 1m 1 10"), ".dc dec v1 0.001 1 10\n");
  EXPECT_EQ(listingOf(".dc v1 list 0 0.5 2"), ".dc v1 list 0 0.5 2\n");
  EXPECT_EQ(listingOf(".param rr=1\n.dc param rr 1 3 1"), ".dc lin rr 1 3 1\n");
  EXPECT_EQ(listingOf(".dc temp -40 125 5"), ".dc lin temp -40 125 5\n");
  EXPECT_EQ(listingOf(".model dm d\n.dc oct dm(is) 1f 1p 2"), ".dc oct dm(is) 1e-15 1e-12 2\n");
  EXPECT_EQ(listingOf(".dc vx 0 1 0.1"),
            "ERROR 5:5: error: unknown sweep variable 'vx': expected a source, a resistor, a parameter, temp or "
            "model(param)");
  EXPECT_EQ(listingOf(".dc v1 0 1 0"), "ERROR 5:12: error: sweep step must not be zero");
  EXPECT_EQ(listingOf(".dc v1 0 1 -0.1"), "ERROR 5:12: error: sweep step -0.1 goes away from the stop value 1");
  EXPECT_EQ(listingOf(".dc dec v1 0 1 10"), "ERROR 5:12: error: a logarithmic sweep needs positive start and stop values");
  EXPECT_EQ(listingOf(".dc v1 0 1"), "ERROR 5:11: error: expected a step at end of line");
}

TEST(DotCards, Step) {
  EXPECT_EQ(listingOf(".param rl=1k\n.step param rl list 1k 2k 5k"), ".step rl list 1000 2000 5000\n");
  EXPECT_EQ(listingOf(".param rl=1k\n.step rl 1k 3k 1k"), ".step lin rl 1000 3000 1000\n");
  EXPECT_EQ(listingOf(".step dec v1 1 100 2"), ".step dec v1 1 100 2\n");
}

TEST(DotCards, OptionsIcNodesetTemp) {
  EXPECT_EQ(listingOf(".options reltol=1e-4 method=gear filetype=ascii noacct"),
            ".option reltol=0.0001\n.option method=gear\n.option filetype=ascii\n.option noacct\n");
  EXPECT_EQ(listingOf(".options TIMEINT reltol=1e-6"), ".option reltol=1e-06\n");  // Xyce package word
  EXPECT_EQ(listingOf(".ic v(out)=0.5\n.nodeset v(in)=1"), ".ic v(out)=0.5\n.nodeset v(in)=1\n");
  EXPECT_EQ(listingOf(".temp 27 85"), ".temp 27\n.temp 85\n");
  EXPECT_EQ(listingOf(".ic v(nowhere)=1"), "ERROR 5:7: error: unknown node 'nowhere' in '.ic'");
  EXPECT_EQ(listingOf(".ic out=1"), "ERROR 5:5: error: expected v(node)=value, found 'out=...'");
}

TEST(DotCards, OutputsAndMeasures) {
  auto r = test::load("t\n" + kCircuit +
                      ".print tran v(out) v(in,out) i(v1) {v(out)*2} out\n.save all\n.probe v(in)\n"
                      ".meas tran tdel trig v(in) val=0.5 rise=1 targ v(out) val=0.5 rise=1\n"
                      ".measure tran vfind find v(out) when v(in)=0.5 cross=last\n"
                      ".meas dc p1 param='tdel*2'\n");
  ASSERT_TRUE(r.circuit) << r.report();
  const auto& c = *r.circuit;
  ASSERT_EQ(c.outputs.size(), 3u);
  EXPECT_EQ(c.outputs[0].analysis, "tran");
  ASSERT_EQ(c.outputs[0].vars.size(), 5u);
  EXPECT_EQ(c.nodes[static_cast<std::size_t>(c.outputs[0].vars[1].b)], "out");
  EXPECT_EQ(c.instances[static_cast<std::size_t>(c.outputs[0].vars[2].device)].name, "v1");
  EXPECT_EQ(expr::toString(*c.outputs[0].vars[3].expr), "(v(out)*2)");
  EXPECT_EQ(c.outputs[1].vars[0].kind, netlist::OutputVar::Kind::All);
  // The parser keeps clauses; elaboration makes one measurement of each.
  const auto& parsed = r.netlist.measures;
  ASSERT_EQ(parsed.size(), 3u);
  ASSERT_EQ(parsed[0].clauses.size(), 2u);
  EXPECT_EQ(parsed[0].clauses[0].keyword.text, "trig");
  EXPECT_EQ(parsed[0].clauses[0].target->a, "in");
  EXPECT_EQ(parsed[0].clauses[0].settings.size(), 2u);
  EXPECT_EQ(parsed[1].clauses[1].keyword.text, "when");
  EXPECT_EQ(expr::toString(*parsed[1].clauses[1].targetValue->expr), "0.5");
  EXPECT_EQ(parsed[1].clauses[1].settings[0].name.text, "cross");
  ASSERT_EQ(c.measures.size(), 3u);
  const auto& m = c.measures[0];
  EXPECT_EQ(m.name, "tdel");
  EXPECT_EQ(m.kind, elab::FlatMeasure::Kind::TrigTarg);
  EXPECT_EQ(m.trig->edge, elab::FlatCrossing::Edge::Rise);
  EXPECT_EQ(m.trig->level, 0.5);
  EXPECT_EQ(c.measures[1].kind, elab::FlatMeasure::Kind::Find);
  EXPECT_EQ(c.measures[1].targ->count, -1);
  EXPECT_EQ(c.measures[2].kind, elab::FlatMeasure::Kind::Param);
  EXPECT_EQ(expr::toString(*c.measures[2].param), "(tdel*2)");
}

TEST(DotCards, OutputErrors) {
  EXPECT_EQ(listingOf(".print tran v(nowhere)"), "ERROR 5:13: error: unknown node 'nowhere'");
  EXPECT_EQ(listingOf(".print tran i(vnone)"), "ERROR 5:13: error: unknown device 'vnone'");
  EXPECT_EQ(listingOf(".print tran n(nowhere_x)"),
            "ERROR 5:13: error: n(nowhere_x) names no node, no device unknown (device_x) and no device quantity "
            "(device:r)");
  EXPECT_EQ(listingOf(".print tran vdb(out)"),
            "ERROR 5:13: error: expected v(node), v(n1,n2), i(device), p(device), n(name), {expression} or a node name, found 'vdb(...)'");
  EXPECT_EQ(listingOf(".meas tran x foo v(out)"), "ERROR 5:14: error: unexpected 'foo' in '.measure'");
  EXPECT_EQ(listingOf(".meas trans x max v(out)"), "ERROR 5:7: error: expected an analysis (tran, dc, ac or op), found 'trans'");
}

TEST(DotCards, TranAndAcValidation) {
  EXPECT_EQ(listingOf(".tran 1n 0"), "ERROR 5:10: error: '.tran' stop time must be positive");
  EXPECT_EQ(listingOf(".tran -1n 1u"), "ERROR 5:7: error: '.tran' time step must not be negative");
  EXPECT_EQ(listingOf(".tran 1n 1u 2u"), "ERROR 5:13: error: '.tran' start time must be at least 0 and below the stop time");
  EXPECT_EQ(listingOf(".tran 1n 1u 0 0"), "ERROR 5:15: error: '.tran' maximum step must be positive");
  EXPECT_EQ(listingOf(".tran 1n 1u uic extra"), "ERROR 5:17: error: unexpected 'extra'");
  EXPECT_EQ(listingOf(".ac dec 10 0 1k"), "ERROR 5:12: error: '.ac' start frequency must be positive");
  EXPECT_EQ(listingOf(".ac log 10 1 1k"), "ERROR 5:5: error: expected 'dec', 'oct' or 'lin', found 'log'");
}

TEST(DotCards, MisplacedAndUnknownCards) {
  EXPECT_EQ(listingOf(".subckt s a\n.tran 1n 1u\n.ends"), "ERROR 6:1: error: '.tran' is not allowed inside a subcircuit");
  EXPECT_EQ(listingOf(".foo bar"), "ERROR 5:1: error: unknown or unsupported control card '.foo'");
  EXPECT_EQ(listingOf(".ends"), "ERROR 5:1: error: '.ends' without '.subckt'");
}

TEST(DotCards, TitleAndGlobal) {
  auto r = test::load("old title\n.title New Title\n.global vdd\n.subckt s a\nR1 a vdd 1\n.ends\nX1 n s\nV1 vdd 0 1\n");
  ASSERT_TRUE(r.circuit) << r.report();
  EXPECT_EQ(r.circuit->title, "New Title");
  EXPECT_EQ(r.circuit->instances[0].name, "r.x1.r1");
  EXPECT_EQ(r.circuit->nodes[static_cast<std::size_t>(r.circuit->instances[0].nodes[1])], "vdd");
}

}  // namespace
