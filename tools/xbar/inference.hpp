#pragma once
// Batch inference of a network through its crossbar circuits. The first layer's rows are driven
// at vread times the pixel (in [0, 1]), every bias row at vread. The neuron of each hidden
// logical column turns its differential current I into the voltage that drives the next
// layer's row: either vread act(I / (vread s)), s being the layer's siemens per unit weight (so
// ideal devices and wires give exactly the software network), or a neuron circuit's output at
// I times the layer's mirror ratio (neuron.hpp). The last layer's columns are read as logits,
// I / (vread s). Threads split the batch; each builds its own circuits.
#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "crossbar.hpp"
#include "mnist.hpp"
#include "network.hpp"
#include "neuron.hpp"

namespace memspice::xbar {

struct InferenceOptions {
  ArrayOptions array;
  DeviceOptions devices;
  int threads = 1;
  SolveMode solve = SolveMode::Response;
  std::optional<NeuronOptions> neuron;  // circuit neurons on the hidden layers; none: the activation
  // Temporal variation of the hidden neurons' outputs: each is multiplied by 1 + noise N(0, 1),
  // drawn per (devices.seed, image, layer, neuron), so results do not depend on threads.
  double neuronNoise = 0;
  // Device-to-device variation of the neurons: every hidden neuron is its own instance of the
  // subcircuit (named per layer and column), so the library's random draws (e.g. mrelu's sigvth)
  // differ from neuron to neuron, and each gets its own table. Off: all share one instance.
  bool neuronVariation = false;
};

struct ItemResult {
  std::size_t index = 0;      // in the data set
  int label = -1, prediction = -1;
  std::vector<double> outputs;  // the last layer's values (logits)
  double energy = 0;          // J, arrays only: what the row sources deliver during the reads, summed over layers
  double neuronEnergy = 0;    // J, neuron circuits: their supplies' power at their inputs x read time, summed
  double settle = 0;          // s, transient reads: each layer's settling time (its slowest tile), summed
  std::size_t unsettled = 0;  // transient reads: layers whose currents had not settled by the end of the read
  std::size_t outsideTable = 0;  // neuron inputs beyond the neuron table (held at its end value)
  double maxRowVoltage = 0;   // V, the largest row voltage of any layer (device cells are programmed at vread)
  std::string error;          // non-empty: this item failed and has no prediction
};

struct Summary {
  std::size_t items = 0, failed = 0, correct = 0;
  double accuracy = 0;               // of the items that ran
  double seconds = 0, imagesPerSecond = 0;
  double energyPerInference = 0;     // J, mean over the items that ran
  double neuronEnergyPerInference = 0;  // J, the neuron circuits' supplies, mean over the items that ran
  double latencyPerInference = 0;    // s: layers x readTime
  double settleMean = 0, settleMax = 0;  // s, transient reads: ItemResult::settle over the items that ran
  std::size_t unsettled = 0;         // transient reads: unsettled layer reads, over all items
  std::size_t outsideTable = 0;      // neuron inputs beyond the neuron table, over all items
  double maxRowVoltage = 0;          // V, over the items that ran
  std::vector<std::vector<std::size_t>> confusion;  // [label][prediction]
};

class CircuitNetwork {
 public:
  CircuitNetwork(const Network& net, const InferenceOptions& options);
  const std::vector<MappedLayer>& layers() const { return mapped_; }
  // The neuron circuit's transfer and each hidden layer's mirror ratio (neuron input current per
  // column current: iunit / (vread s)); null and empty without --neuron. neuronTable() is the
  // shared instance's (the one every column uses without neuronVariation); with it, each hidden
  // neuron's own is neuronTable(layer, column).
  const NeuronTable* neuronTable() const { return neuron_ ? &*neuron_ : nullptr; }
  const NeuronTable* neuronTable(std::size_t layer, std::size_t column) const;
  // Every table in use: the shared one, then the per-neuron ones (empty without --neuron).
  std::vector<const NeuronTable*> neuronTables() const;
  const std::vector<double>& mirrorRatios() const { return mirror_; }
  // Runs items [begin, end) of data. progress(done) is called from worker threads, serialised.
  std::vector<ItemResult> run(const Dataset& data, std::size_t begin, std::size_t end,
                              const std::function<void(std::size_t)>& progress = {}) const;
  // The row voltages of every layer for test image `image` (pixels x), from a circuit run (for export).
  std::vector<std::vector<double>> layerInputs(const float* x, std::size_t image) const;

 private:
  struct Worker;
  void tabulateEachNeuron(const NeuronOptions& shared);
  const Network& net_;
  InferenceOptions options_;
  std::vector<MappedLayer> mapped_;
  std::optional<NeuronTable> neuron_;
  std::vector<std::vector<NeuronTable>> perNeuron_;  // [hidden layer][column], with neuronVariation
  std::vector<double> mirror_;
};

Summary summarise(const std::vector<ItemResult>& results, const InferenceOptions& options, std::size_t layers,
                  double seconds);

}  // namespace memspice::xbar
