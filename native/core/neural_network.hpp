// Feed-forward atomic neural network as n2p2 defines it (specs/n2p2-formats.md §1.8, §3.2):
//   y⁰ = input;  z^ℓ_k = b^ℓ_k + Σ_j a^ℓ_jk y^(ℓ−1)_j  (divided by n_(ℓ−1) with normalize_nodes,
//   bias included);  y^ℓ = f_ℓ(z^ℓ);  output = y^L (one neuron).
// Weights are stored in n2p2's connection order: per layer ℓ = 1…L, the weights source-major
// (a^ℓ_jk at j·n_ℓ + k), then the layer's biases.
// Activations (one character per non-input layer): l x · t tanh x · s 1/(1+e^−x) (±35 clamps) ·
// p ln(1+e^x) (±35 clamps) · r max(0,x) · g exp(−x²/2) · c cos x · S 1 − 1/(1+e^−x) ·
// e exp(−x) · h x².
#pragma once
#include <string>
#include <vector>

namespace polymorph {

class NeuralNetwork {
 public:
  // layers: neurons per layer, input first, output (1) last; activations: one per layer after
  // the input. Throws E_VALUE for bad sizes, unknown activations or a wrong weight count.
  NeuralNetwork(std::vector<int> layers, std::string activations, std::vector<double> weights, bool normalizeNodes);

  int inputs() const { return layers_.front(); }
  const std::vector<int>& layers() const { return layers_; }
  static std::size_t connectionCount(const std::vector<int>& layers);

  // Scratch for one evaluation (one per thread).
  struct Scratch {
    std::vector<double> y, dy;  // per neuron of every layer: activation and f'(z)
    std::vector<double> delta, next;
  };
  // Output for `input` [inputs()]; when gradient != nullptr also writes ∂output/∂input there.
  double evaluate(const double* input, double* gradient, Scratch& scratch) const;

 private:
  std::vector<int> layers_;
  std::string activations_;
  std::vector<double> weights_;
  std::vector<std::size_t> weightOffset_, biasOffset_, neuronOffset_;
  bool normalizeNodes_ = false;
};

}  // namespace polymorph
