#include "elab/flat_circuit.hpp"

namespace memspice::elab {

std::optional<NodeId> FlatCircuit::findNode(std::string_view name) const {
  for (std::size_t i = 0; i < nodes.size(); ++i)
    if (nodes[i] == name) return static_cast<NodeId>(i);
  return std::nullopt;
}

int FlatCircuit::findInstance(std::string_view name) const {
  for (std::size_t i = 0; i < instances.size(); ++i)
    if (instances[i].name == name) return static_cast<int>(i);
  return -1;
}

}  // namespace memspice::elab
