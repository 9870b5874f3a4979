#pragma once
// Helpers for engine and model tests: run a deck given as text (title line added) through the
// front end and every .step point, as the memspice program does, and read its measurements.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "elab/elaborator.hpp"
#include "frontend.hpp"
#include "register_builtin.hpp"
#include "step_runner.hpp"

namespace memspice::test {

struct DeckRun {
  std::vector<engine::StepRun> steps;
  std::vector<std::string> errors, warnings;
};

#ifdef MEMSPICE_SOURCE_DIR
// A file of the source tree, as text ("" if it cannot be read).
inline std::string sourceFile(const std::string& path) {
  std::ifstream in(std::string(MEMSPICE_SOURCE_DIR) + "/" + path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A deck of the source tree ready for run(): without its title line (run() adds one), and with
// its `.include`d files inlined (run() reads no files), paths relative to the deck.
inline std::string deckBody(const std::string& path) {
  std::string text = sourceFile(path);
  text = text.substr(text.find('\n') + 1);
  const std::string dir = std::filesystem::path(path).parent_path().string();
  std::string out;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(".include ", 0) == 0)
      out += sourceFile((std::filesystem::path(dir) / line.substr(9)).lexically_normal().string()) + "\n";
    else
      out += line + "\n";
  }
  return out;
}
#endif

// `files` serves the deck's .include files: none by default, DiskFileProvider for a deck that
// includes the source tree's libraries by path.
inline DeckRun run(const std::string& deck, const std::map<std::string, double>& overrides = {},
                   const FileProvider& files = MemoryFileProvider{}) {
  elab::ElabOptions options;
  options.overrides = overrides;
  auto fe = loadDeckText("deck.cir", "t\n" + deck, files, options);
  DeckRun r;
  if (!fe.circuit) {
    r.errors.push_back(fe.report());
    return r;
  }
  engine::ModelRegistry registry;
  models::registerBuiltinModels(registry);
  Diagnostics diags;
  auto reelaborate = [&](const std::map<std::string, double>& fixed) {
    elab::ElabOptions again = options;
    for (const auto& [n, v] : fixed) again.overrides[n] = v;
    Diagnostics local;
    auto c = elab::elaborate(fe.netlist, local, again);
    for (const auto& d : local.all()) d.severity == Severity::Error ? diags.error(d.loc, d.message) : diags.warning(d.loc, d.message);
    return c;
  };
  r.steps = engine::runSteps(*fe.circuit, registry, diags, reelaborate);
  for (const auto& d : diags.all())
    (d.severity == Severity::Error ? r.errors : r.warnings)
        .push_back(fmt::format("{}:{}: {}", d.loc.line, d.loc.col, d.message));
  return r;
}

// name -> value (NaN when failed) of the first step, with failures kept for messages.
inline std::map<std::string, engine::MeasureResult> measures(const DeckRun& r, std::size_t step = 0) {
  std::map<std::string, engine::MeasureResult> out;
  for (const auto& m : r.steps.at(step).measures) out[m.name] = m;
  return out;
}

// A measurement that must have succeeded: if it did not, a test failure naming it, and NaN.
inline double measured(const std::map<std::string, engine::MeasureResult>& m, const std::string& name) {
  auto it = m.find(name);
  if (it == m.end() || !it->second.value) {
    ADD_FAILURE() << name << ": " << (it == m.end() ? "missing" : it->second.failure);
    return NAN;
  }
  return *it->second.value;
}
inline double measured(const DeckRun& r, const std::string& name, std::size_t step = 0) {
  return measured(measures(r, step), name);
}

// Column `name` of the first plot of step `step`.
inline std::vector<double> column(const DeckRun& r, const std::string& name, std::size_t step = 0) {
  const engine::Plot& p = r.steps.at(step).plots.at(0);
  int c = p.find(name);
  std::vector<double> out;
  if (c < 0) return out;
  for (std::size_t k = 0; k < p.points(); ++k) out.push_back(p.at(k, static_cast<std::size_t>(c)));
  return out;
}

}  // namespace memspice::test
