#pragma once
// elaborate(): netlist AST -> FlatCircuit.
//  1. Parameters are scoped lexically: a subcircuit body sees its instance parameters, its own
//     .param cards, then the scope where the subcircuit was defined, up to the top level.
//     Instance parameter overrides are evaluated in the caller's scope.
//  2. X instances are expanded recursively (recursion is an error), nodes and devices get
//     hierarchical names (see flat_circuit.hpp), models are bound by lexical lookup and type.
//  3. References that may point forward (K, F, H, W, B-source v()/i(), outputs, .ic) are
//     resolved after the whole hierarchy is expanded.
// All problems go to Diagnostics; the result is returned only if there were none.
#include <cstdint>
#include <map>
#include <optional>
#include <optional>
#include <string>

#include "elab/flat_circuit.hpp"
#include "source/diagnostics.hpp"
#include "spice/netlist.hpp"

namespace memspice::elab {

struct ElabOptions {
  // Top-level parameters fixed to a value (.step and command-line overrides).
  std::map<std::string, double> overrides;
  // Seed of agauss/gauss/aunif/unif (--seed); without it, `.options seed=` (which may be an
  // expression of parameters, e.g. a .step trial number), else 1.
  std::optional<std::uint64_t> seed;
  // Guard against decks that expand exponentially.
  std::size_t maxInstances = 20'000'000;
};

std::optional<FlatCircuit> elaborate(const netlist::Netlist& netlist, Diagnostics& diags,
                                     const ElabOptions& options = {});

}  // namespace memspice::elab
