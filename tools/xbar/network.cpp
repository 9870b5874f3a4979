#include "network.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "csv_matrix.hpp"
#include "expr/counter_rng.hpp"
#include "npy.hpp"
#include "xbar_error.hpp"

namespace memspice::xbar {

double piecewiseLinear(const std::vector<double>& x, const std::vector<double>& y, double v) {
  if (v <= x.front()) return y.front();
  if (v >= x.back()) return y.back();
  auto k = static_cast<std::size_t>(std::upper_bound(x.begin(), x.end(), v) - x.begin());
  double t = (v - x[k - 1]) / (x[k] - x[k - 1]);
  return y[k - 1] + t * (y[k] - y[k - 1]);
}

std::size_t Activation::segment(double v) const {
  return static_cast<std::size_t>(std::upper_bound(x.begin(), x.end(), v) - x.begin());
}

double Activation::operator()(double v) const {
  switch (kind) {
    case Kind::Relu: return v > 0 ? v : 0;
    case Kind::Sigmoid: return 1 / (1 + std::exp(-v));
    case Kind::Curve: break;
  }
  return piecewiseLinear(x, y, v);
}

double Activation::slope(double v) const {
  switch (kind) {
    case Kind::Relu: return v > 0 ? 1 : 0;
    case Kind::Sigmoid: {
      double s = 1 / (1 + std::exp(-v));
      return s * (1 - s);
    }
    case Kind::Curve: break;
  }
  if (v <= x.front() || v >= x.back()) return 0;
  std::size_t k = segment(v);
  return (y[k] - y[k - 1]) / (x[k] - x[k - 1]);
}

std::string Activation::name() const {
  switch (kind) {
    case Kind::Relu: return "relu";
    case Kind::Sigmoid: return "sigmoid";
    case Kind::Curve: break;
  }
  return "curve";
}

Activation parseActivation(const std::string& spec) {
  Activation a;
  if (spec == "relu") return a;
  if (spec == "sigmoid") {
    a.kind = Activation::Kind::Sigmoid;
    return a;
  }
  if (!spec.starts_with("curve:"))
    throw XbarError(fmt::format("activation '{}': expected relu, sigmoid or curve:FILE.csv", spec));
  std::string file = spec.substr(6);
  Array m = readCsvMatrix(file);
  if (m.cols() != 2 || m.rows() < 2)
    throw XbarError(fmt::format("{}: expected two columns (input, output) and at least two rows, got {} x {}", file,
                                m.rows(), m.cols()));
  std::vector<double> x, y;
  for (std::size_t r = 0; r < m.rows(); ++r) {
    x.push_back(m.data[2 * r]);
    y.push_back(m.data[2 * r + 1]);
  }
  return curveActivation(std::move(x), std::move(y), file);
}

Activation curveActivation(std::vector<double> x, std::vector<double> y, const std::string& where) {
  if (x.size() != y.size() || x.size() < 2)
    throw XbarError(fmt::format("{}: a curve needs at least two (input, output) points", where));
  for (std::size_t r = 1; r < x.size(); ++r)
    if (!(x[r] > x[r - 1]))
      throw XbarError(fmt::format("{}: row {}: the input column must increase ({} after {})", where, r + 1, x[r], x[r - 1]));
  Activation a;
  a.kind = Activation::Kind::Curve;
  a.x = std::move(x);
  a.y = std::move(y);
  return a;
}

namespace {

// z = x W + b, skipping zero inputs (MNIST pixels are mostly zero).
void affine(const DenseLayer& l, const float* x, float* z) {
  std::copy(l.b.begin(), l.b.end(), z);
  for (std::size_t i = 0; i < l.in; ++i) {
    float xi = x[i];
    if (xi == 0) continue;
    const float* row = l.w.data() + i * l.out;
    for (std::size_t j = 0; j < l.out; ++j) z[j] += xi * row[j];
  }
}

}  // namespace

std::vector<std::vector<float>> Network::forward(const float* x) const {
  std::vector<std::vector<float>> outs;
  const float* in = x;
  for (std::size_t k = 0; k < layers.size(); ++k) {
    std::vector<float> z(layers[k].out);
    affine(layers[k], in, z.data());
    if (k + 1 < layers.size())
      for (float& v : z) v = static_cast<float>(act(v));
    outs.push_back(std::move(z));
    in = outs.back().data();
  }
  return outs;
}

int Network::predict(const float* x) const {
  auto outs = forward(x);
  const auto& y = outs.back();
  return static_cast<int>(std::max_element(y.begin(), y.end()) - y.begin());
}

double accuracy(const Network& net, const Dataset& data) {
  std::size_t right = 0;
  for (std::size_t i = 0; i < data.count; ++i) right += net.predict(data.image(i)) == data.labels[i];
  return data.count ? static_cast<double>(right) / static_cast<double>(data.count) : 0;
}

Optimizer parseOptimizer(const std::string& word) {
  if (word == "adam") return Optimizer::Adam;
  if (word == "sgd") return Optimizer::Sgd;
  throw XbarError(fmt::format("--optimizer '{}': expected adam or sgd", word));
}

Network train(const Dataset& data, const TrainOptions& o, const std::function<void(int, double, double)>& progress) {
  if (o.sizes.size() < 2 || o.sizes.front() != data.features)
    throw XbarError(fmt::format("network sizes {}: the first must be the {} input features", fmt::join(o.sizes, "-"),
                                data.features));
  if (o.sizes.back() < 10) throw XbarError("the last layer needs at least 10 outputs (one per digit)");
  if (o.batch == 0 || o.epochs < 1 || !(o.learningRate >= 0))
    throw XbarError(fmt::format("training: expected batch >= 1, epochs >= 1 and a positive learning rate, got {}, {}, {}",
                                o.batch, o.epochs, o.learningRate));
  const double lr = o.rate();
  Network net;
  net.act = o.act;
  std::uint64_t key = rng::key(o.seed, "train");
  for (std::size_t k = 0; k + 1 < o.sizes.size(); ++k) {
    DenseLayer l;
    l.in = o.sizes[k];
    l.out = o.sizes[k + 1];
    l.w.resize(l.in * l.out);
    l.b.assign(l.out, 0.0f);
    double sigma = std::sqrt(2.0 / static_cast<double>(l.in));  // He
    std::uint64_t lk = rng::keyed(key, k);
    for (std::size_t i = 0; i < l.w.size(); ++i) l.w[i] = static_cast<float>(sigma * rng::normal(rng::keyed(lk, i)));
    net.layers.push_back(std::move(l));
  }
  const std::size_t L = net.layers.size();
  // Gradients and Adam's moments, per layer: weights then biases.
  std::vector<std::vector<float>> gw(L), gb(L), mw(L), vw(L), mb(L), vb(L);
  for (std::size_t k = 0; k < L; ++k) {
    gw[k].assign(net.layers[k].w.size(), 0);
    mw[k] = vw[k] = gw[k];
    gb[k].assign(net.layers[k].out, 0);
    mb[k] = vb[k] = gb[k];
  }
  std::vector<std::size_t> order(data.count);
  std::iota(order.begin(), order.end(), 0);
  std::vector<std::vector<float>> z(L), a(L), delta(L);
  for (std::size_t k = 0; k < L; ++k) {
    z[k].resize(net.layers[k].out);
    a[k].resize(net.layers[k].out);
    delta[k].resize(net.layers[k].out);
  }
  const double b1 = 0.9, b2 = 0.999, eps = 1e-8;
  long t = 0;
  for (int epoch = 1; epoch <= o.epochs; ++epoch) {
    std::uint64_t ek = rng::keyed(rng::key(o.seed, "shuffle"), static_cast<std::uint64_t>(epoch));
    for (std::size_t i = order.size(); i > 1; --i)
      std::swap(order[i - 1], order[static_cast<std::size_t>(rng::unit(rng::keyed(ek, i)) * static_cast<double>(i))]);
    double lossSum = 0;
    std::size_t right = 0;
    for (std::size_t start = 0; start < order.size(); start += o.batch) {
      std::size_t end = std::min(order.size(), start + o.batch);
      for (auto& g : gw) std::fill(g.begin(), g.end(), 0.0f);
      for (auto& g : gb) std::fill(g.begin(), g.end(), 0.0f);
      for (std::size_t s = start; s < end; ++s) {
        const float* x = data.image(order[s]);
        const float* in = x;
        for (std::size_t k = 0; k < L; ++k) {
          affine(net.layers[k], in, z[k].data());
          for (std::size_t j = 0; j < z[k].size(); ++j)
            a[k][j] = k + 1 < L ? static_cast<float>(net.act(z[k][j])) : z[k][j];
          in = a[k].data();
        }
        // Softmax cross-entropy on the logits.
        auto& y = a[L - 1];
        float mx = *std::max_element(y.begin(), y.end());
        double sum = 0;
        for (float v : y) sum += std::exp(v - mx);
        int label = data.labels[order[s]];
        lossSum += -(y[static_cast<std::size_t>(label)] - mx - std::log(sum));
        right += static_cast<int>(std::max_element(y.begin(), y.end()) - y.begin()) == label;
        for (std::size_t j = 0; j < y.size(); ++j)
          delta[L - 1][j] = static_cast<float>(std::exp(y[j] - mx) / sum) - (static_cast<int>(j) == label ? 1.0f : 0.0f);
        for (std::size_t k = L; k-- > 0;) {
          const DenseLayer& l = net.layers[k];
          const float* xin = k == 0 ? x : a[k - 1].data();
          for (std::size_t j = 0; j < l.out; ++j) gb[k][j] += delta[k][j];
          for (std::size_t i = 0; i < l.in; ++i) {
            float xi = xin[i];
            if (xi == 0) continue;
            float* g = gw[k].data() + i * l.out;
            for (std::size_t j = 0; j < l.out; ++j) g[j] += xi * delta[k][j];
          }
          if (k == 0) break;
          for (std::size_t i = 0; i < l.in; ++i) {
            const float* row = l.w.data() + i * l.out;
            float d = 0;
            for (std::size_t j = 0; j < l.out; ++j) d += row[j] * delta[k][j];
            delta[k - 1][i] = d * static_cast<float>(net.act.slope(z[k - 1][i]));
          }
        }
      }
      ++t;
      double scale = 1.0 / static_cast<double>(end - start);
      double c1 = 1 - std::pow(b1, static_cast<double>(t)), c2 = 1 - std::pow(b2, static_cast<double>(t));
      auto update = [&](std::vector<float>& p, const std::vector<float>& g, std::vector<float>& m, std::vector<float>& v) {
        for (std::size_t i = 0; i < p.size(); ++i) {
          double gi = g[i] * scale;
          if (o.optimizer == Optimizer::Sgd) {
            p[i] -= static_cast<float>(lr * gi);
            continue;
          }
          m[i] = static_cast<float>(b1 * m[i] + (1 - b1) * gi);
          v[i] = static_cast<float>(b2 * v[i] + (1 - b2) * gi * gi);
          p[i] -= static_cast<float>(lr * (m[i] / c1) / (std::sqrt(v[i] / c2) + eps));
        }
      };
      for (std::size_t k = 0; k < L; ++k) {
        update(net.layers[k].w, gw[k], mw[k], vw[k]);
        update(net.layers[k].b, gb[k], mb[k], vb[k]);
      }
    }
    if (progress)
      progress(epoch, lossSum / static_cast<double>(data.count), static_cast<double>(right) / static_cast<double>(data.count));
  }
  return net;
}

void saveNetwork(const Network& net, const std::filesystem::path& path) {
  std::map<std::string, Array> arrays;
  for (std::size_t k = 0; k < net.layers.size(); ++k) {
    const DenseLayer& l = net.layers[k];
    arrays[fmt::format("w{}", k)] = Array{{l.in, l.out}, {l.w.begin(), l.w.end()}};
    arrays[fmt::format("b{}", k)] = Array{{l.out}, {l.b.begin(), l.b.end()}};
  }
  writeNpz(path, arrays);
}

namespace {

DenseLayer layerFrom(const Array& w, const Array* b, const std::string& where) {
  if (w.shape.size() != 2) throw XbarError(fmt::format("{}: expected a matrix, got shape of rank {}", where, w.shape.size()));
  DenseLayer l;
  l.out = w.cols();
  l.in = b ? w.rows() : w.rows() - 1;
  if (!b && w.rows() < 2) throw XbarError(fmt::format("{}: expected (inputs + 1) rows, the last being the bias", where));
  if (b && (b->data.size() != l.out))
    throw XbarError(fmt::format("{}: the bias has {} values for {} outputs", where, b->data.size(), l.out));
  l.w.assign(w.data.begin(), w.data.begin() + static_cast<std::ptrdiff_t>(l.in * l.out));
  if (b) l.b.assign(b->data.begin(), b->data.end());
  else l.b.assign(w.data.begin() + static_cast<std::ptrdiff_t>(l.in * l.out), w.data.end());
  return l;
}

}  // namespace

Network loadNetwork(const std::vector<std::filesystem::path>& files, const Activation& act) {
  Network net;
  net.act = act;
  if (files.size() == 1 && files[0].extension() == ".npz") {
    auto arrays = readNpz(files[0]);
    for (std::size_t k = 0;; ++k) {
      auto w = arrays.find(fmt::format("w{}", k));
      auto b = arrays.find(fmt::format("b{}", k));
      if (w == arrays.end()) {
        if (k == 0) throw XbarError(fmt::format("{}: expected arrays w0, b0, w1, b1, ...; found no w0", files[0].string()));
        break;
      }
      if (b == arrays.end()) throw XbarError(fmt::format("{}: w{} has no bias b{}", files[0].string(), k, k));
      net.layers.push_back(layerFrom(w->second, &b->second, fmt::format("{}:w{}", files[0].string(), k)));
    }
  } else {
    for (const auto& f : files) {
      std::string ext = f.extension().string();
      Array m = ext == ".npy" ? readNpy(f) : ext == ".csv" ? readCsvMatrix(f)
                                            : throw XbarError(fmt::format("{}: expected a .npz, .npy or .csv weight file", f.string()));
      net.layers.push_back(layerFrom(m, nullptr, f.string()));
    }
  }
  for (std::size_t k = 1; k < net.layers.size(); ++k)
    if (net.layers[k].in != net.layers[k - 1].out)
      throw XbarError(fmt::format("weights: layer {} has {} inputs but layer {} has {} outputs", k, net.layers[k].in,
                                  k - 1, net.layers[k - 1].out));
  return net;
}

}  // namespace memspice::xbar
