// Neuron columns: the tabulated transfer against direct solves, the bundled neurons' shapes,
// networks ending their columns in neuron circuits, temporal variation, and the errors.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "inference.hpp"
#include "mnist.hpp"
#include "network.hpp"
#include "neuron.hpp"
#include "xbar_error.hpp"
#include "xbar_support.hpp"

namespace xb = memspice::xbar;
namespace fs = std::filesystem;
using namespace memspice::xbar::test;

namespace {

const fs::path kLib = fs::path(MEMSPICE_SOURCE_DIR) / "netlists/xbar_neurons.lib";

xb::NeuronOptions neuron(const std::string& name, const std::string& params = "") {
  xb::NeuronOptions o = xb::parseNeuronSpec(kLib.string() + ":" + name);
  o.params = params;
  return o;
}

}  // namespace

// The table stands for the circuit: at currents between its points, a fresh direct solve gives
// the interpolated voltage within the tolerance it was refined to.
TEST(XbarNeuron, TableAgreesWithDirectSolves) {
  xb::NeuronOptions o = neuron("relu_mirror");
  xb::NeuronTable t = xb::tabulateNeuron(o, builtinRegistry());
  EXPECT_LE(t.maxError, o.tolerance);
  EXPECT_GT(t.current.size(), 800u);  // 801 swept points, plus refinement at the VDD corner
  xb::NeuronCircuit direct(o, builtinRegistry());
  for (int k = 0; k < 60; ++k) {
    double i = o.zmax * o.iunit * (-1 + 2 * std::fmod(0.6180339887 * (k + 1), 1.0));
    EXPECT_NEAR(t(i), direct.solve(i), 2 * o.tolerance) << "at " << i << " A";
  }
}

// The mReLU column: off for negative input, then the mirrored current times rt = 200 kohm, and
// bounded by VDD = 2 V. The a-IGZO mirror copies within a few per cent.
TEST(XbarNeuron, ReluMirrorIsZeroLinearThenBounded) {
  xb::NeuronTable t = xb::tabulateNeuron(neuron("relu_mirror"), builtinRegistry());
  EXPECT_LT(std::fabs(t(-5e-6)), 1e-3);
  EXPECT_LT(std::fabs(t(0.0)), 1e-3);
  for (double i : {1e-6, 3e-6, 6e-6, 9e-6}) EXPECT_NEAR(t(i), 2e5 * i, 0.05 * 2e5 * i) << i;
  EXPECT_NEAR(t(15e-6), 2.0, 1e-6);
  // Its supply delivers VDD times the copied current, which the output is rt times.
  for (double i : {1e-6, 3e-6, 6e-6, 9e-6}) EXPECT_NEAR(t.supplyPower(i), 2.0 * t(i) / 2e5, 1e-6 * t.supplyPower(i)) << i;
  EXPECT_LT(std::fabs(t.supplyPower(-5e-6)), 1e-9);
  bool outside = false;
  EXPECT_NEAR(t(1e-3, &outside), 2.0, 1e-6);
  EXPECT_TRUE(outside);
}

// The physical 2T-1M neuron of netlists/mrelu_neuron.lib (a-IGZO mirror and VTG memristor):
// its table holds against direct solves, including the bend within tens of pA of zero where
// the memristor turns on, and it rises from 0.1 uA as the memristor's steady-state voltage
// falls (Vout = VDD - V_mem: 1.815 V at 1 uA, examples/mrelu/neuron_transfer_dc.cir).
TEST(XbarNeuron, TabulatesTheMreluDeviceNeuron) {
  xb::NeuronOptions o = xb::parseNeuronSpec((fs::path(MEMSPICE_SOURCE_DIR) / "netlists/mrelu_neuron.lib").string() +
                                            ":mrelu");
  o.zmax = 5;
  xb::NeuronTable t = xb::tabulateNeuron(o, builtinRegistry());
  EXPECT_LE(t.maxError, o.tolerance);
  xb::NeuronCircuit direct(o, builtinRegistry());
  for (double i : {-3e-6, 3e-11, 2e-10, 1e-6, 4.3e-6}) EXPECT_NEAR(t(i), direct.solve(i), 2 * o.tolerance) << i;
  EXPECT_NEAR(t(1e-6), 1.815, 0.002);
  for (double i = 0.2e-6; i <= 5e-6; i += 0.2e-6) EXPECT_GT(t(i), t(i - 0.1e-6)) << i;
  EXPECT_LT(t(5e-6), 2.0);
}

