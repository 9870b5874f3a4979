#pragma once
// Elaboration of .measure statements: the parser keeps a measure as keyword clauses
// (`trig v(a) val=0.5 rise=2`, `at=1n`, `param='x*2'`); this turns them into a FlatMeasure
// of one kind, with variables bound to the flat circuit and settings evaluated, and reports
// what does not form a measurement at the clause or setting concerned.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "elab/flat_circuit.hpp"
#include "source/diagnostics.hpp"

namespace memspice::elab {

struct MeasureBinder {
  // An output variable bound to the flat circuit (errors reported by the binder).
  std::function<std::optional<FlatOutputVar>(const netlist::OutputVar&)> var;
  // A setting's value in the top-level scope.
  std::function<std::optional<double>(const netlist::Value&)> value;
  // An expression bound to the flat circuit with parameters folded; the names in `keep` (earlier
  // measures) stay symbolic. Null after an error.
  std::function<expr::NodePtr(const expr::Node&, const std::vector<std::string>& keep)> bind;
};

// `earlier`: names of the measures before this one, which param= expressions may use.
std::optional<FlatMeasure> elaborateMeasure(const netlist::Measure& m, const std::vector<std::string>& earlier,
                                            const MeasureBinder& binder, Diagnostics& diags);

}  // namespace memspice::elab
