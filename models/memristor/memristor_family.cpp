// Xyce's `.model name memristor level=N`: level 2 is TEAM, level 3 Yakopcic, so that Xyce
// decks with YMEMRISTOR devices run unchanged.
#include <fmt/format.h>

#include "memristor/memristor_models.hpp"

namespace memspice::models {

std::unique_ptr<engine::Device> makeXyceMemristor(const elab::FlatInstance& i, const elab::FlatCircuit& c) {
  const elab::FlatModel& model = c.models[static_cast<std::size_t>(i.model)];
  double level = -1;
  for (const elab::FlatParam& p : model.params)
    if (p.name == "level") level = p.value;
  if (level == 2) return makeTeamMemristor(i, c);
  if (level == 3) return makeYakopcicMemristor(i, c);
  if (level == 4)
    throw engine::DeviceError(fmt::format("'{}': memristor level=4 (Xyce's PEM model) is not available in memspice; "
                                          "levels 2 (TEAM) and 3 (Yakopcic) are",
                                          i.name));
  throw engine::DeviceError(fmt::format("'{}': model '{}' needs level=2 (TEAM) or level=3 (Yakopcic){}", i.name,
                                        model.name, level < 0 ? "" : fmt::format(", not level={:g}", level)));
}

}  // namespace memspice::models