// The perovskite LIF column as a rate code: each table point is a 1 ms transient from rest, and
// the table holds rt times the mean firing current. Charge bounds it: the membrane starts at
// rest and stays below its threshold (1.2 V, sigma 0.1 V), so what fires is at most what flows
// in (the input and the 1.2 uA bias) and at least that less the leak (1.7 uA through 1 Mohm)
// and the charge left on cm.
TEST(XbarNeuron, LifColumnIsARateCode) {
  xb::NeuronOptions o = neuron("lif_rate");
  o.window = 1e-3;
  o.windowPoints = 5;
  o.zmax = 10;
  xb::NeuronTable t = xb::tabulateNeuron(o, builtinRegistry());
  ASSERT_EQ(t.current.size(), 11u);
  EXPECT_EQ(t.solves, 21u);  // 11 points and 10 midpoints
  EXPECT_FALSE(t.dcOfEventDevices);
  const double rt = 200e3, bias = 1.2e-6;
  xb::NeuronCircuit n(o, builtinRegistry());
  EXPECT_TRUE(n.hasEventDevices());
  for (double i : {-8e-6, -2e-6}) EXPECT_LT(std::fabs(t(i)), 2e-3) << i;  // the clamp: no firing
  const double at2 = n.windowMean(2e-6, o.window).out;
  EXPECT_LT(n.windowMean(0.5e-6 - bias, o.window).out, 0.01 * at2);  // below the threshold's 1.2 uA rheobase
  double last = 0;
  for (double i : {2e-6, 4e-6, 6e-6, 10e-6}) {
    const double v = t(i);
    EXPECT_LE(v, rt * (i + bias)) << i;
    EXPECT_GE(v, rt * (i + bias - 1.7e-6)) << i;
    EXPECT_GT(v, last) << i;
    last = v;
  }
  const auto at3 = n.windowMean(3e-6, o.window), again = n.windowMean(3e-6, o.window);
  EXPECT_EQ(at3.out, again.out);  // fresh devices, same draws
  EXPECT_EQ(at3.power, again.power);
  // The bias source's mean power: 1.2 uA times the membrane, which swings between vhold (0.2 V)
  // and the thresholds; the table holds it for the energy.
  EXPECT_GT(at3.power, bias * 0.2);
  EXPECT_LT(at3.power, bias * 1.6);
  EXPECT_NEAR(t.supplyPower(4e-6), n.windowMean(4e-6, o.window).power, 1e-12);
  // The deck `neuron --deck` writes runs the same point through the memspice front end.
  const std::string deck = xb::NeuronCircuit::deck(o);
  auto r = memspice::test::run(deck.substr(deck.find('\n') + 1), {{"iin", 3e-6}}, memspice::DiskFileProvider{});
  ASSERT_TRUE(r.errors.empty()) << r.errors.front();
  // Both integrate as the deck says (its .options: trap at reltol=1e-3 here). The deck's input
  // has a 1 ns edge, and its mean is 1.6e-3 high (0.76827 V against 0.76702 V; reltol=1e-6
  // gives 0.76701 V under gear, 0.76708 V under trap).
  EXPECT_NEAR(memspice::test::measured(r, "vmean"), at3.out, 2.5e-3 * rt * 3e-6);
}

// Tabulated at DC, a spiking neuron never fires: the table says so, for the warning.
TEST(XbarNeuron, DcTableOfASpikingNeuronIsFlagged) {
  xb::NeuronOptions o = neuron("lif_rate");
  o.zmax = 2;
  EXPECT_TRUE(xb::tabulateNeuron(o, builtinRegistry()).dcOfEventDevices);
  EXPECT_FALSE(xb::tabulateNeuron(neuron("relu_mirror"), builtinRegistry()).dcOfEventDevices);
}

// A network whose hidden columns end in sigmoid_tia at vdd = vread is the software sigmoid
// network; the same network's results do not depend on the thread count, with or without
// temporal variation, and the variation moves the outputs.
TEST(XbarNeuron, NeuronColumnsEqualTheSoftwareActivation) {
  xb::Network net = randomNetwork({25, 12, 10}, 3);
  net.act.kind = xb::Activation::Kind::Sigmoid;
  xb::Dataset data = randomImages(6, 25);
  xb::InferenceOptions o;
  o.neuron = neuron("sigmoid_tia", "vdd=0.2");  // vread: the circuit's sigmoid is vread sigma(z)
  xb::CircuitNetwork circuit(net, o);
  ASSERT_NE(circuit.neuronTable(), nullptr);
  ASSERT_EQ(circuit.mirrorRatios().size(), 1u);
  auto a = circuit.run(data, 0, data.count);
  for (const auto& r : a) {
    ASSERT_TRUE(r.error.empty()) << r.error;
    EXPECT_EQ(r.outsideTable, 0u);
    auto software = net.forward(data.image(r.index)).back();
    for (std::size_t j = 0; j < software.size(); ++j) EXPECT_NEAR(r.outputs[j], software[j], 2e-3 * (1 + std::fabs(software[j])));
  }

  o.neuronNoise = 0.1;
  o.threads = 1;
  xb::CircuitNetwork noisy1(net, o);
  o.threads = 3;
  xb::CircuitNetwork noisy3(net, o);
  auto b = noisy1.run(data, 0, data.count), c = noisy3.run(data, 0, data.count);
  double moved = 0;
  for (std::size_t i = 0; i < b.size(); ++i)
    for (std::size_t j = 0; j < b[i].outputs.size(); ++j) {
      EXPECT_EQ(b[i].outputs[j], c[i].outputs[j]);
      moved = std::max(moved, std::fabs(b[i].outputs[j] - a[i].outputs[j]));
    }
  EXPECT_GT(moved, 1e-3);
}

