#pragma once
// Helpers shared by the crossbar tool's tests: the MNIST path, the error text of a call, small
// random networks and images, one registry of the built-in models, and an exported deck's
// sense currents.
#include <fmt/format.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "device/registry.hpp"
#include "mnist.hpp"
#include "network.hpp"
#include "register_builtin.hpp"
#include "support/sim_helpers.hpp"
#include "xbar_error.hpp"

namespace memspice::xbar::test {

namespace xb = memspice::xbar;

// The MNIST files that set-up fetches (scripts/setup.sh).
inline const std::filesystem::path kMnist = std::filesystem::path(MEMSPICE_SOURCE_DIR) / "data/mnist";

inline std::string errorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const xb::XbarError& e) {
    return e.what();
  }
  return "(no error)";
}

// A small random network: sizes[0] inputs, uniform weights in [-0.5, 0.5), biases a fifth of that.
inline xb::Network randomNetwork(const std::vector<std::size_t>& sizes, unsigned seed) {
  xb::Network net;
  std::uint32_t state = seed;
  auto next = [&] {
    state = state * 1664525u + 1013904223u;
    return static_cast<float>((state >> 8) * (1.0 / 16777216.0)) - 0.5f;
  };
  for (std::size_t k = 0; k + 1 < sizes.size(); ++k) {
    xb::DenseLayer l;
    l.in = sizes[k];
    l.out = sizes[k + 1];
    for (std::size_t i = 0; i < l.in * l.out; ++i) l.w.push_back(next());
    for (std::size_t j = 0; j < l.out; ++j) l.b.push_back(0.2f * next());
    net.layers.push_back(l);
  }
  return net;
}

inline xb::Dataset randomImages(std::size_t count, std::size_t features) {
  xb::Dataset d;
  d.count = count;
  d.features = features;
  for (std::size_t i = 0; i < count * features; ++i) d.x.push_back(static_cast<float>((i * 37 % 101) / 100.0));
  for (std::size_t i = 0; i < count; ++i) d.labels.push_back(static_cast<std::uint8_t>(i % 10));
  return d;
}

inline const engine::ModelRegistry& builtinRegistry() {
  static const engine::ModelRegistry registry = [] {
    engine::ModelRegistry r;
    models::registerBuiltinModels(r);
    return r;
  }();
  return registry;
}

// The sense currents i(vs0), i(vs1), ... of an exported tile deck, run through the memspice
// front end as a user runs it (its first line is the title, as in any SPICE deck), at the end
// of its analysis (.op: its one point; .tran: the read time). Empty if the deck does not run.
inline std::vector<double> deckSenseCurrents(const std::string& deck, std::size_t lines) {
  // Disk files: a deck with device cells includes their library.
  auto r = memspice::test::run(deck.substr(deck.find('\n') + 1), {}, DiskFileProvider{});
  std::vector<double> out;
  if (!r.errors.empty()) return out;
  for (std::size_t p = 0; p < lines; ++p) {
    auto c = memspice::test::column(r, fmt::format("i(vs{})", p));
    if (c.empty()) return {};
    out.push_back(c.back());
  }
  return out;
}

}  // namespace memspice::xbar::test
