// Forward and backward pass of one atomic network (formulas in neural_network.hpp).
#include "core/neural_network.hpp"

#include <cmath>

#include "core/activation.hpp"
#include "core/error.hpp"

namespace polymorph {

std::size_t NeuralNetwork::connectionCount(const std::vector<int>& layers) {
  std::size_t total = 0;
  for (std::size_t l = 1; l < layers.size(); ++l) total += static_cast<std::size_t>(layers[l - 1] + 1) * layers[l];
  return total;
}

NeuralNetwork::NeuralNetwork(std::vector<int> layers, std::string activations, std::vector<double> weights,
                             bool normalizeNodes)
    : layers_(std::move(layers)), activations_(std::move(activations)), weights_(std::move(weights)),
      normalizeNodes_(normalizeNodes) {
  require(layers_.size() >= 2, "E_VALUE", "neural network: needs an input and an output layer");
  for (int n : layers_) require(n >= 1 && n <= 100000, "E_VALUE", "neural network: every layer needs 1 to 100000 neurons");
  require(layers_.back() == 1, "E_VALUE", "neural network: the output layer must have one neuron");
  require(activations_.size() == layers_.size() - 1, "E_VALUE",
          "neural network: one activation per layer after the input is needed");
  for (char a : activations_) {
    require(knownActivation(a), "E_VALUE", std::string("neural network: unknown activation '") + a + "' (n2p2 knows l t s p r g c S e h)");
  }
  const std::size_t expected = connectionCount(layers_);
  require(weights_.size() == expected, "E_VALUE",
          "neural network: " + std::to_string(weights_.size()) + " weights given, the layers need " + std::to_string(expected));
  for (double w : weights_) require(std::isfinite(w), "E_VALUE", "neural network: weights must be finite");
  std::size_t at = 0, neurons = 0;
  for (std::size_t l = 0; l < layers_.size(); ++l) {
    neuronOffset_.push_back(neurons);
    neurons += layers_[l];
    if (l == 0) {
      weightOffset_.push_back(0);
      biasOffset_.push_back(0);
      continue;
    }
    weightOffset_.push_back(at);
    at += static_cast<std::size_t>(layers_[l - 1]) * layers_[l];
    biasOffset_.push_back(at);
    at += layers_[l];
  }
  neuronOffset_.push_back(neurons);
}

double NeuralNetwork::evaluate(const double* input, double* gradient, Scratch& s) const {
  const std::size_t L = layers_.size() - 1;
  s.y.resize(neuronOffset_.back());
  s.dy.resize(neuronOffset_.back());
  for (int j = 0; j < layers_[0]; ++j) s.y[j] = input[j];
  for (std::size_t l = 1; l <= L; ++l) {
    const int nPrev = layers_[l - 1], n = layers_[l];
    const double* a = weights_.data() + weightOffset_[l];
    const double* b = weights_.data() + biasOffset_[l];
    const double* yPrev = s.y.data() + neuronOffset_[l - 1];
    double* y = s.y.data() + neuronOffset_[l];
    double* dy = s.dy.data() + neuronOffset_[l];
    for (int k = 0; k < n; ++k) y[k] = b[k];
    for (int j = 0; j < nPrev; ++j) {
      const double yj = yPrev[j];
      const double* row = a + static_cast<std::size_t>(j) * n;
      for (int k = 0; k < n; ++k) y[k] += row[k] * yj;
    }
    const double scale = normalizeNodes_ ? 1.0 / nPrev : 1.0;
    const char f = activations_[l - 1];
    for (int k = 0; k < n; ++k) activate(f, y[k] * scale, y[k], dy[k]);
  }
  const double output = s.y[neuronOffset_[L]];
  if (gradient == nullptr) return output;
  // Backward: delta = ∂output/∂z of the current layer.
  s.delta.assign(1, s.dy[neuronOffset_[L]]);
  for (std::size_t l = L; l >= 1; --l) {
    const int nPrev = layers_[l - 1], n = layers_[l];
    const double* a = weights_.data() + weightOffset_[l];
    const double scale = normalizeNodes_ ? 1.0 / nPrev : 1.0;
    s.next.resize(nPrev);
    for (int j = 0; j < nPrev; ++j) {
      const double* row = a + static_cast<std::size_t>(j) * n;
      double sum = 0.0;
      for (int k = 0; k < n; ++k) sum += row[k] * s.delta[k];
      s.next[j] = sum * scale;
    }
    if (l == 1) {
      for (int j = 0; j < nPrev; ++j) gradient[j] = s.next[j];
      break;
    }
    const double* dyPrev = s.dy.data() + neuronOffset_[l - 1];
    s.delta.resize(nPrev);
    for (int j = 0; j < nPrev; ++j) s.delta[j] = s.next[j] * dyPrev[j];
  }
  return output;
}

}  // namespace polymorph
