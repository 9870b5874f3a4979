#include "results.hpp"

#include <filesystem>
#include <fmt/format.h>
#include <fstream>

#include "output/writers.hpp"

namespace memspice::apps {

namespace {

// Columns of `plot` that a .print card asks for, found by the names the simulator gives them.
std::vector<std::size_t> printColumns(const engine::Plot& plot, const elab::FlatOutput& print,
                                      const elab::FlatCircuit& c) {
  std::vector<std::size_t> cols;
  for (const elab::FlatOutputVar& v : print.vars) {
    using K = netlist::OutputVar::Kind;
    std::string name;
    if (v.kind == K::Voltage || v.kind == K::Node)
      name = v.b == 0 ? fmt::format("v({})", c.nodes[static_cast<std::size_t>(v.a)])
                      : fmt::format("v({},{})", c.nodes[static_cast<std::size_t>(v.a)],
                                    c.nodes[static_cast<std::size_t>(v.b)]);
    else if (v.kind == K::Current) name = fmt::format("i({})", c.instances[static_cast<std::size_t>(v.device)].name);
    else if (v.kind == K::Expression) name = expr::toString(*v.expr);
    else {
      for (std::size_t i = 1; i < plot.vars.size(); ++i) cols.push_back(i);
      continue;
    }
    int col = plot.find(name);
    if (col >= 0) cols.push_back(static_cast<std::size_t>(col));
  }
  return cols;
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
  if (!rawFile.empty()) {
    std::ofstream raw(rawFile, std::ios::binary);
    if (!raw) return fmt::format("cannot write raw file '{}'", rawFile);
    engine::writeRaw(raw, plots, asciiRaw);
  }
  if (!csvFile.empty()) {
    for (std::size_t k = 0; k < plots.size(); ++k) {
      std::filesystem::path path(csvFile);
      if (plots.size() > 1)
        path = path.parent_path() / fmt::format("{}-{}{}", path.stem().string(), k + 1, path.extension().string());
      std::ofstream csv(path);
      if (!csv) return fmt::format("cannot write CSV file '{}'", path.string());
      engine::writeCsv(csv, plots[k]);
    }
  }
  return "";
}

}  // namespace memspice::apps
