#include "elab/flat_circuit.hpp"

#include <fmt/format.h>

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

std::vector<const FlatOutputVar*> FlatMeasure::vars() const {
  std::vector<const FlatOutputVar*> out;
  if (var) out.push_back(&*var);
  for (const auto* c : {&trig, &targ}) {
    if (!*c) continue;
    if ((*c)->var) out.push_back(&*(*c)->var);
    if ((*c)->levelVar) out.push_back(&*(*c)->levelVar);
  }
  return out;
}

std::string outputName(const FlatOutputVar& v, const FlatCircuit& c) {
  using K = netlist::OutputVar::Kind;
  auto node = [&](NodeId n) { return c.nodes[static_cast<std::size_t>(n)]; };
  auto device = [&] { return c.instances[static_cast<std::size_t>(v.device)].name; };
  switch (v.kind) {
    case K::Voltage:
    case K::Node: return v.b == 0 ? fmt::format("v({})", node(v.a)) : fmt::format("v({},{})", node(v.a), node(v.b));
    case K::Current: return fmt::format("i({})", device());
    case K::Power: return fmt::format("p({})", device());
    case K::Internal: return fmt::format("{}#{}", device(), v.suffix);
    case K::Quantity: return fmt::format("{}:{}", device(), v.suffix);
    case K::Expression: return expr::toString(*v.expr);
    case K::All: return "";
  }
  return "";
}

}  // namespace memspice::elab
