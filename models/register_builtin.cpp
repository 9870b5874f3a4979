#include "register_builtin.hpp"

#include "builtin/builtin_devices.hpp"

namespace memspice::models {

void registerBuiltinModels(engine::ModelRegistry& registry) {
  registry.addElement('r', makeResistor);
  registry.addElement('c', makeCapacitor);
  registry.addElement('l', makeInductor);
  registry.addElement('k', makeCoupling);
  registry.addElement('v', makeVoltageSource);
  registry.addElement('i', makeCurrentSource);
  registry.addElement('e', makeVcvs);
  registry.addElement('g', makeVccs);
  registry.addElement('f', makeCccs);
  registry.addElement('h', makeCcvs);
  registry.addElement('d', makeDiode);
  registry.addElement('m', makeMosfet1);
}

}  // namespace memspice::models
