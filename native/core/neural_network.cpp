// Forward and backward pass of one atomic network (formulas in neural_network.hpp).
#include "core/neural_network.hpp"

#include <cmath>

#include "core/activation.hpp"
#include "core/error.hpp"
#include "core/network_layout.hpp"

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
  const NetworkLayout layout(layers_, activations_);
  require(weights_.size() == layout.weightCount, "E_VALUE",
          "neural network: " + std::to_string(weights_.size()) + " weights given, the layers need " + std::to_string(layout.weightCount));
  for (double w : weights_) require(std::isfinite(w), "E_VALUE", "neural network: weights must be finite");
  weightOffset_ = layout.weightOffset;
  biasOffset_ = layout.biasOffset;
  neuronOffset_ = layout.neuronOffset;
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
    affineLayer(a, b, yPrev, nPrev, n, y);
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
