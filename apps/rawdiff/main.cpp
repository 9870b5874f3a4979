// memspice-rawdiff: compares a tested raw file against a reference raw file (e.g. memspice
// against ngspice), vector by vector, with the rules of engine/output/compare.hpp.
// Exit status 0 when every common plot agrees, 1 when not, 2 on bad input.
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fnmatch.h>

#include <fstream>
#include <iostream>

#include "output/compare.hpp"
#include "output/raw_reader.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Compare two ngspice raw files", "memspice-rawdiff"};
  std::string referencePath, testedPath;
  memspice::engine::CompareOptions options;
  app.add_option("reference", referencePath, "reference raw file (e.g. from ngspice)")->required();
  app.add_option("tested", testedPath, "raw file to check")->required();
  app.add_option("--reltol", options.reltol, "point-wise relative tolerance (DC, OP)")->capture_default_str();
  app.add_option("--rms", options.rmsRelative, "transient RMS tolerance, relative to the peak")->capture_default_str();
  std::vector<std::string> only;
  app.add_option("--only", only, "compare only these reference vectors: comma-separated names as in the reference "
                                 "file, with shell wildcards, e.g. 'i(vs*)'")
      ->delimiter(',');
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (!only.empty())
    options.skip = [&only](const std::string& name) {
      for (const std::string& pattern : only)
        if (fnmatch(pattern.c_str(), name.c_str(), 0) == 0) return false;
      return true;
    };
  auto load = [](const std::string& path, memspice::engine::RawFile& out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      std::cerr << fmt::format("memspice-rawdiff: error: cannot read '{}'\n", path);
      return false;
    }
    out = memspice::engine::readRaw(in);
    if (!out.error.empty()) {
      std::cerr << fmt::format("memspice-rawdiff: error: '{}': {}\n", path, out.error);
      return false;
    }
    return true;
  };
  memspice::engine::RawFile reference, tested;
  if (!load(referencePath, reference) || !load(testedPath, tested)) return 2;
  if (reference.plots.size() != tested.plots.size()) {
    std::cout << fmt::format("plots differ: {} in the reference, {} tested\n", reference.plots.size(), tested.plots.size());
    return 1;
  }
  bool ok = true;
  std::size_t compared = 0;
  for (std::size_t p = 0; p < reference.plots.size(); ++p) {
    auto c = memspice::engine::comparePlots(reference.plots[p], tested.plots[p], options);
    compared += c.vectors.size() + c.missing.size();
    double worst = 0;
    std::string where;
    for (const auto& v : c.vectors)
      if (v.score >= worst) {
        worst = v.score;
        where = v.name + ": " + v.worst;
      }
    std::cout << fmt::format("{}: {} vectors, worst score {:.3g} ({}){}{}\n", reference.plots[p].name, c.vectors.size(),
                             worst, where, c.error.empty() ? "" : "; " + c.error,
                             c.missing.empty() ? "" : fmt::format("; {} missing, first {}", c.missing.size(), c.missing[0]));
    ok = ok && c.ok();
  }
  if (!only.empty() && compared == 0) {  // a pattern that matches nothing must not pass as agreement
    std::cerr << "memspice-rawdiff: error: no reference vector matches --only\n";
    return 2;
  }
  std::cout << (ok ? "agree\n" : "DIFFER\n");
  return ok ? 0 : 1;
}
