#pragma once
// Factories of the built-in devices; register_builtin.cpp maps element letters to them.
#include <memory>

#include "device/device.hpp"
#include "elab/flat_circuit.hpp"

namespace memspice::models {

using Factory = std::unique_ptr<engine::Device> (*)(const elab::FlatInstance&, const elab::FlatCircuit&);

std::unique_ptr<engine::Device> makeResistor(const elab::FlatInstance&, const elab::FlatCircuit&);
std::unique_ptr<engine::Device> makeCapacitor(const elab::FlatInstance&, const elab::FlatCircuit&);
std::unique_ptr<engine::Device> makeInductor(const elab::FlatInstance&, const elab::FlatCircuit&);
std::unique_ptr<engine::Device> makeCoupling(const elab::FlatInstance&, const elab::FlatCircuit&);
std::unique_ptr<engine::Device> makeVoltageSource(const elab::FlatInstance&, const elab::FlatCircuit&);
std::unique_ptr<engine::Device> makeCurrentSource(const elab::FlatInstance&, const elab::FlatCircuit&);
std::unique_ptr<engine::Device> makeVcvs(const elab::FlatInstance&, const elab::FlatCircuit&);
std::unique_ptr<engine::Device> makeVccs(const elab::FlatInstance&, const elab::FlatCircuit&);
std::unique_ptr<engine::Device> makeCccs(const elab::FlatInstance&, const elab::FlatCircuit&);
std::unique_ptr<engine::Device> makeCcvs(const elab::FlatInstance&, const elab::FlatCircuit&);
std::unique_ptr<engine::Device> makeDiode(const elab::FlatInstance&, const elab::FlatCircuit&);
std::unique_ptr<engine::Device> makeBehavioural(const elab::FlatInstance&, const elab::FlatCircuit&);
std::unique_ptr<engine::Device> makeSwitch(const elab::FlatInstance&, const elab::FlatCircuit&);
std::unique_ptr<engine::Device> makeMosfet1(const elab::FlatInstance&, const elab::FlatCircuit&);

}  // namespace memspice::models
