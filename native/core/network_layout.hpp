// The layout of an n2p2 atomic network (neural_network.hpp): checked layer sizes and activations,
// and where each layer's weights (source-major), biases and neurons sit in the flat arrays.
// Shared by inference (NeuralNetwork) and training (NetworkGradient).
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "core/activation.hpp"
#include "core/error.hpp"

namespace polymorph {

struct NetworkLayout {
  std::vector<std::size_t> weightOffset, biasOffset, neuronOffset;  // per layer (neuronOffset has one more)
  std::size_t weightCount = 0;

  // Throws E_VALUE for bad sizes or unknown activations.
  NetworkLayout(const std::vector<int>& layers, const std::string& activations) {
    require(layers.size() >= 2, "E_VALUE", "neural network: needs an input and an output layer");
    for (int n : layers) require(n >= 1 && n <= 100000, "E_VALUE", "neural network: every layer needs 1 to 100000 neurons");
    require(layers.back() == 1, "E_VALUE", "neural network: the output layer must have one neuron");
    require(activations.size() == layers.size() - 1, "E_VALUE", "neural network: one activation per layer after the input is needed");
    for (char a : activations) {
      require(knownActivation(a), "E_VALUE", std::string("neural network: unknown activation '") + a + "' (n2p2 knows l t s p r g c S e h)");
    }
    std::size_t neurons = 0;
    for (std::size_t l = 0; l < layers.size(); ++l) {
      neuronOffset.push_back(neurons);
      neurons += layers[l];
      weightOffset.push_back(l == 0 ? 0 : weightCount);
      if (l > 0) weightCount += static_cast<std::size_t>(layers[l - 1]) * layers[l];
      biasOffset.push_back(l == 0 ? 0 : weightCount);
      if (l > 0) weightCount += layers[l];
    }
    neuronOffset.push_back(neurons);
  }
};

// The pre-activations of one layer before scaling: y_k = b_k + Σ_j a_jk yPrev_j (source-major a),
// summed in j order (inference and training give the same bits).
inline void affineLayer(const double* a, const double* b, const double* yPrev, int nPrev, int n, double* y) {
  for (int k = 0; k < n; ++k) y[k] = b[k];
  for (int j = 0; j < nPrev; ++j) {
    const double yj = yPrev[j];
    const double* row = a + static_cast<std::size_t>(j) * n;
    for (int k = 0; k < n; ++k) y[k] += row[k] * yj;
  }
}

}  // namespace polymorph
