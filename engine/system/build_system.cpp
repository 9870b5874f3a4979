#include "system/build_system.hpp"

#include <vector>

namespace memspice::engine {

std::unique_ptr<MnaSystem> buildMnaSystem(std::span<const elab::FlatInstance* const> instances,
                                          const elab::FlatCircuit& circuit, const ModelRegistry& registry,
                                          Diagnostics& diags) {
  std::vector<std::unique_ptr<Device>> devices;
  std::vector<std::vector<Connection>> connections;
  bool ok = true;
  for (const elab::FlatInstance* instance : instances) {
    const elab::FlatInstance& inst = *instance;
    try {
      devices.push_back(registry.create(inst, circuit));
    } catch (const DeviceError& e) {
      diags.error(inst.loc, e.what());
      ok = false;
      continue;
    }
    std::vector<Connection> conn;
    for (int node : inst.nodes) conn.push_back({node, -1, 0});
    for (int ref : inst.refs) conn.push_back({0, ref, 0});
    for (const Connection& probe : devices.back()->probeConnections()) conn.push_back(probe);
    connections.push_back(std::move(conn));
  }
  if (!ok) return nullptr;
  try {
    return std::make_unique<MnaSystem>(std::move(devices), connections, circuit.nodes);
  } catch (const ConnectionError& e) {
    SourceLoc loc = e.device() < instances.size() ? instances[e.device()]->loc : SourceLoc{};
    diags.error(loc, e.what());
    return nullptr;
  }
}

std::unique_ptr<MnaSystem> buildMnaSystem(const elab::FlatCircuit& circuit, const ModelRegistry& registry,
                                          Diagnostics& diags) {
  std::vector<const elab::FlatInstance*> instances;
  for (const elab::FlatInstance& inst : circuit.instances) instances.push_back(&inst);
  return buildMnaSystem(instances, circuit, registry, diags);
}

}  // namespace memspice::engine
