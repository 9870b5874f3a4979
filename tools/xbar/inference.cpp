#include "inference.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <mutex>
#include <thread>

#include "expr/counter_rng.hpp"
#include "register_builtin.hpp"
#include "xbar_error.hpp"

namespace memspice::xbar {

// One thread's circuits, and the forward pass through them.
struct CircuitNetwork::Worker {
  engine::ModelRegistry registry;
  std::vector<LayerCircuit> layers;

  Worker(const std::vector<MappedLayer>& mapped, const InferenceOptions& o) {
    models::registerBuiltinModels(registry);
    for (std::size_t k = 0; k < mapped.size(); ++k)
      layers.emplace_back(mapped[k], o.array, k, registry, o.solve, o.devices.readNoise > 0);
  }

  // Sets r.outputs to the outputs of the last layer (logits); adds the arrays' energy, the
  // settling and the neuron inputs beyond the table to r; inputs[k] gets layer k's row voltages
  // if given. `image` keys the reads and the neurons' temporal variation.
  void forward(const CircuitNetwork& cn, const Network& net, const InferenceOptions& o, const float* x,
               std::size_t image, ItemResult& r, std::vector<std::vector<double>>* inputs = nullptr) {
    const double vread = o.array.vread;
    const auto& mapped = cn.layers();
    const bool circuitNeurons = cn.neuronTable() != nullptr;
    const std::uint64_t noiseKey = rng::keyed(rng::key(o.devices.seed, "neuron-noise"), image);
    std::vector<double> vin(net.layers[0].in + 1), idiff;
    r.outputs.clear();
    for (std::size_t i = 0; i + 1 < vin.size(); ++i) vin[i] = vread * x[i];
    for (std::size_t k = 0; k < layers.size(); ++k) {
      vin.back() = vread;  // the bias row
      if (inputs) inputs->push_back(vin);
      for (double v : vin) r.maxRowVoltage = std::max(r.maxRowVoltage, std::fabs(v));
      double power = 0;
      const ReadDraw read = readDraw(o.devices, k, image);
      layers[k].solve(vin, idiff, power, &read);
      r.energy += power * o.array.readTime;
      const Settling settling = layers[k].settling();
      r.settle += settling.time;
      r.unsettled += !settling.settled;
      if (k + 1 == layers.size()) {
        for (double i : idiff) r.outputs.push_back(i / (vread * mapped[k].scale));
        break;
      }
      vin.resize(idiff.size() + 1);
      for (std::size_t j = 0; j < idiff.size(); ++j) {
        double v;
        if (circuitNeurons) {
          bool beyond = false;
          const NeuronTable& table = *cn.neuronTable(k, j);
          const double input = idiff[j] * cn.mirrorRatios()[k];
          v = table(input, &beyond);
          r.neuronEnergy += table.supplyPower(input) * o.array.readTime;
          r.outsideTable += beyond;
        } else {
          v = vread * net.act(idiff[j] / (vread * mapped[k].scale));
        }
        if (o.neuronNoise > 0) v *= 1 + o.neuronNoise * rng::normal(rng::keyed(rng::keyed(noiseKey, k), j));
        vin[j] = v;
      }
    }
  }
};

CircuitNetwork::CircuitNetwork(const Network& net, const InferenceOptions& options) : net_(net), options_(options) {
  validate(options.array);
  validateCells(options.array, options.devices);
  if (options.threads < 1) throw XbarError(fmt::format("threads: expected at least 1, got {}", options.threads));
  if (!(options.neuronNoise >= 0) || options.neuronNoise >= 1)
    throw XbarError(fmt::format("neuron noise: expected a fraction in [0, 1), got {}", options.neuronNoise));
  for (std::size_t k = 0; k < net.layers.size(); ++k) mapped_.push_back(mapLayer(net.layers[k], options.devices, k));
  if (options.neuron) {
    engine::ModelRegistry registry;
    models::registerBuiltinModels(registry);
    NeuronOptions shared = *options.neuron;
    shared.seed = options.devices.seed;
    neuron_ = tabulateNeuron(shared, registry);
    for (std::size_t k = 0; k + 1 < mapped_.size(); ++k)
      mirror_.push_back(options.neuron->iunit / (options.array.vread * mapped_[k].scale));
    if (options.neuronVariation) tabulateEachNeuron(shared);
  }
}

void CircuitNetwork::tabulateEachNeuron(const NeuronOptions& shared) {
  // Each job: the neuron's instance and the slot its table goes to.
  std::vector<std::pair<NeuronOptions, NeuronTable*>> jobs;
  for (std::size_t k = 0; k + 1 < mapped_.size(); ++k) perNeuron_.emplace_back(mapped_[k].cols);
  for (std::size_t k = 0; k < perNeuron_.size(); ++k)
    for (std::size_t j = 0; j < perNeuron_[k].size(); ++j) {
      jobs.emplace_back(shared, &perNeuron_[k][j]);
      jobs.back().first.instance = fmt::format("xneuron_l{}_c{}", k, j);
    }
  // Independent tables: the threads take them in turn, each with its own circuits.
  std::atomic<std::size_t> next{0};
  std::exception_ptr failure;
  std::mutex mutex;
  auto work = [&] {
    engine::ModelRegistry registry;
    models::registerBuiltinModels(registry);
    for (std::size_t n; (n = next++) < jobs.size();) {
      try {
        *jobs[n].second = tabulateNeuron(jobs[n].first, registry);
      } catch (...) {
        std::lock_guard lock(mutex);
        if (!failure) failure = std::current_exception();
        next = jobs.size();
      }
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < options_.threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);
}

const NeuronTable* CircuitNetwork::neuronTable(std::size_t layer, std::size_t column) const {
  if (!neuron_) return nullptr;
  return perNeuron_.empty() ? &*neuron_ : &perNeuron_.at(layer).at(column);
}

std::vector<const NeuronTable*> CircuitNetwork::neuronTables() const {
  std::vector<const NeuronTable*> out;
  if (neuron_) out.push_back(&*neuron_);
  for (const auto& layer : perNeuron_)
    for (const NeuronTable& t : layer) out.push_back(&t);
  return out;
}

std::vector<std::vector<double>> CircuitNetwork::layerInputs(const float* x, std::size_t image) const {
  Worker w(mapped_, options_);
  ItemResult r;
  std::vector<std::vector<double>> inputs;
  w.forward(*this, net_, options_, x, image, r, &inputs);
  return inputs;
}

std::vector<ItemResult> CircuitNetwork::run(const Dataset& data, std::size_t begin, std::size_t end,
                                            const std::function<void(std::size_t)>& progress) const {
  if (data.features != net_.layers.front().in)
    throw XbarError(fmt::format("the network takes {} inputs but the images have {} pixels", net_.layers.front().in,
                                data.features));
  end = std::min(end, data.count);
  begin = std::min(begin, end);
  std::vector<ItemResult> results(end - begin);
  std::mutex mutex;
  std::size_t done = 0;
  std::string setupError;
  auto work = [&](std::size_t from, std::size_t to) {
    std::unique_ptr<Worker> w;
    try {
      w = std::make_unique<Worker>(mapped_, options_);
    } catch (const std::exception& e) {
      std::lock_guard lock(mutex);
      setupError = e.what();
      return;
    }
    for (std::size_t i = from; i < to; ++i) {
      ItemResult& r = results[i - begin];
      r.index = i;
      r.label = data.labels[i];
      try {
        w->forward(*this, net_, options_, data.image(i), i, r);
        r.prediction = static_cast<int>(std::max_element(r.outputs.begin(), r.outputs.end()) - r.outputs.begin());
      } catch (const std::exception& e) {
        r.error = e.what();
        r.outputs.clear();
        // The failed solve may have left the warm start anywhere: start the next item afresh.
        try {
          w = std::make_unique<Worker>(mapped_, options_);
        } catch (const std::exception& again) {  // no circuits for the rest of this slice
          for (std::size_t k = i + 1; k < to; ++k) {
            results[k - begin].index = k;
            results[k - begin].label = data.labels[k];
            results[k - begin].error = again.what();
          }
          break;
        }
      }
      if (progress) {
        std::lock_guard lock(mutex);
        progress(++done);
      }
    }
  };
  std::size_t n = end - begin;
  std::size_t threads = std::min<std::size_t>(static_cast<std::size_t>(options_.threads), std::max<std::size_t>(n, 1));
  std::vector<std::thread> pool;
  for (std::size_t t = 0; t < threads; ++t)
    pool.emplace_back(work, begin + n * t / threads, begin + n * (t + 1) / threads);
  for (auto& th : pool) th.join();
  if (!setupError.empty()) throw XbarError(setupError);
  return results;
}

Summary summarise(const std::vector<ItemResult>& results, const InferenceOptions& o, std::size_t layers, double seconds) {
  Summary s;
  s.items = results.size();
  s.confusion.assign(10, std::vector<std::size_t>(10, 0));
  double energy = 0;
  for (const ItemResult& r : results) {
    if (!r.error.empty()) {
      ++s.failed;
      continue;
    }
    s.correct += r.prediction == r.label;
    s.outsideTable += r.outsideTable;
    energy += r.energy;
    s.neuronEnergyPerInference += r.neuronEnergy;
    s.settleMean += r.settle;
    s.settleMax = std::max(s.settleMax, r.settle);
    s.unsettled += r.unsettled;
    s.maxRowVoltage = std::max(s.maxRowVoltage, r.maxRowVoltage);
    if (r.label >= 0 && r.label < 10 && r.prediction >= 0 && r.prediction < 10)
      ++s.confusion[static_cast<std::size_t>(r.label)][static_cast<std::size_t>(r.prediction)];
  }
  std::size_t ran = s.items - s.failed;
  s.accuracy = ran ? static_cast<double>(s.correct) / static_cast<double>(ran) : 0;
  s.energyPerInference = ran ? energy / static_cast<double>(ran) : 0;
  s.neuronEnergyPerInference = ran ? s.neuronEnergyPerInference / static_cast<double>(ran) : 0;
  s.settleMean = ran ? s.settleMean / static_cast<double>(ran) : 0;
  s.seconds = seconds;
  s.imagesPerSecond = seconds > 0 ? static_cast<double>(ran) / seconds : 0;
  s.latencyPerInference = static_cast<double>(layers) * o.array.readTime;
  return s;
}

}  // namespace memspice::xbar
