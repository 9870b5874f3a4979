#pragma once
// Which .model types each element letter accepts. Plug-in devices (Y, N) accept any type:
// the engine's model registry decides.
#include <optional>
#include <string>

namespace memspice::elab {

// nullopt if `modelType` suits element `type`, else a phrase naming what it needs.
inline std::optional<std::string> requiredModelType(char type, const std::string& modelType) {
  auto is = [&](std::initializer_list<const char*> names) {
    for (const char* n : names)
      if (modelType == n) return true;
    return false;
  };
  switch (type) {
    case 'r': return is({"r", "res"}) ? std::nullopt : std::optional<std::string>("an 'r' model");
    case 'c': return is({"c"}) ? std::nullopt : std::optional<std::string>("a 'c' model");
    case 'l': return is({"l"}) ? std::nullopt : std::optional<std::string>("an 'l' model");
    case 'd': return is({"d"}) ? std::nullopt : std::optional<std::string>("a 'd' model");
    case 'm': return is({"nmos", "pmos"}) ? std::nullopt : std::optional<std::string>("an 'nmos' or 'pmos' model");
    case 's': return is({"sw", "vswitch"}) ? std::nullopt : std::optional<std::string>("an 'sw' model");
    case 'w': return is({"csw", "iswitch"}) ? std::nullopt : std::optional<std::string>("a 'csw' model");
    default: return std::nullopt;
  }
}

}  // namespace memspice::elab
