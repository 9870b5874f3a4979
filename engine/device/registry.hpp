#pragma once
// ModelRegistry: how flat-circuit instances become devices. A model family registers a
// factory for an element letter (built-ins: 'r', 'v', ...) or for a model type name (plug-in
// families used by N and Y cards, e.g. "tgap"); the engine never names a model itself.
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "device/device.hpp"
#include "elab/flat_circuit.hpp"

namespace memspice::engine {

using DeviceFactory =
    std::function<std::unique_ptr<Device>(const elab::FlatInstance&, const elab::FlatCircuit&)>;

class ModelRegistry {
 public:
  void addElement(char letter, DeviceFactory factory) { byLetter_[letter] = std::move(factory); }
  void addModelType(const std::string& type, DeviceFactory factory) { byType_[type] = std::move(factory); }

  // The device for `inst`, or throws DeviceError saying why there is none.
  std::unique_ptr<Device> create(const elab::FlatInstance& inst, const elab::FlatCircuit& circuit) const;

 private:
  std::map<char, DeviceFactory> byLetter_;
  std::map<std::string, DeviceFactory> byType_;
};

}  // namespace memspice::engine
