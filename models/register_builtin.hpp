#pragma once
// registerBuiltinModels: puts every built-in device family into a registry. Programs call it
// once; the engine itself knows no model.
#include "device/registry.hpp"

namespace memspice::models {

void registerBuiltinModels(engine::ModelRegistry& registry);

}  // namespace memspice::models
