#pragma once
// A fully connected network (multilayer perceptron) as the crossbars run it: y = act(x W + b)
// on every hidden layer, plain x W + b (logits) on the last. Trained here (He initialisation,
// minibatch Adam or plain SGD on softmax cross-entropy) so that the software baselines are rerun, not quoted.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "mnist.hpp"

namespace memspice::xbar {

// Piecewise-linear interpolation through (x, y) (x increasing), constant beyond the ends.
double piecewiseLinear(const std::vector<double>& x, const std::vector<double>& y, double v);

// A hidden activation: relu, sigmoid, or a measured transfer curve (piecewise linear through
// (x, y) points, constant beyond the ends), e.g. a neuron circuit's output against its input.
struct Activation {
  enum class Kind { Relu, Sigmoid, Curve } kind = Kind::Relu;
  std::vector<double> x, y;  // Curve: increasing x
  double operator()(double v) const;
  double slope(double v) const;
  std::string name() const;

 private:
  std::size_t segment(double v) const;  // Curve: k with x[k-1] <= v < x[k], for x.front() < v < x.back()
};
// "relu", "sigmoid" or "curve:FILE.csv" (two columns: input, output; '#' comments).
Activation parseActivation(const std::string& spec);
// A curve activation from points (increasing x); throws XbarError otherwise.
Activation curveActivation(std::vector<double> x, std::vector<double> y, const std::string& where);

struct DenseLayer {
  std::size_t in = 0, out = 0;
  std::vector<float> w;  // in x out, row-major: w[i * out + j]
  std::vector<float> b;  // out
};

struct Network {
  std::vector<DenseLayer> layers;
  Activation act;
  // Output of every layer for one input (activations on hidden layers, logits last).
  std::vector<std::vector<float>> forward(const float* x) const;
  int predict(const float* x) const;
};

enum class Optimizer { Adam, Sgd };
Optimizer parseOptimizer(const std::string& word);

struct TrainOptions {
  std::vector<std::size_t> sizes{784, 100, 100, 100, 10};
  Activation act;
  int epochs = 5;
  std::size_t batch = 64;
  Optimizer optimizer = Optimizer::Adam;
  double learningRate = 0;  // 0: the optimizer's default, 1e-3 for Adam, 0.1 for plain SGD
  std::uint64_t seed = 1;
  double rate() const { return learningRate > 0 ? learningRate : optimizer == Optimizer::Adam ? 1e-3 : 0.1; }
};

// Progress: (epoch, mean training loss, training accuracy).
Network train(const Dataset& data, const TrainOptions& options,
              const std::function<void(int, double, double)>& progress = {});
double accuracy(const Network& net, const Dataset& data);

// Weights as arrays w0, b0, w1, b1, ... (w_k: in x out) in an .npz; or a list of .npy or .csv
// matrices, one per layer, of shape (in + 1) x out with the bias as the last row.
void saveNetwork(const Network& net, const std::filesystem::path& path);
Network loadNetwork(const std::vector<std::filesystem::path>& files, const Activation& act);

}  // namespace memspice::xbar
