#pragma once
// Batch inference of a network through its crossbar circuits. Each layer's rows are driven at
// vread times the layer's input (pixels in [0, 1], then the previous neurons' outputs; the bias
// row at vread); the neuron of each logical column turns its differential current into
// act(I / (vread s)), s being the layer's siemens per unit weight, so ideal devices and wires
// give exactly the software network. Threads split the batch; each builds its own circuits.
#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "crossbar.hpp"
#include "mnist.hpp"
#include "network.hpp"

namespace memspice::xbar {

struct InferenceOptions {
  ArrayOptions array;
  DeviceOptions devices;
  int threads = 1;
  SolveMode solve = SolveMode::Response;
  double readTime = 100e-9;   // s each layer's rows are driven: energy = power x read time
};

struct ItemResult {
  std::size_t index = 0;      // in the data set
  int label = -1, prediction = -1;
  std::vector<double> outputs;  // the last layer's values (logits)
  double energy = 0;          // J, arrays only: the row sources' power x readTime, summed over layers
  std::string error;          // non-empty: this item failed and has no prediction
};

struct Summary {
  std::size_t items = 0, failed = 0, correct = 0;
  double accuracy = 0;               // of the items that ran
  double seconds = 0, imagesPerSecond = 0;
  double energyPerInference = 0;     // J, mean over the items that ran
  double latencyPerInference = 0;    // s: layers x readTime
  std::vector<std::vector<std::size_t>> confusion;  // [label][prediction]
};

class CircuitNetwork {
 public:
  CircuitNetwork(const Network& net, const InferenceOptions& options);
  const std::vector<MappedLayer>& layers() const { return mapped_; }
  // Runs items [begin, end) of data. progress(done) is called from worker threads, serialised.
  std::vector<ItemResult> run(const Dataset& data, std::size_t begin, std::size_t end,
                              const std::function<void(std::size_t)>& progress = {}) const;
  // The row voltages of every layer for one input, from a circuit run (for export).
  std::vector<std::vector<double>> layerInputs(const float* x) const;

 private:
  struct Worker;
  const Network& net_;
  InferenceOptions options_;
  std::vector<MappedLayer> mapped_;
};

Summary summarise(const std::vector<ItemResult>& results, const InferenceOptions& options, std::size_t layers,
                  double seconds);

}  // namespace memspice::xbar
