#pragma once
// Memristive device families (plug-in model types for N and Y cards).
#include <memory>

#include "device/device.hpp"
#include "elab/flat_circuit.hpp"

namespace memspice::models {

// .model name vtg ...: the volatile tunnelling-gap memristor (docs/models/vtg-memristor.md).
std::unique_ptr<engine::Device> makeVtgMemristor(const elab::FlatInstance& i, const elab::FlatCircuit& c);
// .model name team / vteam: Kvatinsky's current- and voltage-threshold models (docs/models/team.md).
std::unique_ptr<engine::Device> makeTeamMemristor(const elab::FlatInstance& i, const elab::FlatCircuit& c);
std::unique_ptr<engine::Device> makeVteamMemristor(const elab::FlatInstance& i, const elab::FlatCircuit& c);
// .model name yakopcic: the Yakopcic generalized model (docs/models/yakopcic.md).
std::unique_ptr<engine::Device> makeYakopcicMemristor(const elab::FlatInstance& i, const elab::FlatCircuit& c);
// .model name stanford_rram: the Stanford/PKU gap RRAM model v1.0.0 (docs/models/stanford-rram.md).
std::unique_ptr<engine::Device> makeStanfordRram(const elab::FlatInstance& i, const elab::FlatCircuit& c);
// .model name perovskite: the threshold-switching memristor of the perovskite LIF neuron,
// with a stochastic threshold per switching event (docs/models/perovskite-lif.md).
std::unique_ptr<engine::Device> makePerovskiteMemristor(const elab::FlatInstance& i, const elab::FlatCircuit& c);
// .model name memristor level=2|3: Xyce's names for TEAM and Yakopcic.
std::unique_ptr<engine::Device> makeXyceMemristor(const elab::FlatInstance& i, const elab::FlatCircuit& c);

}  // namespace memspice::models