// Device-to-device variation: every hidden neuron its own relu_mirror instance, each TFT with
// its own threshold drawn from N(0.5, 0.038) V. Each neuron's table is that instance tabulated
// on its own, the tables differ, the results do not depend on the thread count, and without a
// spread the per-neuron tables give exactly the shared table's results.
TEST(XbarNeuron, NeuronVariationGivesEachNeuronItsOwnTable) {
  xb::Network net = randomNetwork({25, 12, 10}, 5);
  xb::Dataset data = randomImages(4, 25);
  xb::InferenceOptions o;
  o.neuron = neuron("relu_mirror", "sigvth=0.038");
  o.neuron->zmax = 5;
  o.neuronVariation = true;
  o.devices.seed = 3;
  o.threads = 2;
  xb::CircuitNetwork varied(net, o);
  ASSERT_EQ(varied.neuronTables().size(), 13u);  // the shared one and 12 hidden neurons
  xb::NeuronOptions own = *o.neuron;
  own.instance = "xneuron_l0_c7";
  own.seed = 3;
  xb::NeuronTable direct = xb::tabulateNeuron(own, builtinRegistry());
  EXPECT_EQ(varied.neuronTable(0, 7)->current, direct.current);
  EXPECT_EQ(varied.neuronTable(0, 7)->voltage, direct.voltage);
  // The copy ratio follows the two thresholds' difference over the overdrive (about 0.2 V at
  // 3 uA): tens of per cent for a 38 mV sigma, and every neuron still conducts.
  double lo = 1e9, hi = 0;
  for (std::size_t j = 0; j < 12; ++j) {
    lo = std::min(lo, (*varied.neuronTable(0, j))(3e-6));
    hi = std::max(hi, (*varied.neuronTable(0, j))(3e-6));
  }
  EXPECT_GT(hi - lo, 0.01 * hi);
  EXPECT_GT(lo, 0.2 * hi);
  o.threads = 1;
  auto a = varied.run(data, 0, data.count), b = xb::CircuitNetwork(net, o).run(data, 0, data.count);
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].outputs, b[i].outputs);

  o.neuron->params = "sigvth=0";
  auto nominal = xb::CircuitNetwork(net, o).run(data, 0, data.count);
  o.neuronVariation = false;
  auto shared = xb::CircuitNetwork(net, o).run(data, 0, data.count);
  double moved = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(nominal[i].outputs, shared[i].outputs);
    for (std::size_t j = 0; j < a[i].outputs.size(); ++j)
      moved = std::max(moved, std::fabs(a[i].outputs[j] - shared[i].outputs[j]));
  }
  EXPECT_GT(moved, 1e-3);
}

// The neurons' energy: relu_mirror's supply delivers VDD times the copied current, and its
// output is rt times that current, so each image's neuron energy is the read time times
// VDD / rt times the next layers' row voltages, summed (below the 2 V clip). The sigmoid
// transimpedance neuron has no supply of its own.
TEST(XbarNeuron, NeuronEnergyIsTheSuppliesPowerOverTheRead) {
  xb::Network net = randomNetwork({25, 12, 8, 10}, 6);
  xb::Dataset data = randomImages(3, 25);
  xb::InferenceOptions o;
  o.neuron = neuron("relu_mirror");
  o.array.readTime = 1e-6;
  xb::CircuitNetwork circuit(net, o);
  auto results = circuit.run(data, 0, data.count);
  for (const auto& r : results) {
    ASSERT_TRUE(r.error.empty()) << r.error;
    auto inputs = circuit.layerInputs(data.image(r.index), r.index);
    double expected = 0;
    for (std::size_t k = 1; k < inputs.size(); ++k)
      for (std::size_t j = 0; j + 1 < inputs[k].size(); ++j) {  // the bias row is not a neuron
        ASSERT_LT(inputs[k][j], 1.99);
        expected += o.array.readTime * 2.0 * inputs[k][j] / 2e5;
      }
    EXPECT_GT(expected, 0);
    EXPECT_NEAR(r.neuronEnergy, expected, 1e-6 * expected + 1e-20);
  }
  EXPECT_GT(xb::summarise(results, o, 3, 1.0).neuronEnergyPerInference, 0);
  o.neuron = neuron("sigmoid_tia");
  for (const auto& r : xb::CircuitNetwork(net, o).run(data, 0, data.count)) EXPECT_EQ(r.neuronEnergy, 0);
}

