#pragma once
// Memristive device families (plug-in model types for N and Y cards).
#include <memory>

#include "device/device.hpp"
#include "elab/flat_circuit.hpp"

namespace memspice::models {

// .model name vtg ...: the volatile tunnelling-gap memristor (docs/models/vtg-memristor.md).
std::unique_ptr<engine::Device> makeVtgMemristor(const elab::FlatInstance& i, const elab::FlatCircuit& c);

}  // namespace memspice::models
