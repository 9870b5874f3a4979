#pragma once
// ParamReader: a device constructor asks for each parameter it knows, with its default; at
// the end, finish() rejects any instance or model parameter nobody asked for, so a misspelt
// `rs=` is an error instead of a silent default.
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "device/device.hpp"
#include "elab/flat_circuit.hpp"

namespace memspice::models {

class ParamReader {
 public:
  ParamReader(const elab::FlatInstance& inst, const elab::FlatCircuit& circuit, std::string_view kind);

  std::optional<double> instance(std::string_view name);
  double instance(std::string_view name, double def) { return instance(name).value_or(def); }
  std::optional<double> model(std::string_view name);
  double model(std::string_view name, double def) { return model(name).value_or(def); }
  // Instance value overriding a model value (e.g. temp), else the default.
  double either(std::string_view name, double def);

  // Throws DeviceError naming the first parameter that was never read.
  void finish() const;
  [[noreturn]] void fail(const std::string& message) const;
  // Fails with "'<instance>': <name>= must be positive" unless value > 0.
  void requirePositive(double value, std::string_view name) const;

 private:
  const elab::FlatInstance& inst_;
  const elab::FlatModel* model_ = nullptr;
  std::string kind_;
  std::set<std::string> used_;
};

}  // namespace memspice::models
