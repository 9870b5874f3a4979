#include "plot.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <map>
#include <sstream>

#include "expr/expr_parser.hpp"
#include "results.hpp"

namespace memspice::apps {

namespace {

struct Curve {
  std::string title;
  std::vector<double> x, y;
};

// gnuplot single-quoted string: '' stands for '.
std::string quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

const char* plotName(const std::string& analysis) {
  return analysis == "tran" ? "Transient Analysis" : analysis == "dc" ? "DC transfer characteristic" : "Operating Point";
}

// {expr} as the results name it: the expression's canonical text, e.g. {v(a)/i(v1)} ->
// (v(a)/i(v1)). Other names are used as given.
std::string vectorName(const std::string& name) {
  if (name.size() < 2 || name.front() != '{' || name.back() != '}') return name;
  LogicalLine line;
  line.append(name.substr(1, name.size() - 2), SourceLoc{});
  expr::ParseResult r = expr::parseExpression(line, 0, line.text().size());
  return r.ok() && r.node ? expr::toString(*r.node) : name;
}

bool isMeasure(const elab::FlatCircuit& c, const std::string& name) {
  return std::any_of(c.measures.begin(), c.measures.end(), [&](const auto& m) { return m.name == name; });
}

// Measurements against a step variable; one curve per measure and combination of the others.
std::string measureCurves(const std::vector<engine::StepRun>& runs, const elab::FlatCircuit& c,
                          const PlotRequest& r, std::vector<Curve>& curves, std::string& xLabel) {
  if (c.steps.empty()) return "plotting measurements needs a .step sweep to plot them against";
  const auto& point = runs.front().point;
  std::size_t xi = 0;
  if (!r.x.empty()) {
    auto it = std::find_if(point.begin(), point.end(), [&](const auto& p) { return p.first == r.x; });
    if (it == point.end()) return fmt::format("--plot-x '{}' is not a step variable", r.x);
    xi = static_cast<std::size_t>(it - point.begin());
  }
  xLabel = point[xi].first;
  std::map<std::string, std::size_t> index;
  for (const std::string& y : r.y) {
    std::size_t mi = 0;
    while (c.measures[mi].name != y) ++mi;
    for (const engine::StepRun& run : runs) {
      auto others = run.point;
      others.erase(others.begin() + static_cast<std::ptrdiff_t>(xi));
      std::string title = others.empty() ? y : fmt::format("{} ({})", y, engine::describePoint(others));
      auto [it, fresh] = index.try_emplace(title, curves.size());
      if (fresh) curves.push_back({title, {}, {}});
      if (mi < run.measures.size() && run.measures[mi].value) {
        curves[it->second].x.push_back(run.point[xi].second);
        curves[it->second].y.push_back(*run.measures[mi].value);
      }
    }
  }
  return "";
}

std::string waveformCurves(const std::vector<engine::StepRun>& runs, const elab::FlatCircuit& c, const PlotRequest& r,
                           std::vector<Curve>& curves, std::string& xLabel) {
  std::string wanted = r.analysis;
  if (wanted.empty())
    for (const engine::StepRun& run : runs)
      for (const engine::Plot& p : run.plots)
        if (wanted.empty() && p.points() > 1)
          wanted = p.name == "Transient Analysis" ? "tran" : p.name == "DC transfer characteristic" ? "dc" : "";
  if (wanted.empty()) return "nothing to plot: no analysis with more than one point";
  if (wanted == "op") return "an operating point is a single point; plot a '.measure op' against a .step variable";
  for (const engine::StepRun& run : runs) {
    auto plot = std::find_if(run.plots.begin(), run.plots.end(), [&](const auto& p) { return p.name == plotName(wanted); });
    if (plot == run.plots.end()) continue;  // a failed point
    engine::Plot saved = selectSaved(*plot, c);
    std::vector<std::string> ys = r.y;
    if (ys.empty())
      for (std::size_t i = 1; i < saved.vars.size(); ++i) ys.push_back(saved.vars[i].name);
    int xc = r.x.empty() ? 0 : plot->find(r.x);
    if (xc < 0) return fmt::format("--plot-x: the {} results have no vector '{}'", wanted, r.x);
    xLabel = plot->vars[static_cast<std::size_t>(xc)].name;
    for (const std::string& y : ys) {
      int yc = plot->find(y);
      if (yc < 0)
        return fmt::format("--plot-y: the {} results have no vector or measurement '{}' (vectors other than node "
                           "voltages and branch currents need a .print, .save or .probe card)",
                           wanted, y);
      Curve curve{run.point.empty() ? y : fmt::format("{} ({})", y, engine::describePoint(run.point)), {}, {}};
      for (std::size_t k = 0; k < plot->points(); ++k) {
        curve.x.push_back(plot->at(k, static_cast<std::size_t>(xc)));
        curve.y.push_back(plot->at(k, static_cast<std::size_t>(yc)));
      }
      curves.push_back(std::move(curve));
    }
  }
  if (curves.empty()) return fmt::format("nothing to plot: no {} results", wanted);
  return "";
}

}  // namespace

std::string writePlot(const std::vector<engine::StepRun>& runs, const elab::FlatCircuit& circuit,
                      const PlotRequest& given) {
  std::string ext = std::filesystem::path(given.file).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char ch) { return std::tolower(ch); });
  if (ext != ".svg" && ext != ".png") return fmt::format("--plot '{}': the file must end in .svg or .png", given.file);
  if (runs.empty()) return "nothing to plot";
  PlotRequest request = given;
  for (std::string& y : request.y) y = vectorName(y);
  request.x = vectorName(request.x);
  std::size_t measures = 0;
  for (const std::string& y : request.y) measures += isMeasure(circuit, y) ? 1 : 0;
  if (measures != 0 && measures != request.y.size())
    return "--plot-y mixes measurements and vectors; plot them separately";
  std::vector<Curve> curves;
  std::string xLabel;
  std::string problem = measures ? measureCurves(runs, circuit, request, curves, xLabel)
                                 : waveformCurves(runs, circuit, request, curves, xLabel);
  if (!problem.empty()) return problem;

  char pattern[] = "/tmp/memspice-plot-XXXXXX";
  if (!mkdtemp(pattern)) return "cannot create a temporary directory for gnuplot";
  std::filesystem::path dir(pattern);
  std::ofstream data(dir / "data.txt");
  for (const Curve& c : curves) {
    for (std::size_t k = 0; k < c.x.size(); ++k)
      data << fmt::format("{} {}\n", c.x[k], request.logY ? std::fabs(c.y[k]) : c.y[k]);
    data << "\n\n";  // gnuplot: the next index
  }
  data.close();
  std::ostringstream gp;
  gp << (ext == ".svg" ? "set terminal svg size 900,600 dynamic background '#ffffff'\n"
                       : "set terminal pngcairo size 900,600\n");
  gp << "set output " << quoted(std::filesystem::absolute(request.file).string()) << "\n";
  gp << "set title " << quoted(circuit.title) << " noenhanced\n";
  gp << "set xlabel " << quoted(xLabel) << " noenhanced\n";
  gp << "set grid\nset key outside right top noenhanced\nset format x '%g'\nset format y '%g'\n";
  if (curves.size() > 24) gp << "unset key\n";
  if (request.logX) gp << "set logscale x\n";
  if (request.logY) {
    // Exact zeros (a sweep's start) would stretch the axis to the underflow: show 12 decades.
    double top = 0, low = INFINITY;
    for (const Curve& c : curves)
      for (double y : c.y) top = std::max(top, std::fabs(y));
    for (const Curve& c : curves)
      for (double y : c.y)
        if (std::fabs(y) >= top * 1e-12 && y != 0) low = std::min(low, std::fabs(y));
    gp << "set logscale y\n";
    if (top > 0) gp << fmt::format("set yrange [{:g}:*]\n", low / 2);
  }
  if (request.y.size() == 1) gp << "set ylabel " << quoted(request.logY ? "|" + request.y[0] + "|" : request.y[0]) << " noenhanced\n";
  gp << "plot ";
  for (std::size_t k = 0; k < curves.size(); ++k)
    gp << (k ? ", " : "") << quoted((dir / "data.txt").string()) << " index " << k
       << " using 1:2 with " << (measures ? "linespoints pt 7 ps 0.6" : "lines") << " title " << quoted(curves[k].title);
  gp << "\n";
  std::ofstream(dir / "plot.gp") << gp.str();
  // The paths come from mkdtemp and hold no shell specials.
  std::string command = fmt::format("gnuplot '{}' 2> '{}'", (dir / "plot.gp").string(), (dir / "gnuplot.err").string());
  int status = std::system(command.c_str());
  std::string err;
  if (status != 0) {
    std::ifstream in(dir / "gnuplot.err");
    std::getline(in, err, '\0');
    if (status == 127 * 256 || err.find("not found") != std::string::npos)
      err = "gnuplot is not installed (apt-get install gnuplot-nox)";
  }
  std::filesystem::remove_all(dir);
  if (status != 0) return fmt::format("gnuplot failed: {}", err.empty() ? "no message" : err);
  return "";
}

}  // namespace memspice::apps
