#include "elab/listing.hpp"

#include <fmt/format.h>

namespace memspice::elab {

namespace {

std::string params(const std::vector<FlatParam>& ps) {
  std::string out;
  for (const FlatParam& p : ps) out += fmt::format(" {}={:.6g}", p.name, p.value);
  return out;
}

std::string sweep(const FlatSweep& s) {
  static const char* const kinds[] = {"lin", "dec", "oct", "list"};
  std::string target = s.modelParam.empty() ? s.name : fmt::format("{}({})", s.name, s.modelParam);
  if (s.kind == netlist::Sweep::Kind::List) {
    std::string out = fmt::format("{} list", target);
    for (double v : s.list) out += fmt::format(" {:.6g}", v);
    return out;
  }
  return fmt::format("{} {} {:.6g} {:.6g} {:.6g}", kinds[static_cast<int>(s.kind)], target, s.start, s.stop, s.step);
}

}  // namespace

std::string listing(const FlatCircuit& c) {
  std::string out = fmt::format("* {}\n", c.title);
  out += fmt::format("* {} nodes, {} devices, {} models\n", c.nodes.size(), c.instances.size(), c.models.size());
  for (const FlatModel& m : c.models) out += fmt::format(".model {} {}{}\n", m.name, m.type, params(m.params));
  for (const FlatInstance& d : c.instances) {
    std::string line = d.name;
    for (NodeId n : d.nodes) line += " " + c.nodes[static_cast<std::size_t>(n)];
    for (int r : d.refs) line += " " + c.instances[static_cast<std::size_t>(r)].name;
    if (d.model >= 0) line += " " + c.models[static_cast<std::size_t>(d.model)].name;
    for (double v : d.values) line += fmt::format(" {:.6g}", v);
    if (d.source) {
      if (d.source->dc) line += fmt::format(" dc {:.6g}", *d.source->dc);
      if (d.source->hasAc) line += fmt::format(" ac {:.6g} {:.6g}", d.source->acMag, d.source->acPhase);
      if (const auto& w = d.source->waveform) {
        line += " " + w->kind + "(";
        for (std::size_t i = 0; i < w->args.size(); ++i) line += fmt::format("{}{:.6g}", i ? " " : "", w->args[i]);
        line += ")" + params(w->options);
      }
    }
    if (d.behaviour) line += fmt::format(" {}={}", d.behaviourKind, expr::toString(*d.behaviour));
    line += params(d.params);
    for (const std::string& f : d.flags) line += " " + f;
    out += line + "\n";
  }
  for (const FlatAnalysis& a : c.analyses) {
    if (std::holds_alternative<OpAnalysis>(a.kind)) out += ".op\n";
    if (auto* dc = std::get_if<DcAnalysis>(&a.kind)) {
      out += ".dc";
      for (const FlatSweep& s : dc->sweeps) out += " " + sweep(s);
      out += "\n";
    }
    if (auto* t = std::get_if<TranAnalysis>(&a.kind))
      out += fmt::format(".tran {:.6g} {:.6g} {:.6g}{}{}\n", t->tstep, t->tstop, t->tstart,
                         t->tmax ? fmt::format(" {:.6g}", *t->tmax) : "", t->uic ? " uic" : "");
    if (auto* ac = std::get_if<AcAnalysis>(&a.kind))
      out += fmt::format(".ac {} {:.6g} {:.6g} {:.6g}\n", ac->kind == netlist::Sweep::Kind::Lin ? "lin"
                                                          : ac->kind == netlist::Sweep::Kind::Oct ? "oct" : "dec",
                         ac->points, ac->fstart, ac->fstop);
    if (auto* o = std::get_if<OtherAnalysis>(&a.kind)) out += o->command + " (not run)\n";
  }
  for (const FlatSweep& s : c.steps) out += ".step " + sweep(s) + "\n";
  for (const FlatOption& o : c.options)
    out += o.value ? fmt::format(".option {}={:.6g}\n", o.name, *o.value)
                   : o.word.empty() ? fmt::format(".option {}\n", o.name) : fmt::format(".option {}={}\n", o.name, o.word);
  for (const FlatInitial& i : c.ics) out += fmt::format(".ic v({})={:.6g}\n", c.nodes[static_cast<std::size_t>(i.node)], i.value);
  for (const FlatInitial& i : c.nodesets)
    out += fmt::format(".nodeset v({})={:.6g}\n", c.nodes[static_cast<std::size_t>(i.node)], i.value);
  for (double t : c.temps) out += fmt::format(".temp {:.6g}\n", t);
  return out;
}

}  // namespace memspice::elab
