// memspice-xbar: networks through memristor crossbars at circuit level.
//   train   train a reference network on MNIST in software and save its weights (.npz)
//   infer   run MNIST images through the network's crossbar circuits; per-image CSV + summary
//   export  write one tile of one layer as a plain .cir deck (ngspice and memspice run it)
//   neuron  tabulate a neuron subcircuit's transfer as an activation curve for `train`
//   edges   edge detection of a grey-scale image through a crossbar and neuron circuits
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <iostream>
#include <nlohmann/json.hpp>

#include "edges.hpp"
#include "inference.hpp"
#include "register_builtin.hpp"
#include "ranks.hpp"
#include "network.hpp"
#include "xbar_error.hpp"

namespace xb = memspice::xbar;

namespace {

std::vector<std::size_t> parseSizes(const std::string& s) {
  std::vector<std::size_t> sizes;
  std::size_t at = 0;
  while (at <= s.size()) {
    std::size_t dash = s.find('-', at);
    std::string part = s.substr(at, dash == std::string::npos ? std::string::npos : dash - at);
    std::size_t used = 0;
    unsigned long v = 0;
    try {
      v = std::stoul(part, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != part.size() || v == 0)
      throw xb::XbarError(fmt::format("--sizes '{}': column {}: expected a positive layer width, got '{}'", s, at + 1, part));
    sizes.push_back(v);
    if (dash == std::string::npos) break;
    at = dash + 1;
  }
  if (sizes.size() < 2) throw xb::XbarError(fmt::format("--sizes '{}': expected at least inputs-outputs, e.g. 784-100-10", s));
  return sizes;
}

// "k/N": this process runs the k-th (0-based) of N equal slices of the items.
std::pair<std::size_t, std::size_t> parseShard(const std::string& s) {
  unsigned long k = 0, n = 0;
  char slash = 0;
  std::istringstream in(s);
  if (!(in >> k >> slash >> n) || slash != '/' || n == 0 || k >= n || !in.eof())
    throw xb::XbarError(fmt::format("--shard '{}': expected k/N with 0 <= k < N, e.g. 0/4", s));
  return {k, n};
}

// --neuron and its settings, shared by infer, export and neuron.
struct NeuronArgs {
  std::string spec, params;
  double iunit = 1e-6, zmax = 20, window = 0;
  int windowPoints = 100;
  void add(CLI::App& c, bool required) {
    auto* option = c.add_option("--neuron", spec,
                                "neuron circuit on the hidden columns: LIBRARY:SUBCKT, ports (in out), e.g. "
                                "netlists/xbar_neurons.lib:relu_mirror");
    if (required) option->required();
    c.add_option("--neuron-params", params, "instance parameters of the neuron, e.g. 'vdd=2 rt=400k'");
    c.add_option("--neuron-iunit", iunit, "neuron input current per unit of pre-activation (A)")->capture_default_str();
    c.add_option("--neuron-range", zmax, "tabulate the neuron over pre-activations -R..R")->capture_default_str();
    c.add_option("--neuron-window", window,
                 "spiking neurons: tabulate the mean of v(out) over a read window of this many seconds, each input "
                 "stepped on from rest (e.g. 1e-3 for netlists/xbar_neurons.lib:lif_rate); 0: the DC transfer")
        ->capture_default_str();
    c.add_option("--neuron-window-points", windowPoints, "with --neuron-window: table points per sign of the input")
        ->capture_default_str();
  }
  std::optional<xb::NeuronOptions> options() const {
    if (spec.empty()) return std::nullopt;
    xb::NeuronOptions n = xb::parseNeuronSpec(spec);
    n.params = params;
    n.iunit = iunit;
    n.zmax = zmax;
    n.window = window;
    n.windowPoints = windowPoints;
    return n;
  }
};

// A DC table of a neuron that fires at events is likely not what the user meant.
void warnIfDcOfEvents(const xb::NeuronTable& t, const std::string& spec) {
  if (t.dcOfEventDevices)
    std::cerr << fmt::format("memspice-xbar: warning: neuron {} has event devices (a spiking or switching neuron?), "
                             "which a DC transfer never fires; tabulate it over a read window with --neuron-window\n",
                             spec);
}

// Inputs beyond a neuron table were held at its end value: worth a warning, not an error.
void warnIfBeyondTable(std::size_t count) {
  if (count)
    std::cerr << fmt::format("memspice-xbar: warning: {} neuron inputs fell beyond the tabulated range and were held "
                             "at its end value; widen --neuron-range\n", count);
}

// The software activation a neuron table stands for: a(z) = V(z iunit) / vread.
xb::Activation neuronActivation(const xb::NeuronTable& t, double iunit, double vread, const std::string& where) {
  std::vector<double> x, y;
  for (std::size_t k = 0; k < t.current.size(); ++k) {
    x.push_back(t.current[k] / iunit);
    y.push_back(t.voltage[k] / vread);
  }
  return xb::curveActivation(std::move(x), std::move(y), where);
}

// The crossbar circuit: array, cells and devices; shared by infer, export and edges.
struct CircuitArgs {
  xb::ArrayOptions array;
  xb::DeviceOptions devices;
  std::string cell = "1r", cellDevice, cellParams, cellState;
  CLI::Option* readTimeOption = nullptr;
  bool quiet = false;  // MPI ranks other than 0: do not repeat rank 0's notes
  void add(CLI::App& c) {
    c.add_option("--vread", array.vread, "read voltage at activation (or pixel value) 1 (V)")->capture_default_str();
    c.add_option("--rwire", array.rwire, "word/bit-line resistance per segment (ohm)")->capture_default_str();
    c.add_option("--rdriver", array.rdriver, "output resistance of each row's driver (DAC), in series before the "
                                             "word line (ohm)")
        ->capture_default_str();
    c.add_option("--cell", cell, "cell: 1r (a resistor) or 1t1r (a resistor and an access NMOS, solved by Newton)")
        ->capture_default_str();
    c.add_option("--cell-device", cellDevice,
                 "the cells' memory element: a device subcircuit LIBRARY:SUBCKT, ports (w b), whose parameter "
                 "`state` is set per cell so that it conducts G at --vread (e.g. netlists/xbar_cells.lib:rram); "
                 "default: a resistor");
    c.add_option("--cell-params", cellParams, "instance parameters of every cell device, e.g. 'i0=2e-3'");
    c.add_option("--cell-state", cellState,
                 "programmable states LO:HI of the cell device (default: its state_min and state_max)");
    c.add_option("--vgate", array.vgate, "1T1R: select-line voltage (V)")->capture_default_str();
    c.add_option("--access-model", array.accessModel, "1T1R: the access transistor's .model body (SPICE level 1)")
        ->capture_default_str();
    c.add_option("--access-w", array.accessW, "1T1R: access transistor width (m)")->capture_default_str();
    c.add_option("--access-l", array.accessL, "1T1R: access transistor length (m)")->capture_default_str();
    c.add_option("--cwire", array.cwire, "capacitance from every word/bit-line segment node to ground (F; needs --rwire)")
        ->capture_default_str();
    c.add_flag("--transient", array.transient,
               "transient reads: lines start discharged, the rows step to their voltages, the currents are "
               "sampled at --read-time (needs --cwire)");
    readTimeOption = c.add_option("--read-time", array.readTime,
                                  "seconds each layer is read (DC: energy = power x read time; transient: the "
                                  "sampling time; default with --neuron-window: the window)")
                         ->capture_default_str();
    c.add_option("--settle-tol", array.settleTolerance,
                 "transient reads: settled once every bit-line current is within this fraction of the tile's "
                 "largest current of its DC value")
        ->capture_default_str();
    c.add_option("--tile-rows", array.tileRows, "rows per tile (0: the whole layer)")->capture_default_str();
    c.add_option("--tile-cols", array.tileCols, "differential columns per tile (0: the whole layer)")->capture_default_str();
    c.add_option("--gmin", devices.gmin, "lowest device conductance (S)")->capture_default_str();
    c.add_option("--gmax", devices.gmax, "highest device conductance (S)")->capture_default_str();
    c.add_option("--bits", devices.bits, "conductance levels 2^bits (0: analog)")->capture_default_str();
    c.add_option("--prog-error", devices.progError, "RMS programming error, fraction of gmax-gmin")->capture_default_str();
    c.add_option("--stuck-on", devices.stuckOn, "fraction of devices stuck at gmax")->capture_default_str();
    c.add_option("--stuck-off", devices.stuckOff, "fraction of devices stuck at gmin")->capture_default_str();
    c.add_option("--read-noise", devices.readNoise,
                 "RMS read noise, fraction of each device's conductance, drawn anew for every read (image)")
        ->capture_default_str();
    c.add_option("--seed", devices.seed, "seed of programming error, stuck devices, read noise and the neurons' draws")->capture_default_str();
  }
  xb::ArrayOptions arrayOptions() const {
    if (cell != "1r" && cell != "1t1r") throw xb::XbarError(fmt::format("--cell '{}': expected 1r or 1t1r", cell));
    xb::ArrayOptions a = array;
    a.oneT1R = cell == "1t1r";
    if (cellDevice.empty()) {
      if (!cellParams.empty() || !cellState.empty()) throw xb::XbarError("--cell-params and --cell-state need --cell-device");
      return a;
    }
    xb::CellDeviceOptions d = xb::parseCellSpec(cellDevice);
    d.params = cellParams;
    if (!cellState.empty()) d.stateRange = xb::parseStateRange(cellState);
    memspice::engine::ModelRegistry registry;
    memspice::models::registerBuiltinModels(registry);
    a.cellDevice = std::make_shared<const xb::CellDevice>(d, a.vread, registry);
    const auto [glo, ghi] = a.cellDevice->conductanceRange();
    const auto [slo, shi] = a.cellDevice->stateRange();
    if (!quiet)
      std::cerr << fmt::format("memspice-xbar: cell device {}: states {:g} to {:g} conduct {:.4g} to {:.4g} S at {:g} "
                               "V ({} table points, worst ln G miss {:.2g})\n",
                               cellDevice, slo, shi, glo, ghi, a.vread, a.cellDevice->points(), a.cellDevice->maxError());
    return a;
  }
};

struct DeviceArgs {
  double neuronNoise = 0;
  bool neuronVariation = false;
  std::vector<std::string> weights;
  std::string activation = "relu";
  std::string mnist = "data/mnist";
  NeuronArgs neuron;
  CircuitArgs circuit;
  CLI::Option* activationOption = nullptr;
  void add(CLI::App& c) {
    c.add_option("--weights", weights, "weights: one .npz (w0,b0,w1,b1,...) or one .npy/.csv per layer, "
                                       "(inputs+1) x outputs with the bias last")->required()->delimiter(',');
    activationOption = c.add_option("--activation", activation,
                                    "hidden activation: relu, sigmoid or curve:FILE.csv (with --neuron: the "
                                    "software reference; default: the neuron's own curve)")
                           ->capture_default_str();
    c.add_option("--mnist", mnist, "directory of the MNIST IDX files")->capture_default_str();
    neuron.add(c, false);
    c.add_option("--neuron-noise", neuronNoise,
                 "temporal variation of the hidden neurons' outputs: x (1 + noise N(0,1)) per image")
        ->capture_default_str();
    c.add_flag("--neuron-variation", neuronVariation,
               "every hidden neuron its own instance of the subcircuit, drawing its own device variation from the "
               "library (e.g. --neuron netlists/mrelu_neuron.lib:mrelu --neuron-params sigvth=0.038), each with its "
               "own table (seeded by --seed)");
    circuit.add(c);
  }
  xb::Network network() const {
    std::vector<std::filesystem::path> files(weights.begin(), weights.end());
    return xb::loadNetwork(files, xb::parseActivation(activation));
  }
  // Options with the neuron; a network whose activation was not given takes the neuron's curve.
  xb::InferenceOptions inference() const {
    xb::InferenceOptions io;
    io.neuronNoise = neuronNoise;
    io.neuronVariation = neuronVariation;
    if (neuronVariation && neuron.spec.empty()) throw xb::XbarError("--neuron-variation needs --neuron");
    io.array = circuit.arrayOptions();
    // A rate-coded next layer integrates over the window, so the arrays are read that long.
    if (neuron.window > 0 && circuit.readTimeOption->count() == 0) io.array.readTime = neuron.window;
    if (neuron.window > 0 && io.array.readTime < neuron.window)
      std::cerr << fmt::format("memspice-xbar: warning: --read-time {:g} s is shorter than --neuron-window {:g} s, over "
                               "which the neurons' rates are averaged; energy and latency count only the read time\n",
                               io.array.readTime, neuron.window);
    io.devices = circuit.devices;
    io.neuron = neuron.options();
    return io;
  }
  void adoptNeuronCurve(xb::Network& net, const xb::CircuitNetwork& circuitNet) const {
    if (circuitNet.neuronTable() && activationOption->count() == 0)
      net.act = neuronActivation(*circuitNet.neuronTable(), neuron.iunit, circuit.array.vread, neuron.spec);
  }
};

int train(const std::string& mnist, const std::string& sizes, const std::string& activation, xb::TrainOptions o,
          std::size_t limit, const std::string& out) {
  o.sizes = parseSizes(sizes);
  o.act = xb::parseActivation(activation);
  xb::Dataset trainSet = xb::loadMnist(mnist, "train", limit);
  xb::Dataset test = xb::loadMnist(mnist, "t10k");
  std::cerr << fmt::format("training {} ({}) on {} images, {} epochs, batch {}, {} lr {}, seed {}\n", sizes,
                           o.act.name(), trainSet.count, o.epochs, o.batch,
                           o.optimizer == xb::Optimizer::Adam ? "Adam" : "SGD", o.rate(), o.seed);
  auto net = xb::train(trainSet, o, [](int epoch, double loss, double acc) {
    std::cerr << fmt::format("epoch {}: loss {:.4f}, training accuracy {:.2f} %\n", epoch, loss, 100 * acc);
  });
  double acc = xb::accuracy(net, test);
  std::cout << fmt::format("test accuracy (software, {} test images): {:.2f} %\n", test.count, 100 * acc);
  xb::saveNetwork(net, out);
  std::cerr << fmt::format("wrote {}\n", out);
  return 0;
}

// Per image: index,label,prediction,correct,energy_j,neuron_energy_j,settle_s,out0..,error (outputs
// empty on failure).
void writeResults(std::ostream& out, const std::vector<xb::ItemResult>& results, std::size_t outputs) {
  out << "index,label,prediction,correct,energy_j,neuron_energy_j,settle_s";
  for (std::size_t j = 0; j < outputs; ++j) out << ",out" << j;
  out << ",error\n";
  for (const auto& r : results) {
    out << fmt::format("{},{},{},{},{:.6g},{:.6g},{:.6g}", r.index, r.label, r.prediction,
                       r.error.empty() && r.prediction == r.label, r.energy, r.neuronEnergy, r.settle);
    for (std::size_t j = 0; j < outputs; ++j)
      out << (j < r.outputs.size() ? fmt::format(",{:.9g}", r.outputs[j]) : std::string(","));
    std::string e = r.error;
    for (char& c : e)
      if (c == '\n' || c == ',' || c == '"') c = ' ';
    out << "," << e << "\n";
  }
}

// The cell device and its table, for the summary (null: resistor cells).
nlohmann::json cellDeviceJson(const xb::ArrayOptions& a) {
  if (!a.cellDevice) return nullptr;
  const xb::CellDevice& d = *a.cellDevice;
  const auto [glo, ghi] = d.conductanceRange();
  const auto [slo, shi] = d.stateRange();
  return {{"circuit", d.spec()},
          {"params", d.options().params},
          {"state_range", {slo, shi}},
          {"conductance_range_s", {glo, ghi}},
          {"table_points", d.points()},
          {"table_max_error_ln_g", d.maxError()}};
}

int infer(const xb::Ranks& ranks, const DeviceArgs& a, std::size_t offset, std::size_t limit, const std::string& shard, int threads,
          const std::string& solveMode, const std::string& resultsFile, const std::string& summaryFile) {
  xb::InferenceOptions o = a.inference();
  o.threads = threads;
  o.solve = xb::parseSolveMode(solveMode);
  xb::Network net = a.network();
  xb::Dataset test = xb::loadMnist(a.mnist, "t10k");
  std::size_t begin = std::min(offset, test.count);
  std::size_t end = limit ? std::min(test.count, begin + limit) : test.count;
  if (!shard.empty()) {
    auto [k, n] = parseShard(shard);
    std::size_t span = end - begin;
    end = begin + span * (k + 1) / n;
    begin = begin + span * k / n;
  }
  xb::CircuitNetwork circuit(net, o);
  a.adoptNeuronCurve(net, circuit);
  // Opened before the run, so that a bad path fails now, not after hours of solving.
  std::ofstream resultsOut, summaryOut;
  if (ranks.rank() == 0) {
    if (!resultsFile.empty() && !(resultsOut.open(resultsFile), resultsOut))
      throw xb::XbarError(fmt::format("{}: cannot write", resultsFile));
    if (!summaryFile.empty() && !(summaryOut.open(summaryFile), summaryOut))
      throw xb::XbarError(fmt::format("{}: cannot write", summaryFile));
  }
  if (ranks.rank() == 0)
    std::cerr << fmt::format("memspice-xbar: {} images ({}..{}) through {} layers of crossbars, {} process{} x {} thread{}\n",
                             end - begin, begin, end == begin ? begin : end - 1, net.layers.size(), ranks.size(),
                             ranks.size() == 1 ? "" : "es", threads, threads == 1 ? "" : "s");
  const std::size_t first = begin, last = end;
  std::tie(begin, end) = ranks.slice(begin, end);
  const bool tty = ranks.rank() == 0 && isatty(STDERR_FILENO);
  auto start = std::chrono::steady_clock::now();
  const std::size_t total = end - begin;
  auto progress = [&](std::size_t done) {
    if (tty && (done % 10 == 0 || done == total)) {
      double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      std::cerr << fmt::format("\r  {}/{} images, {:.1f} s", done, total, s) << (done == total ? "\n" : "") << std::flush;
    }
  };
  auto results = ranks.gather(circuit.run(test, begin, end, progress));
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (ranks.rank() != 0) return 0;
  begin = first;
  end = last;
  xb::Summary s = xb::summarise(results, o, net.layers.size(), seconds);
  std::size_t softwareRight = 0;
  for (const auto& r : results) softwareRight += net.predict(test.image(r.index)) == r.label;

  for (const auto& r : results)
    if (!r.error.empty()) std::cerr << fmt::format("memspice-xbar: image {} failed: {}\n", r.index, r.error);
  if (resultsOut.is_open()) writeResults(resultsOut, results, net.layers.back().out);
  double softwareAcc = results.empty() ? 0 : static_cast<double>(softwareRight) / static_cast<double>(results.size());
  nlohmann::json j = {{"images", s.items},
                      {"failed", s.failed},
                      {"accuracy", s.accuracy},
                      {"software_accuracy", softwareAcc},
                      {"seconds", s.seconds},
                      {"images_per_second", s.imagesPerSecond},
                      {"energy_per_inference_j", s.energyPerInference},
                      {"neuron_energy_per_inference_j", s.neuronEnergyPerInference},
                      {"latency_per_inference_s", s.latencyPerInference},
                      {"confusion", s.confusion},
                      {"range", {begin, end}},
                      {"activation", net.act.name()},
                      {"rwire", o.array.rwire},
                      {"rdriver", o.array.rdriver},
                      {"cwire", o.array.cwire},
                      {"read_time_s", o.array.readTime},
                      {"transient", o.array.transient},
                      {"cell", o.array.oneT1R ? "1t1r" : "1r"},
                      {"cell_device", cellDeviceJson(o.array)},
                      {"max_row_v", s.maxRowVoltage},
                      {"vread", o.array.vread},
                      {"gmin", o.devices.gmin},
                      {"gmax", o.devices.gmax},
                      {"bits", o.devices.bits},
                      {"prog_error", o.devices.progError},
                      {"read_noise", o.devices.readNoise},
                      {"neuron_noise", o.neuronNoise},
                      {"threads", threads},
                      {"processes", ranks.size()}};
  if (o.array.transient)
    j["settling"] = {{"tolerance", o.array.settleTolerance},
                     {"mean_s", s.settleMean},
                     {"max_s", s.settleMax},
                     {"unsettled_layer_reads", s.unsettled}};
  if (const xb::NeuronTable* t = circuit.neuronTable()) {
    warnIfDcOfEvents(*t, a.neuron.spec);
    // Over every table in use (one per hidden neuron with --neuron-variation).
    std::size_t fewest = SIZE_MAX;
    double worst = 0;
    for (const xb::NeuronTable* each : circuit.neuronTables()) {
      fewest = std::min(fewest, each->current.size());
      worst = std::max(worst, each->maxError);
    }
    j["neuron"] = {{"circuit", a.neuron.spec},
                   {"params", a.neuron.params},
                   {"iunit_a", a.neuron.iunit},
                   {"window_s", a.neuron.window},
                   {"variation", o.neuronVariation},
                   {"tables", circuit.neuronTables().size()},
                   {"table_points", fewest},
                   {"table_max_error_v", worst},
                   {"mirror_ratios", circuit.mirrorRatios()},
                   {"inputs_beyond_table", s.outsideTable}};
  }
  warnIfBeyondTable(s.outsideTable);
  // A device cell's conductance is G only at vread; far above it, a real cell would also switch.
  if (o.array.cellDevice && s.maxRowVoltage > o.array.vread * (1 + 1e-9))
    std::cerr << fmt::format("memspice-xbar: warning: rows were driven up to {:.4g} V, {:.3g} times the {:g} V the cells "
                             "were programmed at; the cells conduct there what their read I-V gives (and a state held "
                             "fixed, which a real device may not keep): bound the activations (e.g. sigmoid)\n",
                             s.maxRowVoltage, s.maxRowVoltage / o.array.vread, o.array.vread);
  if (summaryOut.is_open()) summaryOut << j.dump(2) << "\n";
  std::cout << fmt::format(
      "images {}  failed {}  circuit accuracy {:.2f} %  software accuracy {:.2f} %\n"
      "{:.1f} images/s  energy {:.4g} J per inference (arrays, {:.3g} s reads)  latency {:.3g} s\n",
      s.items, s.failed, 100 * s.accuracy, 100 * softwareAcc, s.imagesPerSecond, s.energyPerInference,
      o.array.readTime, s.latencyPerInference);
  if (circuit.neuronTable())
    std::cout << fmt::format("neuron circuits: {:.4g} J per inference from their own supplies\n",
                             s.neuronEnergyPerInference);
  if (o.array.transient) {
    std::cout << fmt::format("transient reads: settling {:.3g} s per inference (layers summed; worst {:.3g} s)\n",
                             s.settleMean, s.settleMax);
    if (s.unsettled)
      std::cerr << fmt::format("memspice-xbar: warning: {} layer reads had not settled within {:g} of their DC "
                               "currents at the end of the read; lengthen --read-time\n",
                               s.unsettled, o.array.settleTolerance);
  }
  return s.failed ? 1 : 0;
}

int exportTile(const DeviceArgs& a, std::size_t layer, std::size_t tileIndex, std::size_t image, const std::string& out) {
  const xb::InferenceOptions o = a.inference();  // options first: their mistakes before any loading
  xb::Network net = a.network();
  if (layer >= net.layers.size())
    throw xb::XbarError(fmt::format("--layer {}: the network has layers 0..{}", layer, net.layers.size() - 1));
  xb::Dataset test = xb::loadMnist(a.mnist, "t10k", image + 1);
  if (image >= test.count) throw xb::XbarError(fmt::format("--image {}: the test set has {} images", image, test.count));
  xb::CircuitNetwork circuit(net, o);
  auto tiles = xb::tilesOf(circuit.layers()[layer], o.array, layer);
  if (tileIndex >= tiles.size())
    throw xb::XbarError(fmt::format("--tile {}: layer {} has tiles 0..{}", tileIndex, layer, tiles.size() - 1));
  auto inputs = circuit.layerInputs(test.image(image), image);
  const xb::Tile& t = tiles[tileIndex];
  std::span<const double> vin(inputs[layer].data() + t.r0, t.rows());
  const xb::ReadDraw read = xb::readDraw(o.devices, layer, image);  // the image's read of the layer
  std::ofstream file(out);
  if (!file || !(file << xb::tileDeck(circuit.layers()[layer], t, o.array, vin, true, &read)))
    throw xb::XbarError(fmt::format("{}: cannot write", out));
  std::cerr << fmt::format("wrote {}: layer {} tile {} ({} rows x {} bit lines), inputs of test image {}\n", out,
                           layer, tileIndex, t.rows(), t.bitLines(), image);
  return 0;
}

// Tabulates the neuron and writes its curve in the units `train --activation curve:` takes.
int neuronCurve(const NeuronArgs& n, double vread, const std::string& out, const std::string& deckOut) {
  if (!(vread > 0)) throw xb::XbarError(fmt::format("vread: expected a positive voltage, got {}", vread));
  auto options = *n.options();
  if (!deckOut.empty()) {
    std::ofstream deck(deckOut);
    if (!deck || !(deck << xb::NeuronCircuit::deck(options))) throw xb::XbarError(fmt::format("{}: cannot write", deckOut));
  }
  memspice::engine::ModelRegistry registry;
  memspice::models::registerBuiltinModels(registry);
  xb::NeuronTable t = xb::tabulateNeuron(options, registry);
  warnIfDcOfEvents(t, n.spec);
  xb::Activation act = neuronActivation(t, n.iunit, vread, n.spec);
  std::ofstream file(out);
  const std::string how = options.window > 0 ? fmt::format("{} window transients of {:g} s", t.solves, options.window)
                                             : fmt::format("{} DC solves", t.solves);
  file << fmt::format("# memspice-xbar neuron {} {}\n# pre-activation z (input current / {:g} A), activation "
                      "({}output voltage / vread {:g} V); {} points, {}, worst interpolation error {:.3g} V\n",
                      n.spec, n.params, n.iunit, options.window > 0 ? "mean " : "", vread, t.current.size(), how,
                      t.maxError);
  for (std::size_t k = 0; k < act.x.size(); ++k) file << fmt::format("{:.10g},{:.10g}\n", act.x[k], act.y[k]);
  if (!file) throw xb::XbarError(fmt::format("{}: cannot write", out));
  std::cerr << fmt::format("wrote {}: {} points from {}, worst interpolation error {:.3g} V\n", out,
                           t.current.size(), how, t.maxError);
  return 0;
}

// Fig. 5 of the mReLU paper: the image through the lateral and vertical kernels and the neuron.
int edges(const std::string& imagePath, std::size_t size, const xb::EdgeOptions& options, const std::string& outDir) {
  xb::GrayImage image = xb::readPgm(imagePath);
  if (size > 0) image = xb::resample(image, size, size);
  std::filesystem::create_directories(outDir);
  const std::filesystem::path dir(outDir);
  xb::writePgm(dir / "input.pgm", image);
  auto start = std::chrono::steady_clock::now();
  xb::EdgeRun run = xb::detectEdges(image, xb::standardEdgeKernels(), options);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  warnIfDcOfEvents(run.table, options.neuron.subckt);
  std::cout << fmt::format("{} x {} pixels, {} kernels, neuron {} ({} table points, worst interpolation error {:.3g} V), "
                           "{:.2f} s\n",
                           image.width, image.height, run.maps.size(), options.neuron.subckt, run.table.current.size(),
                           run.table.maxError, seconds);
  for (const auto& m : run.maps) {
    const auto [vlo, vhi] = std::minmax_element(m.vout.begin(), m.vout.end());
    const auto [ilo, ihi] = std::minmax_element(m.current.begin(), m.current.end());
    std::size_t positive = std::count_if(m.current.begin(), m.current.end(), [](double i) { return i > 0; });
    // The output image spans the map's own voltage range, black to white.
    xb::GrayImage out{image.width, image.height, std::vector<float>(m.vout.size())};
    const double span = *vhi > *vlo ? *vhi - *vlo : 1.0;
    for (std::size_t k = 0; k < m.vout.size(); ++k) out.pixels[k] = static_cast<float>((m.vout[k] - *vlo) / span);
    xb::writePgm(dir / (m.kernel + "_vout.pgm"), out);
    std::ofstream csv(dir / (m.kernel + ".csv"));
    csv << "x,y,preactivation,current,vout\n";
    for (std::size_t k = 0; k < m.vout.size(); ++k)
      csv << fmt::format("{},{},{:.6g},{:.6g},{:.6g}\n", k % image.width, k / image.width, m.preActivation[k], m.current[k],
                         m.vout[k]);
    if (!csv) throw xb::XbarError(fmt::format("{}: cannot write", (dir / (m.kernel + ".csv")).string()));
    std::cout << fmt::format("{}: neuron current {:.3g} .. {:.3g} A ({:.1f} % of pixels positive), vout {:.4g} .. {:.4g} V\n",
                             m.kernel, *ilo, *ihi, 100.0 * static_cast<double>(positive) / static_cast<double>(m.vout.size()),
                             *vlo, *vhi);
  }
  warnIfBeyondTable(run.outsideTable);
  std::cout << fmt::format("wrote {}/input.pgm and, per kernel, NAME_vout.pgm and NAME.csv\n", outDir);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  xb::Ranks ranks(argc, argv);
  CLI::App app{"memspice-xbar: neural networks through memristor crossbars at circuit level", "memspice-xbar"};
  app.require_subcommand(1);

  auto* tr = app.add_subcommand("train", "train a reference network on MNIST (software) and save it as .npz");
  std::string mnist = "data/mnist", sizes = "784-100-100-100-10", activation = "relu", out = "network.npz";
  xb::TrainOptions topt;
  std::size_t trainLimit = 0;
  tr->add_option("--mnist", mnist, "directory of the MNIST IDX files")->capture_default_str();
  tr->add_option("--sizes", sizes, "layer widths, inputs first")->capture_default_str();
  tr->add_option("--activation", activation, "hidden activation: relu, sigmoid or curve:FILE.csv")->capture_default_str();
  tr->add_option("--epochs", topt.epochs, "passes over the training set")->capture_default_str();
  tr->add_option("--batch", topt.batch, "minibatch size")->capture_default_str();
  std::string optimizer = "adam";
  tr->add_option("--optimizer", optimizer, "adam, or sgd (plain minibatch gradient descent)")->capture_default_str();
  tr->add_option("--lr", topt.learningRate, "learning rate (0: 1e-3 for Adam, 0.1 for SGD)")->capture_default_str();
  tr->add_option("--seed", topt.seed, "seed of initialisation and shuffling")->capture_default_str();
  tr->add_option("--train-limit", trainLimit, "use only the first N training images (0: all)")->capture_default_str();
  tr->add_option("-o,--out", out, "weights file (.npz)")->capture_default_str();

  auto* inf = app.add_subcommand("infer", "run MNIST test images through the network's crossbar circuits");
  DeviceArgs ia;
  ia.add(*inf);
  std::size_t offset = 0, limit = 0;
  std::string shard, resultsFile, summaryFile;
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::string solveMode = "response";
  inf->add_option("--offset", offset, "first test image")->capture_default_str();
  inf->add_option("--limit", limit, "number of test images (0: all from --offset)")->capture_default_str();
  inf->add_option("--shard", shard, "k/N: run only the k-th of N equal slices (0-based)");
  inf->add_option("--threads", threads, "worker threads")->capture_default_str();
  inf->add_option("--solve", solveMode,
                  "response: linear tiles answered from their response matrices, found by DC solves and "
                  "checked; newton: a warm-started DC solve per image; fresh: a DC solve per image from scratch")
      ->capture_default_str();
  inf->add_option("--results", resultsFile, "per-image CSV: index,label,prediction,correct,energy,settling,outputs,error");
  inf->add_option("--summary", summaryFile, "summary JSON: accuracy, speed, energy, confusion matrix");

  auto* ex = app.add_subcommand("export", "write one tile of one layer as a .cir deck for ngspice or memspice");
  DeviceArgs ea;
  ea.add(*ex);
  std::size_t layer = 0, tile = 0, image = 0;
  std::string deckOut = "tile.cir";
  ex->add_option("--layer", layer, "layer (0 = the input layer)")->capture_default_str();
  ex->add_option("--tile", tile, "tile index within the layer (row-major over tiles)")->capture_default_str();
  ex->add_option("--image", image, "test image whose inputs drive the rows")->capture_default_str();
  ex->add_option("-o,--out", deckOut, "deck file")->capture_default_str();

  auto* nr = app.add_subcommand("neuron", "tabulate a neuron circuit's transfer as an activation curve (CSV) for train");
  NeuronArgs na;
  na.add(*nr, true);
  double neuronVread = 0.2;
  std::string curveOut = "neuron_curve.csv", neuronDeck;
  nr->add_option("--vread", neuronVread, "read voltage at activation 1 (V), as for infer")->capture_default_str();
  nr->add_option("-o,--out", curveOut, "curve CSV: pre-activation, activation")->capture_default_str();
  nr->add_option("--deck", neuronDeck, "also write the neuron's deck (.cir) here");

  auto* ed = app.add_subcommand("edges", "edge detection of a grey-scale PGM image through a crossbar and neuron circuits "
                                         "(lateral and vertical 3x3 kernels)");
  std::string edgeImage, edgeOut = "edges";
  std::size_t edgeSize = 160;
  xb::EdgeOptions eo;
  NeuronArgs en;
  CircuitArgs ec;
  en.spec = "netlists/xbar_neurons.lib:relu_mirror";
  en.zmax = 4;
  ed->add_option("--image", edgeImage, "binary PGM (P5) image")->required();
  ed->add_option("--size", edgeSize, "resample to SIZE x SIZE pixels first (0: as it is)")->capture_default_str();
  en.add(*ed, false);
  ed->get_option("--neuron")->default_str(en.spec);
  ec.add(*ed);
  ed->add_option("-o,--out-dir", edgeOut, "output directory")->capture_default_str();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = ranks.rank() == 0 ? app.exit(e) : 2;
    if (ranks.size() > 1 && code != 0) ranks.abort(code);
    return code;
  }
  try {
    ia.circuit.quiet = ranks.rank() != 0;
    if (*inf) return infer(ranks, ia, offset, limit, shard, threads, solveMode, resultsFile, summaryFile);
    if (ranks.size() > 1) throw xb::XbarError("only 'infer' runs under mpirun; run train and export as one process");
    if (*tr) {
      topt.optimizer = xb::parseOptimizer(optimizer);
      return train(mnist, sizes, activation, topt, trainLimit, out);
    }
    if (*nr) return neuronCurve(na, neuronVread, curveOut, neuronDeck);
    if (*ed) {
      eo.array = ec.arrayOptions();
      eo.devices = ec.devices;
      eo.neuron = *en.options();
      return edges(edgeImage, edgeSize, eo, edgeOut);
    }
    return exportTile(ea, layer, tile, image, deckOut);
  } catch (const xb::XbarError& e) {
    if (ranks.rank() == 0 || ranks.size() == 1) std::cerr << "memspice-xbar: error: " << e.what() << "\n";
    if (ranks.size() > 1) ranks.abort(2);
    return 2;
  }
}
