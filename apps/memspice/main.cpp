// memspice: the command-line simulator, in ngspice's batch style. Thin: arguments in, front
// end and analyses called, messages to stderr (and the -o log), exit status 0 only on success.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <unistd.h>
#include <fstream>
#include <iostream>

#include "elab/listing.hpp"
#include "expr/expr_parser.hpp"
#include "frontend.hpp"
#include "output/writers.hpp"
#include "register_builtin.hpp"
#include "plot.hpp"
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
  std::string deck, logFile;
  memspice::apps::OutputFiles files;
  std::vector<std::string> paramOverrides;
  bool batch = false, listing = false, checkOnly = false, stats = false;
  app.add_option("deck", deck, "netlist file")->required()->check(CLI::ExistingFile);
  app.add_flag("-b,--batch", batch, "batch mode (the only mode; accepted for ngspice compatibility)");
  app.add_option("-r,--rawfile", files.raw, "write results to an ngspice raw file (one plot per analysis and .step point)");
  app.add_option("-o,--output", logFile, "also write all messages to this log file");
  app.add_option("--csv", files.csv, "write results to a CSV file (with .step: step columns, all points)");
  app.add_option("--measure-csv", files.measureCsv, "write .measure results to a CSV file, one row per .step point");
  app.add_option("--events", files.events,
                 "write device events of transient runs (neuron spikes, switch flips) to a CSV file: time,device,event");
  app.add_option("--measure-json", files.measureJson, "write .measure results to a JSON file, one entry per .step point");
  memspice::apps::PlotRequest plot;
  std::string plotY;
  app.add_option("--plot", plot.file, "plot results through gnuplot into an .svg or .png file");
  app.add_option("--plot-y", plotY, "comma-separated vectors ({expr} for expressions), or .measure names (against a "
                                    ".step variable), to plot (default: the saved vectors)");
  app.add_option("--plot-x", plot.x, "x axis: a vector (default: time or the sweep), or the step variable for measures");
  app.add_option("--plot-analysis", plot.analysis, "which analysis to plot: tran or dc (default: the first with several points)")
      ->check(CLI::IsMember({"tran", "dc", "op"}));
  app.add_flag("--plot-log-y", plot.logY, "plot |y| on a logarithmic axis (I-V curves)");
  app.add_flag("--plot-log-x", plot.logX, "logarithmic x axis");
  std::optional<std::uint64_t> seed;
  app.add_option("--seed", seed,
                 "seed of agauss/gauss/aunif/unif draws and stochastic devices (overrides .options seed=; default 1)");
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
  options.seed = seed;
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

  memspice::DiskFileProvider disk;
  memspice::FrontEndResult result = memspice::loadDeck(deck, disk, options);
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
  // .dc and .step over a .param elaborate the deck again with the parameter fixed. Each
  // elaboration gets its own Diagnostics: an earlier failed point must not fail this one.
  auto reelaborate = [&](const std::map<std::string, double>& fixed) {
    memspice::elab::ElabOptions again = options;
    for (const auto& [name, value] : fixed) again.overrides[name] = value;
    memspice::Diagnostics local;
    auto c = memspice::elab::elaborate(result.netlist, local, again);
    for (const memspice::Diagnostic& d : local.all())
      d.severity == memspice::Severity::Error ? simDiags.error(d.loc, d.message) : simDiags.warning(d.loc, d.message);
    return c;
  };
  // Progress on stderr for long .step sweeps, only on a terminal.
  memspice::engine::StepProgress progress;
  if (isatty(fileno(stderr)) && !circuit.steps.empty())
    progress = [](std::size_t done, std::size_t total) {
      int width = 30, filled = static_cast<int>(width * done / total);
      std::cerr << fmt::format("\r.step {:>5}/{} [{}{}]", done, total, std::string(static_cast<std::size_t>(filled), '#'),
                               std::string(static_cast<std::size_t>(width - filled), ' '))
                << (done == total ? "\n" : "") << std::flush;
    };
  memspice::engine::SimulationOptions simOptions;
  std::vector<memspice::engine::StepRun> runs =
      memspice::engine::runSteps(circuit, registry, simDiags, reelaborate, progress, &simOptions);
  for (const memspice::Diagnostic& d : simDiags.all()) log.write(memspice::formatDiagnostic(result.sources, d));
  std::size_t failedSteps = 0;
  for (std::size_t k = 0; k < runs.size(); ++k) {
    const auto& run = runs[k];
    failedSteps += run.ok ? 0 : 1;
    std::string where = run.point.empty() ? "" : fmt::format("step {} ({}): ", k + 1, memspice::engine::describePoint(run.point));
    for (const auto& m : run.measures)
      if (!m.value && run.ok) log.write(fmt::format("memspice: warning: {}measurement '{}' failed: {}\n", where, m.name, m.failure));
    if (stats)
      for (const auto& st : run.stats)
        log.write(fmt::format("memspice: {}{}: {} unknowns, {} points, {:.3f} s{}\n", where, st.analysis, st.unknowns,
                              st.points, st.seconds,
                              st.steps ? fmt::format("; {} steps ({} rejected: {} error test, {} corrector), {} "
                                                     "residuals, {} Jacobians, {} restarts{}",
                                                     st.steps, st.errorFails + st.correctorFails, st.errorFails,
                                                     st.correctorFails, st.residuals, st.jacobians, st.restarts,
                                                     st.bridges ? fmt::format(", {} bridged by IDA", st.bridges) : "")
                                       : ""));
  }
  files.asciiRaw = simOptions.asciiRaw;
  std::string writeError = memspice::apps::writeResults(runs, circuit, files, std::cout);
  if (!writeError.empty()) {
    log.write("memspice: error: " + writeError + "\n");
    return 1;
  }
  if (!plot.file.empty()) {
    // Names are split at commas outside parentheses: v(a,b) is one name.
    std::string y;
    int depth = 0;
    for (char ch : plotY + ",") {
      depth += ch == '(' ? 1 : ch == ')' ? -1 : 0;
      if (ch == ',' && depth <= 0) {
        if (!y.empty()) plot.y.push_back(y);
        y.clear();
      } else if (ch != ' ') {
        y += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      }
    }
    for (char& ch : plot.x) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (std::string e = memspice::apps::writePlot(runs, circuit, plot); !e.empty()) {
      log.write("memspice: error: --plot: " + e + "\n");
      return 1;
    }
  }
  if (failedSteps > 0 && runs.size() > 1)
    log.write(fmt::format("memspice: {} of {} .step points failed; the others' results were written\n", failedSteps,
                          runs.size()));
  if (simDiags.hasErrors()) {
    log.write(fmt::format("memspice: {} error{} while simulating '{}'\n", simDiags.errorCount(),
                          simDiags.errorCount() == 1 ? "" : "s", deck));
    return 1;
  }
  (void)batch;
  return 0;
}