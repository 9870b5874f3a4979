#include "step_runner.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <map>
#include <optional>

#include "analysis/sweep_values.hpp"

namespace memspice::engine {

namespace {

using Target = elab::FlatSweep::Target;
using Point = std::vector<std::pair<std::string, double>>;

std::string stepName(const elab::FlatSweep& s) {
  if (s.target == Target::Temperature) return "temp";
  if (s.target == Target::ModelParam) return fmt::format("{}({})", s.name, s.modelParam);
  return s.name;
}

// Sets a source's DC value or a resistor's resistance; "" or why it cannot.
std::string setInstanceValue(elab::FlatInstance& inst, double v) {
  if (inst.type == 'r') {
    if (!inst.values.empty()) {
      inst.values[0] = v;
    } else {
      bool found = false;
      for (elab::FlatParam& p : inst.params)
        if (p.name == "r" || p.name == "resistance") p.value = v, found = true;
      if (!found) inst.params.push_back({"r", v, inst.loc});
    }
    return "";
  }
  if (!inst.source) inst.source = elab::FlatSource{};
  if (inst.source->waveform)
    return fmt::format("'{}' has a {} time function, which '.step' would not change; step a .param used in it "
                       "instead", inst.name, inst.source->waveform->kind);
  inst.source->dc = v;
  return "";
}

std::string setModelParam(elab::FlatCircuit& c, const std::string& model, const std::string& param, double v) {
  for (elab::FlatModel& m : c.models) {
    if (m.name != model) continue;
    for (elab::FlatParam& p : m.params)
      if (p.name == param) {
        p.value = v;
        return "";
      }
    m.params.push_back({param, v, m.loc});
    return "";
  }
  return fmt::format("no model '{}'", model);
}

}  // namespace

std::string describePoint(const Point& point) {
  std::string out;
  for (const auto& [name, value] : point) out += fmt::format("{}{} = {:g}", out.empty() ? "" : ", ", name, value);
  return out;
}

std::vector<Point> stepPoints(const elab::FlatCircuit& circuit) {
  std::vector<Point> points{{}};
  // Build outer to inner so the first card ends up varying fastest.
  for (auto s = circuit.steps.rbegin(); s != circuit.steps.rend(); ++s) {
    std::vector<Point> next;
    for (const Point& p : points)
      for (double v : sweepValues(*s)) {
        Point q = p;
        q.emplace_back(stepName(*s), v);
        next.push_back(std::move(q));
      }
    points = std::move(next);
  }
  // Points list their variables in card order.
  for (Point& p : points) std::reverse(p.begin(), p.end());
  return points;
}

std::vector<StepRun> runSteps(const elab::FlatCircuit& circuit, const ModelRegistry& registry, Diagnostics& diags,
                              const Reelaborate& reelaborate, const StepProgress& progress,
                              SimulationOptions* options) {
  std::vector<StepRun> runs;
  std::vector<Point> points = stepPoints(circuit);
  bool stepping = !circuit.steps.empty();
  bool anyParam = false;
  for (const elab::FlatSweep& s : circuit.steps) anyParam = anyParam || s.target == Target::Param;
  if (anyParam && !reelaborate) {
    diags.error(circuit.steps.front().loc, "this program cannot re-elaborate the deck, so '.step' cannot set a parameter");
    return runs;
  }
  // Options are checked once, not at every point.
  std::size_t errorsBefore = diags.errorCount();
  SimulationOptions checked = simulationOptions(circuit, diags);
  if (options) *options = checked;
  if (diags.errorCount() > errorsBefore) return runs;
  for (std::size_t k = 0; k < points.size(); ++k) {
    const Point& point = points[k];
    StepRun run;
    run.point = point;
    // Messages of a step carry its values; a point's own Diagnostics keeps them apart.
    Diagnostics local;
    std::map<std::string, double> params;
    for (std::size_t i = 0; i < circuit.steps.size(); ++i)
      if (circuit.steps[i].target == Target::Param) params[circuit.steps[i].name] = point[i].second;
    std::optional<elab::FlatCircuit> stepped;
    if (anyParam) stepped = reelaborate(params);
    else if (stepping) stepped = circuit;
    bool ok = !anyParam || stepped.has_value();
    if (!ok) local.error(circuit.steps.front().loc, "the deck does not elaborate with these values");
    for (std::size_t i = 0; ok && i < circuit.steps.size(); ++i) {
      const elab::FlatSweep& s = circuit.steps[i];
      double v = point[i].second;
      std::string problem;
      if (s.target == Target::Temperature) {
        stepped->temps = {v};
      } else if (s.target == Target::ModelParam) {
        problem = setModelParam(*stepped, s.name, s.modelParam, v);
      } else if (s.target == Target::Source) {
        int d = stepped->findInstance(s.name);
        problem = d < 0 ? fmt::format("no device '{}'", s.name)
                        : setInstanceValue(stepped->instances[static_cast<std::size_t>(d)], v);
      }
      if (!problem.empty()) {
        local.error(s.loc, problem);
        ok = false;
      }
    }
    if (ok) {
      const elab::FlatCircuit& c = stepped ? *stepped : circuit;
      // A .dc over a parameter inside a step keeps the step's parameters fixed too.
      Reelaborate inner;
      if (reelaborate)
        inner = [&reelaborate, params](const std::map<std::string, double>& more) {
          std::map<std::string, double> all = params;
          for (const auto& [n, v] : more) all[n] = v;
          return reelaborate(all);
        };
      Simulator sim(c, registry, local, inner);
      if (!local.hasErrors()) run.plots = sim.run();
      run.stats = sim.stats();
      run.measures = evaluateMeasures(c, run.plots);
    }
    run.ok = !local.hasErrors();
    std::string prefix = stepping ? fmt::format("step {} ({}): ", k + 1, describePoint(point)) : "";
    // Errors name the point; a warning repeated at every point is reported once.
    for (const Diagnostic& d : local.all()) {
      if (d.severity == Severity::Error) diags.error(d.loc, prefix + d.message);
      else diags.warning(d.loc, d.message);
    }
    runs.push_back(std::move(run));
    if (progress) progress(k + 1, points.size());
  }
  return runs;
}

}  // namespace memspice::engine
