#include "results.hpp"

#include <algorithm>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>

#include "output/writers.hpp"

namespace memspice::apps {

namespace {

std::string vectorName(const elab::FlatOutputVar& v, const elab::FlatCircuit& c) {
  using K = netlist::OutputVar::Kind;
  if (v.kind == K::Voltage || v.kind == K::Node)
    return v.b == 0 ? fmt::format("v({})", c.nodes[static_cast<std::size_t>(v.a)])
                    : fmt::format("v({},{})", c.nodes[static_cast<std::size_t>(v.a)], c.nodes[static_cast<std::size_t>(v.b)]);
  if (v.kind == K::Current) return fmt::format("i({})", c.instances[static_cast<std::size_t>(v.device)].name);
  if (v.kind == K::Expression) return expr::toString(*v.expr);
  return "";
}

// Columns of `plot` that a .print card asks for, found by the names the simulator gives them.
std::vector<std::size_t> printColumns(const engine::Plot& plot, const elab::FlatOutput& print,
                                      const elab::FlatCircuit& c) {
  std::vector<std::size_t> cols;
  for (const elab::FlatOutputVar& v : print.vars) {
    if (v.kind == netlist::OutputVar::Kind::All) {
      for (std::size_t i = 1; i < plot.vars.size(); ++i) cols.push_back(i);
      continue;
    }
    int col = plot.find(vectorName(v, c));
    if (col >= 0) cols.push_back(static_cast<std::size_t>(col));
  }
  return cols;
}

// As ngspice: with .save (or .probe) cards, files hold the scale and the saved vectors only;
// `.save all` keeps everything.
engine::Plot selectSaved(const engine::Plot& p, const elab::FlatCircuit& c) {
  std::vector<std::string> names;
  for (const elab::FlatOutput& o : c.outputs) {
    if (o.kind == netlist::OutputRequest::Kind::Print) continue;
    for (const elab::FlatOutputVar& v : o.vars) {
      if (v.kind == netlist::OutputVar::Kind::All) return p;
      names.push_back(vectorName(v, c));
    }
  }
  if (names.empty()) return p;
  std::vector<std::size_t> keep{0};
  for (std::size_t i = 1; i < p.vars.size(); ++i)
    if (std::find(names.begin(), names.end(), p.vars[i].name) != names.end()) keep.push_back(i);
  engine::Plot out{p.title, p.name, {}, {}};
  for (std::size_t i : keep) out.vars.push_back(p.vars[i]);
  for (std::size_t k = 0; k < p.points(); ++k)
    for (std::size_t i : keep) out.data.push_back(p.at(k, i));
  return out;
}

bool matches(const engine::Plot& p, const std::string& analysis) {
  if (analysis.empty()) return true;
  if (analysis == "op") return p.name == "Operating Point";
  if (analysis == "dc") return p.name == "DC transfer characteristic";
  if (analysis == "tran") return p.name == "Transient Analysis";
  return false;
}

}  // namespace

std::string writeResults(const std::vector<engine::Plot>& plots, const elab::FlatCircuit& circuit,
                         const std::string& rawFile, const std::string& csvFile, bool asciiRaw, std::ostream& out) {
  for (const engine::Plot& p : plots) {
    bool printed = false;
    for (const elab::FlatOutput& o : circuit.outputs) {
      if (o.kind != netlist::OutputRequest::Kind::Print || !matches(p, o.analysis)) continue;
      auto cols = printColumns(p, o, circuit);
      if (cols.empty()) continue;
      if (p.vars[0].name.rfind("v(", 0) != 0 || p.name != "Operating Point") cols.insert(cols.begin(), 0);
      out << p.name << "\n";
      engine::printTable(out, p, cols);
      printed = true;
    }
    if (!printed && p.name == "Operating Point") {
      out << "Operating Point\n";
      for (std::size_t v = 0; v < p.vars.size(); ++v) out << fmt::format("  {:<24} {:.9e}\n", p.vars[v].name, p.at(0, v));
    }
  }
  std::vector<engine::Plot> saved;
  for (const engine::Plot& p : plots) saved.push_back(selectSaved(p, circuit));
  if (!rawFile.empty()) {
    std::ofstream raw(rawFile, std::ios::binary);
    if (!raw) return fmt::format("cannot write raw file '{}'", rawFile);
    engine::writeRaw(raw, saved, asciiRaw);
  }
  if (!csvFile.empty()) {
    for (std::size_t k = 0; k < plots.size(); ++k) {
      std::filesystem::path path(csvFile);
      if (plots.size() > 1)
        path = path.parent_path() / fmt::format("{}-{}{}", path.stem().string(), k + 1, path.extension().string());
      std::ofstream csv(path);
      if (!csv) return fmt::format("cannot write CSV file '{}'", path.string());
      engine::writeCsv(csv, saved[k]);
    }
  }
  return "";
}

}  // namespace memspice::apps
