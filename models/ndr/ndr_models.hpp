#pragma once
// NDR and ECRAM device families (docs/models/ndr-ecram.md).
#include <memory>

#include "device/device.hpp"
#include "elab/flat_circuit.hpp"

namespace memspice::models {

// .model name ndr: an N-type negative-differential-resistance element (a k).
std::unique_ptr<engine::Device> makeNdr(const elab::FlatInstance& i, const elab::FlatCircuit& c);
// .model name ecram: an electrochemical RAM cell (d g s) with a non-volatile ion state.
std::unique_ptr<engine::Device> makeEcram(const elab::FlatInstance& i, const elab::FlatCircuit& c);
// .model name ndr_ecram: the NDR whose peak follows its own ECRAM (a k g).
std::unique_ptr<engine::Device> makeNdrEcram(const elab::FlatInstance& i, const elab::FlatCircuit& c);

}  // namespace memspice::models
