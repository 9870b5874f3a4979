#include "device/registry.hpp"

#include <fmt/format.h>

namespace memspice::engine {

std::unique_ptr<Device> ModelRegistry::create(const elab::FlatInstance& inst, const elab::FlatCircuit& circuit) const {
  // Plug-in devices (N, Y) and any element whose model type has a family of its own.
  if (inst.model >= 0) {
    const std::string& type = circuit.models[static_cast<std::size_t>(inst.model)].type;
    auto it = byType_.find(type);
    if (it != byType_.end()) return it->second(inst, circuit);
    if (inst.type == 'n' || inst.type == 'y')
      throw DeviceError(fmt::format("no device model family '{}' is available for '{}'", type, inst.name));
  }
  auto it = byLetter_.find(inst.type);
  if (it == byLetter_.end())
    throw DeviceError(fmt::format("'{}' elements are not simulated by this version of memspice", inst.type));
  return it->second(inst, circuit);
}

}  // namespace memspice::engine
