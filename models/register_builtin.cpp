#include "register_builtin.hpp"

#include "builtin/builtin_devices.hpp"
#include "memristor/memristor_models.hpp"
#include "ndr/ndr_models.hpp"
#include "tft/tft_models.hpp"

namespace memspice::models {

void registerBuiltinModels(engine::ModelRegistry& registry) {
  registry.addElement('r', makeResistor);
  registry.addElement('c', makeCapacitor);
  registry.addElement('l', makeInductor);
  registry.addElement('k', makeCoupling);
  registry.addElement('v', makeVoltageSource);
  registry.addElement('i', makeCurrentSource);
  // E and G with value= are behavioural; plain gains are linear.
  registry.addElement('e', [](const elab::FlatInstance& i, const elab::FlatCircuit& c) {
    return i.behaviour ? makeBehavioural(i, c) : makeVcvs(i, c);
  });
  registry.addElement('g', [](const elab::FlatInstance& i, const elab::FlatCircuit& c) {
    return i.behaviour ? makeBehavioural(i, c) : makeVccs(i, c);
  });
  registry.addElement('b', makeBehavioural);
  registry.addElement('f', makeCccs);
  registry.addElement('h', makeCcvs);
  registry.addElement('d', makeDiode);
  registry.addElement('m', makeMosfet1);
  registry.addElement('s', makeSwitch);
  registry.addElement('w', makeSwitch);
  registry.addModelType("vtg", makeVtgMemristor);
  registry.addModelType("memristor", makeXyceMemristor);
  registry.addModelType("team", makeTeamMemristor);
  registry.addModelType("vteam", makeVteamMemristor);
  registry.addModelType("yakopcic", makeYakopcicMemristor);
  registry.addModelType("stanford_rram", makeStanfordRram);
  registry.addModelType("perovskite", makePerovskiteMemristor);
  registry.addModelType("ndr", makeNdr);
  registry.addModelType("ecram", makeEcram);
  registry.addModelType("ndr_ecram", makeNdrEcram);
  registry.addModelType("igzo", makeIgzoTft);
}

}  // namespace memspice::models
