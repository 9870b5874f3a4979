#pragma once
// The MNA system of a flat circuit: every instance made into a device by the registry, wired
// to its nodes (and to the devices it references: K, F, H, W). Problems are reported to the
// Diagnostics at each instance's netlist location; nullptr means at least one was reported.
// The simulator and the tools (tools/xbar) build their systems this one way.
#include <memory>
#include <span>

#include "device/registry.hpp"
#include "source/diagnostics.hpp"
#include "system/mna_system.hpp"

namespace memspice::engine {

std::unique_ptr<MnaSystem> buildMnaSystem(std::span<const elab::FlatInstance* const> instances,
                                          const elab::FlatCircuit& circuit, const ModelRegistry& registry,
                                          Diagnostics& diags);

// All of the circuit's own instances.
std::unique_ptr<MnaSystem> buildMnaSystem(const elab::FlatCircuit& circuit, const ModelRegistry& registry,
                                          Diagnostics& diags);

}  // namespace memspice::engine
