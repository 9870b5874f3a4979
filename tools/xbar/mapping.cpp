#include "mapping.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "expr/counter_rng.hpp"
#include "xbar_error.hpp"

namespace memspice::xbar {

void validate(const DeviceOptions& o) {
  if (!(o.gmin > 0) || !(o.gmax > o.gmin))
    throw XbarError(fmt::format("conductance range: expected 0 < gmin < gmax, got gmin={} gmax={}", o.gmin, o.gmax));
  if (o.bits < 0 || o.bits > 16) throw XbarError(fmt::format("bits: expected 0 (analog) to 16, got {}", o.bits));
  if (!(o.progError >= 0) || o.progError >= 1)
    throw XbarError(fmt::format("programming error: expected a fraction in [0, 1), got {}", o.progError));
  if (!(o.stuckOn >= 0) || !(o.stuckOff >= 0) || o.stuckOn + o.stuckOff >= 1)
    throw XbarError(fmt::format("stuck devices: expected fractions with sum below 1, got on={} off={}", o.stuckOn, o.stuckOff));
  if (!(o.readNoise >= 0) || o.readNoise >= 1)
    throw XbarError(fmt::format("read noise: expected a fraction in [0, 1), got {}", o.readNoise));
}

double ReadDraw::factor(std::size_t device) const {
  return sigma > 0 ? std::max(1 + sigma * rng::normal(rng::keyed(key, device)), 1e-3) : 1.0;
}

ReadDraw readDraw(const DeviceOptions& o, std::size_t layerIndex, std::size_t read) {
  return {rng::keyed(rng::keyed(rng::key(o.seed, "read"), layerIndex), read), o.readNoise};
}

MappedLayer mapLayer(const DenseLayer& layer, const DeviceOptions& o, std::size_t layerIndex) {
  validate(o);
  MappedLayer m;
  m.rows = layer.in + 1;
  m.cols = layer.out;
  auto weight = [&](std::size_t r, std::size_t c) {
    return static_cast<double>(r < layer.in ? layer.w[r * layer.out + c] : layer.b[c]);
  };
  double wmax = 0;
  for (std::size_t r = 0; r < m.rows; ++r)
    for (std::size_t c = 0; c < m.cols; ++c) wmax = std::max(wmax, std::fabs(weight(r, c)));
  const double range = o.gmax - o.gmin;
  m.scale = wmax > 0 ? range / wmax : range;
  const double levelStep = o.bits > 0 ? range / static_cast<double>((1 << o.bits) - 1) : 0;
  const std::uint64_t key = rng::keyed(rng::key(o.seed, "program"), layerIndex);
  auto program = [&](double target, std::uint64_t cell) {
    double g = target;
    if (levelStep > 0) g = o.gmin + std::round((g - o.gmin) / levelStep) * levelStep;
    if (o.progError > 0) g += o.progError * range * rng::normal(rng::keyed(key, 4 * cell));
    g = std::clamp(g, o.gmin, o.gmax);
    double u = rng::unit(rng::keyed(key, 4 * cell + 2));
    if (u < o.stuckOn) g = o.gmax;
    else if (u < o.stuckOn + o.stuckOff) g = o.gmin;
    return g;
  };
  m.gpos.resize(m.rows * m.cols);
  m.gneg.resize(m.rows * m.cols);
  for (std::size_t r = 0; r < m.rows; ++r)
    for (std::size_t c = 0; c < m.cols; ++c) {
      double w = weight(r, c);
      std::size_t i = r * m.cols + c;
      double g = o.gmin + std::fabs(w) * m.scale;
      m.gpos[i] = program(w >= 0 ? g : o.gmin, 2 * i);
      m.gneg[i] = program(w >= 0 ? o.gmin : g, 2 * i + 1);
    }
  return m;
}

}  // namespace memspice::xbar
