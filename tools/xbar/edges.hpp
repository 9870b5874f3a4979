#pragma once
// Edge detection through a crossbar and neuron circuits (the mReLU paper's Fig. 5). Each 3x3
// kernel is one differential column of a 9-row crossbar (plus the bias row, at zero weight);
// the image's 3x3 neighbourhood of every pixel drives the rows at vread times the pixel value
// (zero beyond the border), and the column current, scaled by the mirror ratio so that a
// pre-activation z enters the neuron as z iunit, is turned into a voltage by the neuron's
// tabulated DC transfer (neuron.hpp).
#include <array>
#include <string>
#include <vector>

#include "crossbar.hpp"
#include "mapping.hpp"
#include "neuron.hpp"
#include "pgm.hpp"

namespace memspice::xbar {

struct EdgeKernel {
  std::string name;
  std::array<float, 9> w;  // row-major 3x3
};
// Prewitt's lateral (responds to horizontal edges) and vertical kernels.
std::vector<EdgeKernel> standardEdgeKernels();

struct EdgeOptions {
  ArrayOptions array;
  DeviceOptions devices;
  NeuronOptions neuron;
};

struct EdgeMap {
  std::string kernel;
  std::vector<double> preActivation;  // the software convolution, sum w p
  std::vector<double> current;        // A into the neuron
  std::vector<double> vout;           // V, the neuron's output
};

struct EdgeRun {
  std::vector<EdgeMap> maps;
  NeuronTable table;
  double mirror = 0;           // neuron current per column current
  std::size_t outsideTable = 0;
};

EdgeRun detectEdges(const GrayImage& image, const std::vector<EdgeKernel>& kernels, const EdgeOptions& options);

}  // namespace memspice::xbar
