#include "edges.hpp"

#include <fmt/format.h>

#include "register_builtin.hpp"
#include "xbar_error.hpp"

namespace memspice::xbar {

std::vector<EdgeKernel> standardEdgeKernels() {
  return {{"lateral", {-1, -1, -1, 0, 0, 0, 1, 1, 1}}, {"vertical", {-1, 0, 1, -1, 0, 1, -1, 0, 1}}};
}

EdgeRun detectEdges(const GrayImage& image, const std::vector<EdgeKernel>& kernels, const EdgeOptions& options) {
  if (kernels.empty()) throw XbarError("edge detection: no kernels");
  if (image.width == 0 || image.height == 0) throw XbarError("edge detection: empty image");
  validate(options.array);  // the devices: mapLayer checks them
  validateCells(options.array, options.devices);
  DenseLayer layer;
  layer.in = 9;
  layer.out = kernels.size();
  layer.w.resize(layer.in * layer.out);
  layer.b.assign(layer.out, 0.0f);
  for (std::size_t j = 0; j < kernels.size(); ++j)
    for (std::size_t i = 0; i < 9; ++i) layer.w[i * layer.out + j] = kernels[j].w[i];
  const MappedLayer mapped = mapLayer(layer, options.devices, 0);

  engine::ModelRegistry registry;
  models::registerBuiltinModels(registry);
  EdgeRun run;
  run.table = tabulateNeuron(options.neuron, registry);
  run.mirror = options.neuron.iunit / (options.array.vread * mapped.scale);
  LayerCircuit circuit(mapped, options.array, 0, registry, SolveMode::Response, options.devices.readNoise > 0);

  const std::size_t n = image.width * image.height;
  for (const auto& k : kernels) run.maps.push_back({k.name, std::vector<double>(n), std::vector<double>(n), std::vector<double>(n)});
  std::vector<double> vin(10), idiff;
  for (std::size_t y = 0; y < image.height; ++y)
    for (std::size_t x = 0; x < image.width; ++x) {
      std::array<double, 9> patch{};
      for (std::size_t dy = 0; dy < 3; ++dy)
        for (std::size_t dx = 0; dx < 3; ++dx) {
          // Pixel (x + dx - 1, y + dy - 1); unsigned wrap-around lands beyond the border.
          const std::size_t px = x + dx - 1, py = y + dy - 1;
          patch[dy * 3 + dx] = px < image.width && py < image.height ? image.at(px, py) : 0.0;
        }
      for (std::size_t i = 0; i < 9; ++i) vin[i] = options.array.vread * patch[i];
      vin[9] = options.array.vread;  // the bias row
      double power = 0;
      const std::size_t at = y * image.width + x;
      const ReadDraw read = readDraw(options.devices, 0, at);  // each patch is one read
      circuit.solve(vin, idiff, power, &read);
      for (std::size_t j = 0; j < kernels.size(); ++j) {
        EdgeMap& m = run.maps[j];
        double z = 0;
        for (std::size_t i = 0; i < 9; ++i) z += kernels[j].w[i] * patch[i];
        bool beyond = false;
        m.preActivation[at] = z;
        m.current[at] = idiff[j] * run.mirror;
        m.vout[at] = run.table(m.current[at], &beyond);
        run.outsideTable += beyond;
      }
    }
  return run;
}

}  // namespace memspice::xbar
