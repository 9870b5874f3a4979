#pragma once
// Weights to device conductances. Each weight is a differential pair (G+, G-) between gmin and
// gmax: w >= 0 puts gmin + w s on G+ and gmin on G-, w < 0 the reverse, with s = (gmax - gmin) /
// max|w| over the layer (bias row included). Then, per device: quantisation to 2^bits levels,
// a seeded Gaussian programming error, and stuck devices. Draws are keyed by (seed, layer,
// cell), so a mapping does not depend on thread count or order. Read noise varies the
// programmed conductances from read to read (ReadDraw).
#include <cstdint>
#include <vector>

#include "network.hpp"

namespace memspice::xbar {

struct DeviceOptions {
  double gmin = 1e-6;       // S (1 Mohm)
  double gmax = 1e-4;       // S (10 kohm)
  int bits = 0;             // 0: analog; N: 2^N equally spaced levels from gmin to gmax
  double progError = 0;     // RMS programming error as a fraction of gmax - gmin
  double stuckOn = 0;       // fraction of devices stuck at gmax ...
  double stuckOff = 0;      // ... and at gmin
  double readNoise = 0;     // RMS read noise as a fraction of each device's programmed conductance
  std::uint64_t seed = 1;
};

struct MappedLayer {
  std::size_t rows = 0, cols = 0;  // rows = inputs + 1 (the bias row, driven at the read voltage)
  std::vector<double> gpos, gneg;  // rows x cols, row-major
  double scale = 0;                // siemens per unit weight
};

MappedLayer mapLayer(const DenseLayer& layer, const DeviceOptions& options, std::size_t layerIndex);

// One read of a layer (one input through it): every device conducts its programmed g times
// factor(device) = 1 + readNoise N(0, 1), drawn anew for each read and keyed by (seed, layer,
// read, device), so results do not depend on threads. device = 2 (row cols + col), + 1 for G-
// (the numbering of mapLayer's draws). A factor is kept above 1e-3: a device does not conduct
// negatively (that needs readNoise above 0.3 to happen once in 10^4 reads).
struct ReadDraw {
  std::uint64_t key = 0;
  double sigma = 0;
  double factor(std::size_t device) const;
};
ReadDraw readDraw(const DeviceOptions& options, std::size_t layerIndex, std::size_t read);

// Checks ranges (gmin < gmax, bits 0..16, fractions in [0, 1)); throws XbarError.
void validate(const DeviceOptions& options);

}  // namespace memspice::xbar
