#include "results.hpp"

#include <algorithm>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <optional>

#include <nlohmann/json.hpp>

#include "output/writers.hpp"

namespace memspice::apps {

namespace {

// Columns of `plot` that a .print card asks for, found by the names the simulator gives them.
std::vector<std::size_t> printColumns(const engine::Plot& plot, const elab::FlatOutput& print,
                                      const elab::FlatCircuit& c) {
  std::vector<std::size_t> cols;
  for (const elab::FlatOutputVar& v : print.vars) {
    if (v.kind == netlist::OutputVar::Kind::All) {
      for (std::size_t i = 1; i < plot.vars.size(); ++i) cols.push_back(i);
      continue;
    }
    int col = plot.find(elab::outputName(v, c));
    if (col >= 0) cols.push_back(static_cast<std::size_t>(col));
  }
  // A column asked for twice (v(a) and all) is printed once, where it first appears.
  std::vector<std::size_t> unique;
  for (std::size_t col : cols)
    if (std::find(unique.begin(), unique.end(), col) == unique.end()) unique.push_back(col);
  return unique;
}

}  // namespace

namespace {

// The columns .save keeps (the scale first), or nullopt when it keeps them all.
std::optional<std::vector<std::size_t>> savedColumns(const engine::Plot& p, const elab::FlatCircuit& c) {
  std::vector<std::string> names;
  for (const elab::FlatOutput& o : c.outputs) {
    if (o.kind == netlist::OutputRequest::Kind::Print) continue;
    for (const elab::FlatOutputVar& v : o.vars) {
      if (v.kind == netlist::OutputVar::Kind::All) return std::nullopt;
      names.push_back(elab::outputName(v, c));
    }
  }
  if (names.empty()) return std::nullopt;
  std::vector<std::size_t> keep{0};
  for (std::size_t i = 1; i < p.vars.size(); ++i)
    if (std::find(names.begin(), names.end(), p.vars[i].name) != names.end()) keep.push_back(i);
  return keep;
}

engine::Plot selectColumns(const engine::Plot& p, const std::vector<std::size_t>& keep) {
  engine::Plot out{p.title, p.name, {}, {}};
  for (std::size_t i : keep) out.vars.push_back(p.vars[i]);
  out.data.reserve(p.points() * keep.size());
  for (std::size_t k = 0; k < p.points(); ++k)
    for (std::size_t i : keep) out.data.push_back(p.at(k, i));
  return out;
}

}  // namespace

engine::Plot selectSaved(const engine::Plot& p, const elab::FlatCircuit& c) {
  auto keep = savedColumns(p, c);
  return keep ? selectColumns(p, *keep) : p;
}

namespace {

bool matches(const engine::Plot& p, const std::string& analysis) {
  if (analysis.empty()) return true;
  if (analysis == "op") return p.name == "Operating Point";
  if (analysis == "dc") return p.name == "DC transfer characteristic";
  if (analysis == "tran") return p.name == "Transient Analysis";
  return false;
}

// Every plot of every point into one raw file, the plot names carrying the step values. Plots
// that .save does not narrow are written from where they are: a long transient's output is
// the largest thing memspice holds, and a copy would double the peak memory.
void writeRawFile(std::ostream& out, const std::vector<engine::StepRun>& runs, const elab::FlatCircuit& c,
                  bool ascii) {
  for (const engine::StepRun& run : runs)
    for (const engine::Plot& p : run.plots) {
      std::string name = p.name + (run.point.empty() ? "" : " (" + engine::describePoint(run.point) + ")");
      if (auto keep = savedColumns(p, c)) engine::writeRawPlot(out, selectColumns(p, *keep), ascii, name);
      else engine::writeRawPlot(out, p, ascii, name);
    }
}

void printTables(const engine::StepRun& run, const elab::FlatCircuit& circuit, std::ostream& out) {
  if (!run.point.empty() && !run.plots.empty()) out << "Step: " << engine::describePoint(run.point) << "\n";
  for (const engine::Plot& p : run.plots) {
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
  if (!run.measures.empty() && (run.ok || !run.plots.empty())) {
    out << "Measurements\n";
    for (const engine::MeasureResult& m : run.measures)
      out << fmt::format("  {:<20} = {}\n", m.name, m.value ? fmt::format("{:.9e}", *m.value) : "failed: " + m.failure);
  }
}

// One CSV per analysis; with .step, each holds every point's rows behind step columns.
std::string writeCsvFiles(const std::vector<engine::StepRun>& runs, const elab::FlatCircuit& circuit,
                          const std::string& csvFile) {
  std::size_t analyses = 0;
  for (const engine::StepRun& run : runs) analyses = std::max(analyses, run.plots.size());
  for (std::size_t k = 0; k < analyses; ++k) {
    std::filesystem::path path(csvFile);
    if (analyses > 1)
      path = path.parent_path() / fmt::format("{}-{}{}", path.stem().string(), k + 1, path.extension().string());
    std::ofstream csv(path);
    if (!csv) return fmt::format("cannot write CSV file '{}'", path.string());
    bool header = true;
    for (const engine::StepRun& run : runs) {
      // A failed point may lack an analysis; its rows are left out (the error names the point).
      if (run.plots.size() != analyses) continue;
      engine::writeCsv(csv, selectSaved(run.plots[k], circuit), run.point, header);
      header = false;
    }
  }
  return "";
}

std::string writeMeasureCsv(const std::vector<engine::StepRun>& runs, const elab::FlatCircuit& circuit,
                            const std::string& file) {
  std::ofstream out(file);
  if (!out) return fmt::format("cannot write measurement file '{}'", file);
  std::vector<std::string> header;
  if (!runs.empty())
    for (const auto& [name, v] : runs.front().point) header.push_back(name);
  for (const elab::FlatMeasure& m : circuit.measures) header.push_back(m.name);
  for (std::size_t i = 0; i < header.size(); ++i) out << (i ? "," : "") << header[i];
  out << "\n";
  for (const engine::StepRun& run : runs) {
    std::string row;
    for (const auto& [name, v] : run.point) row += fmt::format("{},", v);
    for (std::size_t i = 0; i < circuit.measures.size(); ++i) {
      const engine::MeasureResult* r = i < run.measures.size() ? &run.measures[i] : nullptr;
      if (r && r->value) row += fmt::format("{}", *r->value);  // a failed measure is an empty cell
      if (i + 1 < circuit.measures.size()) row += ",";
    }
    out << row << "\n";
  }
  return "";
}

std::string writeEventsCsv(const std::vector<engine::StepRun>& runs, const std::string& file) {
  std::ofstream out(file);
  if (!out) return fmt::format("cannot write event file '{}'", file);
  if (!runs.empty())
    for (const auto& [name, v] : runs.front().point) out << name << ",";
  out << "time,device,event\n";
  for (const engine::StepRun& run : runs) {
    std::string step;
    for (const auto& [name, v] : run.point) step += fmt::format("{},", v);
    for (const engine::Plot& p : run.plots)
      for (const engine::Event& e : p.events) out << step << fmt::format("{},{},{}\n", e.time, e.device, e.what);
  }
  return "";
}

std::string writeMeasureJson(const std::vector<engine::StepRun>& runs, const elab::FlatCircuit& circuit,
                             const std::string& file) {
  std::ofstream out(file);
  if (!out) return fmt::format("cannot write measurement file '{}'", file);
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (const engine::StepRun& run : runs) {
    nlohmann::ordered_json row, step = nlohmann::ordered_json::object(), values = nlohmann::ordered_json::object(),
                                failures = nlohmann::ordered_json::object();
    for (const auto& [name, v] : run.point) step[name] = v;
    for (std::size_t i = 0; i < circuit.measures.size(); ++i) {
      const std::string& name = circuit.measures[i].name;
      const engine::MeasureResult* r = i < run.measures.size() ? &run.measures[i] : nullptr;
      values[name] = r && r->value ? nlohmann::ordered_json(*r->value) : nlohmann::ordered_json(nullptr);
      if (!r || !r->value) failures[name] = r ? r->failure : "the step failed";
    }
    row["step"] = step;
    row["ok"] = run.ok;
    row["measures"] = values;
    if (!failures.empty()) row["failures"] = failures;
    rows.push_back(row);
  }
  out << nlohmann::ordered_json{{"title", circuit.title}, {"runs", rows}}.dump(2) << "\n";
  return "";
}

}  // namespace

std::string writeResults(const std::vector<engine::StepRun>& runs, const elab::FlatCircuit& circuit,
                         const OutputFiles& files, std::ostream& out) {
  for (const engine::StepRun& run : runs) printTables(run, circuit, out);
  if (!files.raw.empty()) {
    std::ofstream raw(files.raw, std::ios::binary);
    if (!raw) return fmt::format("cannot write raw file '{}'", files.raw);
    writeRawFile(raw, runs, circuit, files.asciiRaw);
  }
  if (!files.csv.empty())
    if (std::string e = writeCsvFiles(runs, circuit, files.csv); !e.empty()) return e;
  if (!files.measureCsv.empty())
    if (std::string e = writeMeasureCsv(runs, circuit, files.measureCsv); !e.empty()) return e;
  if (!files.measureJson.empty())
    if (std::string e = writeMeasureJson(runs, circuit, files.measureJson); !e.empty()) return e;
  if (!files.events.empty())
    if (std::string e = writeEventsCsv(runs, files.events); !e.empty()) return e;
  return "";
}

}  // namespace memspice::apps
