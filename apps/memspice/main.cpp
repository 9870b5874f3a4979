// memspice: the command-line simulator, in ngspice's batch style. Thin: arguments in, front
// end and analyses called, messages to stderr (and the -o log), exit status 0 only on success.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <fstream>
#include <iostream>

#include "elab/listing.hpp"
#include "expr/expr_parser.hpp"
#include "frontend.hpp"
#include "output/writers.hpp"
#include "register_builtin.hpp"
#include "results.hpp"
#include "simulator.hpp"
#include "version.hpp"

namespace {

// Messages go to stderr and, with -o, to the log file as well.
class Log {
 public:
  bool open(const std::string& path) {
    if (path.empty()) return true;
    file_.open(path);
    return static_cast<bool>(file_);
  }
  void write(const std::string& text) {
    std::cerr << text;
    if (file_) file_ << text;
  }

 private:
  std::ofstream file_;
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"memspice: a SPICE-style circuit simulator for neuromorphic devices", "memspice"};
  std::string deck, rawFile, logFile, csvFile;
  std::vector<std::string> paramOverrides;
  bool batch = false, listing = false, checkOnly = false, stats = false;
  app.add_option("deck", deck, "netlist file")->required()->check(CLI::ExistingFile);
  app.add_flag("-b,--batch", batch, "batch mode (the only mode; accepted for ngspice compatibility)");
  app.add_option("-r,--rawfile", rawFile, "write results to an ngspice raw file");
  app.add_option("-o,--output", logFile, "also write all messages to this log file");
  app.add_option("--csv", csvFile, "write results to a CSV file");
  app.add_option("-p,--param", paramOverrides, "override a top-level parameter: name=value (repeatable)");
  app.add_flag("--listing", listing, "print the elaborated (flattened) circuit and exit");
  app.add_flag("--check", checkOnly, "read and elaborate the deck, report problems, and exit");
  app.add_flag("--stats", stats, "print what each analysis cost (unknowns, points, steps, time) on stderr");
  app.set_version_flag("-v,--version", std::string("memspice ") + MEMSPICE_VERSION);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }

  Log log;
  if (!log.open(logFile)) {
    std::cerr << fmt::format("memspice: error: cannot write log file '{}'\n", logFile);
    return 2;
  }
  memspice::elab::ElabOptions options;
  for (const std::string& p : paramOverrides) {
    auto eq = p.find('=');
    auto value = eq == std::string::npos ? std::nullopt : memspice::expr::parseNumber(p.substr(eq + 1));
    if (!value) {
      log.write(fmt::format("memspice: error: --param expects name=number, got '{}'\n", p));
      return 2;
    }
    std::string name = p.substr(0, eq);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    options.overrides[name] = *value;
  }

  memspice::DiskFileProvider files;
  memspice::FrontEndResult result = memspice::loadDeck(deck, files, options);
  log.write(result.report());
  if (!result.circuit) {
    log.write(fmt::format("memspice: {} error{} in '{}'; nothing was simulated\n", result.diags.errorCount(),
                          result.diags.errorCount() == 1 ? "" : "s", deck));
    return 1;
  }
  const memspice::elab::FlatCircuit& circuit = *result.circuit;
  if (listing) {
    std::cout << memspice::elab::listing(circuit);
    return 0;
  }
  if (checkOnly) {
    std::size_t n = circuit.analyses.size();
    log.write(fmt::format("memspice: '{}' is valid: {} nodes, {} devices, {} analys{}\n", deck, circuit.nodes.size(),
                          circuit.instances.size(), n, n == 1 ? "is" : "es"));
    return 0;
  }
  if (circuit.analyses.empty()) {
    log.write(fmt::format("memspice: error: nothing to simulate: '{}' has no .op, .dc or .tran\n", deck));
    return 1;
  }
  memspice::engine::ModelRegistry registry;
  memspice::models::registerBuiltinModels(registry);
  memspice::Diagnostics simDiags;
  // .dc over a .param elaborates the deck again with the parameter fixed.
  auto reelaborate = [&](const std::map<std::string, double>& fixed) {
    memspice::elab::ElabOptions again = options;
    for (const auto& [name, value] : fixed) again.overrides[name] = value;
    return memspice::elab::elaborate(result.netlist, simDiags, again);
  };
  memspice::engine::Simulator simulator(circuit, registry, simDiags, reelaborate);
  std::vector<memspice::engine::Plot> plots = simDiags.hasErrors() ? std::vector<memspice::engine::Plot>{}
                                                                    : simulator.run();
  for (const memspice::Diagnostic& d : simDiags.all()) log.write(memspice::formatDiagnostic(result.sources, d));
  if (stats)
    for (const auto& st : simulator.stats())
      log.write(fmt::format("memspice: {}: {} unknowns, {} points, {:.3f} s{}\n", st.analysis, st.unknowns, st.points,
                            st.seconds,
                            st.steps ? fmt::format("; {} steps, {} residuals, {} Jacobians, {} restarts", st.steps,
                                                   st.residuals, st.jacobians, st.restarts)
                                     : ""));
  std::string writeError = memspice::apps::writeResults(plots, circuit, rawFile, csvFile,
                                                        simulator.options().asciiRaw, std::cout);
  if (!writeError.empty()) {
    log.write("memspice: error: " + writeError + "\n");
    return 1;
  }
  if (simDiags.hasErrors()) {
    log.write(fmt::format("memspice: {} error{} while simulating '{}'\n", simDiags.errorCount(),
                          simDiags.errorCount() == 1 ? "" : "s", deck));
    return 1;
  }
  (void)batch;
  return 0;
}