#pragma once
// Thin-film transistor families (plug-in model types for N and Y cards).
#include <memory>

#include "device/device.hpp"
#include "elab/flat_circuit.hpp"

namespace memspice::models {

// .model name igzo ...: amorphous-oxide TFT, terminals drain gate source (docs/models/igzo-tft.md).
std::unique_ptr<engine::Device> makeIgzoTft(const elab::FlatInstance& i, const elab::FlatCircuit& c);

}  // namespace memspice::models