// Pre-activations beyond the table are counted, not silently clipped.
TEST(XbarNeuron, InputsBeyondTheTableAreCounted) {
  xb::Network net = randomNetwork({25, 12, 10}, 4);
  xb::Dataset data = randomImages(3, 25);
  xb::InferenceOptions o;
  o.neuron = neuron("relu_mirror");
  o.neuron->zmax = 1e-3;
  xb::CircuitNetwork circuit(net, o);
  auto r = circuit.run(data, 0, data.count);
  EXPECT_GT(xb::summarise(r, o, 2, 1.0).outsideTable, 0u);
}

TEST(XbarNeuron, BadNeuronsSayWhatIsWrong) {
  EXPECT_NE(errorOf([] { xb::parseNeuronSpec("netlists/xbar_neurons.lib"); }).find("expected LIBRARY:SUBCKT"),
            std::string::npos);
  EXPECT_NE(errorOf([] { xb::NeuronCircuit(xb::parseNeuronSpec("/nonexistent.lib:x"), builtinRegistry()); })
                .find("/nonexistent.lib: cannot open the neuron library"),
            std::string::npos);
  std::string unknown = errorOf([] { xb::NeuronCircuit(neuron("no_such_neuron"), builtinRegistry()); });
  EXPECT_NE(unknown.find("does not elaborate"), std::string::npos) << unknown;
  EXPECT_NE(unknown.find("no_such_neuron"), std::string::npos) << unknown;
  // A subcircuit with three ports does not fit the (in out) column.
  fs::path lib = fs::temp_directory_path() / "memspice_xbar_bad_neuron.lib";
  std::ofstream(lib) << ".subckt three a b c\nr1 a b 1k\nr2 b c 1k\n.ends\n";
  std::string ports = errorOf([&] { xb::NeuronCircuit(xb::parseNeuronSpec(lib.string() + ":three"), builtinRegistry()); });
  EXPECT_NE(ports.find("ports must be: in out"), std::string::npos) << ports;
  // The library's .options decide how its windows integrate: a bad one is said, with where.
  std::ofstream(lib) << ".options method=euler\n.subckt two in out\nr1 in out 1k\n.ends\n";
  std::string options =
      errorOf([&] { xb::NeuronCircuit(xb::parseNeuronSpec(lib.string() + ":two"), builtinRegistry()); });
  EXPECT_NE(options.find("bad .options"), std::string::npos) << options;
  EXPECT_NE(options.find("memspice_xbar_bad_neuron.lib:1:"), std::string::npos) << options;
  EXPECT_NE(options.find("option 'method' is 'trap'"), std::string::npos) << options;
  xb::NeuronOptions w = neuron("lif_rate");
  w.window = -1;
  EXPECT_NE(errorOf([&] { xb::tabulateNeuron(w, builtinRegistry()); }).find("--neuron-window: expected a duration"),
            std::string::npos);
  w.window = 1e-4;
  w.windowPoints = 0;
  EXPECT_NE(errorOf([&] { xb::tabulateNeuron(w, builtinRegistry()); }).find("--neuron-window-points"), std::string::npos);
  xb::InferenceOptions o;
  o.neuronNoise = 1.5;
  EXPECT_NE(errorOf([&] { xb::CircuitNetwork(randomNetwork({25, 12, 10}, 1), o); }).find("neuron noise"), std::string::npos);
}

// Plain minibatch SGD (the mReLU paper's recipe) learns too.
TEST(XbarTraining, SgdLearnsMnist) {
  if (!fs::exists(kMnist / "t10k-labels-idx1-ubyte")) GTEST_SKIP() << "no MNIST in data/mnist (run scripts/setup.sh)";
  xb::Dataset train = xb::loadMnist(kMnist, "train", 3000), test = xb::loadMnist(kMnist, "t10k", 1000);
  xb::TrainOptions o;
  o.sizes = {784, 64, 10};
  o.epochs = 3;
  o.batch = 32;
  o.optimizer = xb::parseOptimizer("sgd");
  EXPECT_GT(xb::accuracy(xb::train(train, o), test), 0.80);
  EXPECT_NE(errorOf([] { xb::parseOptimizer("rmsprop"); }).find("expected adam or sgd"), std::string::npos);
}
