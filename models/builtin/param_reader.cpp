#include "builtin/param_reader.hpp"

#include <fmt/format.h>

namespace memspice::models {

ParamReader::ParamReader(const elab::FlatInstance& inst, const elab::FlatCircuit& circuit, std::string_view kind)
    : inst_(inst), kind_(kind) {
  if (inst.model >= 0) model_ = &circuit.models[static_cast<std::size_t>(inst.model)];
}

std::optional<double> ParamReader::instance(std::string_view name) {
  used_.insert("i:" + std::string(name));
  if (const elab::FlatParam* p = inst_.param(name)) return p->value;
  return std::nullopt;
}

std::optional<double> ParamReader::model(std::string_view name) {
  used_.insert("m:" + std::string(name));
  if (!model_) return std::nullopt;
  for (const elab::FlatParam& p : model_->params)
    if (p.name == name) return p.value;
  return std::nullopt;
}

double ParamReader::either(std::string_view name, double def) {
  auto i = instance(name);
  auto m = model(name);
  return i ? *i : m ? *m : def;
}

void ParamReader::finish() const {
  for (const elab::FlatParam& p : inst_.params)
    if (!used_.count("i:" + p.name)) fail(fmt::format("{} '{}' has no parameter '{}'", kind_, inst_.name, p.name));
  if (model_)
    for (const elab::FlatParam& p : model_->params)
      if (!used_.count("m:" + p.name) && p.name != "level")
        fail(fmt::format("{} model '{}' has no parameter '{}'", kind_, model_->name, p.name));
}

void ParamReader::fail(const std::string& message) const { throw engine::DeviceError(message); }

void ParamReader::requirePositive(double value, std::string_view name) const {
  if (!(value > 0)) fail(fmt::format("'{}': {}= must be positive", inst_.name, name));
}

}  // namespace memspice::models
